// The rules of waiting for a machine, fed list after list without sockets or clocks.
#include <boost/test/unit_test.hpp>

#include "errc_printing.hpp"
#include "decide/state_wait_rules.hpp"

#include <mistasync/error.hpp>

#include <boost/asio/error.hpp>

#include <vector>

using namespace mistasync;
using namespace mistasync::detail;
using namespace std::chrono_literals;
using clock_type = std::chrono::steady_clock;
using V = wait_verdict;

namespace {

const clock_type::time_point t0{};

sighting listed(machine_state s, bool address = false) { return {true, s, address}; }
const sighting absent{};

// The verdicts on `lists`, all seen at `now`.
std::vector<V> feed(state_wait_rules rules, const std::vector<sighting>& lists, clock_type::time_point now = t0) {
    std::vector<V> out;
    for (auto& s : lists) out.push_back(rules.on_list(s, now));
    return out;
}

wait_goal for_state(machine_state wanted) { return {wait_goal::kind::state, wanted, std::nullopt}; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_machine_that_gets_there) {
    auto verdicts = feed(state_wait_rules(for_state(machine_state::running)),
                         {listed(machine_state::pending), listed(machine_state::pending), listed(machine_state::running)});
    BOOST_TEST((verdicts == std::vector<V>{V::keep_waiting, V::keep_waiting, V::reached}));
}

BOOST_AUTO_TEST_CASE(a_machine_that_never_will) {
    for (auto end : {machine_state::terminated, machine_state::error})
        BOOST_TEST((feed(state_wait_rules(for_state(machine_state::running)), {listed(machine_state::pending), listed(end)}) ==
                    std::vector<V>{V::keep_waiting, V::unexpected_state}));
    // Waiting for terminated: terminated, or gone from the list, is the answer.
    BOOST_TEST((feed(state_wait_rules(for_state(machine_state::terminated)), {listed(machine_state::running), listed(machine_state::terminated)}) ==
                std::vector<V>{V::keep_waiting, V::reached}));
    BOOST_TEST((feed(state_wait_rules(for_state(machine_state::terminated)), {absent}) == std::vector<V>{V::gone}));
}

BOOST_AUTO_TEST_CASE(missing_from_three_lists_in_a_row_is_not_found) {
    state_wait_rules rules(for_state(machine_state::running));
    // A new machine may be missing from a list or two: a sighting resets the count.
    BOOST_TEST((feed(rules, {absent, absent, listed(machine_state::pending), absent, absent, absent}) ==
                std::vector<V>{V::keep_waiting, V::keep_waiting, V::keep_waiting, V::keep_waiting, V::keep_waiting, V::not_found}));
}

BOOST_AUTO_TEST_CASE(after_a_reboot_running_counts_once_the_reboot_showed) {
    wait_goal goal = for_state(machine_state::running);
    goal.settle_until = t0 + 10s;
    // The provider still says "running", then "rebooting", then "running" again.
    BOOST_TEST((feed(state_wait_rules(goal), {listed(machine_state::running), listed(machine_state::rebooting), listed(machine_state::running)}) ==
                std::vector<V>{V::keep_waiting, V::keep_waiting, V::reached}));
    // A provider that never shows it: running counts once the settle time has passed.
    state_wait_rules never(goal);
    BOOST_TEST((never.on_list(listed(machine_state::running), t0 + 9s) == V::keep_waiting));
    BOOST_TEST((never.on_list(listed(machine_state::running), t0 + 10s) == V::reached));
}

BOOST_AUTO_TEST_CASE(waiting_for_an_address) {
    wait_goal goal{wait_goal::kind::address};
    BOOST_TEST((feed(state_wait_rules(goal), {listed(machine_state::pending), listed(machine_state::running), listed(machine_state::running, true)}) ==
                std::vector<V>{V::keep_waiting, V::keep_waiting, V::reached}));
    // A machine that is gone may still show its old address: not an answer.
    BOOST_TEST((feed(state_wait_rules(goal), {listed(machine_state::terminated, true)}) == std::vector<V>{V::unexpected_state}));
}

BOOST_AUTO_TEST_CASE(list_failures_that_end_a_wait) {
    state_wait_rules rules(for_state(machine_state::running));
    for (errc e : {errc::timeout, errc::server_error, errc::service_unavailable, errc::rate_limited, errc::bad_response,
                   errc::retry_budget_exhausted})
        BOOST_TEST((rules.on_list_error(e) == V::keep_waiting), e);
    for (errc e : {errc::unauthorized, errc::not_found, errc::forbidden, errc::backend_credentials_refused})
        BOOST_TEST((rules.on_list_error(e) == V::failed), e);
    BOOST_TEST((rules.on_list_error(boost::asio::error::connection_refused) == V::keep_waiting));
}
