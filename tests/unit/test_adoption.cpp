// Which listed machine a create of unknown outcome made, decided without sockets.
#include <boost/test/unit_test.hpp>

#include "decide/adoption.hpp"

using namespace mistasync::detail;

namespace {

struct case_data {
    std::vector<std::string> wanted;
    std::vector<listed_machine> listed;
    std::unordered_set<std::string> not_ours;
    adoption_plan plan() const { return plan_adoptions(wanted, listed, not_ours); }
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_name_with_one_candidate_adopts_it) {
    case_data c{{"web-1", "web-2"}, {{"i-1", "db"}, {"i-2", "web-2"}, {"i-3", "web-1"}}, {}};
    auto plan = c.plan();
    BOOST_TEST(plan.adopt.size() == 2u);
    BOOST_TEST(plan.adopt[0].wanted == 0u);
    BOOST_TEST(plan.adopt[0].listed == 2u);
    BOOST_TEST(plan.adopt[1].wanted == 1u);
    BOOST_TEST(plan.adopt[1].listed == 1u);
    BOOST_TEST(plan.ambiguous.empty());
}

BOOST_AUTO_TEST_CASE(a_name_with_several_candidates_adopts_none) {
    case_data c{{"web-1"}, {{"i-1", "web-1"}, {"i-2", "web-1"}}, {}};
    auto plan = c.plan();
    BOOST_TEST(plan.adopt.empty());
    BOOST_TEST(plan.ambiguous == std::vector<std::size_t>{0});
}

BOOST_AUTO_TEST_CASE(machines_that_are_not_ours_are_never_candidates) {
    // i-1 was there before the batch; i-2 is another item's: only i-3 can be web-1's.
    case_data c{{"web-1"}, {{"i-1", "web-1"}, {"i-2", "web-1"}, {"i-3", "web-1"}}, {"i-1", "i-2"}};
    auto plan = c.plan();
    BOOST_TEST(plan.adopt.size() == 1u);
    BOOST_TEST(plan.adopt[0].listed == 2u);
    // ...and when the only one of that name is not ours, nothing is adopted.
    case_data foreign{{"web-1"}, {{"i-1", "web-1"}}, {"i-1"}};
    BOOST_TEST(foreign.plan().adopt.empty());
    BOOST_TEST(foreign.plan().ambiguous.empty());
}

BOOST_AUTO_TEST_CASE(nothing_listed_adopts_nothing) {
    case_data c{{"web-1"}, {}, {}};
    BOOST_TEST(c.plan().adopt.empty());
}
