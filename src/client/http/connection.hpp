// One connection of the pool: a TCP stream, or a TLS stream over one, with its read
// buffer. Private to the HTTP layer's Beast translation unit.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <optional>

namespace mistasync::detail {

struct connection {
    explicit connection(const boost::asio::any_io_executor& ex) : plain(ex) {}
    boost::beast::tcp_stream plain;                                          // used when not TLS
    std::optional<boost::beast::ssl_stream<boost::beast::tcp_stream>> secure;  // used when TLS
    boost::beast::flat_buffer buffer;
    bool reused = false;
    bool wrong_host = false;  ///< the handshake found a trusted certificate for another name

    boost::beast::tcp_stream& tcp() { return secure ? boost::beast::get_lowest_layer(*secure) : plain; }
    void close() {
        boost::beast::error_code ignored;
        tcp().socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
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

}  // namespace mistasync::detail
