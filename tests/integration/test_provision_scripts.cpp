// Bulk provisioning's script stage: the server's post-deploy script followed per machine,
// a stored script run by the batch on each machine, failures that fail their machine
// only (or none, by option), cancellation in the stage, and a resumed batch that never
// runs a script twice.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"

#include <atomic>
#include <fstream>
#include <set>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

constexpr api_era eras[] = {api_era::legacy, api_era::v1};

testing::simulator_options with_scripts(std::chrono::milliseconds duration, std::vector<std::string> failing = {}) {
    auto so = fast_options();
    so.script_duration = duration;
    so.failing_scripts = std::move(failing);
    so.script_failure_exit_code = 42;
    return so;
}

// Runs the batch; cancels it once `probed` machines answered SSH (never, by default).
std::pair<error_code, provision_report> run(client_env& env, const batch_setup& s, provision_options options,
                                            std::size_t cancel_after_probed = 0) {
    if (!cancel_after_probed) return run_provision(env, s, std::move(options));
    return run_provision(env, s, std::move(options), [cancel_after_probed](const provision_counts& c) { return c.probed >= cancel_after_probed; });
}

}  // namespace

// 200 machines whose create carries a post-deploy script; 10 of the scripts (5 %) fail:
// exactly those machines fail, each with its exit code and output; the others succeed.
BOOST_AUTO_TEST_CASE(two_hundred_post_deploy_scripts_of_which_ten_fail) {
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            const std::string prefix = std::string("deploy-") + era_name(era);
            std::set<std::string> failing;
            for (int i = 20; i <= 200; i += 20) failing.insert(prefix + "-" + std::to_string(i));
            client_env env(with_scripts(300ms, {failing.begin(), failing.end()}));
            auto mist = env.make(era);
            auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, prefix, 200); });
            for (auto& spec : s.specs) spec.script = "#!/bin/sh\n/opt/app/install.sh";
            auto [ec, report] = run(env, s, fast_batch(50));
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST(report.counts.failed == 10u);
            BOOST_TEST(report.counts.scripted == 190u);
            BOOST_TEST(report.counts.finished == 190u);
            BOOST_TEST(report.counts.in_progress() == 0u);
            for (auto& m : report.machines) {
                BOOST_TEST_CONTEXT(m.name) {
                    BOOST_TEST_REQUIRE(m.script.has_value());
                    BOOST_TEST(m.script->finished);
                    BOOST_TEST(m.script->output_tail.find("/opt/app/install.sh") != std::string::npos);
                    if (failing.count(m.name)) {
                        BOOST_TEST((m.stage == provision_stage::failed));
                        BOOST_TEST(m.error == errc::script_failed);
                        BOOST_TEST(m.script->exit_code == 42);
                        BOOST_TEST(m.exists());  // the machine stays; only its script failed
                    } else {
                        BOOST_TEST((m.stage == provision_stage::scripted));
                        BOOST_TEST(m.script->succeeded());
                    }
                }
            }
        }
    }
}

// A stored script run by the batch on each machine; with script_failure_fails off, a
// failed script is reported and the machine still counts as done.
BOOST_AUTO_TEST_CASE(a_stored_script_runs_on_every_machine) {
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            const std::string prefix = std::string("stored-") + era_name(era);
            client_env env(with_scripts(200ms, {prefix + "-3"}));
            auto mist = env.make(era);
            auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, prefix, 12); });
            script stored = env.run([&]() -> asio::awaitable<script> {
                co_return co_await mist.add_script({.name = "bootstrap", .script = "#!/bin/sh\necho bootstrap"});
            });
            auto options = fast_batch(6);
            options.run_script_id = stored.id;
            options.run_script_options.params = "--role web";
            options.script_failure_fails = false;
            options.journal_path = temp_journal(prefix);
            auto [ec, report] = run(env, s, options);
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST(report.counts.failed == 0u);
            BOOST_TEST(report.counts.scripted == 12u);
            BOOST_TEST(report.counts.finished == 12u);
            for (auto& m : report.machines) {
                BOOST_TEST_CONTEXT(m.name) {
                    BOOST_TEST_REQUIRE(m.script.has_value());
                    BOOST_TEST(m.script->succeeded() == (m.name != prefix + "-3"));
                    BOOST_TEST(m.script->output_tail.find("echo bootstrap") != std::string::npos);
                }
            }
            // Journaled: each machine's run was sent once, and how it ended.
            BOOST_TEST(count_lines(options.journal_path, "\"script_sending\"") == 12u);
            BOOST_TEST(count_lines(options.journal_path, "\"scripted\"") == 12u);
            std::filesystem::remove(options.journal_path);
        }
    }
}

// Cancelled while scripts run: the batch stops at once (it does not wait out the
// scripts' 20 s), machines stay where they got to, and a resumed batch follows the runs
// already started instead of running the script again. The server's clock then jumps
// past the scripts' end, so the resumed batch need not wait 20 s either.
BOOST_AUTO_TEST_CASE(cancelled_in_the_script_stage_and_resumed_without_running_twice) {
    auto jump = std::make_shared<std::atomic<std::int64_t>>(0);  // ns added to the server's clock
    auto so = with_scripts(20s);
    so.clock = [jump] { return std::chrono::steady_clock::now() + std::chrono::nanoseconds(jump->load()); };
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "resume", 8); });
    script stored = env.run([&]() -> asio::awaitable<script> { co_return co_await mist.add_script({.name = "slow", .script = "#!/bin/sh\nsleep 20"}); });
    auto options = fast_batch(8);
    options.run_script_id = stored.id;
    options.journal_path = temp_journal("script-resume");

    auto [ec, first] = run(env, s, options, 8);
    BOOST_TEST(ec == asio::error::operation_aborted);
    BOOST_TEST(first.cancelled);
    BOOST_TEST(first.elapsed < so.script_duration);  // it did not wait for the scripts
    BOOST_TEST(first.counts.scripted == 0u);
    BOOST_TEST(first.counts.failed == 0u);
    BOOST_TEST(count_lines(options.journal_path, "\"script_sending\"") >= 1u);

    jump->store(std::chrono::nanoseconds(21s).count());
    auto [ec2, second] = run(env, s, options);
    BOOST_TEST(!ec2, ec2.message());
    BOOST_TEST(second.counts.scripted + second.counts.failed == 8u);
    // Every machine's run was sent at most once over both batches.
    for (auto& spec : s.specs) {
        BOOST_TEST_CONTEXT(spec.name) {
            std::ifstream in(options.journal_path);
            std::size_t n = 0;
            for (std::string line; std::getline(in, line);)
                n += line.find("\"script_sending\"") != std::string::npos && line.find("\"" + spec.name + "\"") != std::string::npos;
            BOOST_TEST(n == 1u);
        }
    }
    std::filesystem::remove(options.journal_path);
}
