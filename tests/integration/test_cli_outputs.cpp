// What provision writes besides its report, as a process against a standalone mistsim:
// an events stream with one JSON line per change of a machine, and inventories of the
// machines it delivered in the three formats.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <map>
#include <sstream>

using namespace mistasync::test::cli_harness;

namespace {

fs::path temp_file(const std::string& name) {
    auto path = fs::temp_directory_path() / ("mistasync-" + std::to_string(::getpid()) + "-" + name);
    fs::remove(path);
    return path;
}

std::vector<std::string> lines_of(const std::string& text) {
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        if (!line.empty()) out.push_back(line);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(events_have_one_line_per_change) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2", "--script-duration", "0.2", "--failing-script", "ev-2"});
    auto events = temp_file("events.jsonl");
    auto script = temp_file("bootstrap.sh");
    std::ofstream(script) << "#!/bin/sh\ntrue\n";
    auto run = cli(sim, {"provision", "--count", "3", "--name", "ev", "--script", script.string(), "--events", events.string(),
                         "--probe-deadline", "20"});
    BOOST_TEST(run.status == 1);  // ev-2's script fails
    std::map<std::string, std::vector<std::string>> per_machine;
    for (auto& line : lines_of(slurp(events))) {
        auto doc = json::parse(line).as_object();
        BOOST_TEST(doc.at("time").as_double() > 0);
        per_machine[json::value_to<std::string>(doc.at("name"))].push_back(json::value_to<std::string>(doc.at("event")));
        if (doc.at("event") == "failed") {
            BOOST_TEST(doc.at("name") == "ev-2");
            BOOST_TEST(doc.at("exit_code") == 1);
            BOOST_TEST(doc.contains("error"));
        }
    }
    BOOST_TEST_REQUIRE(per_machine.size() == 3u);
    using steps = std::vector<std::string>;
    BOOST_TEST((per_machine["ev-1"] == steps{"creating", "created", "running", "probed", "scripted"}));
    BOOST_TEST((per_machine["ev-2"] == steps{"creating", "created", "running", "probed", "failed"}));
    BOOST_TEST((per_machine["ev-3"] == steps{"creating", "created", "running", "probed", "scripted"}));

    // To stdout with "-": the lines come before the report.
    auto to_stdout = cli(sim, {"provision", "--count", "1", "--name", "out", "--events", "-", "--probe-deadline", "20"});
    BOOST_TEST(to_stdout.status == 0, to_stdout.err);
    BOOST_TEST(to_stdout.out.starts_with("{\"time\":"));
    fs::remove(events);
    fs::remove(script);
}

BOOST_AUTO_TEST_CASE(inventories_list_the_delivered_machines) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2"});
    auto as_json = temp_file("inventory.json");
    auto as_csv = temp_file("inventory.csv");
    auto as_ini = temp_file("inventory.ini");
    BOOST_TEST(cli(sim, {"provision", "--count", "3", "--name", "inv", "--inventory", as_json.string(), "--probe-deadline", "20"}).status == 0);
    auto machines = json::parse(slurp(as_json)).as_array();
    BOOST_TEST_REQUIRE(machines.size() == 3u);
    for (auto& m : machines) {
        BOOST_TEST(!m.at("id").as_string().empty());
        BOOST_TEST(!m.at("public_ips").as_array().empty());
    }
    BOOST_TEST(cli(sim, {"provision", "--count", "2", "--name", "csv", "--inventory", as_csv.string(), "--probe-deadline", "20"}).status == 0);
    auto csv = lines_of(slurp(as_csv));
    BOOST_TEST_REQUIRE(csv.size() == 3u);
    BOOST_TEST(csv[0] == "name,id,public_ip,private_ip");
    BOOST_TEST(csv[1].starts_with("csv-1,"));
    BOOST_TEST(cli(sim, {"provision", "--count", "2", "--name", "ini", "--inventory", as_ini.string(), "--probe-deadline", "20"}).status == 0);
    auto ini = lines_of(slurp(as_ini));
    BOOST_TEST_REQUIRE(ini.size() == 3u);
    BOOST_TEST(ini[0] == "[mistasync]");
    BOOST_TEST(ini[1].starts_with("ini-1 ansible_host="));
    // An unknown format is a usage error, before anything is created.
    BOOST_TEST(cli(sim, {"provision", "--count", "1", "--name", "x", "--inventory", "hosts.yaml"}).status == 2);
    for (auto& p : {as_json, as_csv, as_ini}) fs::remove(p);
}
