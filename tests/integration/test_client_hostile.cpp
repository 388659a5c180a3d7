// The SDK against servers that are not mist.io: canned answers from a raw socket. Memory
// stays a small multiple of the body whatever a list holds; answers that cannot be
// machines are refused; redirects, rate limits beyond the deadline and silence end with
// messages that say what happened.
#include <boost/test/unit_test.hpp>

#include <mistasync/mistasync.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/streambuf.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include "errc_printing.hpp"

#include <atomic>
#include <fstream>
#include <functional>
#include <string>
#include <thread>

using namespace mistasync;
namespace asio = boost::asio;
using boost::system::error_code;
using namespace std::chrono_literals;

namespace {

// Memory figures mean nothing under sanitizers (shadow memory, quarantined frees).
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
constexpr bool measuring_memory = false;
#else
constexpr bool measuring_memory = true;
#endif
#else
constexpr bool measuring_memory = true;
#endif

// Answers every request with what `answer(request line)` returns (a whole HTTP response,
// or "" to say nothing and hold the connection until stopped).
class canned_server {
public:
    explicit canned_server(std::function<std::string(const std::string&)> answer)
        : answer_(std::move(answer)), acceptor_(io_, {asio::ip::make_address("127.0.0.1"), 0}) {
        thread_ = std::thread([this] {
            while (!stopping_) {
                asio::ip::tcp::socket s(io_);
                error_code ec;
                acceptor_.accept(s, ec);
                if (ec || stopping_) return;
                asio::streambuf head;
                asio::read_until(s, head, "\r\n\r\n", ec);
                if (ec) continue;
                std::string line(asio::buffers_begin(head.data()), asio::buffers_end(head.data()));
                line = line.substr(0, line.find("\r\n"));
                std::string reply = answer_(line);
                if (reply.empty()) {
                    held_.push_back(std::move(s));  // silence
                    continue;
                }
                asio::write(s, asio::buffer(reply), ec);
            }
        });
    }
    ~canned_server() {
        stopping_ = true;
        error_code ec;
        asio::ip::tcp::socket poke(io_);
        poke.connect(acceptor_.local_endpoint(), ec);
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

private:
    std::function<std::string(const std::string&)> answer_;
    asio::io_context io_;
    asio::ip::tcp::acceptor acceptor_;
    std::vector<asio::ip::tcp::socket> held_;
    std::atomic<bool> stopping_{false};
    std::thread thread_;
};

std::string reply(int status, const std::string& body, const std::string& extra_headers = {}) {
    return "HTTP/1.1 " + std::to_string(status) + " X\r\nContent-Type: application/json\r\nConnection: close\r\n" + extra_headers +
           "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

// A 2015 server with one backend, "b1", whose machine list is `machines`.
std::function<std::string(const std::string&)> one_backend(const std::string& machines_reply) {
    return [machines_reply](const std::string& line) {
        if (line.starts_with("GET /backends ")) return reply(200, R"([{"id":"b1","title":"B","provider":"ec2","enabled":true,"state":"online"}])");
        return machines_reply;
    };
}

client_options options_for(const canned_server& s) {
    client_options o;
    o.base_url = s.url();
    o.token = "t";
    o.era = api_era::legacy;
    o.retry.max_attempts = 1;
    return o;
}

long status_kb(const char* key) {
    std::ifstream f("/proc/self/status");
    for (std::string l; std::getline(f, l);)
        if (l.rfind(key, 0) == 0) return std::stol(l.substr(std::strlen(key)));
    return 0;
}

// Lists machines; returns the error, the count, and the peak RSS growth (kB) meanwhile.
std::tuple<error_code, std::size_t, long, diagnostics> list_measured(const canned_server& s) {
    asio::io_context io;
    client mist(io.get_executor(), options_for(s));
    diagnostics d;
    std::ofstream("/proc/self/clear_refs") << "5";  // resets the peak (VmHWM) to the current RSS
    long before = status_kb("VmRSS:");
    auto fut = asio::co_spawn(io, [&]() -> asio::awaitable<std::tuple<error_code, std::size_t>> {
        auto [ec, list] = co_await mist.with({.details = &d}).machines({}, asio::as_tuple(asio::use_awaitable));
        co_return std::tuple{ec, list.size()};
    }, asio::use_future);
    io.run();
    auto [ec, n] = fut.get();
    return {ec, n, status_kb("VmHWM:") - before, d};
}

}  // namespace

// About 6 MB of realistic 2015 machine documents (~10,000 machines): decoding costs at
// most 8 times the body.
BOOST_AUTO_TEST_CASE(a_six_megabyte_machine_list_costs_at_most_eight_times_its_size) {
    std::string body = "[";
    for (int i = 0; body.size() < 6'000'000; ++i) {
        if (i) body += ",";
        body += R"({"id":"i-)" + std::to_string(100000 + i) + R"(","uuid":"0123456789abcdef0123456789abcdef0123)" + std::to_string(1000 + i % 9000) +
                R"(","name":"web-)" + std::to_string(i) +
                R"(","state":"running","imageId":"ami-0123456789","size":"m1.small","public_ips":["203.0.113.7"],"private_ips":["10.0.0.7"],)"
                R"("extra":{"availability":"us-east-1a","instancetype":"m1.small","launchdatetime":"2015-03-01T10:00:00.000Z","keyname":"deploy",)"
                R"("tags":{"team":"infra"},"status":"running","dns_name":"ec2-203-0-113-7.compute-1.amazonaws.com"},)"
                R"("tags":[],"can_stop":true,"can_start":false,"can_reboot":true,"can_destroy":true,"can_rename":false,"can_tag":true})";
    }
    body += "]";
    canned_server s(one_backend(reply(200, body)));
    auto [ec, n, grew_kb, d] = list_measured(s);
    BOOST_TEST(!ec, d.to_string());
    BOOST_TEST(n > 9000u);
    double ratio = static_cast<double>(grew_kb) * 1024 / static_cast<double>(body.size());
    BOOST_TEST_MESSAGE(n << " machines, body " << body.size() / 1024 << " KB, peak RSS growth " << grew_kb << " KB: " << ratio << "x");
    if (measuring_memory) BOOST_TEST(ratio <= 8.0);
}

