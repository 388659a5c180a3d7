// The command line on /api/v2, as a process against a standalone mistsim: asked for with
// --api v2 on a server that serves v1 too (--no-legacy, as Mist CE), found alone on a
// --v2-only server; a batch
// provisioned, previewed with the server's own plan, found by its tag and cleaned up.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <set>

using namespace mistasync::test::cli_harness;

BOOST_AUTO_TEST_CASE(a_batch_on_v2_from_plan_to_cleanup) {
    // A server as Mist CE serves: /api/v1 and /api/v2, no 2015 routes (v1's probe is used).
    standalone_sim sim({"--no-legacy", "--boot-delay", "0.1", "--ssh-delay", "0.1", "--poll-interval", "0.1"});
    // The preview asks the server for its plan of the first machine.
    auto plan = cli(sim, {"--api", "v2", "provision", "--backend", "NephoScale", "--name", "vb", "--count", "3", "--dry-run", "--json"});
    BOOST_TEST(plan.status == 0, plan.err);
    BOOST_TEST(plan.doc().at("server_plan").at("machine_name") == "vb-1");
    BOOST_TEST(plan.doc().at("server_plan").at("cloud").at("name") == "NephoScale");
    BOOST_TEST(cli(sim, {"list-machines", "--json"}).doc().as_array().size() == 2u);  // nothing made

    auto run = cli(sim, {"--api", "v2", "provision", "--backend", "NephoScale", "--name", "vb", "--count", "3", "--probe-deadline", "20", "--json"});
    BOOST_TEST_REQUIRE(run.status == 0, run.err);
    BOOST_TEST(run.doc().at("probed") == 3);
    const std::string batch = json::value_to<std::string>(run.doc().at("batch_id"));
    // Tagged on v2 as on v1: found by the tag in either era.
    BOOST_TEST(cli(sim, {"--api", "v2", "list-machines", "--tag", "mistasync.batch=" + batch, "--json"}).doc().as_array().size() == 3u);
    BOOST_TEST(cli(sim, {"--api", "v1", "list-machines", "--tag", "mistasync.batch=" + batch, "--json"}).doc().as_array().size() == 3u);
    auto cleaned = cli(sim, {"--api", "v2", "cleanup", "--batch", batch});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(cleaned.out.find("3 destroyed, 0 failed") != std::string::npos, cleaned.out);
}

BOOST_AUTO_TEST_CASE(a_server_that_serves_v2_alone_is_found_and_used) {
    standalone_sim sim({"--v2-only", "--boot-delay", "0.1", "--ssh-delay", "0.1", "--poll-interval", "0.1"});
    auto run = cli(sim, {"provision", "--backend", "NephoScale", "--name", "alone", "--count", "2", "--probe-deadline", "20", "--json"});
    BOOST_TEST_REQUIRE(run.status == 0, run.err);
    BOOST_TEST(run.doc().at("probed") == 2);  // probed through the machines' probe field: no v1 here
    std::set<std::string> names;
    const json::value listed = cli(sim, {"list-machines", "--json"}).doc();  // kept: a range-for does not keep a temporary's parts
    for (auto& m : listed.as_array()) names.insert(json::value_to<std::string>(m.at("name")));
    BOOST_TEST(names.contains("alone-1"));
    BOOST_TEST(names.contains("alone-2"));
    // A verb v2 has no route for, and no v1 beside it: said so.
    auto who = cli(sim, {"whoami"});
    BOOST_TEST(who.status != 0);
    BOOST_TEST(who.err.find("/api/v1") != std::string::npos, who.err);
}
