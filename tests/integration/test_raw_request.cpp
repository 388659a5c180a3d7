// The raw call (client::request): any path, with the login, the era's prefix, retries for
// reads only, and errors and diagnostics as any operation's.
#include <boost/test/unit_test.hpp>

#include "in_process_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
namespace json = boost::json;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr api_era eras[] = {api_era::legacy, api_era::v1};

std::string header(const raw_response& r, std::string_view name) {
    for (auto& [k, v] : r.headers)
        if (std::equal(k.begin(), k.end(), name.begin(), name.end(), [](char a, char b) { return std::tolower(a) == std::tolower(b); }))
            return v;
    return {};
}

const char* backends_path(api_era era) { return era == api_era::v1 ? "/clouds" : "/backends"; }

}  // namespace

BOOST_AUTO_TEST_CASE(a_get_logs_in_adds_the_era_prefix_and_returns_status_headers_and_body) {
    client_env env;  // over a socket: the headers as the server wrote them
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            raw_response r = env.run([&]() -> asio::awaitable<raw_response> { co_return co_await mist.request("GET", backends_path(era)); });
            BOOST_TEST(r.status == 200);
            BOOST_TEST(header(r, "Content-Type").find("application/json") == 0u);
            BOOST_TEST(!header(r, "Content-Length").empty());
            json::value doc = json::parse(r.body);
            BOOST_TEST(doc.as_array().size() == 3u);
            if (era == api_era::v1) {  // a path with its prefix goes as it is
                raw_response same = env.run([&]() -> asio::awaitable<raw_response> { co_return co_await mist.request("GET", "/api/v1/clouds"); });
                BOOST_TEST(same.body == r.body);
            }
        }
    }
}

BOOST_AUTO_TEST_CASE(a_post_with_a_body_is_carried_out) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            const std::string name = std::string("raw-") + era_name(era);
            raw_response r = env.run([&]() -> asio::awaitable<raw_response> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                std::string path = std::string(backends_path(era)) + "/" + b.id + "/machines";
                co_return co_await mist.request("POST", path, R"({"name": ")" + name + R"(", "image": "51", "size": "221"})");
            });
            BOOST_TEST(r.status == 200);
            BOOST_TEST(json::parse(r.body).at("name").as_string() == name);
            BOOST_TEST(env.sim.machines_named(name) == 1u);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_get_whose_answer_was_lost_is_sent_again) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            int retries = 0;
            client_options o;
            o.hooks.on_retry = [&](const request_event&, std::chrono::milliseconds) { ++retries; };
            auto mist = env.make(era, o);
            env.run([&]() -> asio::awaitable<void> { co_await mist.backends(); });  // logged in
            const char* path = era == api_era::v1 ? "/api/v1/keys" : "/keys";
            env.sim.script_fault({.method = "GET", .path = path, .nth = 1, .kind = testing::fault::drop_after});
            auto [ec, r] = env.run([&]() -> asio::awaitable<std::tuple<error_code, raw_response>> {
                co_return co_await mist.request("GET", "/keys", use_tuple);
            });
            BOOST_TEST(!ec, ec.message());
            BOOST_TEST(r.status == 200);
            BOOST_TEST(retries == 1);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_post_whose_answer_was_lost_is_not_sent_again) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            const std::string name = std::string("once-") + era_name(era);
            std::string backend_id = env.run([&]() -> asio::awaitable<std::string> {
                co_return (co_await mist.find_backend({.name = "NephoScale"})).id;
            });
            env.sim.script_fault({.method = "POST", .path = era == api_era::v1 ? "/api/v1/clouds/*/machines" : "/backends/*/machines",
                                  .nth = 1, .kind = testing::fault::drop_after});
            diagnostics d;
            auto [ec, r] = env.run([&]() -> asio::awaitable<std::tuple<error_code, raw_response>> {
                std::string path = std::string(backends_path(era)) + "/" + backend_id + "/machines";
                co_return co_await mist.request("POST", path, R"({"name": ")" + name + R"(", "image": "51", "size": "221"})",
                                                with_diagnostics(d, use_tuple));
            });
            BOOST_TEST(!!ec);
            BOOST_TEST(d.attempts == 1);
            BOOST_TEST(d.request_sent);
            BOOST_TEST(env.sim.machines_named(name) == 1u);  // made once, never twice
        }
    }
}

BOOST_AUTO_TEST_CASE(an_error_status_fails_the_call_with_the_server_text) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            diagnostics d;
            auto [ec, r] = env.run([&]() -> asio::awaitable<std::tuple<error_code, raw_response>> {
                co_return co_await mist.request("GET", std::string(backends_path(era)) + "/nosuchbackend/machines",
                                                with_diagnostics(d, use_tuple));
            });
            BOOST_TEST(ec == errc::not_found);
            BOOST_TEST(d.http_status == 404);
            BOOST_TEST(!d.server_message.empty());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_malformed_method_or_path_is_refused_before_sending) {
    in_process_env env;
    auto mist = env.make(api_era::v1);
    for (auto call : {std::pair{"get", "/clouds"}, {"GET", "clouds"}, {"GET", "/clouds\r\nX: y"}, {"GET", "/a b"}, {"", "/clouds"}}) {
        const std::string method = call.first, path = call.second;
        BOOST_TEST_CONTEXT(method << " " << path) {
            auto before = env.sim.stats().requests;
            auto [ec, r] = env.run([&]() -> asio::awaitable<std::tuple<error_code, raw_response>> {
                co_return co_await mist.request(method, path, use_tuple);
            });
            BOOST_TEST(ec == errc::invalid_argument);
            BOOST_TEST(env.sim.stats().requests == before);
        }
    }
}
