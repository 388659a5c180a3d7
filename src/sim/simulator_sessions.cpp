// The simulator's network side (simulator_impl.hpp): the accept loop, HTTP/1.1 keep-alive
// sessions over TCP or TLS, the in-process channel, and what happens to each request on
// its way (latency, a create's provider time, faults). The only translation unit of the
// simulator that includes Beast's parsers and streams.
#include "simulator_impl.hpp"

#include "faults.hpp"
#include "http_wire.hpp"

#include <algorithm>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/string.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <cerrno>
#include <list>
#include <mutex>
#include <optional>
#include <random>
#include <stdexcept>
#include <string_view>

namespace mistasync::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
using sim::error_reply;
using sim::fault_kind;
using sim::for_each_header;
using sim::is_machine_create;
using sim::path_of;
using sim::render_head;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr auto handshake_timeout = std::chrono::seconds(10);

}  // namespace

asio::awaitable<void> simulator::impl::accept_loop(std::shared_ptr<impl> self) {
    while (acceptor && acceptor->is_open()) {
        bool back_off = false;
        {
            auto [ec, socket] = co_await acceptor->async_accept(use_tuple);
            if (!ec) {
                ++stats.connections_accepted;
                socket.set_option(tcp::no_delay(true));
                if (tls) {
                    asio::co_spawn(executor, serve_tls(self, std::move(socket)), asio::detached);
                } else {
                    asio::co_spawn(executor, serve_plain(self, std::move(socket)), asio::detached);
                }
                continue;
            }
            if (ec == asio::error::operation_aborted || !acceptor || !acceptor->is_open()) co_return;
            // Out of file descriptors (or memory): the pending connection stays queued
            // and accept would fail again at once; pause instead of spinning, so that
            // the open connections can finish and free some. (By value: no error_code
            // is kept across the pause's suspension.)
            int code = ec.value();
            back_off = code == EMFILE || code == ENFILE || code == ENOMEM || code == ENOBUFS;
        }
        if (back_off) {
            asio::steady_timer pause(executor, std::chrono::milliseconds(50));
            co_await pause.async_wait(use_tuple);
        }
    }
}


asio::awaitable<void> simulator::impl::serve_plain(std::shared_ptr<impl> self, tcp::socket socket) {
    beast::tcp_stream stream(std::move(socket));
    co_await serve(self, stream);
}


asio::awaitable<void> simulator::impl::serve_tls(std::shared_ptr<impl> self, tcp::socket socket) {
    beast::ssl_stream<beast::tcp_stream> stream(beast::tcp_stream(std::move(socket)), *tls);
    beast::get_lowest_layer(stream).expires_after(handshake_timeout);
    auto [ec] = co_await stream.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (ec) co_return;
    co_await serve(self, stream);
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(2));
    co_await stream.async_shutdown(use_tuple);
}


template <class Stream>
asio::awaitable<void> simulator::impl::serve(std::shared_ptr<impl> self, Stream& stream) {
    (void)self;  // held only to keep the simulator state alive while the session runs
    auto& tcp_layer = beast::get_lowest_layer(stream);
    asio::steady_timer timer(executor);
    auto handle_it = sessions.insert(sessions.end(), sim::session_handle{[&] {
        beast::error_code ignored;
        tcp_layer.socket().close(ignored);
        timer.cancel();
    }});
    ++stats.open_connections;
    struct unregister {
        impl* owner;
        std::list<sim::session_handle>::iterator it;
        ~unregister() {
            owner->sessions.erase(it);
            --owner->stats.open_connections;
        }
    } guard{this, handle_it};

    beast::flat_buffer buffer;
    while (true) {
        http::request_parser<http::string_body> parser;
        parser.body_limit(options.max_body_bytes);
        parser.header_limit(64 * 1024);
        tcp_layer.expires_after(options.idle_timeout);
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
        if (ec == http::error::end_of_stream || ec == asio::error::eof || ec == asio::error::operation_aborted ||
            ec == asio::ssl::error::stream_truncated || ec == beast::error::timeout || ec == asio::error::connection_reset)
            co_return;
        if (ec) {
            // Named locals only across co_await: GCC 12 mishandles temporaries there.
            std::string reply = ec == http::error::body_limit     ? error_reply(413, "Request Entity Too Large")
                                : ec == http::error::header_limit ? error_reply(431, "Request Header Fields Too Large")
                                                                  : error_reply(400, "Bad Request");
            co_await write_raw(stream, reply);
            co_return;
        }
        tcp_layer.expires_never();
        ++stats.requests;
        auto& msg = parser.get();
        sim::sim_request req;
        req.method = std::string(msg.method_string());
        req.target = std::string(msg.target());
        if (auto it = msg.find(http::field::authorization); it != msg.end()) req.authorization = it->value();
        if (auto it = msg.find("Api-Version"); it != msg.end()) req.api_version = it->value();
        if (auto it = msg.find(http::field::content_type); it != msg.end()) req.content_type = it->value();
        if (auto it = msg.find(http::field::accept); it != msg.end()) req.accept = it->value();
        req.body = std::move(msg.body());
        bool keep_alive = msg.keep_alive();

        served outcome = co_await respond(std::move(req), timer);
        if (!tcp_layer.socket().is_open()) co_return;
        const fault_kind fault = outcome.fault;
        sim::sim_response& resp = outcome.response;
        if (fault == fault_kind::drop_before || fault == fault_kind::stall) co_return;
        if (fault == fault_kind::drop_after) co_return;
        const std::string head = render_head(resp, keep_alive && fault != fault_kind::truncated);
        if (fault == fault_kind::truncated) {
            // Headers promise the whole body; half of it arrives, then the connection ends.
            co_await write_raw(stream, head + resp.body.substr(0, resp.body.size() / 2));
            co_return;
        }
        if (fault == fault_kind::slow_body) {
            if (!co_await write_raw(stream, head)) co_return;
            for (std::size_t off = 0; off < resp.body.size(); off += 64) {
                timer.expires_after(std::chrono::milliseconds(20));
                auto [tec] = co_await timer.async_wait(use_tuple);
                if (tec) co_return;
                if (!co_await write_raw(stream, resp.body.substr(off, 64))) co_return;
            }
        } else if (!co_await write_raw(stream, head, resp.body)) {
            co_return;
        }
        if (!keep_alive) {
            beast::error_code ignored;
            tcp_layer.socket().shutdown(tcp::socket::shutdown_send, ignored);
            co_return;
        }
    }
}


