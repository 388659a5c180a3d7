// Exactly N, by name: a name whose create failed or whose machine went wrong is created
// again (provision_options::max_attempts), never leaving two live machines of one name;
// creates of unknown outcome are settled without waiting out their whole window; every
// v1 machine carries its batch's tag.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::string machines_path(api_era era) {
    return era == api_era::v2 ? "/api/v2/machines" : era == api_era::v1 ? "/api/v1/clouds/*/machines" : "/backends/*/machines";
}

// The nth create of the batch meets `kind`.
void fault_nth_create(client_env& env, api_era era, unsigned nth, testing::fault kind) {
    env.sim.on_sim([&](testing::simulator& s) {
        s.script_fault({.method = "POST", .path = machines_path(era), .nth = nth, .kind = kind});
        return 0;
    });
}

// Creates one at a time, a window long enough that only evidence settles an unknown
// create within a test, and a journal of its own.
provision_options one_at_a_time(const std::string& journal_tag) {
    auto options = fast_batch(1);
    options.reconcile_window = 60s;
    options.journal_path = temp_journal(journal_tag);
    return options;
}

void every_name_once(client_env& env, const provision_report& report) {
    for (auto& m : report.machines) {
        BOOST_TEST(m.stage == provision_stage::probed, m.name << ": " << to_string(m.stage) << " " << m.details.to_string());
        BOOST_TEST(named(env, m.name) == 1u, m.name);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_create_answered_with_a_5xx_is_made_again_once_a_list_shows_its_name_absent) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("again-") + era_name(era), 3);
        fault_nth_create(env, era, 1, testing::fault::http_500);  // not processed: no machine
        auto options = fast_batch(1);
        options.journal_path = temp_journal(std::string("again-") + era_name(era));
        auto before = made(env);
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        every_name_once(env, report);
        BOOST_TEST(report.machines[0].attempts == 2u);
        BOOST_TEST(report.machines[1].attempts == 1u);
        BOOST_TEST(report.counts.replaced == 1u);
        BOOST_TEST(report.counts.failed == 0u);
        BOOST_TEST(made(env) - before == 3u);
        BOOST_TEST(count_lines(options.journal_path, "\"create_absent\"") == 1u);
        auto records = read_journal(options.journal_path);
        BOOST_TEST(records.at(0).id == report.machines[0].id);
    });
}

BOOST_AUTO_TEST_CASE(an_unknown_create_proved_absent_is_made_again_long_before_its_window_ends) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("settle-") + era_name(era), 3);
        // The 2nd create's connection closes before the server reads it; the 1st one's
        // answer showed how long the server takes.
        fault_nth_create(env, era, 2, testing::fault::drop_before);
        auto options = one_at_a_time(std::string("settle-") + era_name(era));
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        every_name_once(env, report);
        BOOST_TEST(report.machines[1].attempts == 2u);
        BOOST_TEST(report.elapsed < 30s);  // settled by evidence, not by the 60 s window
        BOOST_TEST(count_lines(options.journal_path, "\"create_unknown\"") == 1u);
        BOOST_TEST(count_lines(options.journal_path, "\"create_absent\"") == 1u);
        if (era == api_era::v1) {
            // v1 creates carry the batch's own job id, journaled before the send.
            std::string body = env.sim.on_sim([&](testing::simulator& sim) { return sim.create_request_of(s.specs[0].name); });
            BOOST_TEST(body.find("\"job_id\":\"" + report.machines[0].job_id + "\"") != std::string::npos, body);
            BOOST_TEST(count_lines(options.journal_path, report.machines[0].job_id) >= 2u);
        }
    });
}

// The last create of unknown outcome is found by name while the worker waits for names
// to come back, and an earlier name is still watched for a late machine: the worker must
// leave (and the batch end) then, not when that watch's 60 s window ends.
BOOST_AUTO_TEST_CASE(a_batch_ends_once_nothing_can_come_back_not_at_its_late_watch_window) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("ends-") + era_name(era), 3);
        fault_nth_create(env, era, 1, testing::fault::drop_before);  // the 1st name: absent, created again...
        fault_nth_create(env, era, 4, testing::fault::drop_after);   // ...and that create's answer is lost
        auto options = one_at_a_time(std::string("ends-") + era_name(era));
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        every_name_once(env, report);
        BOOST_TEST(report.machines[0].attempts == 2u);
        BOOST_TEST(report.machines[0].reconciled);
        BOOST_TEST(report.elapsed < 20s);
    });
}

// A create answered with a body that does not parse made its machine; the lists that
// should find it fail (unreadable too). A failed list proves nothing absent: the machine
// is found by a later list and adopted, never created a second time.
BOOST_AUTO_TEST_CASE(a_list_that_failed_proves_no_create_absent) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("unreadable-") + era_name(era), 2);
        fault_nth_create(env, era, 1, testing::fault::malformed_json);
        // Every list after the batch's first (which settles what it owns) fails for a while.
        env.sim.on_sim([&](testing::simulator& sim) {
            for (unsigned nth = 2; nth <= 8; ++nth)
                sim.script_fault({.method = "GET", .path = machines_path(era), .nth = nth, .kind = testing::fault::malformed_json});
            return 0;
        });
        auto options = one_at_a_time(std::string("unreadable-") + era_name(era));
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        every_name_once(env, report);
        BOOST_TEST(report.machines[0].attempts == 1u);
        BOOST_TEST(report.machines[0].reconciled);
        BOOST_TEST(count_lines(options.journal_path, "\"create_absent\"") == 0u);
    });
}

