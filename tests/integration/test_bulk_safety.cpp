// Bulk provisioning against creates that take seconds, as real providers' do, and an
// account that already holds machines: a batch never adopts or destroys what is not its
// own, never reports a create it did not send as "unknown", finishes what it sent when
// stopped, refuses a journal that is busy or another batch's, and stops cleanly when its
// journal cannot be written.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"
#include "client_env.hpp"

#include <mistasync/provision.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json.hpp>

#include <sys/resource.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

machine_spec spec_named(const std::string& name) {
    machine_spec spec;
    spec.name = name;
    spec.image = "51";
    spec.size = "221";
    return spec;
}

// Creates only (no waiting) unless `wait`; unknown creates looked for 3 s.
provision_options quick(std::size_t concurrency, bool wait = false) {
    provision_options o = fast_batch(concurrency);
    o.wait_running = wait;
    o.wait_probed = wait;
    o.reconcile_window = 3s;
    return o;
}

// The ids of the live (not terminated) machines named `name` on the backend.
std::set<std::string> ids_named(client_env& env, const backend& b, const std::string& name) {
    auto list = env.run([&]() -> asio::awaitable<std::vector<machine>> { co_return co_await b.machines({.name = name}); });
    std::set<std::string> out;
    for (auto& m : list)
        if (m.state != machine_state::terminated) out.insert(m.id);
    return out;
}

// Starts the batch and cancels it `times` times: first when `created` machines exist,
// then every `gap` after.
// With `first_after`, the first cancel comes that long after the start instead.
std::pair<error_code, provision_report> run_cancelled(client_env& env, const batch_setup& s, provision_options options,
                                                      std::size_t created, int times = 1, std::chrono::milliseconds gap = 50ms,
                                                      std::chrono::milliseconds first_after = 0ms) {
    asio::cancellation_signal stop;
    bool asked = first_after.count() > 0;
    asio::steady_timer again(env.io);
    std::function<void(int)> cancel_n = [&](int left) {
        stop.emit(asio::cancellation_type::terminal);
        if (left > 1) {
            again.expires_after(gap);
            again.async_wait([&, left](error_code ec) {
                if (!ec) cancel_n(left - 1);
            });
        }
    };
    options.on_change = [&](const provisioned_machine&, const provision_counts& c) {
        if (c.created >= created && !asked) {
            asked = true;
            asio::post(env.io, [&] { cancel_n(times); });
        }
    };
    std::pair<error_code, provision_report> out;
    provision(s.b, s.specs, options, asio::bind_cancellation_slot(stop.slot(), [&](error_code e, provision_report r) {
        again.cancel();
        out = {e, std::move(r)};
    }));
    if (first_after.count() > 0) {
        again.expires_after(first_after);
        again.async_wait([&](error_code ec) {
            if (!ec) cancel_n(times);
        });
    }
    env.io.restart();
    env.io.run();
    return out;
}

std::pair<error_code, provision_report> run_batch(client_env& env, const backend& b, const std::vector<machine_spec>& specs,
                                                  provision_options options) {
    std::pair<error_code, provision_report> out;
    provision(b, specs, options, [&](error_code e, provision_report r) { out = {e, std::move(r)}; });
    env.io.restart();
    env.io.run();
    return out;
}

void write_lines(const std::string& path, const std::vector<boost::json::object>& lines) {
    std::ofstream out(path);
    for (auto& l : lines) out << boost::json::serialize(l) << "\n";
}

double unix_now() { return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count(); }

}  // namespace

