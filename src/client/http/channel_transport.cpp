// The transport over a message channel (the simulator's in-process API): no socket, no
// connection pool; the request counts as written once handed over, as a socket's would.
#include "transport.hpp"
#include "use_tuple.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace mistasync::detail {
namespace asio = boost::asio;

namespace {

class channel_transport final : public http_transport {
public:
    explicit channel_transport(message_channel channel) : channel_(std::move(channel)) {}

    asio::awaitable<http_response> exchange(exchange_control& control, const http_request& req) override {
        if (!header_safe(req.method) || !header_safe(req.target)) throw transport_failure(errc::invalid_argument, false);
        if (control.before_write)
            if (error_code refused = control.before_write()) throw transport_failure(refused, false);
        if (control.cancelled) throw boost::system::system_error(asio::error::operation_aborted);
        // A phase deadline or a cancellation "closes the connection": here, abandons the request.
        asio::cancellation_signal abandon;
        control.close_connection = [&abandon] { abandon.emit(asio::cancellation_type::terminal); };
        control.request_written = true;
        control.begin_phase(request_timeout_);
        wire_request wire{req.method, req.target, req.fields, req.body};
        auto token = asio::bind_cancellation_slot(abandon.slot(), use_tuple);
        auto [ec, answer] = co_await asio::async_initiate<decltype(token), void(error_code, wire_response)>(
            [this, &wire](auto handler) { channel_(std::move(wire), wire_handler(std::move(handler))); }, token);
        control.end_phase();
        control.close_connection = nullptr;
        if (control.cancelled) throw boost::system::system_error(asio::error::operation_aborted);
        if (ec) throw transport_failure(control.phase_error(ec), true);
        http_response out{answer.status, std::move(answer.content_type), std::move(answer.body), std::move(answer.retry_after),
                          std::move(answer.location), {}};
        if (req.keep_headers) {  // the fields a channel carries, as a socket would show them
            out.headers.emplace_back("Content-Type", out.content_type);
            out.headers.emplace_back("Content-Length", std::to_string(out.body.size()));
            if (!out.retry_after.empty()) out.headers.emplace_back("Retry-After", out.retry_after);
            if (!out.location.empty()) out.headers.emplace_back("Location", out.location);
        }
        co_return out;
    }

    void set_request_timeout(std::chrono::milliseconds t) { request_timeout_ = t; }

private:
    message_channel channel_;
    std::chrono::milliseconds request_timeout_{30'000};
};

}  // namespace

std::unique_ptr<http_transport> make_channel_transport(message_channel channel, const http_settings& settings) {
    auto t = std::make_unique<channel_transport>(std::move(channel));
    t->set_request_timeout(settings.request_timeout);
    return t;
}

}  // namespace mistasync::detail
