// Batches described in files, previewed, and found again by their tag, as processes
// against a standalone mistsim (a v1 server): provision --spec (JSON and YAML, with
// per-machine overrides), --dry-run, list-machines --tag and cleanup --batch.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <set>

using namespace mistasync::test::cli_harness;

namespace {

fs::path temp_file(const std::string& name, const std::string& text) {
    auto path = fs::temp_directory_path() / ("mistasync-" + std::to_string(::getpid()) + "-" + name);
    std::ofstream(path) << text;
    return path;
}

// Names and sizes of the machines a listing shows, as "name:size".
std::set<std::string> named_sizes(const json::value& list) {
    std::set<std::string> out;
    for (auto& m : list.as_array())
        out.insert(json::value_to<std::string>(m.at("name")) + ":" + json::value_to<std::string>(m.at("size")));
    return out;
}

std::set<std::string> names_of(const json::value& list) {
    std::set<std::string> out;
    for (auto& m : list.as_array()) out.insert(json::value_to<std::string>(m.at("name")));
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(spec_files_in_json_and_yaml_with_per_machine_overrides) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    auto json_spec = temp_file("batch.json", R"({"backend": "NephoScale", "names": ["js-a", "js-b"], "size": "219",
        "tags": {"team": "ops"}, "concurrency": 2, "probe_deadline": 20,
        "machines": [{"name": "js-b", "size": "221"}, {"name": "js-c", "tags": {"role": "db"}}]})");
    auto run = cli(sim, {"provision", "--spec", json_spec.string(), "--json"});
    BOOST_TEST(run.status == 0, run.err);
    auto report = run.doc();
    BOOST_TEST(report.at("probed") == 3);
    auto listed = cli(sim, {"list-machines", "--tag", "team=ops", "--json"});
    BOOST_TEST(listed.status == 0, listed.err);
    BOOST_TEST((named_sizes(listed.doc()) == std::set<std::string>{"js-a:219", "js-b:221", "js-c:219"}));
    BOOST_TEST((names_of(cli(sim, {"list-machines", "--tag", "role=db", "--json"}).doc()) == std::set<std::string>{"js-c"}));

    // YAML: the same settings; a flag on the command line wins over the file.
    auto yaml_spec = temp_file("batch.yaml", "backend: NephoScale\nname: ym\ncount: 2\nsize: \"219\"\nprobe_deadline: 20\n"
                                             "machines:\n  - name: ym-2\n    size: \"221\"\n");
    run = cli(sim, {"provision", "--spec", yaml_spec.string(), "--count", "3", "--json"});
    BOOST_TEST(run.status == 0, run.err);
    BOOST_TEST(run.doc().at("probed") == 3);
    auto all = cli(sim, {"list-machines", "--json"}).doc();
    std::set<std::string> ym;
    for (auto& entry : named_sizes(all))
        if (entry.starts_with("ym-")) ym.insert(entry);
    BOOST_TEST((ym == std::set<std::string>{"ym-1:219", "ym-2:221", "ym-3:219"}));

    // A typo is refused, not ignored.
    auto typo = temp_file("typo.yaml", "backend: NephoScale\ncuont: 2\n");
    auto refused = cli(sim, {"provision", "--spec", typo.string()});
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(refused.err.find("unknown key \"cuont\"") != std::string::npos, refused.err);
    for (auto& p : {json_spec, yaml_spec, typo}) fs::remove(p);
}

