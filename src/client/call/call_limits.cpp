#include "call/call_limits.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace mistasync::detail {

call_limits::call_limits(boost::asio::any_io_executor ex, std::size_t max_in_flight, double requests_per_second)
    : max_in_flight_(std::max<std::size_t>(1, max_in_flight)),
      slot_waiters_(std::move(ex)),
      rate_(requests_per_second),
      tokens_(requests_per_second) {}

boost::asio::awaitable<void> call_limits::take_slot() {
    if (in_flight_ >= max_in_flight_ || !slot_waiters_.empty()) co_await slot_waiters_.wait();  // handed over: in_flight_ stays
    else ++in_flight_;
}

void call_limits::give_back_slot() {
    if (slot_waiters_.empty()) --in_flight_;
    else slot_waiters_.notify_one();
}

boost::asio::awaitable<void> call_limits::pace() {
    if (rate_ <= 0) co_return;
    while (true) {
        auto now = std::chrono::steady_clock::now();
        tokens_ = std::min(rate_, tokens_ + rate_ * std::chrono::duration<double>(now - last_).count());
        last_ = now;
        if (tokens_ >= 1) {
            tokens_ -= 1;
            co_return;
        }
        boost::asio::steady_timer t(co_await boost::asio::this_coro::executor);
        t.expires_after(std::chrono::milliseconds(static_cast<long long>((1 - tokens_) / rate_ * 1000) + 1));
        co_await t.async_wait(boost::asio::use_awaitable);  // throws operation_aborted when cancelled
    }
}

}  // namespace mistasync::detail
