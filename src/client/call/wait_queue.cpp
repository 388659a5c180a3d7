#include "call/wait_queue.hpp"

#include "http/use_tuple.hpp"

#include <boost/system/system_error.hpp>

namespace mistasync::detail {

boost::asio::awaitable<void> wait_queue::wait() {
    waiter w{boost::asio::steady_timer(ex_, boost::asio::steady_timer::time_point::max())};
    auto it = waiters_.insert(waiters_.end(), &w);
    co_await w.timer.async_wait(use_tuple);
    if (!w.notified) {
        // Woken by cancellation, not by notify: leave the queue and report it.
        waiters_.erase(it);
        throw boost::system::system_error(boost::asio::error::operation_aborted);
    }
}

void wait_queue::notify_one() {
    if (waiters_.empty()) return;
    waiter* w = waiters_.front();
    waiters_.pop_front();
    w->notified = true;
    w->timer.cancel();
}

void wait_queue::notify_all() {
    while (!waiters_.empty()) notify_one();
}

}  // namespace mistasync::detail
