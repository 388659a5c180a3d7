#include "raw_http_load.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/json/parse.hpp>

#include <algorithm>
#include <fstream>
#include <time.h>
#include <unistd.h>

namespace mistasync::bench {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

asio::awaitable<void> worker(unsigned short port, const std::string& target, const std::string& authorization,
                             std::chrono::steady_clock::time_point end, std::size_t reserve_bytes, load_result& out) {
    auto ex = co_await asio::this_coro::executor;
    beast::tcp_stream stream(ex);
    auto [cec] = co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port),
                                               asio::as_tuple(asio::use_awaitable));
    if (cec) {
        ++out.failures;
        co_return;
    }
    beast::flat_buffer buffer;
    if (reserve_bytes) buffer.reserve(reserve_bytes);
    http::request<http::empty_body> req(http::verb::get, target, 11);
    req.set(http::field::host, "127.0.0.1");
    if (!authorization.empty()) req.set(http::field::authorization, authorization);
    req.keep_alive(true);
    while (std::chrono::steady_clock::now() < end) {
        auto t0 = std::chrono::steady_clock::now();
        auto [wec, wn] = co_await http::async_write(stream, req, asio::as_tuple(asio::use_awaitable));
        http::response<http::string_body> res;
        auto [rec, rn] = co_await http::async_read(stream, buffer, res, asio::as_tuple(asio::use_awaitable));
        if (wec || rec || res.result_int() != 200) {
            ++out.failures;
            co_return;
        }
        boost::system::error_code jec;
        auto doc = boost::json::parse(res.body(), jec);
        if (jec) ++out.failures;
        ++out.requests;
        out.latencies_us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    }
}

}  // namespace

load_result raw_get_load(unsigned short port, const std::string& target, const std::string& authorization,
                         int concurrency, std::chrono::milliseconds duration, std::size_t reserve_bytes) {
    asio::io_context io(1);
    load_result result;
    auto start = std::chrono::steady_clock::now();
    double cpu_start = thread_cpu_seconds();
    auto end = start + duration;
    for (int i = 0; i < concurrency; ++i)
        asio::co_spawn(io, worker(port, target, authorization, end, reserve_bytes, result), asio::detached);
    io.run();
    result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    result.cpu_seconds = thread_cpu_seconds() - cpu_start;
    return result;
}

double thread_cpu_seconds() {
    timespec ts{};
    ::clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

double percentile(std::vector<double> values, double p) {
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    auto idx = static_cast<std::size_t>(p * (values.size() - 1));
    return values[idx];
}

double median(std::vector<double> values) { return percentile(std::move(values), 0.5); }

std::size_t resident_bytes() {
    std::ifstream statm("/proc/self/statm");
    std::size_t pages_total = 0, pages_resident = 0;
    statm >> pages_total >> pages_resident;
    return pages_resident * static_cast<std::size_t>(sysconf(_SC_PAGESIZE));
}

}  // namespace mistasync::bench
