// The client's limits on calls: how many may be in flight at once (first come, first
// served) and how many requests may start per second.
#pragma once

#include "call/wait_queue.hpp"

#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>

namespace mistasync::detail {

class call_limits {
public:
    call_limits(boost::asio::any_io_executor ex, std::size_t max_in_flight, double requests_per_second);

    /// Waits for an in-flight slot. A slot freed while others wait is handed to the first
    /// waiter, so a busy caller cannot take it back and starve it.
    boost::asio::awaitable<void> take_slot();
    void give_back_slot();

    /// Waits until the request rate allows one more request (no wait when unlimited).
    boost::asio::awaitable<void> pace();
    bool paced() const { return rate_ > 0; }

private:
    std::size_t max_in_flight_;
    std::size_t in_flight_ = 0;
    wait_queue slot_waiters_;
    double rate_;
    double tokens_;
    std::chrono::steady_clock::time_point last_ = std::chrono::steady_clock::now();
};

}  // namespace mistasync::detail
