// The batch's estimate of when a new machine answers a probe: scouts first, then the
// quickest machine's time, never a guess from too few.
#include <boost/test/unit_test.hpp>

#include "decide/ready_estimate.hpp"

using mistasync::detail::ready_estimate;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(no_estimate_until_three_machines_answered) {
    ready_estimate e;
    BOOST_TEST(!e.expected());
    e.observe(5s, false);
    e.observe(4s, false);
    BOOST_TEST(!e.expected());
    e.observe(6s, false);
    BOOST_REQUIRE(e.expected());
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(4s).count());
}

BOOST_AUTO_TEST_CASE(the_estimate_is_the_quickest_machine_and_only_goes_down) {
    ready_estimate e;
    for (auto took : {7s, 5s, 6s}) e.observe(took, false);
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(5s).count());
    e.observe(9s, false);  // a slow one does not raise it
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(5s).count());
    e.observe(3s, false);
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(3s).count());
    e.observe(-1s, false);  // a clock that went back says nothing
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(3s).count());
    BOOST_TEST(e.samples() == 5u);
}

BOOST_AUTO_TEST_CASE(three_scouts_go_out_and_a_lost_one_is_replaced) {
    ready_estimate e;
    BOOST_TEST(e.take_scout());
    BOOST_TEST(e.take_scout());
    BOOST_TEST(e.take_scout());
    BOOST_TEST(!e.take_scout());  // enough out
    e.scout_lost();               // one failed: another may go
    BOOST_TEST(e.take_scout());
    BOOST_TEST(!e.take_scout());
    e.observe(2s, true);
    e.observe(3s, true);
    BOOST_TEST(!e.take_scout());  // two answered, one still out
    e.scout_lost();
    BOOST_TEST(e.take_scout());
    e.observe(4s, true);
    BOOST_REQUIRE(e.expected());
    BOOST_TEST(!e.take_scout());  // known: no more scouts
    e.scout_lost();               // a stray report changes nothing
    BOOST_TEST(!e.take_scout());
}

BOOST_AUTO_TEST_CASE(machines_that_answered_without_being_scouts_count_too) {
    ready_estimate e;
    BOOST_TEST(e.take_scout());
    e.observe(4s, false);  // a machine that waited on the list answered first
    e.observe(5s, false);
    BOOST_TEST(!e.take_scout());  // two samples and a scout out are enough
    e.observe(6s, true);
    BOOST_TEST(e.expected()->count() == std::chrono::steady_clock::duration(4s).count());
}
