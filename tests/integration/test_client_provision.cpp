// Bulk provisioning against the simulator: every machine accounted for — happy path in
// both eras, a batch cancelled half way (its journal lists exactly what the simulator
// holds), rollback, reconciliation of creates whose connection dropped, resuming from a
// journal.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"
#include "client_env.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Runs the batch to its end, cancelling it once `created` machines exist.
std::pair<error_code, provision_report> run_cancelled_after(client_env& env, const batch_setup& s, provision_options options,
                                                            std::size_t created) {
    return run_provision(env, s, std::move(options), [created](const provision_counts& c) { return c.created >= created; });
}

}  // namespace

BOOST_AUTO_TEST_CASE(provisions_and_probes_every_machine) {
    for (api_era era : {api_era::legacy, api_era::v1, api_era::v2}) {
        BOOST_TEST_CONTEXT("era " << era_name(era)) {
            auto sim = fast_options();
            sim.poll_interval = std::chrono::milliseconds(100);
            client_env env(sim);
            auto mist = env.make(era);
            auto journal = temp_journal(std::string("happy-") + era_name(era));
            auto options = fast_batch(8);
            options.journal_path = journal;
            std::size_t changes = 0;
            options.on_change = [&](const provisioned_machine&, const provision_counts& c) {
                ++changes;
                BOOST_TEST(c.requested == 30u);
            };
            auto report = env.run([&]() -> asio::awaitable<provision_report> {
                auto s = co_await prepare(mist, "fleet", 30);
                co_return co_await provision(s.b, s.specs, options);
            });
            BOOST_TEST(report.counts.probed == 30u);
            BOOST_TEST(report.counts.failed == 0u);
            BOOST_TEST(!report.cancelled);
            BOOST_TEST(changes >= 90u);  // created, running, probed for each
            for (auto& m : report.machines) {
                BOOST_TEST(m.stage == provision_stage::probed);
                BOOST_TEST(!m.id.empty());
                BOOST_TEST(m.probe.has_value());
                BOOST_TEST(m.probe->reachable);
                BOOST_TEST(named(env, m.name) == 1u);
            }
            auto records = read_journal(journal);
            BOOST_TEST(records.size() == 30u);
            for (auto& r : records) {
                BOOST_TEST(r.last_event == "probed");
                BOOST_TEST(!r.id.empty());
            }
            BOOST_TEST(count_lines(journal, "\"event\":\"creating\"") == 30u);
            BOOST_TEST(count_lines(journal, "\"event\":\"created\"") == 30u);
            std::filesystem::remove(journal);
        }
    }
}

BOOST_AUTO_TEST_CASE(duplicate_names_are_refused_before_anything_is_sent) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto [ec] = env.run([&]() -> asio::awaitable<std::tuple<error_code>> {
        auto s = co_await prepare(mist, "twin", 2);
        s.specs[1].name = s.specs[0].name;
        auto [e, r] = co_await provision(s.b, s.specs, fast_batch(2), use_tuple);
        co_return std::tuple<error_code>{e};
    });
    BOOST_TEST(ec == error_code(errc::invalid_argument));
    BOOST_TEST(named(env, "twin-1") == 0u);
}

BOOST_AUTO_TEST_CASE(cancelled_half_way_the_journal_lists_what_exists) {
    auto so = fast_options();
    so.boot_delay = 400ms;
    so.latency = 20ms;
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    auto journal = temp_journal("cancel");
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "halfway", 60); });
    auto options = fast_batch(4);
    options.journal_path = journal;
    auto t0 = std::chrono::steady_clock::now();
    auto [ec, report] = run_cancelled_after(env, s, options, 20);
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < 10s));
    BOOST_TEST(ec == error_code(asio::error::operation_aborted));
    BOOST_TEST(report.cancelled);
    BOOST_TEST(report.counts.created >= 20u);
    BOOST_TEST(report.counts.created < 60u);

    std::map<std::string, bool> journal_may_exist;
    for (auto& r : read_journal(journal)) journal_may_exist[r.name] = r.may_exist();
    for (auto& m : report.machines) {
        auto held = named(env, m.name);
        BOOST_TEST_CONTEXT(m.name << " " << to_string(m.stage) << " " << m.error.message()) {
            BOOST_TEST(held <= 1u);
            // What the report says exists is there; whatever is there, the report and the
            // journal account for (a create cut short may exist without a known id).
            if (m.exists()) BOOST_TEST(held == 1u);
            if (held) BOOST_TEST(m.may_exist());
            BOOST_TEST(journal_may_exist[m.name] == m.may_exist());
            if (m.may_exist() && !m.exists()) BOOST_TEST(m.error == error_code(errc::outcome_unknown));
        }
    }
    std::filesystem::remove(journal);
}