asio::awaitable<simulator::impl::served> simulator::impl::respond(sim::sim_request req, asio::steady_timer& timer) {
    if (options.latency.count() > 0) {
        timer.expires_after(options.latency);
        auto [tec] = co_await timer.async_wait(use_tuple);
        if (tec) co_return served{fault_kind::drop_before, {}};
    }
    if (options.create_latency.count() > 0 && is_machine_create(req)) {
        // Like a server busy with the provider: it goes on even if the client left.
        timer.expires_after(options.create_latency);
        co_await timer.async_wait(use_tuple);
    }
    fault_kind fault = scripts.empty() ? fault_kind::none : scripts.on_request(req.method, path_of(req));
    bool exposed = options.fault_method.empty() || req.method == options.fault_method;
    if (fault == fault_kind::none && exposed) fault = sim::pick_fault(fault_rng, options.fault_rate, options.faults);
    if (fault != fault_kind::none) ++stats.faults_injected;
    served out{fault, {}};
    switch (fault) {
    case fault_kind::drop_before: co_return out;
    case fault_kind::stall: {
        timer.expires_after(options.stall_duration);
        co_await timer.async_wait(use_tuple);
        co_return out;
    }
    case fault_kind::http_500: out.response = {500, sim::content_type_html, "Internal Server Error", {}}; break;
    case fault_kind::http_503: out.response = {503, sim::content_type_html, "Service unavailable", {}}; break;
    case fault_kind::http_429:
        out.response = {429, sim::content_type_html, "Rate Limit Error", {}};
        out.response.headers.emplace_back("Retry-After", std::to_string(options.retry_after_seconds));
        break;
    default: out.response = api->handle(req); break;
    }
    if (fault == fault_kind::malformed_json) {
        out.response.status = 200;
        out.response.content_type = sim::content_type_json;
        out.response.body = "{\"id\": \"" + std::string(out.response.body.size() % 7 + 3, 'x') + "\", [truncated";
    }
    co_return out;
}


asio::awaitable<void> simulator::impl::serve_in_process(std::shared_ptr<impl> self, detail::wire_request wire,
                                                         detail::wire_handler handler) {
    if (options.demo_world && world->backends().empty()) build_demo_world();
    ++stats.requests;
    sim::sim_request req{std::move(wire.method), std::move(wire.target), {}, {}, {}, {}, std::move(wire.body)};
    for_each_header(wire.fields, [&](std::string_view name, std::string_view value) {
        if (beast::iequals(name, "Authorization")) req.authorization = value;
        else if (beast::iequals(name, "Api-Version")) req.api_version = value;
        else if (beast::iequals(name, "Accept")) req.accept = value;
    });
    if (!req.body.empty()) req.content_type = sim::content_type_json;
    // The client abandons a request by cancelling the handler's slot (its deadline, a
    // cancel()): that ends the waits, as closing a connection does. The timer is shared
    // so that a cancellation posted from another thread never outlives it.
    auto timer = std::make_shared<asio::steady_timer>(executor);
    auto slot = asio::get_associated_cancellation_slot(handler);
    if (slot.is_connected())
        slot.assign([timer, ex = executor](asio::cancellation_type) { asio::post(ex, [timer] { timer->cancel(); }); });
    served outcome = co_await respond(std::move(req), *timer);
    if (slot.is_connected()) slot.clear();
    boost::system::error_code ec;
    detail::wire_response answer;
    switch (outcome.fault) {
    case fault_kind::drop_before:
    case fault_kind::drop_after:
    case fault_kind::stall: ec = http::error::end_of_stream; break;
    case fault_kind::truncated: ec = http::error::partial_message; break;
    default: {
        sim::sim_response& r = outcome.response;
        answer.status = r.status;
        answer.content_type = r.content_type;
        answer.body = std::move(r.body);
        for (auto& [name, value] : r.headers) {
            if (beast::iequals(name, "Retry-After")) answer.retry_after = value;
            else if (beast::iequals(name, "Location")) answer.location = value;
        }
    }
    }
    auto ex = asio::get_associated_executor(handler, executor);
    asio::dispatch(ex, [handler = std::move(handler), ec, answer = std::move(answer), self]() mutable {
        std::move(handler)(ec, std::move(answer));
    });
}


template <class Stream>
asio::awaitable<bool> simulator::impl::write_raw(Stream& stream, const std::string& data, std::string_view more) {
    beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
    // TLS gets one buffer: over Boost 1.81's beast::ssl_stream a write of two buffers whose
    // total passes one TLS record (16 KB) stalls after the first record.
    if constexpr (std::is_same_v<Stream, beast::tcp_stream>) {
        const std::array<asio::const_buffer, 2> parts{asio::buffer(data), asio::buffer(more)};
        auto [ec, n] = co_await asio::async_write(stream, parts, use_tuple);
        co_return !ec;
    } else {
        std::string whole = data;
        whole += more;
        auto [ec, n] = co_await asio::async_write(stream, asio::buffer(whole), use_tuple);
        co_return !ec;
    }
}


}  // namespace mistasync::testing
