#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

#include <stdexcept>

namespace mistasync::test {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

boost::json::value http_reply::json() const { return boost::json::parse(body); }

struct http_client::impl {
    std::string host;
    unsigned short port;
    std::optional<tls_settings> tls;
    asio::io_context io;
    std::optional<asio::ssl::context> ssl_ctx;
    std::optional<beast::tcp_stream> plain;
    std::optional<beast::ssl_stream<beast::tcp_stream>> secure;
    beast::flat_buffer buffer;
    int opened = 0;

    bool connected() const { return (plain && plain->socket().is_open()) || (secure && beast::get_lowest_layer(*secure).socket().is_open()); }

    void connect() {
        close();
        tcp::resolver resolver(io);
        auto endpoints = resolver.resolve(host, std::to_string(port));
        buffer.clear();
        ++opened;
        if (!tls) {
            plain.emplace(io);
            plain->expires_after(std::chrono::seconds(10));
            plain->connect(endpoints);
            return;
        }
        if (!ssl_ctx) {
            ssl_ctx.emplace(asio::ssl::context::tls_client);
            if (tls->verify) {
                ssl_ctx->set_verify_mode(asio::ssl::verify_peer);
                if (tls->ca_file.empty()) ssl_ctx->set_default_verify_paths();
                else ssl_ctx->load_verify_file(tls->ca_file);
            } else {
                ssl_ctx->set_verify_mode(asio::ssl::verify_none);
            }
        }
        secure.emplace(io, *ssl_ctx);
        std::string name = tls->server_name.empty() ? host : tls->server_name;
        if (!SSL_set_tlsext_host_name(secure->native_handle(), name.c_str()))
            throw std::runtime_error("SNI setup failed");
        if (tls->verify) secure->set_verify_callback(asio::ssl::host_name_verification(name));
        beast::get_lowest_layer(*secure).expires_after(std::chrono::seconds(10));
        beast::get_lowest_layer(*secure).connect(endpoints);
        secure->handshake(asio::ssl::stream_base::client);
    }

    void close() {
        beast::error_code ec;
        if (plain) plain->socket().close(ec);
        if (secure) beast::get_lowest_layer(*secure).socket().close(ec);
        plain.reset();
        secure.reset();
    }

    template <class Stream>
    http_reply exchange(Stream& stream, http::request<http::string_body>& req) {
        beast::get_lowest_layer(stream).expires_after(std::chrono::seconds(30));
        http::write(stream, req);
        http::response_parser<http::string_body> parser;
        parser.body_limit(256 * 1024 * 1024);
        http::read(stream, buffer, parser);
        auto& res = parser.get();
        http_reply r;
        r.status = res.result_int();
        r.body = res.body();
        r.keep_alive = res.keep_alive();
        for (auto& f : res) {
            std::string name(f.name_string());
            for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            r.headers[name] = std::string(f.value());
        }
        r.content_type = r.headers["content-type"];
        return r;
    }
};

http_client::http_client(std::string host, unsigned short port, std::optional<tls_settings> tls)
    : impl_(std::make_unique<impl>()) {
    impl_->host = std::move(host);
    impl_->port = port;
    impl_->tls = std::move(tls);
}

http_client::~http_client() = default;
http_client::http_client(http_client&&) noexcept = default;

int http_client::connections_opened() const { return impl_->opened; }

http_reply http_client::request(const std::string& method, const std::string& target, const std::string& body,
                                const header_list& headers) {
    http::request<http::string_body> req(http::string_to_verb(method), target, 11);
    if (req.method() == http::verb::unknown) req.method_string(method);
    req.set(http::field::host, impl_->host + ":" + std::to_string(impl_->port));
    req.set(http::field::user_agent, "mistasync-tests");
    if (!authorization_.empty()) req.set(http::field::authorization, authorization_);
    for (auto& [k, v] : headers) req.set(k, v);
    req.keep_alive(true);
    req.body() = body;
    if (!body.empty() || method == "POST" || method == "PUT") req.prepare_payload();
    // One retry on a stale keep-alive connection that the server already closed.
    for (int attempt = 0;; ++attempt) {
        if (!impl_->connected()) impl_->connect();
        try {
            http_reply r = impl_->secure ? impl_->exchange(*impl_->secure, req) : impl_->exchange(*impl_->plain, req);
            if (!r.keep_alive) impl_->close();
            return r;
        } catch (const beast::system_error& e) {
            impl_->close();
            bool stale = e.code() == http::error::end_of_stream || e.code() == asio::error::connection_reset ||
                         e.code() == asio::error::eof;
            if (attempt == 0 && stale && impl_->opened > 1) continue;
            throw;
        }
    }
}

std::string http_client::raw_exchange(const std::string& bytes, int timeout_ms) {
    asio::io_context io;
    tcp::resolver resolver(io);
    beast::tcp_stream stream(io);
    stream.connect(resolver.resolve(impl_->host, std::to_string(impl_->port)));
    asio::write(stream.socket(), asio::buffer(bytes));
    std::string out;
    char buf[4096];
    stream.expires_after(std::chrono::milliseconds(timeout_ms));
    while (true) {
        beast::error_code ec;
        std::size_t n = stream.read_some(asio::buffer(buf), ec);
        out.append(buf, n);
        if (ec) break;
    }
    return out;
}

}  // namespace mistasync::test
