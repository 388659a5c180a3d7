// HTTP/1.1 over pooled keep-alive connections, plain or TLS: the SDK's only Beast and
// OpenSSL translation unit.
//
// Rules:
//  * acquire() waits when the pool is full: that wait is the backpressure, and it can be
//    cancelled without side effects (nothing was sent);
//  * a connection goes back to the pool only after a complete, keep-alive, uncancelled
//    exchange; any failure or cancellation closes it;
//  * a reused connection that fails before any response byte is retried once on a new
//    connection, but only for idempotent requests; for the others the failure says the
//    request may have been sent (transport_failure::maybe_sent);
//  * before a non-idempotent request goes out on a reused connection, a non-blocking
//    peek checks that the server has not closed it meanwhile.
#include "client_state.hpp"
#include "response_reader.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/write.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/err.h>
#include <sys/socket.h>

#include <array>
#include <list>
#include <optional>
#include <vector>

namespace mistasync::detail {
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// The sweeper (client.cpp) closes the connection when a phase deadline passes.
void begin_phase(op_context& op, std::chrono::milliseconds limit) {
    op.control->phase_expired = false;
    op.control->phase_deadline = std::chrono::steady_clock::now() + limit;
}
void end_phase(op_context& op) { op.control->phase_deadline = std::chrono::steady_clock::time_point::max(); }
constexpr std::size_t read_buffer_bytes = 16 * 1024;

error_code phase_error(op_context& op, error_code ec) {
    return op.control->phase_expired ? error_code(errc::timeout) : ec;
}
}

struct connection {
    explicit connection(const asio::any_io_executor& ex) : plain(ex) {}
    beast::tcp_stream plain;                                   // used when not TLS
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;  // used when TLS
    beast::flat_buffer buffer;
    bool reused = false;
    bool wrong_host = false;  ///< the handshake found a trusted certificate for another name

    beast::tcp_stream& tcp() { return secure ? beast::get_lowest_layer(*secure) : plain; }
    void close() {
        beast::error_code ignored;
        tcp().socket().shutdown(tcp::socket::shutdown_both, ignored);
        tcp().socket().close(ignored);
    }
    /// True when the peer has closed (or sent unexpected bytes on) an idle connection.
    bool looks_closed() {
        auto& s = tcp().socket();
        if (!s.is_open()) return true;
        char byte;
        ssize_t n = ::recv(s.native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
        return n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) || n > 0;
    }
};

class connection_pool {
public:
    connection_pool(client_state& s) : state_(s) {
        if (s.url.tls) {
            tls_.emplace(ssl::context::tls_client);
            tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                              ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
            if (s.options.tls.verify) {
                tls_->set_verify_mode(ssl::verify_peer);
                if (s.options.tls.ca_file.empty() && s.options.tls.ca_path.empty()) tls_->set_default_verify_paths();
                if (!s.options.tls.ca_file.empty()) tls_->load_verify_file(s.options.tls.ca_file);
                if (!s.options.tls.ca_path.empty()) tls_->add_verify_path(s.options.tls.ca_path);
            } else {
                tls_->set_verify_mode(ssl::verify_none);
                s.log(log_level::warning, "TLS verification is OFF for " + s.url.host +
                                              ": the server's identity is not checked (insecure)");
            }
        }
    }

    ~connection_pool() {
        for (auto& c : idle_) c->close();
    }

    std::size_t open_connections() const { return total_; }

    /// `check_alive`: peek at a reused connection first (one system call). Only worth it
    /// for requests that cannot be resent when the server had closed the connection.
    ///
    /// First come, first served: while anyone waits, a newcomer queues behind them, and a
    /// released connection (or the room to open one) is handed to the first waiter. Without
    /// that, the coroutine that releases runs on and takes the connection back at once,
    /// and a waiter can starve until its deadline.
    asio::awaitable<std::unique_ptr<connection>> acquire(op_context& op, bool check_alive) {
        if (queue_.empty()) {
            while (!idle_.empty()) {
                auto c = std::move(idle_.back());
                idle_.pop_back();
                if (!check_alive || !c->looks_closed()) co_return c;
                c->close();
                --total_;
            }
            if (total_ < capacity()) {
                ++total_;
                co_return co_await connect_counted(op);
            }
        }
        waiter w{asio::steady_timer(state_.executor, asio::steady_timer::time_point::max())};
        auto it = queue_.insert(queue_.end(), &w);
        co_await w.timer.async_wait(use_tuple);
        if (!w.granted) {  // cancelled while waiting
            queue_.erase(it);
            throw boost::system::system_error(asio::error::operation_aborted);
        }
        if (w.connection) {
            if (!check_alive || !w.connection->looks_closed()) co_return std::move(w.connection);
            w.connection->close();  // its place in the pool is ours: open a new one
        }
        co_return co_await connect_counted(op);
    }

