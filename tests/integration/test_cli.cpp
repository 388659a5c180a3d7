// The mistasync command line, run as a process against a standalone mistsim: verbs,
// --json, names or ids, exit codes, credentials from ~/.mist, Ctrl-C, and the bulk
// provision of 2000 machines at concurrency 2000.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <set>

using namespace mistasync::test::cli_harness;

BOOST_AUTO_TEST_CASE(verbs_tables_and_json) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2"});
    auto backends = cli(sim, {"list-backends"});
    BOOST_TEST(backends.status == 0);
    BOOST_TEST(backends.out.find("NephoScale") != std::string::npos);
    BOOST_TEST(backends.out.find("PROVIDER") != std::string::npos);

    auto as_json = cli(sim, {"list-backends", "--json"}).doc().as_array();
    BOOST_TEST(as_json.size() == 3u);
    std::string nephoscale_id;
    for (auto& b : as_json)
        if (b.at("title") == "NephoScale") nephoscale_id = json::value_to<std::string>(b.at("id"));
    BOOST_TEST(!nephoscale_id.empty());

    // By name and by id alike.
    auto images = cli(sim, {"list-images", "--backend", "NephoScale", "--json"}).doc().as_array();
    BOOST_TEST(!images.empty());
    auto same = cli(sim, {"list-images", "--backend", nephoscale_id, "--json"}).doc().as_array();
    BOOST_TEST(images.size() == same.size());
    auto searched = cli(sim, {"list-images", "--backend", "NephoScale", "--search", "ubuntu", "--json"}).doc().as_array();
    BOOST_TEST(searched.size() < images.size());
    BOOST_TEST(!cli(sim, {"list-sizes", "--backend", "NephoScale", "--json"}).doc().as_array().empty());
    BOOST_TEST(!cli(sim, {"list-locations", "--backend", "NephoScale", "--json"}).doc().as_array().empty());
    BOOST_TEST(!cli(sim, {"list-keys", "--json"}).doc().as_array().empty());

    std::string image = json::value_to<std::string>(images.at(0).at("id"));
    std::string size = json::value_to<std::string>(cli(sim, {"list-sizes", "--backend", "NephoScale", "--json"}).doc().at(0).at("id"));
    auto created = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "cli-box", "--image", image, "--size", size, "--json"});
    BOOST_TEST(created.status == 0);
    std::string id = json::value_to<std::string>(created.doc().at("id"));

    auto probed = cli(sim, {"probe", "cli-box", "--wait", "--deadline", "20", "--json"});
    BOOST_TEST(probed.status == 0);
    BOOST_TEST(probed.doc().at("reachable").as_bool());

    BOOST_TEST(cli(sim, {"tag", "cli-box", "--tag", "team=infra"}).status == 0);
    auto add_key = cli(sim, {"add-key", "--name", "second", "--json"});
    BOOST_TEST(add_key.status == 0);
    BOOST_TEST(cli(sim, {"associate-key", "cli-box", "--key", "second"}).status == 0);
    BOOST_TEST(cli(sim, {"reboot", id}).status == 0);

    auto machines = cli(sim, {"list-machines", "--backend", "NephoScale", "--json"}).doc().as_array();
    std::size_t named = 0;
    for (auto& m : machines) named += m.at("name") == "cli-box";
    BOOST_TEST(named == 1u);

    BOOST_TEST(cli(sim, {"destroy", "cli-box"}).status == 0);
}

BOOST_AUTO_TEST_CASE(exit_codes) {
    standalone_sim sim;
    auto unknown = cli(sim, {"probe", "no-such-machine"});
    BOOST_TEST(unknown.status == 1);
    BOOST_TEST(unknown.err.find("no-such-machine") != std::string::npos);

    auto api_error = cli(sim, {"job", "0123456789abcdef0123456789abcdef"});
    BOOST_TEST(api_error.status == 1);
    BOOST_TEST(api_error.err.find("404") != std::string::npos);  // the status and the server's text
    BOOST_TEST(api_error.err.find(sim.token) == std::string::npos);

    auto bad_token = cli(sim, {"--token", "0000", "list-backends"});
    BOOST_TEST(bad_token.status == 1);
    BOOST_TEST(bad_token.err.find("401") != std::string::npos);

    BOOST_TEST(cli(sim, {"frobnicate"}).status == 2);
    BOOST_TEST(cli(sim, {"list-images"}).status == 2);  // --backend missing
    BOOST_TEST(cli(sim, {"list-backends", "--no-such-flag"}).status == 2);
    BOOST_TEST(cli(sim, {"provision", "--count", "many"}).status == 2);

    process version({binary("MISTASYNC_CLI_BINARY"), "--version"});
    auto v = version.wait();
    BOOST_TEST(v.status == 0);
    BOOST_TEST(v.out.starts_with("mistasync "));
}

