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
#include "transport.hpp"
#include "connection.hpp"
#include "response_reader.hpp"
#include "use_tuple.hpp"

#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>

#include <openssl/err.h>

#include <array>
#include <list>
#include <optional>
#include <vector>

namespace mistasync::detail {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;

namespace {

constexpr std::size_t read_buffer_bytes = 16 * 1024;

class connection_pool {
public:
    connection_pool(asio::any_io_executor ex, http_settings settings) : executor_(std::move(ex)), settings_(std::move(settings)) {
        if (!settings_.url.tls) return;
        const tls_options& tls = settings_.tls;
        tls_.emplace(ssl::context::tls_client);
        tls_->set_options(ssl::context::default_workarounds | ssl::context::no_sslv2 | ssl::context::no_sslv3 |
                          ssl::context::no_tlsv1 | ssl::context::no_tlsv1_1);
        if (!tls.verify) {
            tls_->set_verify_mode(ssl::verify_none);
            return;
        }
        tls_->set_verify_mode(ssl::verify_peer);
        if (tls.ca_file.empty() && tls.ca_path.empty()) tls_->set_default_verify_paths();
        if (!tls.ca_file.empty()) tls_->load_verify_file(tls.ca_file);
        if (!tls.ca_path.empty()) tls_->add_verify_path(tls.ca_path);
    }

    const http_settings& settings() const { return settings_; }

    ~connection_pool() {
        for (auto& c : idle_) c->close();
    }

    /// `check_alive`: peek at a reused connection first (one system call). Only worth it
    /// for requests that cannot be resent when the server had closed the connection.
    ///
    /// First come, first served: while anyone waits, a newcomer queues behind them, and a
    /// released connection (or the room to open one) is handed to the first waiter. Without
    /// that, the coroutine that releases runs on and takes the connection back at once,
    /// and a waiter can starve until its deadline.
    asio::awaitable<std::unique_ptr<connection>> acquire(exchange_control& control, bool check_alive) {
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
                co_return co_await connect_counted(control);
            }
        }
        waiter w{asio::steady_timer(executor_, asio::steady_timer::time_point::max())};
        auto it = queue_.insert(queue_.end(), &w);
        co_await w.timer.async_wait(use_tuple);
        if (!w.granted || control.cancelled) {  // cancelled; if granted too, the next waiter gets it
            if (!w.granted) queue_.erase(it);
            else if (w.connection) release(std::move(w.connection), true);
            else give_back_room();
            throw boost::system::system_error(asio::error::operation_aborted);
        }
        if (w.connection) {
            if (!check_alive || !w.connection->looks_closed()) co_return std::move(w.connection);
            w.connection->close();  // its place in the pool is ours: open a new one
        }
        co_return co_await connect_counted(control);
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
    asio::awaitable<std::unique_ptr<connection>> connect(exchange_control& control) {
        const base_url& url = settings_.url;
        auto c = std::make_unique<connection>(executor_);
        control.close_connection = [raw = c.get()] { raw->close(); };
        if (endpoints_.empty()) {
            tcp::resolver resolver(executor_);
            auto [ec, results] = co_await resolver.async_resolve(url.host, url.port, use_tuple);
            if (ec) throw transport_failure(ec, false);
            endpoints_.assign(results.begin(), results.end());
        }
        control.begin_phase(settings_.connect_timeout);
        auto [cec, ep] = co_await c->plain.async_connect(endpoints_, use_tuple);
        control.end_phase();
        if (cec) {
            endpoints_.clear();  // resolve again next time
            throw transport_failure(control.phase_error(cec), false);
        }
        c->plain.socket().set_option(tcp::no_delay(true));
        if (tls_) {
            c->secure.emplace(std::move(c->plain), *tls_);
            control.close_connection = [raw = c.get()] { raw->close(); };
            if (!SSL_set_tlsext_host_name(c->secure->native_handle(), url.host.c_str()))
                throw transport_failure(error_code(static_cast<int>(::ERR_get_error()), asio::error::get_ssl_category()), false);
            if (settings_.tls.verify)
                c->secure->set_verify_callback([check = ssl::host_name_verification(url.host),
                                                raw = c.get()](bool preverified, ssl::verify_context& ctx) mutable {
                    bool ok = check(preverified, ctx);
                    if (preverified && !ok) raw->wrong_host = true;  // a trusted chain, for another name
                    return ok;
                });
            control.begin_phase(settings_.tls_timeout);
            auto [hec] = co_await c->secure->async_handshake(ssl::stream_base::client, use_tuple);
            control.end_phase();
            if (hec) throw transport_failure(control.phase_error(hec), false, tls_failure_text(*c, hec));
        }
        co_return c;
    }

    struct waiter {
        asio::steady_timer timer;
        bool granted = false;                    ///< woken by release(), not by cancellation
        std::unique_ptr<connection> connection;  ///< handed over; empty: room to open one
    };

    std::size_t capacity() const { return std::max<std::size_t>(1, settings_.pool_size); }

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
    asio::awaitable<std::unique_ptr<connection>> connect_counted(exchange_control& control) {
        try {
            co_return co_await connect(control);
        } catch (...) {
            give_back_room();
            throw;
        }
    }

