// Waiting for a machine through its backend's shared list: every waiter of a backend
// registers with one state_watch, whose single poller lists the backend's machines once
// per interval for all of them; state_wait_rules decide when a listed machine is the answer.
#pragma once

#include "call/operation_runner.hpp"
#include "decide/state_wait_rules.hpp"

#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/steady_timer.hpp>

#include <chrono>
#include <list>
#include <memory>
#include <optional>
#include <string>

namespace mistasync::detail {

struct state_waiter {
    std::string machine_id;
    std::chrono::milliseconds interval;
    double list_share;  ///< wait_policy::max_list_share
    std::string list_search;  ///< wait_policy::list_search
    asio::steady_timer wake;  ///< the waiter sleeps on it; the poller cancels it when there is news
    // Set by the poller:
    bool news = false;
    std::optional<machine> seen;  ///< empty: not in the last list
    error_code list_error;
    diagnostics list_details;
};

struct state_watch {
    explicit state_watch(asio::any_io_executor ex) : nap(std::move(ex)) {}
    std::list<state_waiter*> waiters;
    bool polling = false;
    std::chrono::milliseconds pause{0};  ///< the poller's rest after its latest list
    asio::cancellation_signal stop;  ///< ends the poller's current list when nobody waits any more
    asio::steady_timer nap;
};

/// A waiter's place in its backend's watch, for as long as it waits; starts the
/// backend's poller when none runs.
struct watch_registration {
    watch_registration(client_state& s, const std::string& backend_id, state_waiter& me);
    ~watch_registration();
    /// Starts the backend's poller unless it runs (also after a poller that failed).
    void ensure_polling(client_state& s, const std::string& backend_id);
    watch_registration(const watch_registration&) = delete;
    watch_registration& operator=(const watch_registration&) = delete;

    std::shared_ptr<state_watch> watch;
    std::list<state_waiter*>::iterator position;
};

/// Waits on the backend's shared list until the rules say the listed machine is the
/// answer (`goal`), or that it cannot be any more (errc::unexpected_state, not_found, timeout).
asio::awaitable<machine> watch_machine(op_context& op, const std::string& backend_id, const std::string& machine_id,
                                       const wait_policy& p, std::chrono::steady_clock::time_point started,
                                       std::chrono::steady_clock::time_point deadline, const std::string& describe, wait_goal goal);

}  // namespace mistasync::detail
