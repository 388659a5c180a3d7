// What `cleanup --journal` may destroy, decided without sockets: the machines a journal says
// its batch made, never a machine that was there before it, of another backend, of a name
// the batch did not make, or one of several that an unknown create could have made.
#include <boost/test/unit_test.hpp>

#include <mistasync/provision.hpp>

using namespace mistasync;

namespace {

machine listed(std::string id, std::string name, machine_state state = machine_state::running,
               std::vector<std::pair<std::string, std::string>> tags = {}) {
    machine m;
    m.id = std::move(id);
    m.name = std::move(name);
    m.state = state;
    m.tags = std::move(tags);
    return m;
}

journal_record record(std::string name, std::string id, std::string event, std::string backend = "b1") {
    journal_record r;
    r.name = std::move(name);
    r.id = std::move(id);
    r.last_event = std::move(event);
    r.backend_id = std::move(backend);
    return r;
}

journal_batch batch(std::set<std::string> names, std::vector<journal_batch::machine_ref> preexisting = {}) {
    journal_batch h;
    h.found = true;
    h.batch_id = "batch-7";
    h.server = "https://mist.example.com";
    h.backend_id = "b1";
    h.preexisting = std::move(preexisting);
    h.names = std::move(names);
    h.names_recorded = true;
    return h;
}

std::vector<std::string> ids(const cleanup_plan& p) {
    std::vector<std::string> out;
    for (auto& m : p.destroy) out.push_back(m.id);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_machine_whose_id_and_name_match_a_record_is_the_batchs) {
    auto h = batch({"web-1", "web-2"});
    std::vector<journal_record> records{record("web-1", "i-1", "probed"), record("web-2", "i-2", "created")};
    std::map<std::string, std::vector<machine>> machines{{"b1", {listed("i-1", "web-1"), listed("i-2", "web-2"), listed("i-9", "db")}}};
    auto plan = plan_cleanup(h, records, machines);
    BOOST_TEST((ids(plan) == std::vector<std::string>{"i-1", "i-2"}));
    BOOST_TEST(plan.ambiguous.empty());
    BOOST_TEST((cleanup_backends(h, records) == std::set<std::string>{"b1"}));
}

BOOST_AUTO_TEST_CASE(an_id_that_matches_under_another_name_is_not_destroyed) {
    auto h = batch({"web-1"});
    auto plan = plan_cleanup(h, {record("web-1", "i-1", "created")}, {{"b1", {listed("i-1", "renamed-by-someone")}}});
    BOOST_TEST(plan.destroy.empty());
}

BOOST_AUTO_TEST_CASE(an_unknown_create_adopts_the_one_new_machine_of_its_name) {
    auto h = batch({"web-1", "web-2"}, {{"i-old", "web-1"}});
    std::vector<journal_record> records{record("web-1", "", "create_unknown"), record("web-2", "i-2", "created")};
    // i-old was there before the batch; i-2 is another record's.
    std::map<std::string, std::vector<machine>> machines{{"b1", {listed("i-old", "web-1"), listed("i-new", "web-1"), listed("i-2", "web-2")}}};
    auto plan = plan_cleanup(h, records, machines);
    BOOST_TEST((ids(plan) == std::vector<std::string>{"i-new", "i-2"}));
}

BOOST_AUTO_TEST_CASE(an_unknown_create_with_several_candidates_destroys_none) {
    auto h = batch({"web-1"});
    auto plan = plan_cleanup(h, {record("web-1", "", "creating")}, {{"b1", {listed("i-a", "web-1"), listed("i-b", "web-1")}}});
    BOOST_TEST(plan.destroy.empty());
    BOOST_TEST((plan.ambiguous == std::vector<std::string>{"web-1"}));
}

BOOST_AUTO_TEST_CASE(a_journal_without_its_batch_record_never_guesses) {
    journal_batch old;  // 0.2.0: no batch record, no preexisting list
    std::vector<journal_record> records{record("web-1", "", "create_unknown"), record("web-2", "i-2", "created")};
    auto plan = plan_cleanup(old, records, {{"b1", {listed("i-x", "web-1"), listed("i-2", "web-2")}}});
    BOOST_TEST((ids(plan) == std::vector<std::string>{"i-2"}));  // the id is known: it is the batch's
    BOOST_TEST((plan.ambiguous == std::vector<std::string>{"web-1"}));
}

BOOST_AUTO_TEST_CASE(lines_for_names_the_batch_did_not_make_are_ignored) {
    auto h = batch({"web-1"});
    std::vector<journal_record> records{record("web-1", "i-1", "created"), record("prod-db", "i-db", "created")};
    auto plan = plan_cleanup(h, records, {{"b1", {listed("i-1", "web-1"), listed("i-db", "prod-db")}}});
    BOOST_TEST((ids(plan) == std::vector<std::string>{"i-1"}));
    BOOST_TEST((plan.ignored == std::vector<std::string>{"prod-db"}));
    BOOST_TEST((cleanup_backends(h, records) == std::set<std::string>{"b1"}));
}

BOOST_AUTO_TEST_CASE(another_backend_failed_creates_and_destroyed_machines_are_left_alone) {
    auto h = batch({"web-1", "web-2", "web-3"});
    std::vector<journal_record> records{record("web-1", "i-1", "created", "b2"), record("web-2", "", "create_failed"),
                                        record("web-3", "i-3", "destroyed")};
    BOOST_TEST(cleanup_backends(h, records).empty());
    auto plan = plan_cleanup(h, records, {{"b1", {listed("i-1", "web-1"), listed("i-x", "web-2"), listed("i-3", "web-3")}},
                                          {"b2", {listed("i-1", "web-1")}}});
    BOOST_TEST(plan.destroy.empty());
}

BOOST_AUTO_TEST_CASE(a_machine_tagged_with_the_batch_is_its_own_even_without_an_id) {
    auto h = batch({"web-1"}, {{"i-old", "web-1"}});
    const std::vector<std::pair<std::string, std::string>> tag{{std::string(batch_tag_key), "batch-7"}};
    const std::vector<std::pair<std::string, std::string>> other{{std::string(batch_tag_key), "batch-8"}};
    std::map<std::string, std::vector<machine>> machines{{"b1",
                                                          {listed("i-1", "web-1"), listed("i-late", "web-1", machine_state::running, tag),
                                                           listed("i-old", "web-1", machine_state::running, tag),
                                                           listed("i-gone", "web-1", machine_state::terminated, tag),
                                                           listed("i-8", "web-1", machine_state::running, other),
                                                           listed("i-db", "db", machine_state::running, tag)}}};
    auto plan = plan_cleanup(h, {record("web-1", "i-1", "created")}, machines);
    // Not: there before the batch, terminated, another batch's, a name the batch did not make.
    BOOST_TEST((ids(plan) == std::vector<std::string>{"i-1", "i-late"}));
}