// The user already has two machines named like the batch's first: a new batch refuses to
// start (it could not tell them from its own); allowed, it records them, and neither a
// cancelled run with rollback nor its resume touches them.
BOOST_AUTO_TEST_CASE(machines_already_named_like_the_batch_are_never_its_own) {
    auto so = fast_options();
    so.create_latency = 1s;
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "web", 6); });
    env.run([&]() -> asio::awaitable<void> {
        auto sp = spec_named("web-1");
        co_await s.b.create_machine(sp);
        co_await s.b.create_machine(sp);
    });
    auto users = ids_named(env, s.b, "web-1");
    BOOST_TEST_REQUIRE(users.size() == 2u);

    diagnostics d;
    auto journal = temp_journal("existing");
    auto options = quick(3);
    options.journal_path = journal;
    auto before = made(env);
    auto [ec, refused] = run_batch(env, s.b.with({.details = &d}), s.specs, options);
    BOOST_TEST(ec == error_code(errc::conflict));
    BOOST_TEST(d.to_string().find("web-1") != std::string::npos, d.to_string());
    BOOST_TEST(made(env) == before);  // nothing sent

    // Allowed: cancelled while creates are in flight, rolled back.
    options.allow_existing_names = true;
    options.rollback = true;
    auto [ec2, report] = run_cancelled(env, s, options, 1);
    BOOST_TEST(report.rolled_back);
    std::this_thread::sleep_for(1500ms);  // anything still on its way at the server has landed
    BOOST_TEST(ids_named(env, s.b, "web-1") == users);  // the user's two, untouched
    for (auto& spec : s.specs)
        if (spec.name != "web-1") BOOST_TEST(named(env, spec.name) == 0u, spec.name);

    // A resume of that journal creates the batch's own web-1 and adopts neither of the user's.
    options.rollback = false;
    options.allow_existing_names = false;  // the journal's record already says what was there
    auto [ec3, resumed] = run_batch(env, s.b, s.specs, options);
    BOOST_TEST(!ec3, ec3.message());
    BOOST_TEST(resumed.counts.created == 6u);
    BOOST_TEST(!users.contains(resumed.machines[0].id));
    auto all = ids_named(env, s.b, "web-1");
    BOOST_TEST(all.size() == 3u);
    for (auto& id : users) BOOST_TEST(all.contains(id));
    std::filesystem::remove(journal);
}

BOOST_AUTO_TEST_CASE(a_journal_of_another_backend_or_server_is_refused) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "jt", 2); });
    auto journal = temp_journal("foreign");
    auto options = quick(2);
    options.journal_path = journal;
    BOOST_TEST(!run_batch(env, s.b, s.specs, options).first);

    auto other = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "jt", 2, "EC2 AP NORTHEAST"); });
    diagnostics d;
    auto [ec, r] = run_batch(env, other.b.with({.details = &d}), other.specs, options);
    BOOST_TEST(ec == error_code(errc::invalid_argument));
    BOOST_TEST(d.client_message.find("belongs to a batch on") != std::string::npos, d.client_message);

    client_env elsewhere;  // another server, same names and ids
    auto mist2 = elsewhere.make(api_era::v1);
    auto s2 = elsewhere.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist2, "jt", 2); });
    auto before = made(elsewhere);
    auto [ec2, r2] = run_batch(elsewhere, s2.b.with({.details = &d}), s2.specs, options);
    BOOST_TEST(ec2 == error_code(errc::invalid_argument));
    BOOST_TEST(d.client_message.find(mist.server()) != std::string::npos, d.client_message);
    BOOST_TEST(made(elsewhere) == before);
    std::filesystem::remove(journal);
}

// Two runs on one journal would create every name twice: the second fails at once.
BOOST_AUTO_TEST_CASE(a_second_run_on_a_busy_journal_fails_at_once) {
    auto so = fast_options();
    so.create_latency = 500ms;
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "twice", 10); });
    auto journal = temp_journal("busy");
    auto options = quick(5);
    options.journal_path = journal;
    std::pair<error_code, provision_report> first, second;
    diagnostics d;
    bool second_started = false;
    auto second_options = options;
    options.on_change = [&](const provisioned_machine&, const provision_counts&) {
        if (second_started) return;
        second_started = true;
        provision(s.b.with({.details = &d}), s.specs, second_options, [&](error_code e, provision_report r) { second = {e, std::move(r)}; });
    };
    provision(s.b, s.specs, options, [&](error_code e, provision_report r) { first = {e, std::move(r)}; });
    env.io.restart();
    env.io.run();
    BOOST_TEST(!first.first);
    BOOST_TEST(first.second.counts.created == 10u);
    BOOST_TEST(!!second.first);
    BOOST_TEST(d.client_message.find("in use by another run") != std::string::npos, d.client_message);
    for (auto& spec : s.specs) BOOST_TEST(named(env, spec.name) == 1u);
    auto mode = std::filesystem::status(journal).permissions();
    namespace fs = std::filesystem;
    BOOST_TEST(((mode & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));  // created 0600
    std::filesystem::remove(journal);
}

