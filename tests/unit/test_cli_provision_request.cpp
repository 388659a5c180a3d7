// What `mistasync provision` asks for, read from its command line and spec file without a
// server: the batch's names, fields and options, and the mistakes refused before any request.
#include <boost/test/unit_test.hpp>

#include "cli.hpp"
#include "provision_request.hpp"

#include <initializer_list>
#include <string>
#include <vector>

using namespace mistcli;

namespace {

arguments command_line(std::initializer_list<const char*> words) {
    std::vector<std::string> kept{"provision"};
    kept.insert(kept.end(), words.begin(), words.end());
    std::vector<char*> argv;
    for (auto& w : kept) argv.push_back(w.data());
    return parse_arguments(static_cast<int>(argv.size()), argv.data());
}

provision_request read(std::initializer_list<const char*> words, const char* spec_json = nullptr) {
    const arguments args = command_line(words);
    if (!spec_json) return read_provision_request(args, nullptr);
    const batch_spec_file file = parse_batch_spec(spec_json, false, "batch.json");
    return read_provision_request(args, &file, "batch.json");
}

std::vector<std::string> names_of(const provision_request& r) {
    std::vector<std::string> out;
    for (auto& s : r.specs) out.push_back(s.name);
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(count_and_name_make_numbered_names_with_the_batchs_fields) {
    provision_request r = read({"--count", "3", "--name", "web", "--backend", "EC2", "--image", "ubuntu", "--size", "m1",
                                "--concurrency", "7", "--tag", "team=blue", "--key", "deploy"});
    BOOST_TEST((names_of(r) == std::vector<std::string>{"web-1", "web-2", "web-3"}));
    BOOST_TEST(r.specs[2].image == "ubuntu");
    BOOST_TEST(r.specs[2].size == "m1");
    BOOST_TEST(r.specs[0].location.empty());  // the server's default, found later
    BOOST_TEST(r.specs[0].key.empty());       // the key is looked up by name later
    BOOST_TEST(r.backend == "EC2");
    BOOST_TEST(r.key == "deploy");
    BOOST_TEST(r.options.concurrency == 7u);
    BOOST_TEST((r.specs[1].tags == std::vector<std::pair<std::string, std::string>>{{"team", "blue"}}));
    BOOST_TEST(!r.dry_run);
}

BOOST_AUTO_TEST_CASE(the_defaults_a_user_gets) {
    provision_request r = read({"--count", "2"});
    BOOST_TEST((names_of(r) == std::vector<std::string>{"node-1", "node-2"}));
    BOOST_TEST(r.backend.empty());
    BOOST_TEST(r.options.concurrency == 50u);
    BOOST_TEST(r.options.max_attempts == 3u);
    BOOST_TEST(r.options.max_failures == 0u);
    BOOST_TEST(r.options.reconcile_window.count() == 60'000);
    BOOST_TEST(r.options.probe_policy.deadline.count() == 600'000);
    BOOST_TEST(r.options.wait_probed);
    BOOST_TEST(r.options.tag_batch);
    BOOST_TEST(r.options.script_failure_fails);
    BOOST_TEST(!r.options.rollback);
    BOOST_TEST(r.options.journal_path.empty());
    BOOST_TEST(!r.has_scripts());
}

BOOST_AUTO_TEST_CASE(switches_and_limits) {
    provision_request r = read({"--count", "20", "--no-probe", "--rollback", "--dry-run", "--journal", "batch.jsonl",
                                "--max-failures", "10%", "--max-attempts", "5", "--no-batch-tag", "--keep-failed-scripts",
                                "--reconcile-window", "1.5", "--probe-deadline", "30", "--batch-id", "nightly"});
    BOOST_TEST(!r.options.wait_probed);
    BOOST_TEST(r.options.rollback);
    BOOST_TEST(r.dry_run);
    BOOST_TEST(r.options.journal_path == "batch.jsonl");
    BOOST_TEST(r.options.max_failure_share == 0.10);
    BOOST_TEST(r.options.max_failures == 0u);
    BOOST_TEST(r.options.max_attempts == 5u);
    BOOST_TEST(!r.options.tag_batch);
    BOOST_TEST(!r.options.script_failure_fails);
    BOOST_TEST(r.options.reconcile_window.count() == 1'500);
    BOOST_TEST(r.options.probe_policy.deadline.count() == 30'000);
    BOOST_TEST(r.options.script_policy.deadline.count() == 30'000);
    BOOST_TEST(r.options.batch_id == "nightly");
    BOOST_TEST(read({"--count", "2", "--max-failures", "4"}).options.max_failures == 4u);
}

BOOST_AUTO_TEST_CASE(mistakes_are_refused_before_any_request) {
    BOOST_CHECK_THROW(read({"--name", "web"}), usage_failure);                       // no size
    BOOST_CHECK_THROW(read({"--count", "0"}), usage_failure);
    BOOST_CHECK_THROW(read({"--count", "2", "--max-failures", "0%"}), usage_failure);
    BOOST_CHECK_THROW(read({"--count", "2", "--max-failures", "101%"}), usage_failure);
    BOOST_CHECK_THROW(read({"--count", "2", "--tag", "novalue"}), usage_failure);
    BOOST_CHECK_THROW(read({"--count", "2", "--concurrency", "1e3"}), usage_failure);
    BOOST_CHECK_THROW(read({"--count", "2", "--reconcile-window", "nan"}), usage_failure);
}

BOOST_AUTO_TEST_CASE(a_spec_file_names_the_machines_and_the_command_line_wins_over_its_settings) {
    provision_request r = read({"--image", "img-cli"}, R"({"names": ["db-a", "db-b"], "image": "img-file", "size": "s-file",
                                                         "tags": {"env": "lab"}})");
    BOOST_TEST((names_of(r) == std::vector<std::string>{"db-a", "db-b"}));
    BOOST_TEST(r.specs[0].image == "img-cli");
    BOOST_TEST(r.specs[0].size == "s-file");
    BOOST_TEST((r.specs[1].tags == std::vector<std::pair<std::string, std::string>>{{"env", "lab"}}));
    // Names in the file and --count or --name on the command line: which would hold?
    BOOST_CHECK_THROW(read({"--count", "3"}, R"({"names": ["a"]})"), usage_failure);
}

BOOST_AUTO_TEST_CASE(per_machine_overrides_and_added_machines) {
    provision_request r = read({}, R"({"count": 2, "name": "app", "size": "small",
                                       "machines": [{"name": "app-2", "size": "large"}, {"name": "extra"}]})");
    BOOST_TEST((names_of(r) == std::vector<std::string>{"app-1", "app-2", "extra"}));
    BOOST_TEST(r.specs[0].size == "small");
    BOOST_TEST(r.specs[1].size == "large");
    BOOST_TEST(r.specs[2].size == "small");
    BOOST_CHECK_THROW(read({}, R"({"names": ["a", "a"]})"), usage_failure);
}

BOOST_AUTO_TEST_CASE(an_inline_script_and_a_stored_one_are_refused_together) {
    BOOST_CHECK_THROW(read({"--count", "1", "--script-id", "s-1"}, R"({"script": "#!/bin/sh\ntrue\n"})"), usage_failure);
    provision_request r = read({"--count", "1"}, R"({"script": "#!/bin/sh\ntrue\n"})");
    BOOST_TEST(r.base.script == "#!/bin/sh\ntrue\n");
    BOOST_TEST(r.has_scripts());
}