BOOST_AUTO_TEST_CASE(a_late_machine_that_appears_after_its_replacement_is_destroyed) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("late-") + era_name(era), 2);
        fault_nth_create(env, era, 2, testing::fault::drop_before);
        auto options = one_at_a_time(std::string("late-") + era_name(era));
        std::string late_id;
        // The first create of the 2nd name is processed after all, once its replacement exists.
        options.on_change = [&](const provisioned_machine& m, const provision_counts&) {
            if (m.name == s.specs[1].name && m.stage == provision_stage::created && m.attempts == 2 && late_id.empty())
                late_id = env.sim.on_sim([&](testing::simulator& sim) { return sim.add_machine("NephoScale", m.name); });
        };
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_REQUIRE(!late_id.empty());
        every_name_once(env, report);
        const provisioned_machine& m = report.machines[1];
        BOOST_TEST(m.id != late_id);
        BOOST_TEST(m.replaced == std::vector<std::string>{late_id}, boost::test_tools::per_element());
        BOOST_TEST(count_lines(options.journal_path, "\"extra_destroyed\"") == 1u);
        BOOST_TEST(count_lines(options.journal_path, late_id) == 1u);
    });
}

BOOST_AUTO_TEST_CASE(a_late_machine_that_appears_before_its_replacement_is_sent_is_adopted) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto s = setup(env, mist, "adopt-late", 2);
    fault_nth_create(env, api_era::v1, 2, testing::fault::drop_before);
    auto options = one_at_a_time("adopt-late");
    options.replace_backoff = 3s;  // the late machine appears while the name waits
    std::string late_id;
    options.on_change = [&](const provisioned_machine& m, const provision_counts&) {
        if (m.name == s.specs[1].name && m.stage == provision_stage::pending && m.attempts == 1 && late_id.empty())
            late_id = env.sim.on_sim([&](testing::simulator& sim) { return sim.add_machine("NephoScale", m.name); });
    };
    auto before = made(env);
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_REQUIRE(!late_id.empty());
    every_name_once(env, report);
    BOOST_TEST(report.machines[1].id == late_id);
    BOOST_TEST(report.machines[1].attempts == 1u);  // the replacement was never sent
    BOOST_TEST(report.machines[1].reconciled);
    BOOST_TEST(made(env) - before == 2u);  // the 1st name's create and the late machine
}

BOOST_AUTO_TEST_CASE(a_machine_that_goes_to_error_is_destroyed_and_its_name_created_again) {
    in_each_era([](client_env& env, client& mist, api_era era) {
        auto s = setup(env, mist, std::string("broken-") + era_name(era), 2);
        auto options = fast_batch(2);
        options.journal_path = temp_journal(std::string("broken-") + era_name(era));
        bool broke = false;
        options.on_change = [&](const provisioned_machine& m, const provision_counts&) {
            if (m.name == s.specs[0].name && m.stage == provision_stage::created && !broke)
                broke = env.sim.on_sim([&](testing::simulator& sim) { return sim.break_machine(m.name); });
        };
        auto [ec, report] = run_provision(env, s, options);
        BOOST_TEST(!ec, ec.message());
        BOOST_REQUIRE(broke);
        every_name_once(env, report);
        const provisioned_machine& m = report.machines[0];
        BOOST_TEST(m.attempts == 2u);
        BOOST_REQUIRE(m.replaced.size() == 1u);
        BOOST_TEST(m.replaced[0] != m.id);
        BOOST_TEST(report.counts.created == 2u);  // the replaced machine is not counted twice
        BOOST_TEST(count_lines(options.journal_path, "\"replacing\"") == 1u);
        BOOST_TEST(read_journal(options.journal_path).at(0).id == m.id);
    });
}

BOOST_AUTO_TEST_CASE(one_attempt_per_name_keeps_a_failed_create_failed) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto s = setup(env, mist, "once", 2);
    fault_nth_create(env, api_era::v1, 1, testing::fault::http_500);
    auto options = fast_batch(1);
    options.max_attempts = 1;
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.machines[0].stage == provision_stage::failed);
    BOOST_TEST(report.machines[0].error == errc::outcome_unknown);
    BOOST_TEST(report.machines[0].attempts == 1u);
    BOOST_TEST(report.counts.replaced == 0u);
    BOOST_TEST(named(env, s.specs[0].name) == 0u);
}

BOOST_AUTO_TEST_CASE(v1_machines_carry_their_batch_tag_and_are_found_by_it) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto s = setup(env, mist, "tagged", 3);
    auto [ec, report] = run_provision(env, s, fast_batch(3));
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.batch_id.size() == 12u);
    const std::string tag = std::string(batch_tag_key) + "=" + report.batch_id;
    auto found = env.run([&]() -> asio::awaitable<machine_listing> { co_return co_await mist.machines({.tag = tag}); });
    BOOST_TEST(found.machines.size() == 3u);
    auto by_key = env.run([&]() -> asio::awaitable<machine_listing> { co_return co_await mist.machines({.tag = std::string(batch_tag_key)}); });
    BOOST_TEST(by_key.machines.size() == 3u);
    auto none = env.run([&]() -> asio::awaitable<machine_listing> { co_return co_await mist.machines({.tag = "mistasync.batch=other"}); });
    BOOST_TEST(none.machines.empty());
}
