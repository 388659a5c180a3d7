// Bulk provisioning that stops early on its own: after max_failures failed machines, and
// at the first create refused for credentials before any succeeded. The report says why;
// nothing more is created; the operation still completes without an error.
#include <boost/test/unit_test.hpp>

#include "batch_helpers.hpp"

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

std::vector<machine_spec> specs_named(const std::string& prefix, int count, const std::string& image) {
    std::vector<machine_spec> out;
    for (int i = 1; i <= count; ++i) out.push_back({.name = prefix + "-" + std::to_string(i), .image = image, .size = "221"});
    return out;
}

std::size_t pending(const provision_report& r) {
    return static_cast<std::size_t>(std::count_if(r.machines.begin(), r.machines.end(),
                                                  [](auto& m) { return m.stage == provision_stage::pending; }));
}

// Creates the batch sent, every attempt of every name.
std::size_t creates_sent(const provision_report& r) {
    std::size_t n = 0;
    for (auto& m : r.machines) n += m.attempts;
    return n;
}

}  // namespace

// A server that fails every create: the brake counts each failed create as it happens,
// not names that used up their attempts (which let 100 names cost 181 creates).
BOOST_AUTO_TEST_CASE(max_failures_counts_failed_creates_as_they_happen) {
    client_env env;
    auto mist = env.make(api_era::v1);
    batch_setup s;
    s.b = env.run([&]() -> asio::awaitable<backend> { co_return co_await mist.find_backend({.name = "NephoScale"}); });
    s.specs = specs_named("brake", 100, "no-such-image");  // every create refused
    auto options = fast_batch(1);
    options.max_attempts = 3;
    options.max_failures = 3;
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.stop_reason.find("3 failures (max_failures 3)") != std::string::npos, report.stop_reason);
    BOOST_TEST(creates_sent(report) == 3u);
}

BOOST_AUTO_TEST_CASE(the_batch_stops_once_max_failures_machines_failed) {
    for (api_era era : {api_era::legacy, api_era::v1}) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            client_env env;
            auto mist = env.make(era);
            batch_setup s;
            s.b = env.run([&]() -> asio::awaitable<backend> { co_return co_await mist.find_backend({.name = "NephoScale"}); });
            s.specs = specs_named(std::string("bad-image-") + era_name(era), 30, "no-such-image");  // every create refused
            auto options = fast_batch(3);
            options.max_failures = 4;
            auto before = made(env);
            auto [ec, report] = run_provision(env, s, options);
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST(!report.cancelled);
            BOOST_TEST(report.stop_reason.find("max_failures 4") != std::string::npos, report.stop_reason);
            // Failed creates count as they happen, names sent again included: 4 failures,
            // and at most the creates already in flight after them.
            BOOST_TEST(creates_sent(report) >= 4u);
            BOOST_TEST(creates_sent(report) <= 4u + 2u);
            BOOST_TEST(pending(report) + report.counts.failed == 30u);
            BOOST_TEST(made(env) == before);
        }
    }
}

BOOST_AUTO_TEST_CASE(the_batch_stops_once_a_share_of_its_machines_failed) {
    client_env env;
    auto mist = env.make(api_era::v1);
    batch_setup s;
    s.b = env.run([&]() -> asio::awaitable<backend> { co_return co_await mist.find_backend({.name = "NephoScale"}); });
    s.specs = specs_named("share", 40, "no-such-image");  // every create refused
    auto options = fast_batch(2);
    options.max_attempts = 1;
    options.max_failure_share = 0.1;  // 4 of 40
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.stop_reason.find("4 failures for 40 machines (max_failure_share 10 %)") != std::string::npos, report.stop_reason);
    BOOST_TEST(report.counts.failed >= 4u);
    BOOST_TEST(report.counts.failed <= 4u + 1u);  // at most the create already in flight
    BOOST_TEST(pending(report) + report.counts.failed == 40u);
}

BOOST_AUTO_TEST_CASE(creates_refused_for_the_backends_credentials_stop_the_batch_at_the_first) {
    client_env env;
    auto mist = env.make(api_era::v1);
    batch_setup s;
    s.b = env.run([&]() -> asio::awaitable<backend> { co_return co_await mist.find_backend({.name = "NephoScale"}); });
    s.specs = specs_named("refused", 20, "51");
    auto options = fast_batch(1);
    // The provider starts refusing the backend's credentials as the first create goes out
    // (the batch's own listing at its start still worked).
    bool broken = false;
    options.on_change = [&](const provisioned_machine&, const provision_counts&) {
        if (broken) return;
        broken = true;
        env.sim.on_sim([](testing::simulator& sim) {
            sim.set_backend_fault("NephoScale", testing::backend_fault::bad_credentials);
            return 0;
        });
    };
    auto [ec, report] = run_provision(env, s, options);
    BOOST_TEST(!ec, ec.message());
    BOOST_TEST(report.counts.failed == 1u);
    BOOST_TEST(pending(report) == 19u);
    BOOST_TEST(report.stop_reason.find("InvalidCredsError") != std::string::npos, report.stop_reason);
    BOOST_TEST(report.machines[0].details.server_message.starts_with("Machine creation failed"));
}
