#include "call/running_operations.hpp"

#include <vector>

namespace mistasync::detail {

void running_operations::add(op_control& op, std::chrono::milliseconds limit) {
    running_.push_front(&op);
    op.registration = running_.begin();
    op.deadline = op_control::clock::now() + limit;
    op.time_limit = limit;
    by_deadline_.insert(op);
    op.timed = &in_phase_;
    keep_sweeping();
}

void running_operations::remove(op_control& op) {
    running_.erase(op.registration);
    op.deadline_hook::unlink();
    op.phase_hook::unlink();
    op.timed = nullptr;
}

void running_operations::cancel_all() {
    // Cancelling completes operations later, which unregister then: copy the list first.
    std::vector<op_control*> now(running_.begin(), running_.end());
    for (op_control* op : now) op->cancel(boost::asio::cancellation_type::terminal);
}

void running_operations::keep_sweeping() {
    if (sweeping_) return;
    sweeping_ = true;
    sweeper_.expires_after(tick);
    sweeper_.async_wait([weak = weak_from_this()](boost::system::error_code) {
        if (auto self = weak.lock()) self->sweep();
    });
}

void running_operations::sweep() {
    sweeping_ = false;
    const auto now = op_control::clock::now();
    // Phases that ran out: close their connection; the exchange fails with a timeout and
    // the call may try again. (Closing only posts completions: the list stays as it is.)
    std::vector<exchange_control*> late_phases;
    for (exchange_control& x : in_phase_)
        if (x.phase_deadline <= now) late_phases.push_back(&x);
    for (exchange_control* x : late_phases) {
        x->phase_deadline = op_control::clock::time_point::max();
        x->phase_expired = true;
        x->phase_hook::unlink();
        if (x->close_connection) x->close_connection();
    }
    // Calls out of time, earliest first. Taken out of the order before their deadline changes.
    std::vector<op_control*> expired;
    while (!by_deadline_.empty() && by_deadline_.begin()->deadline <= now) {
        op_control& op = *by_deadline_.begin();
        by_deadline_.erase(by_deadline_.begin());
        expired.push_back(&op);
    }
    for (op_control* op : expired) {
        op->deadline = op_control::clock::time_point::max();
        op->timed_out = true;
        op->cancel(boost::asio::cancellation_type::terminal);
    }
    if (!running_.empty()) keep_sweeping();
}

}  // namespace mistasync::detail