    void release(std::unique_ptr<connection> c, bool reusable) {
        if (!reusable) {
            c->close();
            give_back_room();
            return;
        }
        c->reused = true;
        if (queue_.empty()) {
            idle_.push_back(std::move(c));
            return;
        }
        waiter* w = queue_.front();
        queue_.pop_front();
        w->connection = std::move(c);
        w->granted = true;
        w->timer.cancel();
    }

private:
    asio::awaitable<std::unique_ptr<connection>> connect(op_context& op) {
        auto& opts = state_.options;
        auto c = std::make_unique<connection>(state_.executor);
        op.control->close_connection = [raw = c.get()] { raw->close(); };
        if (endpoints_.empty()) {
            tcp::resolver resolver(state_.executor);
            auto [ec, results] = co_await resolver.async_resolve(state_.url.host, state_.url.port, use_tuple);
            if (ec) throw transport_failure(ec, false);
            endpoints_.assign(results.begin(), results.end());
        }
        begin_phase(op, opts.timeouts.connect);
        auto [cec, ep] = co_await c->plain.async_connect(endpoints_, use_tuple);
        end_phase(op);
        if (cec) {
            endpoints_.clear();  // resolve again next time
            throw transport_failure(phase_error(op, cec), false);
        }
        c->plain.socket().set_option(tcp::no_delay(true));
        if (tls_) {
            c->secure.emplace(std::move(c->plain), *tls_);
            op.control->close_connection = [raw = c.get()] { raw->close(); };
            if (!SSL_set_tlsext_host_name(c->secure->native_handle(), state_.url.host.c_str()))
                throw transport_failure(error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()), false);
            if (opts.tls.verify)
                c->secure->set_verify_callback([check = ssl::host_name_verification(state_.url.host),
                                                raw = c.get()](bool preverified, ssl::verify_context& ctx) mutable {
                    bool ok = check(preverified, ctx);
                    if (preverified && !ok) raw->wrong_host = true;  // a trusted chain, for another name
                    return ok;
                });
            begin_phase(op, opts.timeouts.tls);
            auto [hec] = co_await c->secure->async_handshake(ssl::stream_base::client, use_tuple);
            end_phase(op);
            if (hec) throw transport_failure(phase_error(op, hec), false, tls_failure_text(*c, hec));
        }
        co_return c;
    }

    struct waiter {
        asio::steady_timer timer;
        bool granted = false;                    ///< woken by release(), not by cancellation
        std::unique_ptr<connection> connection;  ///< handed over; empty: room to open one
    };

    std::size_t capacity() const { return std::max<std::size_t>(1, state_.options.pool_size); }

    // A place in the pool became free: the first waiter opens a connection in it.
    void give_back_room() {
        if (queue_.empty()) {
            --total_;
            return;
        }
        waiter* w = queue_.front();
        queue_.pop_front();
        w->granted = true;
        w->timer.cancel();
    }

    // connect() for a place already counted in total_; a failure gives the place back.
    asio::awaitable<std::unique_ptr<connection>> connect_counted(op_context& op) {
        try {
            co_return co_await connect(op);
        } catch (...) {
            give_back_room();
            throw;
        }
    }

    // Why a handshake failed, in words a person can act on: OpenSSL's reason alone
    // ("certificate verify failed") reads the same for an unknown CA, an expired
    // certificate and a wrong host.
    std::string tls_failure_text(connection& c, error_code ec) const {
        const std::string& host = state_.url.host;
        std::string out = "TLS handshake with " + host + " failed: " + ec.message();
        if (c.wrong_host) return out + " (the server's certificate does not name " + host + ")";
        long verdict = SSL_get_verify_result(c.secure->native_handle());
        if (verdict == X509_V_ERR_CERT_HAS_EXPIRED) return out + " (the server's certificate has expired)";
        if (verdict != X509_V_OK) return out + " (" + X509_verify_cert_error_string(verdict) + ")";
        return out;
    }

    client_state& state_;
    std::list<waiter*> queue_;
    std::optional<ssl::context> tls_;
    std::vector<tcp::endpoint> endpoints_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t total_ = 0;
};

void pool_deleter::operator()(connection_pool* p) const { delete p; }

std::unique_ptr<connection_pool, pool_deleter> make_pool(client_state& s) {
    return std::unique_ptr<connection_pool, pool_deleter>(new connection_pool(s));
}

