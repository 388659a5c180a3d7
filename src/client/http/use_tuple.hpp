// The completion token of the client's own coroutines, from the HTTP layer up:
// `co_await op(use_tuple)` gives [error_code, values...] instead of throwing, so a
// cancelled wait is a value to test.
#pragma once

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mistasync::detail {

inline constexpr auto use_tuple = boost::asio::as_tuple(boost::asio::use_awaitable);

}  // namespace mistasync::detail