BOOST_AUTO_TEST_CASE(credentials_from_the_mist_file) {
    standalone_sim sim({"--email", "me@example.com", "--password", "pw"});
    auto home = fs::temp_directory_path() / ("mistasync-home-" + std::to_string(::getpid()));
    fs::create_directories(home);
    // The credentials go to the server named beside them (mist_uri), never to another one.
    std::ofstream(home / ".mist") << "[mist.io]\nmist_uri = " << sim.url << "\n[mist.credentials]\nemail = me@example.com\npassword = pw\n";
    process p({binary("MISTASYNC_CLI_BINARY"), "list-backends", "--json"}, {{"HOME", home.string()}});
    auto o = p.wait();
    BOOST_TEST(o.status == 0);
    BOOST_TEST(o.doc().as_array().size() == 3u);
    // From the environment too.
    process q({binary("MISTASYNC_CLI_BINARY"), "list-keys", "--json"},
              {{"HOME", home.string()}, {"MIST_URL", sim.url}, {"MIST_EMAIL", "me@example.com"}, {"MIST_PASSWORD", "wrong"}});
    auto bad = q.wait();
    BOOST_TEST(bad.status == 1);
    BOOST_TEST(bad.err.find("wrong") == std::string::npos);  // no password in messages
    fs::remove_all(home);
}

BOOST_AUTO_TEST_CASE(provision_2000_at_concurrency_2000) {
    standalone_sim sim({"--boot-delay", "2", "--ssh-delay", "2"});
    auto start = std::chrono::steady_clock::now();
    auto o = cli(sim, {"provision", "--count", "2000", "--concurrency", "2000", "--name", "bulk", "--json"});
    auto elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(o.status == 0, o.err.substr(0, 2000));
    auto doc = o.doc();
    BOOST_TEST(doc.at("requested").as_int64() == 2000);
    BOOST_TEST(doc.at("created").as_int64() == 2000);
    BOOST_TEST(doc.at("probed").as_int64() == 2000);
    BOOST_TEST(doc.at("failed").as_int64() == 0);
    BOOST_TEST(doc.at("machines").as_array().size() == 2000u);
    auto& first = doc.at("machines").at(0);
    BOOST_TEST(first.at("state") == "probed");
    BOOST_TEST(first.at("error").is_null());
    BOOST_TEST(first.at("may_exist").as_bool());
    BOOST_TEST(first.at("probe").at("reachable").as_bool());
    BOOST_TEST_MESSAGE("2000 machines provisioned and probed in " << elapsed << " s");

    // The simulator holds exactly one machine per requested name.
    auto machines = cli(sim, {"list-machines", "--json"}).doc().as_array();
    std::map<std::string, int> per_name;
    for (auto& m : machines) {
        std::string name = json::value_to<std::string>(m.at("name"));
        if (name.starts_with("bulk-")) ++per_name[name];
    }
    BOOST_TEST(per_name.size() == 2000u);
    for (auto& [name, n] : per_name) BOOST_TEST(n == 1, name);
}

BOOST_AUTO_TEST_CASE(ctrl_c_stops_provision_and_reports_what_exists) {
    standalone_sim sim({"--boot-delay", "30", "--ssh-delay", "30"});
    auto journal = fs::temp_directory_path() / ("mistasync-cli-journal-" + std::to_string(::getpid()) + ".jsonl");
    fs::remove(journal);
    process p({binary("MISTASYNC_CLI_BINARY"), "--url", sim.url, "--token", sim.token, "provision", "--count", "50",
               "--concurrency", "10", "--name", "stopme", "--journal", journal.string(), "--json"});
    std::this_thread::sleep_for(1500ms);
    auto sent = std::chrono::steady_clock::now();
    p.signal(SIGINT);
    auto o = p.wait(30s);
    BOOST_TEST((std::chrono::steady_clock::now() - sent < 10s));  // not the 30 s boot
    BOOST_TEST(o.status == 130);
    auto doc = o.doc();
    BOOST_TEST(doc.at("cancelled").as_bool());
    BOOST_TEST(doc.at("created").as_int64() > 0);

    // Every machine the report says exists is in the simulator, and no other.
    std::set<std::string> reported;
    for (auto& m : doc.at("machines").as_array())
        if (!m.at("id").is_null()) reported.insert(json::value_to<std::string>(m.at("name")));
    std::set<std::string> held;
    auto listed = cli(sim, {"list-machines", "--json"}).doc();
    for (auto& m : listed.as_array()) {
        std::string name = json::value_to<std::string>(m.at("name"));
        if (name.starts_with("stopme-")) held.insert(name);
    }
    BOOST_TEST(reported == held);

    // cleanup destroys what the journal lists.
    auto cleaned = cli(sim, {"cleanup", "--journal", journal.string(), "--json"});
    BOOST_TEST(cleaned.status == 0);
    BOOST_TEST(cleaned.doc().at("destroyed").as_int64() == static_cast<std::int64_t>(held.size()));
    std::size_t left = 0;
    auto after = cli(sim, {"list-machines", "--json"}).doc();
    for (auto& m : after.as_array())
        left += json::value_to<std::string>(m.at("name")).starts_with("stopme-") && m.at("state") != "terminated";
    BOOST_TEST(left == 0u);
    fs::remove(journal);
}