namespace {

// A header value must not end the header early: no CR, LF or NUL (a token or user agent
// with one would let its holder add headers or requests).
bool header_safe(std::string_view v) { return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

// The request head, written directly: one string per request instead of a Beast header
// container and serializer (the request shapes here are few and fixed). The path is
// already percent-encoded (request_path.cpp).
std::string request_head(const client_state& s, const http_request& req) {
    bool auth = req.authenticated && !s.authorization.empty();
    if (!header_safe(s.url.host) || !header_safe(s.options.user_agent) || !header_safe(req.api_version) ||
        (auth && !header_safe(s.authorization)) || !header_safe(req.path) || !header_safe(req.method))
        throw transport_failure(errc::invalid_argument, false);
    std::string head;
    head.reserve(160 + req.path.size() + s.authorization.size() + s.options.user_agent.size());
    head += req.method;
    head += ' ';
    head += s.url.prefix;
    head += req.path;
    head += " HTTP/1.1\r\nHost: ";
    head += s.url.host_header;
    head += "\r\nUser-Agent: ";
    head += s.options.user_agent;
    if (auth) {
        head += "\r\nAuthorization: ";
        head += s.authorization;
    }
    if (!req.api_version.empty()) {
        head += "\r\nApi-Version: ";
        head += req.api_version;
    }
    if (!req.body.empty()) head += "\r\nContent-Type: application/json";
    if (!req.body.empty() || req.method != "GET") {
        head += "\r\nContent-Length: ";
        head += std::to_string(req.body.size());
    }
    head += "\r\n\r\n";
    return head;
}

template <class Stream>
asio::awaitable<http_response> exchange_on(op_context& op, client_state& s, Stream& stream, beast::flat_buffer& buffer,
                                           const http_request& req, bool& bytes_sent, bool& response_started,
                                           bool& keep_alive) {
    const std::string head = request_head(s, req);
    const std::array<asio::const_buffer, 2> message{asio::buffer(head), asio::buffer(req.body)};

    if (op.control->before_write)
        if (error_code refused = op.control->before_write()) throw transport_failure(refused, false);
    begin_phase(op, s.options.timeouts.request);
    auto [wec, written] = co_await asio::async_write(stream, message, use_tuple);
    bytes_sent = written > 0;
    if (bytes_sent) op.control->request_written = true;
    if (wec) {
        end_phase(op);
        throw transport_failure(phase_error(op, wec), bytes_sent);
    }

    // Beast reads at most the buffer's free capacity (at least 512 bytes), and the parser
    // empties the buffer as it goes, so an unreserved buffer never grows: a 3 KB answer
    // took seven recvmsg calls. 16 KB per connection reads most answers in one.
    if (buffer.capacity() < read_buffer_bytes) buffer.reserve(read_buffer_bytes);
    response_parser parser;
    limit_response(parser, s.options.max_response_bytes);
    auto [hec, hn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    response_started = parser.got_some();
    end_phase(op);
    if (hec) {
        if (hec == http::error::body_limit || hec == http::error::header_limit) throw transport_failure(errc::response_too_large, true);
        throw transport_failure(phase_error(op, hec), true);
    }
    keep_alive = parser.get().keep_alive() && !parser.need_eof();
    co_return take_response(parser);
}

}  // namespace

asio::awaitable<http_response> exchange(op_context& op, const http_request& req) {
    client_state& s = *op.state;
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<connection> c = co_await s.pool->acquire(op, !req.idempotent);
        if (op.control->cancelled) {
            s.pool->release(std::move(c), true);  // unused: still good for others
            throw boost::system::system_error(asio::error::operation_aborted);
        }
        connection* raw = c.get();
        op.control->close_connection = [raw] { raw->close(); };
        bool reused = c->reused;
        bool sent = false, started = false, keep_alive = false;
        try {
            http_response r = c->secure ? co_await exchange_on(op, s, *c->secure, c->buffer, req, sent, started, keep_alive)
                                        : co_await exchange_on(op, s, c->plain, c->buffer, req, sent, started, keep_alive);
            op.control->close_connection = nullptr;
            bool reusable = keep_alive && !op.control->cancelled;
            s.pool->release(std::move(c), reusable);
            co_return r;
        } catch (const transport_failure& f) {
            op.control->close_connection = nullptr;
            s.pool->release(std::move(c), false);
            if (op.control->cancelled) throw boost::system::system_error(asio::error::operation_aborted);
            // A keep-alive connection the server dropped: one fresh try when that is safe.
            bool stale = reused && !started && f.ec != error_code(errc::timeout) && f.ec != error_code(errc::response_too_large);
            if (stale && attempt == 0 && req.idempotent) continue;
            throw;
        }
    }
}

}  // namespace mistasync::detail
