#include "running_operations.hpp"

#include <vector>

namespace mistasync::detail {

void running_operations::add(op_control& op, std::chrono::milliseconds limit) {
    running_.push_front(&op);
    op.registration = running_.begin();
    op.deadline = op_control::clock::now() + limit;
    op.time_limit = limit;
    keep_sweeping();
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
    std::vector<op_control*> expired;
    for (op_control* op : running_) {
        if (op->deadline <= now) {
            expired.push_back(op);
        } else if (op->phase_deadline <= now) {
            // The phase ran out: close its connection; the exchange fails with a timeout
            // and the call may try again.
            op->phase_deadline = op_control::clock::time_point::max();
            op->phase_expired = true;
            if (op->close_connection) op->close_connection();
        }
    }
    for (op_control* op : expired) {
        op->deadline = op_control::clock::time_point::max();
        op->timed_out = true;
        op->cancel(boost::asio::cancellation_type::terminal);
    }
    if (!running_.empty()) keep_sweeping();
}

}  // namespace mistasync::detail
