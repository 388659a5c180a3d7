// The SDK over HTTPS against the simulator with a test CA made by `openssl` at test
// time: verification on by default, host names checked, the insecure switch explicit.
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"
#include "test_ca.hpp"

#include <boost/asio/as_tuple.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

const test_ca& ca() {
    static test_ca instance = make_test_ca();
    return instance;
}

testing::simulator_options tls_server(bool wrong_host = false, bool expired = false) {
    auto o = fast_options();
    o.tls_cert_file = wrong_host ? ca().wrong_host_cert : expired ? ca().expired_cert : ca().server_cert;
    o.tls_key_file = wrong_host ? ca().wrong_host_key : expired ? ca().expired_key : ca().server_key;
    return o;
}

std::tuple<error_code, std::vector<backend>, std::string> list_backends(client_env& env, client_options o) {
    diagnostics d;
    auto mist = env.make(o).with({.details = &d});
    auto [ec, list] = env.run([&]() -> asio::awaitable<std::tuple<error_code, std::vector<backend>>> {
        co_return co_await mist.backends({}, asio::as_tuple(asio::use_awaitable));
    });
    return {ec, list, d.to_string() + " / " + ec.message()};
}

}  // namespace

BOOST_AUTO_TEST_CASE(both_eras_over_https_with_the_right_ca) {
    client_env env(tls_server());
    for (api_era era : {api_era::legacy, api_era::v1, api_era::automatic}) {
        auto o = env.options(era);
        o.base_url = "https://localhost:" + std::to_string(env.sim.port());
        o.tls.ca_file = ca().ca_cert;
        auto [ec, list, text] = list_backends(env, o);
        BOOST_TEST(!ec, text);
        BOOST_TEST(list.size() == 3u);
    }
    // Machines, create and probe over TLS too.
    auto o = env.options(api_era::v1);
    o.base_url = "https://127.0.0.1:" + std::to_string(env.sim.port());  // the certificate names the IP too
    o.tls.ca_file = ca().ca_cert;
    auto mist = env.make(o);
    auto created = env.run([&]() -> asio::awaitable<created_machine> {
        auto b = (co_await mist.backends({.name = "NephoScale"})).at(0);
        co_return co_await b.create_machine({.name = "tls-made", .image = "51", .size = "221"});
    });
    BOOST_TEST(created.name == "tls-made");
    // A list of many TLS records (v1 writes ~1.7 KB a machine): all of it arrives.
    const std::size_t listed = env.run([&]() -> asio::awaitable<std::size_t> {
        auto b = (co_await mist.backends({.name = "NephoScale"})).at(0);
        for (int i = 0; i < 40; ++i) co_await b.create_machine({.name = "tls-" + std::to_string(i), .image = "51", .size = "221"});
        co_return (co_await b.machines()).size();
    });
    BOOST_TEST(listed >= 41u);
}

BOOST_AUTO_TEST_CASE(unknown_ca_is_refused) {
    client_env env(tls_server());
    auto o = env.options(api_era::v1);
    o.base_url = "https://localhost:" + std::to_string(env.sim.port());
    o.tls.ca_file = ca().other_ca_cert;
    auto [ec, list, text] = list_backends(env, o);
    BOOST_TEST(!!ec);
    BOOST_TEST(text.find("certificate verify failed") != std::string::npos, text);
    BOOST_TEST(text.find("unable to get local issuer certificate") != std::string::npos, text);
    // The system trust store does not know the test CA either.
    o.tls.ca_file.clear();
    auto [ec2, list2, text2] = list_backends(env, o);
    BOOST_TEST(text2.find("certificate verify failed") != std::string::npos, text2);
}

BOOST_AUTO_TEST_CASE(wrong_host_name_is_refused) {
    client_env env(tls_server(/*wrong_host=*/true));
    auto o = env.options(api_era::v1);
    o.base_url = "https://localhost:" + std::to_string(env.sim.port());
    o.tls.ca_file = ca().ca_cert;  // trusted CA, but the certificate is for mist.example.com
    auto [ec, list, text] = list_backends(env, o);
    BOOST_TEST(!!ec);
    BOOST_TEST(text.find("certificate verify failed") != std::string::npos, text);
    BOOST_TEST(text.find("does not name localhost") != std::string::npos, text);  // which name was expected
}

BOOST_AUTO_TEST_CASE(expired_certificate_is_refused) {
    client_env env(tls_server(false, /*expired=*/true));
    auto o = env.options(api_era::v1);
    o.base_url = "https://localhost:" + std::to_string(env.sim.port());
    o.tls.ca_file = ca().ca_cert;  // trusted CA, right name, but expired
    auto [ec, list, text] = list_backends(env, o);
    BOOST_TEST(!!ec);
    BOOST_TEST(text.find("certificate verify failed") != std::string::npos, text);
    BOOST_TEST(text.find("has expired") != std::string::npos, text);
}

BOOST_AUTO_TEST_CASE(insecure_switch_works_and_says_so) {
    client_env env(tls_server(/*wrong_host=*/true));
    auto o = env.options(api_era::v1);
    o.base_url = "https://localhost:" + std::to_string(env.sim.port());
    o.tls.verify = false;
    std::vector<std::string> warnings;
    o.logger = {log_level::warning, [&](log_level, std::string_view t) { warnings.emplace_back(t); }};
    auto [ec, list, text] = list_backends(env, o);
    BOOST_TEST(!ec, text);
    BOOST_TEST(list.size() == 3u);
    BOOST_REQUIRE(!warnings.empty());
    BOOST_TEST(warnings[0].find("TLS verification is OFF") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(https_never_falls_back_to_http) {
    client_env env;  // a plain HTTP server
    auto o = env.options(api_era::v1);
    o.base_url = "https://127.0.0.1:" + std::to_string(env.sim.port());
    o.retry.max_attempts = 1;
    auto [ec, list, text] = list_backends(env, o);
    BOOST_TEST(!!ec, text);
    BOOST_TEST(list.empty());
}