// 6 MB of "{}" would be two million blank machines (1.7 GB): refused, cheaply.
BOOST_AUTO_TEST_CASE(a_list_of_tiny_objects_is_refused_before_it_costs_memory) {
    for (std::string element : {std::string("{}"), std::string(R"({"id":"1"})")}) {
        std::string body = "[";
        while (body.size() < 6'000'000) body += element + ",";
        body += element + "]";
        canned_server s(one_backend(reply(200, body)));
        auto [ec, n, grew_kb, d] = list_measured(s);
        BOOST_TEST(ec == error_code(errc::bad_response));
        BOOST_TEST(d.client_message.find("too small to be machines") != std::string::npos, d.to_string());
        if (measuring_memory) BOOST_TEST(static_cast<double>(grew_kb) * 1024 <= 8.0 * static_cast<double>(body.size()));
    }
}

BOOST_AUTO_TEST_CASE(machines_with_neither_id_nor_name_are_a_bad_response) {
    std::string doc = R"({"state":"running","imageId":"ami-1","size":"m1.small","extra":{"note":")" + std::string(400, 'x') + R"("}})";
    canned_server s(one_backend(reply(200, "[" + doc + "," + doc + "]")));
    auto [ec, n, grew_kb, d] = list_measured(s);
    BOOST_TEST(ec == error_code(errc::bad_response));
    BOOST_TEST(d.client_message.find("neither id nor name") != std::string::npos, d.to_string());
}

// A redirect is not followed (the token would go with it); the error shows where to.
BOOST_AUTO_TEST_CASE(a_redirect_shows_its_location) {
    canned_server s([](const std::string&) { return reply(302, "", "Location: https://mist.example.com/backends\r\n"); });
    asio::io_context io;
    client mist(io.get_executor(), options_for(s));
    diagnostics d;
    error_code ec;
    mist.with({.details = &d}).backends({}, [&](error_code e, std::vector<backend>) { ec = e; });
    io.run();
    BOOST_TEST(!!ec);
    BOOST_TEST(d.http_status == 302);
    BOOST_TEST(d.client_message.find("redirected to https://mist.example.com/backends") != std::string::npos, d.to_string());
}

// A Retry-After longer than the call has left fails at once, saying so, instead of
// sleeping into a bare "timed out".
BOOST_AUTO_TEST_CASE(a_retry_after_beyond_the_deadline_fails_at_once) {
    canned_server s([](const std::string&) { return reply(429, "Rate Limit Error", "Retry-After: 30\r\n"); });
    asio::io_context io;
    auto o = options_for(s);
    o.retry.max_attempts = 4;
    client mist(io.get_executor(), o);
    diagnostics d;
    error_code ec;
    auto t0 = std::chrono::steady_clock::now();
    mist.with({.timeout = 5s, .details = &d}).backends({}, [&](error_code e, std::vector<backend>) { ec = e; });
    io.run();
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < 10s));  // not the 30 s asked for
    BOOST_TEST(ec == error_code(errc::rate_limited));
    BOOST_TEST(d.path == "/backends");
    BOOST_TEST(d.http_status == 429);
    BOOST_TEST(d.client_message.find("asked to wait 30 s (Retry-After)") != std::string::npos, d.to_string());
}

// A server that never answers: the deadline's error names the request and what was tried.
BOOST_AUTO_TEST_CASE(a_silent_server_times_out_with_the_request_named) {
    canned_server s([](const std::string&) { return std::string(); });
    asio::io_context io;
    client mist(io.get_executor(), options_for(s));
    diagnostics d;
    error_code ec;
    mist.with({.timeout = 1s, .details = &d}).backends({}, [&](error_code e, std::vector<backend>) { ec = e; });
    io.run();
    BOOST_TEST(ec == error_code(errc::timeout));
    BOOST_TEST(d.method == "GET");
    BOOST_TEST(d.path == "/backends");
    BOOST_TEST(d.attempts == 1);
    BOOST_TEST(d.client_message.find("deadline (1.0 s) passed during attempt 1") != std::string::npos, d.to_string());
    BOOST_TEST(d.request_sent);
}

// An exception's text is the request and the reason, never a library source location.
BOOST_AUTO_TEST_CASE(error_text_names_the_request_not_a_source_location) {
    asio::io_context io;
    client_options o;
    o.base_url = "http://127.0.0.1:1";  // nothing listens there
    o.token = "t";
    o.era = api_era::legacy;
    o.retry.max_attempts = 1;
    client mist(io.get_executor(), o);
    std::string text;
    asio::co_spawn(io, [&]() -> asio::awaitable<void> {
        try {
            co_await mist.backends();
        } catch (const mistasync::error& e) {
            text = e.what();
        }
    }, asio::detached);
    io.run();
    BOOST_TEST(text.find("GET /backends") != std::string::npos, text);
    BOOST_TEST(text.find("Connection refused") != std::string::npos, text);
    BOOST_TEST(text.find(".hpp") == std::string::npos, text);
    BOOST_TEST(text.find(" at ") == std::string::npos, text);
}
