// When a request-per-attempt wait tries again, step by step, without sockets or clocks.
#include <boost/test/unit_test.hpp>

#include "decide/poll_schedule.hpp"

#include <limits>
#include <vector>

using namespace mistasync;
using namespace mistasync::detail;
using namespace std::chrono_literals;
using std::chrono::milliseconds;

namespace {

wait_policy policy(milliseconds interval, double backoff, milliseconds cap, double jitter = 0, int max_attempts = 0) {
    wait_policy p;
    p.interval = interval;
    p.backoff = backoff;
    p.max_interval = cap;
    p.jitter = jitter;
    p.max_attempts = max_attempts;
    return p;
}

std::vector<long long> sleeps(poll_schedule s, int attempts, milliseconds retry_after = 0ms) {
    std::mt19937_64 rng(1);
    std::vector<long long> out;
    for (int a = 1; a <= attempts; ++a) out.push_back(s.after_attempt(a, retry_after, rng).sleep.count());
    return out;
}

}  // namespace

BOOST_AUTO_TEST_CASE(grows_by_its_backoff_up_to_its_cap) {
    BOOST_TEST((sleeps(poll_schedule(policy(100ms, 2, 1000ms)), 6) == std::vector<long long>{100, 200, 400, 800, 1000, 1000}));
    // A backoff below 1 does not shrink it.
    BOOST_TEST((sleeps(poll_schedule(policy(100ms, 0.5, 1000ms)), 3) == std::vector<long long>{100, 100, 100}));
}

BOOST_AUTO_TEST_CASE(never_shorter_than_retry_after) {
    BOOST_TEST((sleeps(poll_schedule(policy(100ms, 2, 1000ms)), 3, 700ms) == std::vector<long long>{700, 700, 700}));
}

BOOST_AUTO_TEST_CASE(jitter_draws_below_the_interval_never_above) {
    poll_schedule s(policy(1000ms, 1, 1000ms, 0.5));
    std::mt19937_64 rng(7);
    bool varied = false;
    long long first = -1;
    for (int a = 1; a <= 50; ++a) {
        auto n = s.after_attempt(a, 0ms, rng);
        BOOST_TEST(n.sleep.count() >= 500);
        BOOST_TEST(n.sleep.count() <= 1000);
        if (first < 0) first = n.sleep.count();
        else if (n.sleep.count() != first) varied = true;
    }
    BOOST_TEST(varied);
}

BOOST_AUTO_TEST_CASE(the_attempt_limit_ends_it_without_a_last_sleep) {
    poll_schedule s(policy(100ms, 1, 100ms, 0, 3));
    std::mt19937_64 rng(1);
    BOOST_TEST(!s.after_attempt(1, 0ms, rng).out_of_attempts);
    BOOST_TEST(!s.after_attempt(2, 0ms, rng).out_of_attempts);
    auto last = s.after_attempt(3, 0ms, rng);
    BOOST_TEST(last.out_of_attempts);
    BOOST_TEST(last.sleep.count() == 0);
}

BOOST_AUTO_TEST_CASE(a_slow_shared_list_stretches_the_pause_after_it) {
    // Fast lists: the policy's interval.
    BOOST_TEST(list_pause(500ms, 20ms, 0.5).count() == 500);
    BOOST_TEST(list_pause(500ms, 500ms, 0.5).count() == 500);
    // Slow ones: a rest such that the list is sent at most `share` of the time.
    BOOST_TEST(list_pause(500ms, 1500ms, 0.5).count() == 1500);
    BOOST_TEST(list_pause(500ms, 1000ms, 0.25).count() == 3000);
    BOOST_TEST(list_pause(100ms, 900ms, 0.75).count() == 300);
    // And back once lists are fast again (nothing is remembered).
    BOOST_TEST(list_pause(500ms, 30ms, 0.5).count() == 500);
    // 1, more than 1, 0, negative or NaN: never stretched.
    for (double share : {1.0, 2.0, 0.0, -1.0, std::numeric_limits<double>::quiet_NaN()})
        BOOST_TEST(list_pause(500ms, 10s, share).count() == 500);
    // Bounded, whatever a list took.
    BOOST_TEST(list_pause(500ms, std::chrono::hours(1000), 0.01).count() == 3'600'000);
}
