// For comparison: a file that does the same with Beast, SSL and JSON directly.
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/json.hpp>

boost::asio::awaitable<std::size_t> count_machines(boost::beast::ssl_stream<boost::beast::tcp_stream>& stream) {
    namespace http = boost::beast::http;
    http::request<http::empty_body> req(http::verb::get, "/api/v1/machines", 11);
    co_await http::async_write(stream, req, boost::asio::use_awaitable);
    boost::beast::flat_buffer buffer;
    http::response<http::string_body> res;
    co_await http::async_read(stream, buffer, res, boost::asio::use_awaitable);
    co_return boost::json::parse(res.body()).as_array().size();
}