    // Why a handshake failed, in words a person can act on: OpenSSL's reason alone
    // ("certificate verify failed") reads the same for an unknown CA, an expired
    // certificate and a wrong host.
    std::string tls_failure_text(connection& c, error_code ec) const {
        const std::string& host = settings_.url.host;
        std::string out = "TLS handshake with " + host + " failed: " + ec.message();
        if (c.wrong_host) return out + " (the server's certificate does not name " + host + ")";
        long verdict = SSL_get_verify_result(c.secure->native_handle());
        if (verdict == X509_V_ERR_CERT_HAS_EXPIRED) return out + " (the server's certificate has expired)";
        if (verdict != X509_V_OK) return out + " (" + X509_verify_cert_error_string(verdict) + ")";
        return out;
    }

    asio::any_io_executor executor_;
    http_settings settings_;
    std::list<waiter*> queue_;
    std::optional<ssl::context> tls_;
    std::vector<tcp::endpoint> endpoints_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t total_ = 0;
};

template <class Stream>
asio::awaitable<http_response> exchange_on(exchange_control& control, const http_settings& settings, Stream& stream,
                                           beast::flat_buffer& buffer, const http_request& req, bool& bytes_sent,
                                           bool& response_started, bool& keep_alive) {
    if (!header_safe(req.method) || !header_safe(req.target)) throw transport_failure(errc::invalid_argument, false);
    const std::string head = request_head(req, settings.url.host_header);
    const std::array<asio::const_buffer, 2> message{asio::buffer(head), asio::buffer(req.body)};

    if (control.before_write)
        if (error_code refused = control.before_write()) throw transport_failure(refused, false);
    control.begin_phase(settings.request_timeout);
    auto [wec, written] = co_await asio::async_write(stream, message, use_tuple);
    bytes_sent = written > 0;
    if (bytes_sent) control.request_written = true;
    if (wec) {
        control.end_phase();
        throw transport_failure(control.phase_error(wec), bytes_sent);
    }

    // Beast reads at most the buffer's free capacity (at least 512 bytes), and the parser
    // empties the buffer as it goes, so an unreserved buffer never grows: a 3 KB answer
    // took seven recvmsg calls. 16 KB per connection reads most answers in one.
    if (buffer.capacity() < read_buffer_bytes) buffer.reserve(read_buffer_bytes);
    response_parser parser;
    limit_response(parser, settings.max_response_bytes);
    auto [hec, hn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    response_started = parser.got_some();
    control.end_phase();
    if (hec) {
        if (hec == http::error::body_limit || hec == http::error::header_limit) throw transport_failure(errc::response_too_large, true);
        throw transport_failure(control.phase_error(hec), true);
    }
    keep_alive = parser.get().keep_alive() && !parser.need_eof();
    co_return take_response(parser, req.keep_headers);
}

// The pool as the client's transport.
class pool_transport final : public http_transport {
public:
    pool_transport(asio::any_io_executor ex, http_settings settings) : pool_(std::move(ex), std::move(settings)) {}
    asio::awaitable<http_response> exchange(exchange_control& control, const http_request& req) override;

private:
    connection_pool pool_;
};

asio::awaitable<http_response> pool_transport::exchange(exchange_control& control, const http_request& req) {
    connection_pool& pool = pool_;
    const http_settings& settings = pool.settings();
    for (int attempt = 0;; ++attempt) {
        std::unique_ptr<connection> c = co_await pool.acquire(control, !req.resendable);
        if (control.cancelled) {
            pool.release(std::move(c), true);  // unused: still good for others
            throw boost::system::system_error(asio::error::operation_aborted);
        }
        connection* raw = c.get();
        control.close_connection = [raw] { raw->close(); };
        bool reused = c->reused;
        bool sent = false, started = false, keep_alive = false;
        try {
            http_response r = c->secure ? co_await exchange_on(control, settings, *c->secure, c->buffer, req, sent, started, keep_alive)
                                        : co_await exchange_on(control, settings, c->plain, c->buffer, req, sent, started, keep_alive);
            control.close_connection = nullptr;
            bool reusable = keep_alive && !control.cancelled;
            pool.release(std::move(c), reusable);
            co_return r;
        } catch (const transport_failure& f) {
            control.close_connection = nullptr;
            pool.release(std::move(c), false);
            if (control.cancelled) throw boost::system::system_error(asio::error::operation_aborted);
            // A keep-alive connection the server dropped: one fresh try when that is safe.
            bool stale = reused && !started && f.ec != error_code(errc::timeout) && f.ec != error_code(errc::response_too_large);
            if (stale && attempt == 0 && req.resendable) continue;
            throw;
        }
    }
}

}  // namespace

std::unique_ptr<http_transport> make_pool_transport(asio::any_io_executor executor, http_settings settings) {
    return std::make_unique<pool_transport>(std::move(executor), std::move(settings));
}

}  // namespace mistasync::detail