// More creates than connections, each taking longer than the call's deadline allows for
// the wait: a create that timed out waiting for a connection sent nothing, so it is not
// "unknown" — it is sent later, and every name is made exactly once.
BOOST_AUTO_TEST_CASE(creates_that_waited_out_their_deadline_were_not_sent_and_are_sent_later) {
    auto so = fast_options();
    so.create_latency = 300ms;
    client_env env(so);
    auto o = env.options(api_era::v1);
    o.pool_size = 4;
    o.timeouts.total = 1s;
    std::size_t create_attempts = 0;
    o.hooks.on_request = [&](const request_event& e) { create_attempts += e.method == "POST"; };
    auto mist = env.make(o);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "queued", 40); });
    auto journal = temp_journal("queued");
    auto options = quick(40);
    options.journal_path = journal;
    auto before = made(env);
    auto [ec, report] = run_batch(env, s.b, s.specs, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.counts.created == 40u);
    BOOST_TEST(report.counts.failed == 0u);
    BOOST_TEST(made(env) - before == 40u);  // each sent once
    for (auto& spec : s.specs) BOOST_TEST(named(env, spec.name) == 1u, spec.name);
    // Some waited out their deadline for a connection and were tried again; the journal
    // says "creating" only for what was written: once per name.
    BOOST_TEST(create_attempts > 40u);
    std::ifstream in(journal);
    std::size_t creating = 0;
    for (std::string line; std::getline(in, line);) creating += line.find("\"event\":\"creating\"") != std::string::npos;
    BOOST_TEST(creating == 40u);
    std::filesystem::remove(journal);
}

// Direct calls: a create whose deadline passes while it waits for a connection says so,
// and that nothing was sent; one whose deadline passes after it was written may have
// made a machine, and says that. Connections are handed out first come, first served.
BOOST_AUTO_TEST_CASE(a_create_that_never_got_a_connection_says_nothing_was_sent) {
    auto so = fast_options();
    so.create_latency = 600ms;
    client_env env(so);
    auto o = env.options(api_era::v1);
    o.pool_size = 2;
    auto mist = env.make(o);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "direct", 6); });
    std::vector<std::pair<error_code, diagnostics>> results(6);
    for (int i = 0; i < 6; ++i) {
        auto& slot = results[static_cast<std::size_t>(i)];
        s.b.with({.timeout = 1s, .details = &slot.second}).create_machine(s.specs[static_cast<std::size_t>(i)], [&slot](error_code ec, created_machine) {
            slot.first = ec;
        });
    }
    env.io.restart();
    env.io.run();
    std::this_thread::sleep_for(500ms);  // the server finishes what it was sent
    // In order: 0 and 1 made it (0.6 s); 2 and 3 were written at 0.6 s and ran out of time
    // at 1 s (the server made them); 4 and 5 never had a connection.
    for (std::size_t i = 0; i < 6; ++i) {
        auto& [ec, d] = results[i];
        BOOST_TEST_CONTEXT("create " << i << ": " << d.to_string()) {
            if (i < 2) {
                BOOST_TEST(!ec);
            } else {
                BOOST_TEST(ec == error_code(errc::timeout));
                BOOST_TEST(d.method == "POST");
                BOOST_TEST(d.request_sent == (i < 4));
                BOOST_TEST((d.client_message.find("nothing was sent") != std::string::npos) == (i >= 4));
            }
            BOOST_TEST(named(env, s.specs[i].name) == (i < 4 ? 1u : 0u));
        }
    }
}

// 1,000 creates of 4 s each at concurrency 250 over 200 connections, so 50 creates always
// wait for one: every one is sent and made (waiters are served in order; none starves
// until its deadline).
BOOST_AUTO_TEST_CASE(a_thousand_creates_of_four_seconds_are_all_made) {
    auto so = fast_options();
    so.create_latency = 4s;
    client_env env(so);
    auto co = env.options(api_era::legacy);
    co.pool_size = 200;
    auto mist = env.make(co);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "slow", 1000); });
    auto before = made(env);
    auto options = quick(250);
    auto [ec, report] = run_batch(env, s.b, s.specs, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.counts.created == 1000u);
    BOOST_TEST(report.counts.failed == 0u);
    BOOST_TEST(made(env) - before == 1000u);
}

// Rollback after a cancel waits for the creates already sent (4 s each here), destroys
// what they made, and nothing appears afterwards.
BOOST_AUTO_TEST_CASE(rollback_after_a_cancel_leaves_nothing_behind) {
    auto so = fast_options();
    so.create_latency = 1s;
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "gone", 30); });
    auto options = quick(10, true);
    options.rollback = true;
    auto [ec, report] = run_cancelled(env, s, options, 3);
    BOOST_TEST(report.cancelled);
    BOOST_TEST(report.rolled_back);
    BOOST_TEST(report.counts.destroyed == report.counts.created);
    for (auto& m : report.machines) BOOST_TEST(!m.may_exist(), m.name);
    std::this_thread::sleep_for(1500ms);
    for (auto& spec : s.specs) BOOST_TEST(named(env, spec.name) == 0u, spec.name);
}

