// The operations a client is running, and every deadline they have: the whole call's and
// the current phase's (connect, TLS handshake, one request).
#pragma once

#include "call/op_control.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/intrusive/set.hpp>

#include <list>
#include <memory>

namespace mistasync::detail {

/// One ticking timer enforces every deadline of every call (a timer per call, or Beast's
/// per-read/write expiry, costs system calls on each request). Deadlines are therefore
/// accurate to one tick; the tick stops when no operation is running, so
/// io_context::run() returns at most one tick after the last operation. A tick looks at
/// the calls whose deadline has come (kept in order) and at the exchanges in a phase
/// (a few hundred at most), never at every call: a batch's 100,000 waits cost it nothing.
class running_operations : public std::enable_shared_from_this<running_operations> {
public:
    static constexpr std::chrono::milliseconds tick{50};

    explicit running_operations(boost::asio::any_io_executor ex) : sweeper_(std::move(ex)) {}

    /// Registers `op` with its whole-call deadline, `limit` from now.
    void add(op_control& op, std::chrono::milliseconds limit);
    void remove(op_control& op);
    /// Cancels every running operation (terminal).
    void cancel_all();

private:
    void keep_sweeping();
    void sweep();

    std::list<op_control*> running_;
    boost::intrusive::multiset<op_control, boost::intrusive::base_hook<deadline_hook>, boost::intrusive::constant_time_size<false>> by_deadline_;
    exchanges_in_phase in_phase_;
    boost::asio::steady_timer sweeper_;
    bool sweeping_ = false;
};

}  // namespace mistasync::detail