BOOST_AUTO_TEST_CASE(rollback_destroys_what_a_cancelled_batch_created) {
    auto so = fast_options();
    so.boot_delay = 400ms;
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "undo", 30); });
    auto options = fast_batch(5);
    options.rollback = true;
    auto report = run_cancelled_after(env, s, options, 10).second;
    BOOST_TEST(report.rolled_back);
    BOOST_TEST(report.counts.destroyed == report.counts.created);
    for (auto& spec : s.specs) BOOST_TEST(named(env, spec.name) == 0u);
}

BOOST_AUTO_TEST_CASE(rollback_after_failures) {
    auto so = fast_options();
    so.ssh_delay = 60s;  // never answers in time
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    auto report = env.run([&]() -> asio::awaitable<provision_report> {
        auto s = co_await prepare(mist, "unlucky", 6);
        auto options = fast_batch(6);
        options.probe_policy.deadline = 500ms;
        options.rollback = true;
        co_return co_await provision(s.b, s.specs, options);
    });
    BOOST_TEST(report.counts.failed == 6u);
    BOOST_TEST(report.rolled_back);
    BOOST_TEST(report.counts.destroyed == 6u);
    for (auto& m : report.machines) {
        BOOST_TEST(m.error == error_code(errc::timeout));
        BOOST_TEST(named(env, m.name) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(dropped_creates_are_reconciled_never_duplicated) {
    client_env env;
    auto o = env.options(api_era::v1);
    o.retry.max_attempts = 8;
    o.retry.budget_capacity = 10'000;
    auto mist = env.make(o);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "flaky", 40); });
    env.sim.on_sim([](testing::simulator& sim) {
        testing::fault_mix drops{0, 0, 0, 1, 1, 0, 0, 0, 0};  // dropped before or after processing
        sim.set_faults(drops);
        sim.set_fault_rate(0.3);
        return 0;
    });
    auto journal = temp_journal("drops");
    auto options = fast_batch(10);
    options.journal_path = journal;
    auto report = env.run([&]() -> asio::awaitable<provision_report> { co_return co_await provision(s.b, s.specs, options); });
    env.sim.on_sim([](testing::simulator& sim) {
        sim.set_fault_rate(0);
        return 0;
    });
    std::size_t reconciled = 0;
    for (auto& m : report.machines) {
        BOOST_TEST_CONTEXT(m.name) {
            reconciled += m.reconciled;
            BOOST_TEST((m.stage == provision_stage::probed || (m.stage == provision_stage::failed && m.error)));
            // Exactly one machine per name that the report says exists; none otherwise.
            BOOST_TEST(named(env, m.name) == (m.exists() ? 1u : 0u));
            if (m.stage == provision_stage::failed) BOOST_TEST(!m.details.to_string().empty());
        }
    }
    BOOST_TEST(reconciled > 0u);
    BOOST_TEST(report.counts.probed + report.counts.failed == 40u);
    std::filesystem::remove(journal);
}

