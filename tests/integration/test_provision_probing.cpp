// A batch probes a machine directly once it expects it to answer (the first machines
// scout how long that takes): such a machine never waits for "running" on the backend's
// list, is still recorded running then probed, and one that goes to `error` instead is
// still seen and replaced.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"

#include <map>
#include <set>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

// Creates that take 100 ms, one at a time: the first machines answer while later ones
// are still being created.
testing::simulator_options slow_creates() {
    auto o = fast_options();
    o.create_latency = 100ms;
    return o;
}

struct observed {
    std::set<std::string> waited_on_list;  ///< machines whose wait for running looked at the list
    std::vector<std::string> created;      ///< in the order their creates answered
};

// Records which machines waited for running on the list.
void observe(provision_options& o, observed& seen) {
    o.running_policy.on_attempt = [&seen](const wait_event& e) { seen.waited_on_list.insert(std::string(e.subject)); };
    o.on_change = [&seen](const provisioned_machine& m, const provision_counts&) {
        if (m.stage == provision_stage::created) seen.created.push_back(m.id);
    };
}

// A batch of `count` machines named NAME-ERA-i, one create at a time, journaled.
struct probing_batch {
    batch_setup s;
    provision_options options;
};
probing_batch prepare_batch(client_env& env, client& mist, const std::string& name, api_era era, int count) {
    const std::string prefix = name + "-" + era_name(era);
    probing_batch b{setup(env, mist, prefix, count), fast_batch(1)};
    b.options.journal_path = temp_journal(prefix);
    return b;
}

}  // namespace

BOOST_AUTO_TEST_CASE(machines_expected_to_answer_skip_the_wait_on_the_list) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto batch = prepare_batch(env, mist, "early", era, 10);
        auto& s = batch.s;
        auto& options = batch.options;
        observed seen;
        observe(options, seen);
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(report.counts.probed == 10u);
        for (auto& m : report.machines) {
            BOOST_TEST(m.stage == provision_stage::probed, m.name << ": " << m.details.to_string());
            BOOST_TEST(m.handle.state == machine_state::running, m.name);
            BOOST_TEST((m.probe && m.probe->reachable), m.name);
            BOOST_TEST(named(env, m.name) == 1u, m.name);
        }
        // Each machine recorded running, then probed: the events do not depend on the path.
        BOOST_TEST(count_lines(options.journal_path, "\"event\":\"running\"") == 10u);
        BOOST_TEST(count_lines(options.journal_path, "\"event\":\"probed\"") == 10u);
        BOOST_TEST(report.counts.running == 10u);
        // The three scouts never waited on the list, nor did the machines created after
        // they answered (~0.3 s of boot and SSH against 0.1 s per create).
        BOOST_REQUIRE(seen.created.size() == 10u);
        for (std::size_t i = 0; i < 3; ++i) BOOST_TEST(!seen.waited_on_list.contains(seen.created[i]), "scout " << i);
        BOOST_TEST(!seen.waited_on_list.contains(seen.created.back()));
        BOOST_TEST(seen.waited_on_list.size() < 7u);
    }, slow_creates());
}

BOOST_AUTO_TEST_CASE(without_probe_when_expected_every_machine_waits_on_the_list) {
    client_env env(slow_creates());
    auto mist = env.make(api_era::v1);
    auto s = setup(env, mist, "listed", 6);
    auto options = fast_batch(1);
    options.probe_when_expected = false;
    observed seen;
    observe(options, seen);
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.counts.probed == 6u);
    BOOST_TEST(seen.waited_on_list.size() == 6u);
}

BOOST_AUTO_TEST_CASE(a_machine_probed_early_that_goes_to_error_is_replaced) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto batch = prepare_batch(env, mist, "early-broken", era, 8);
        auto& s = batch.s;
        auto& options = batch.options;
        const std::string victim = s.specs.back().name;  // created after the scouts answered
        bool broke = false;
        std::set<std::string> waited_on_list;
        options.running_policy.on_attempt = [&](const wait_event& e) { waited_on_list.insert(std::string(e.subject)); };
        options.on_change = [&](const provisioned_machine& m, const provision_counts&) {
            if (m.name == victim && m.stage == provision_stage::created && !broke)
                broke = env.sim.on_sim([&](testing::simulator& sim) { return sim.break_machine(m.name); });
        };
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_REQUIRE(broke);
        const provisioned_machine& m = report.machines.back();
        BOOST_TEST(m.stage == provision_stage::probed, m.details.to_string());
        BOOST_TEST(m.attempts == 2u);
        BOOST_REQUIRE(m.replaced.size() == 1u);
        BOOST_TEST(!waited_on_list.contains(m.replaced[0]));  // it was probed directly, and seen in error all the same
        BOOST_TEST(named(env, victim) == 1u);
        BOOST_TEST(count_lines(options.journal_path, "\"replacing\"") == 1u);
    }, slow_creates());
}

