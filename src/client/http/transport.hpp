// The HTTP layer's entry: a pool of keep-alive connections (plain or TLS) to one endpoint,
// and one exchange over it. It knows nothing of clients, logins or retries: it gets a
// fully formed request and its settings.
#pragma once

#include "base_url.hpp"
#include "exchange_control.hpp"
#include "message.hpp"

#include <mistasync/config.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>

namespace mistasync::detail {

struct http_settings {
    base_url url;
    tls_options tls;
    std::size_t pool_size = 1;
    std::chrono::milliseconds connect_timeout{0};
    std::chrono::milliseconds tls_timeout{0};
    std::chrono::milliseconds request_timeout{0};  ///< writing one request and reading its answer
    std::size_t max_response_bytes = 0;
};

class connection_pool;  // transport.cpp
struct pool_deleter {
    void operator()(connection_pool*) const;
};
using pool_ptr = std::unique_ptr<connection_pool, pool_deleter>;

pool_ptr make_pool(boost::asio::any_io_executor executor, http_settings settings);

/// One request and its answer over a pooled connection. Throws transport_failure (with
/// whether the request may have been sent) or operation_aborted when `control` was cancelled.
boost::asio::awaitable<http_response> exchange(connection_pool& pool, exchange_control& control, const http_request& req);

}  // namespace mistasync::detail