// A server that processes creates after the client gave up on them (a slow provider):
// every create times out, nothing is sent twice, and the settler finds each machine once
// it appears, then follows it to the end.
BOOST_AUTO_TEST_CASE(creates_processed_after_their_timeout_are_found_not_resent) {
    auto so = fast_options();
    so.create_latency = 800ms;
    client_env env(so);
    auto o = env.options(api_era::v1);
    o.timeouts.request = 200ms;
    auto mist = env.make(o);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "late", 6); });
    auto journal = temp_journal("late");
    auto options = fast_batch(6);
    options.journal_path = journal;
    auto created_before = env.sim.on_sim([](testing::simulator& sim) { return sim.stats().machines_created; });
    auto report = env.run([&]() -> asio::awaitable<provision_report> { co_return co_await provision(s.b, s.specs, options); });
    auto created_after = env.sim.on_sim([](testing::simulator& sim) { return sim.stats().machines_created; });
    BOOST_TEST(created_after - created_before == 6u);  // one create each, never resent
    BOOST_TEST(report.counts.probed == 6u);
    auto records = read_journal(journal);
    for (auto& m : report.machines) {
        BOOST_TEST_CONTEXT(m.name) {
            BOOST_TEST(m.reconciled);
            BOOST_TEST(named(env, m.name) == 1u);
        }
    }
    for (auto& r : records) BOOST_TEST(r.last_event == "probed");
    std::filesystem::remove(journal);
}

// Creates that never reached the server: looked for during the reconcile window, then
// reported as of unknown outcome, and kept as "may exist" in the journal.
BOOST_AUTO_TEST_CASE(creates_never_processed_fail_as_unknown_after_the_window) {
    auto so = fast_options();
    so.fault_method = "POST";  // every create is dropped before processing; lists get through
    so.fault_rate = 1;
    so.faults = testing::fault_mix{0, 0, 0, 1, 0, 0, 0, 0, 0};
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "lost", 3); });
    auto journal = temp_journal("lost");
    auto options = fast_batch(3);
    options.journal_path = journal;
    options.reconcile_window = 500ms;
    options.max_attempts = 1;  // one create per name: the window alone decides
    auto t0 = std::chrono::steady_clock::now();
    auto report = env.run([&]() -> asio::awaitable<provision_report> { co_return co_await provision(s.b, s.specs, options); });
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 500ms));
    BOOST_TEST(report.counts.failed == 3u);
    std::map<std::string, bool> journal_may_exist;
    for (auto& r : read_journal(journal)) journal_may_exist[r.name] = r.may_exist();
    for (auto& m : report.machines) {
        BOOST_TEST_CONTEXT(m.name) {
            BOOST_TEST(m.error == error_code(errc::outcome_unknown));
            BOOST_TEST(!m.exists());
            BOOST_TEST(m.may_exist());
            BOOST_TEST(journal_may_exist[m.name]);
            BOOST_TEST(named(env, m.name) == 0u);
            BOOST_TEST(m.details.to_string().find("reconcile window") != std::string::npos);
        }
    }
    std::filesystem::remove(journal);
}

BOOST_AUTO_TEST_CASE(resumes_from_the_journal_of_an_interrupted_run) {
    auto so = fast_options();
    so.boot_delay = 300ms;
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    auto journal = temp_journal("resume");
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "again", 24); });
    auto options = fast_batch(3);
    options.journal_path = journal;
    auto first = run_cancelled_after(env, s, options, 8).second;
    BOOST_TEST(first.cancelled);
    auto created_before = env.sim.on_sim([](testing::simulator& sim) { return sim.stats().machines_created; });

    auto second = env.run([&]() -> asio::awaitable<provision_report> { co_return co_await provision(s.b, s.specs, options); });
    auto created_after = env.sim.on_sim([](testing::simulator& sim) { return sim.stats().machines_created; });
    BOOST_TEST(second.counts.probed == 24u);
    std::size_t resumed = 0;
    for (auto& m : second.machines) {
        resumed += m.resumed;
        BOOST_TEST(named(env, m.name) == 1u);
    }
    BOOST_TEST(resumed >= 8u);
    BOOST_TEST(created_after - created_before == 24u - resumed);
    std::filesystem::remove(journal);
}
