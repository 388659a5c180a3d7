// One running operation's control block: a single cancellation signal fed by the caller's
// cancellation slot, by the call's deadline and by client::cancel(); and, through the
// exchange it shares with the HTTP layer, the connection to close so that cancellation is
// prompt whatever the socket is doing.
#pragma once

#include "http/exchange_control.hpp"

#include <mistasync/error.hpp>

#include <boost/asio/cancellation_signal.hpp>
#include <boost/intrusive/set.hpp>
#include <boost/asio/error.hpp>
#include <boost/system/system_error.hpp>

#include <chrono>
#include <list>

namespace mistasync::detail {

/// Orders running operations by their whole call's deadline (running_operations).
using deadline_hook = boost::intrusive::set_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;

struct op_control : exchange_control, deadline_hook {
    boost::asio::cancellation_signal signal;
    clock::time_point deadline = clock::time_point::max();  ///< of the whole call
    bool timed_out = false;
    std::chrono::milliseconds time_limit{0};  ///< the whole call's timeout, for messages
    /// The request under way (method, path, attempts, last status): what a deadline's
    /// error reports, since the deadline unwinds the call that knew it.
    diagnostics progress;
    int cancel_requests = 0;  ///< how often cancel() was called (a batch stops gently first)
    std::list<op_control*>::iterator registration;  ///< its place among the running operations

    /// Throws operation_aborted if cancel() came before the coroutine could see it.
    void throw_if_cancelled() const {
        if (cancelled) throw boost::system::system_error(boost::asio::error::operation_aborted);
    }

    void cancel(boost::asio::cancellation_type type) {
        cancelled = true;
        ++cancel_requests;
        signal.emit(type);
        if (close_connection) close_connection();
    }
};

/// Earliest deadline first.
inline bool operator<(const op_control& a, const op_control& b) { return a.deadline < b.deadline; }

}  // namespace mistasync::detail
