// Waiters for a resource (an in-flight slot, the login), woken in the order they came.
#pragma once

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <list>

namespace mistasync::detail {

/// Each waiter waits on a timer that notify_one() cancels; a cancelled wait removes
/// itself. To be fair, a resource freed while others wait is handed to the first of them
/// (the freeing coroutine runs on and would otherwise take it back at once).
class wait_queue {
public:
    explicit wait_queue(boost::asio::any_io_executor ex) : ex_(std::move(ex)) {}
    /// Waits until notified (or the operation is cancelled: throws operation_aborted).
    boost::asio::awaitable<void> wait();
    void notify_one();
    void notify_all();
    bool empty() const { return waiters_.empty(); }

private:
    struct waiter {
        boost::asio::steady_timer timer;
        bool notified = false;
    };
    boost::asio::any_io_executor ex_;
    std::list<waiter*> waiters_;
};

}  // namespace mistasync::detail