BOOST_AUTO_TEST_CASE(a_dry_run_creates_nothing_and_fails_on_what_cannot_work) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    auto before = cli(sim, {"list-machines", "--json"}).doc().as_array().size();
    auto good = cli(sim, {"provision", "--backend", "NephoScale", "--name", "dry", "--count", "40", "--concurrency", "8", "--dry-run", "--json"});
    BOOST_TEST(good.status == 0, good.err);
    auto plan = good.doc();
    BOOST_TEST(plan.at("ok") == true);
    BOOST_TEST(plan.at("machines").as_array().size() == 40u);
    BOOST_TEST(plan.at("concurrency") == 8);
    auto bad = cli(sim, {"provision", "--backend", "NephoScale", "--name", "dry", "--count", "3", "--image", "no-such-image", "--dry-run"});
    BOOST_TEST(bad.status == 1);
    BOOST_TEST(bad.err.find("image no-such-image is not on backend NephoScale") != std::string::npos, bad.err);
    BOOST_TEST(bad.out.find("plan: 3 machine(s) on NephoScale") != std::string::npos, bad.out);
    // Names already taken are a problem too, unless the batch is told to leave them alone.
    BOOST_TEST(cli(sim, {"provision", "--backend", "NephoScale", "--name", "taken", "--count", "1", "--probe-deadline", "20"}).status == 0);
    auto taken = cli(sim, {"provision", "--backend", "NephoScale", "--name", "taken", "--count", "2", "--dry-run"});
    BOOST_TEST(taken.status == 1);
    BOOST_TEST(taken.err.find("taken-1") != std::string::npos, taken.err);
    BOOST_TEST(cli(sim, {"list-machines", "--json"}).doc().as_array().size() == before + 1);  // only the one real run made one
}

BOOST_AUTO_TEST_CASE(cleanup_by_batch_destroys_the_batch_and_nothing_else) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    auto first = cli(sim, {"provision", "--backend", "NephoScale", "--name", "cb", "--count", "3", "--probe-deadline", "20", "--json"});
    BOOST_TEST_REQUIRE(first.status == 0, first.err);
    const std::string batch = json::value_to<std::string>(first.doc().at("batch_id"));
    BOOST_TEST(batch.size() == 12u);
    auto other = cli(sim, {"provision", "--backend", "NephoScale", "--name", "keep", "--count", "1", "--probe-deadline", "20"});
    BOOST_TEST_REQUIRE(other.status == 0, other.err);
    BOOST_TEST(cli(sim, {"list-machines", "--tag", "mistasync.batch=" + batch, "--json"}).doc().as_array().size() == 3u);

    auto cleaned = cli(sim, {"cleanup", "--batch", batch});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(cleaned.out.find("3 destroyed, 0 failed") != std::string::npos, cleaned.out);
    std::set<std::string> live;
    const json::value after = cli(sim, {"list-machines", "--json"}).doc();
    for (auto& m : after.as_array())
        if (m.at("state") != "terminated") live.insert(json::value_to<std::string>(m.at("name")));
    BOOST_TEST(live.contains("keep-1"));
    for (const char* gone : {"cb-1", "cb-2", "cb-3"}) BOOST_TEST(!live.contains(gone), gone);
}

BOOST_AUTO_TEST_CASE(events_say_when_a_name_is_created_again) {
    // Most POSTs (creates, probes) answer 500 without being processed: some creates
    // fail and their names are created again. The seed makes the draws the same each run.
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1", "--fault-method", "POST", "--fault-rate", "0.7", "--faults",
                        "500"});
    auto events = fs::temp_directory_path() / ("mistasync-" + std::to_string(::getpid()) + "-replaced.jsonl");
    fs::remove(events);
    auto run = cli(sim, {"provision", "--backend", "NephoScale", "--name", "re", "--count", "4", "--concurrency", "1",
                         "--max-attempts", "10", "--probe-deadline", "30", "--events", events.string(), "--json"});
    BOOST_TEST(run.status == 0, run.err);
    BOOST_TEST(run.doc().at("probed") == 4);
    BOOST_TEST(run.doc().at("replaced").as_int64() >= 1);
    std::map<std::string, std::vector<std::string>> per_machine;
    std::ifstream in(events);
    for (std::string line; std::getline(in, line);) {
        auto doc = json::parse(line).as_object();
        per_machine[json::value_to<std::string>(doc.at("name"))].push_back(json::value_to<std::string>(doc.at("event")));
        if (doc.at("event") == "replaced") BOOST_TEST(doc.at("attempt").as_int64() >= 1);
    }
    std::size_t replaced = 0;
    for (auto& [name, steps] : per_machine) {
        BOOST_TEST(steps.back() == "probed", name);
        for (std::size_t i = 0; i < steps.size(); ++i)
            if (steps[i] == "replaced") {
                ++replaced;
                BOOST_TEST((i + 1 < steps.size() && steps[i + 1] == "creating"), name << ": a replaced name is created again");
            }
    }
    BOOST_TEST(replaced == static_cast<std::size_t>(run.doc().at("replaced").as_int64()));
    fs::remove(events);
}
