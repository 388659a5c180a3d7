// The HTTP layer's entry: a transport that exchanges one fully formed request for its
// answer. Over sockets, a pool of keep-alive connections (plain or TLS) to one endpoint;
// for tests, a message channel into the simulator. It knows nothing of clients, logins or
// retries.
#pragma once

#include "base_url.hpp"
#include "exchange_control.hpp"
#include "message.hpp"

#include <mistasync/config.hpp>
#include <mistasync/detail/message_channel.hpp>

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

class http_transport {
public:
    virtual ~http_transport() = default;
    /// One request and its answer. Throws transport_failure (with whether the request may
    /// have been sent), or operation_aborted when `control` was cancelled.
    virtual boost::asio::awaitable<http_response> exchange(exchange_control& control, const http_request& req) = 0;
};

/// Keep-alive connections to `settings.url`, at most `pool_size` (transport.cpp).
std::unique_ptr<http_transport> make_pool_transport(boost::asio::any_io_executor executor, http_settings settings);
/// Requests handed to `channel` (channel_transport.cpp).
std::unique_ptr<http_transport> make_channel_transport(message_channel channel, const http_settings& settings);

}  // namespace mistasync::detail