// A second cancel stops at once: creates still in flight are reported as ones that may
// exist, not as "0 exist".
BOOST_AUTO_TEST_CASE(a_second_cancel_stops_at_once_and_says_what_may_remain) {
    auto so = fast_options();
    so.create_latency = 20s;  // far beyond the bound below, which a loaded machine must still meet
    client_env env(so);
    auto mist = env.make(api_era::legacy);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "hurry", 8); });
    auto options = quick(4);
    options.rollback = true;
    auto t0 = std::chrono::steady_clock::now();
    auto [ec, report] = run_cancelled(env, s, options, 0, 2, 300ms, 500ms);
    auto took = std::chrono::steady_clock::now() - t0;
    BOOST_TEST((took < 10s));  // not the 20 s the creates take
    BOOST_TEST(report.cancelled);
    std::size_t may = 0;
    for (auto& m : report.machines) may += m.may_exist() && !m.exists();
    BOOST_TEST(may == 4u);  // the four in flight
}

// The journal hits a file-size limit mid-batch: no new creates, those in flight finish,
// the report accounts for every machine and the completion says what happened.
BOOST_AUTO_TEST_CASE(a_journal_that_cannot_be_written_stops_the_batch_with_a_full_report) {
    auto so = fast_options();
    so.create_latency = 200ms;
    client_env env(so);
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "full", 60); });
    auto journal = temp_journal("full");
    auto options = quick(6);
    options.journal_path = journal;
    std::signal(SIGXFSZ, SIG_IGN);
    rlimit old{};
    ::getrlimit(RLIMIT_FSIZE, &old);
    rlimit small = old;
    small.rlim_cur = 3000;  // a dozen lines
    ::setrlimit(RLIMIT_FSIZE, &small);
    auto [ec, report] = run_batch(env, s.b, s.specs, options);
    ::setrlimit(RLIMIT_FSIZE, &old);
    BOOST_TEST(ec == error_code(boost::system::errc::file_too_large, boost::system::system_category()), ec.message());
    BOOST_TEST(report.journal_error == ec);
    BOOST_TEST(report.counts.created > 0u);
    BOOST_TEST(report.counts.created < 60u);
    for (auto& m : report.machines) BOOST_TEST(named(env, m.name) == (m.exists() ? 1u : 0u), m.name);
    std::filesystem::remove(journal);
}

// Resuming a run killed while creates were in flight: a create the journal says was sent
// but that never made a machine is looked for until reconcile_window after it was sent,
// then made again; names the journal never mentions are made; the result is exactly one
// machine per name.
BOOST_AUTO_TEST_CASE(resume_makes_exactly_the_requested_names) {
    client_env env;
    auto mist = env.make(api_era::v1);
    auto s = env.run([&]() -> asio::awaitable<batch_setup> { co_return co_await prepare(mist, "killed", 4); });
    auto journal = temp_journal("killed");
    // As a run killed with killed-1 sent long ago, killed-2 sent just now, and nothing else sent.
    boost::json::array none;
    write_lines(journal, {{{"event", "batch"}, {"time", unix_now()}, {"server", mist.server()}, {"backend", s.b.id},
                           {"requested", 4}, {"resumed", 0}, {"preexisting", none}},
                          {{"event", "creating"}, {"time", unix_now() - 30}, {"name", "killed-1"}, {"backend", s.b.id}},
                          {{"event", "creating"}, {"time", unix_now()}, {"name", "killed-2"}, {"backend", s.b.id}}});
    auto options = quick(4);
    options.journal_path = journal;
    options.reconcile_window = 1500ms;
    auto t0 = std::chrono::steady_clock::now();
    auto [ec, report] = run_batch(env, s.b, s.specs, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST((std::chrono::steady_clock::now() - t0 >= 1500ms));  // killed-2 was given its window
    BOOST_TEST(report.counts.created == 4u);
    for (auto& spec : s.specs) BOOST_TEST(named(env, spec.name) == 1u, spec.name);
    std::filesystem::remove(journal);
}