// Machines created while the scouts are out wait for the estimate, parked. A machine that
// broke meanwhile is seen at its first probe and replaced like any other.
BOOST_AUTO_TEST_CASE(a_machine_that_broke_before_the_estimate_came_is_replaced) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto batch = prepare_batch(env, mist, "parked-broken", era, 6);
        auto& s = batch.s;
        auto& options = batch.options;
        const std::string victim = s.specs[3].name;  // the first after the three scouts
        bool broke = false;
        observed seen;
        observe(options, seen);
        auto record_created = std::move(options.on_change);
        options.on_change = [&](const provisioned_machine& m, const provision_counts& c) {
            record_created(m, c);
            if (m.name == victim && m.stage == provision_stage::created && !broke)
                broke = env.sim.on_sim([&](testing::simulator& sim) { return sim.break_machine(m.name); });
        };
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_REQUIRE(broke);
        BOOST_TEST(report.counts.probed == 6u);
        const provisioned_machine& m = report.machines[3];
        BOOST_TEST(m.stage == provision_stage::probed, m.details.to_string());
        BOOST_TEST(m.attempts == 2u);
        BOOST_REQUIRE(m.replaced.size() == 1u);
        BOOST_TEST(named(env, victim) == 1u);
        BOOST_TEST(seen.waited_on_list.empty());  // parked, then probed: no machine waited on the list
    }, slow_creates());
}

// Every scout fails (their machines break and may not be replaced) after the other
// machines were parked behind them: those become scouts in turn, so the batch still
// probes them all and ends.
BOOST_AUTO_TEST_CASE(machines_parked_behind_failed_scouts_are_still_probed) {
    auto slow_boots = slow_creates();
    slow_boots.boot_delay = 3s;  // the scouts are still out when the last create answers (v2's creates wait on their jobs)
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto batch = prepare_batch(env, mist, "lost-scouts", era, 7);
        auto& s = batch.s;
        auto& options = batch.options;
        options.max_attempts = 1;
        const std::string last = s.specs.back().name;
        std::size_t broken = 0;
        std::size_t parked_when_broken = 0;
        std::set<std::string> waited_on_list;
        options.running_policy.on_attempt = [&](const wait_event& e) { waited_on_list.insert(std::string(e.subject)); };
        options.on_change = [&](const provisioned_machine& m, const provision_counts& c) {
            if (m.name != last || m.stage != provision_stage::created) return;
            parked_when_broken = c.created - c.probed - 3;
            for (std::size_t i = 0; i < 3; ++i)
                broken += env.sim.on_sim([&](testing::simulator& sim) { return sim.break_machine(s.specs[i].name); }) ? 1 : 0;
        };
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_REQUIRE(broken == 3u);
        BOOST_TEST(parked_when_broken == 4u);
        BOOST_TEST(report.counts.failed == 3u);
        BOOST_TEST(report.counts.probed == 4u);
        BOOST_TEST(waited_on_list.empty());  // they became scouts: probed from then on, not left on the list
        for (std::size_t i = 3; i < report.machines.size(); ++i)
            BOOST_TEST(report.machines[i].stage == provision_stage::probed, report.machines[i].name << ": " << report.machines[i].details.to_string());
    }, slow_boots);
}

// The probe policy's initial_delay is waited by the scouts, whose answer sets when the
// others are due: a machine probed when due does not wait it again (it would hold one of
// the batch's `concurrency` places for its first probe all that time).
BOOST_AUTO_TEST_CASE(a_machine_probed_when_due_does_not_wait_the_initial_delay_again) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto batch = prepare_batch(env, mist, "initial-delay", era, 7);
        auto& options = batch.options;
        options.probe_policy.initial_delay = 2s;
        const auto started = std::chrono::steady_clock::now();
        auto [ec, report] = run_provision(env, batch.s, options);
        const auto took = std::chrono::steady_clock::now() - started;
        BOOST_TEST(!ec, ec.message());
        BOOST_TEST(report.counts.probed == 7u);
        // Scouts: 2 s. Waiting it again, one machine at a time: 2 s more for each of the
        // other four, 10 s in all.
        BOOST_TEST(took < 7s, std::chrono::duration<double>(took).count() << " s");
    }, slow_creates());
}
