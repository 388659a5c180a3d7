// The command line's scripts and create fields, as a process against a standalone
// mistsim: add/list/run/remove scripts (a failed script's exit code is ours), a create
// with provider fields and a post-deploy script waited for, and provision's script stage.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

using namespace mistasync::test::cli_harness;

namespace {

fs::path script_file(const std::string& text) {
    auto path = fs::temp_directory_path() / ("mistasync-script-" + std::to_string(::getpid()) + ".sh");
    std::ofstream(path) << text;
    return path;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scripts_are_added_run_and_removed) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2", "--script-duration", "0.3", "--failing-script", "cli-bad",
                        "--script-exit-code", "7"});
    auto file = script_file("#!/bin/sh\necho configured\n");
    auto added = cli(sim, {"add-script", "--name", "configure", "--file", file.string(), "--description", "sets it up", "--json"});
    BOOST_TEST_REQUIRE(added.status == 0, added.err);
    std::string id = json::value_to<std::string>(added.doc().at("id"));
    auto listed = cli(sim, {"list-scripts", "--json"}).doc().as_array();
    BOOST_TEST_REQUIRE(listed.size() == 1u);
    BOOST_TEST(listed.at(0).at("source") == "#!/bin/sh\necho configured\n");
    BOOST_TEST(cli(sim, {"list-scripts"}).out.find("configure") != std::string::npos);

    for (const char* name : {"cli-good", "cli-bad"}) {
        auto made = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", name, "--image", "51", "--size", "221", "--wait",
                              "--deadline", "20", "--json"});
        BOOST_TEST_REQUIRE(made.status == 0, made.err);
    }
    auto good = cli(sim, {"run-script", "cli-good", "--script-id", "configure", "--params", "-v", "--wait", "--deadline", "20", "--json"});
    BOOST_TEST(good.status == 0, good.err);
    BOOST_TEST(good.doc().at("exit_code") == 0);
    BOOST_TEST(good.doc().at("output_tail").as_string().find("echo configured") != std::string::npos);
    auto bad = cli(sim, {"run-script", "cli-bad", "--script-id", id, "--wait", "--deadline", "20"});
    BOOST_TEST(bad.status == 7);  // the script's own exit code
    BOOST_TEST(bad.out.find("exited with code 7") != std::string::npos, bad.out);
    auto started = cli(sim, {"run-script", "cli-good", "--script-id", id});  // without --wait: the job id
    BOOST_TEST(started.status == 0);
    BOOST_TEST(started.out.size() == 33u);  // 32 hex and a newline

    BOOST_TEST(cli(sim, {"add-script", "--name", "x"}).status == 2);  // no source
    BOOST_TEST(cli(sim, {"remove-script", "configure"}).status == 0);
    BOOST_TEST(cli(sim, {"list-scripts", "--json"}).doc().as_array().empty());
    BOOST_TEST(cli(sim, {"remove-script", "configure"}).status == 1);
    fs::remove(file);
}

BOOST_AUTO_TEST_CASE(a_create_with_provider_fields_waits_for_its_post_deploy_script) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2", "--script-duration", "0.3"});
    auto file = script_file("#!/bin/sh\nsystemctl start web\n");
    auto made = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "web-1", "--image", "51", "--size", "221",
                          "--disk", "20", "--network", "87663", "--extra", R"({"security_group": "web"})", "--script", file.string(),
                          "--wait", "--deadline", "20", "--json"});
    BOOST_TEST_REQUIRE(made.status == 0, made.err);
    BOOST_TEST(made.doc().at("probe").at("reachable").as_bool());
    BOOST_TEST(made.doc().at("script").at("exit_code") == 0);
    BOOST_TEST(made.doc().at("script").at("output_tail").as_string().find("systemctl start web") != std::string::npos);

    // A clash between --extra and a flag is the SDK's refusal, before anything is sent.
    auto clash = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "web-2", "--image", "51", "--size", "221",
                           "--docker-command", "run", "--extra", R"({"docker_command": "x"})"});
    BOOST_TEST(clash.status == 1);
    BOOST_TEST(clash.err.find("docker_command") != std::string::npos, clash.err);
    BOOST_TEST(cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "w", "--image", "51", "--size", "221", "--script-id",
                         "a", "--script", file.string()}).status == 2);
    fs::remove(file);
}

BOOST_AUTO_TEST_CASE(provision_reports_each_machines_script) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2", "--script-duration", "0.3", "--failing-script", "batch-3",
                        "--script-exit-code", "5"});
    auto file = script_file("#!/bin/sh\n./install\n");
    auto run = cli(sim, {"provision", "--count", "6", "--name", "batch", "--script", file.string(), "--probe-deadline", "20", "--json"});
    BOOST_TEST(run.status == 1);  // one machine failed: its script
    auto doc = run.doc();
    BOOST_TEST(doc.at("scripted") == 5);
    BOOST_TEST(doc.at("failed") == 1);
    for (auto& m : doc.at("machines").as_array()) {
        BOOST_TEST_CONTEXT(m.at("name")) {
            BOOST_TEST(m.at("script").at("exit_code") == (m.at("name") == "batch-3" ? 5 : 0));
        }
    }
    BOOST_TEST(run.err.find("scripted") != std::string::npos);  // the progress line shows the stage

    auto kept = cli(sim, {"provision", "--count", "3", "--name", "batch", "--allow-existing-names", "--script", file.string(),
                          "--keep-failed-scripts", "--probe-deadline", "20", "--json"});
    BOOST_TEST(kept.status == 0, kept.err);  // batch-3 fails its script again, reported only
    BOOST_TEST(kept.doc().at("failed") == 0);
    fs::remove(file);
}
