// TLS: the client verifies the server's certificate and host name by default, against the
// system's trusted CAs, or against yours (tls_options::ca_file, ca_path). Turning
// verification off is explicit, and logged as insecure.
//
//   MIST_URL=https://mist.example.com MIST_TOKEN=... ./tls
//   MIST_URL=https://localhost:8443 MIST_CA_FILE=ca.pem MIST_TOKEN=... ./tls
//
// It calls the server twice: trusting only the system's CAs (which a private CA's
// certificate fails, with the reason), then with MIST_CA_FILE when it is set.
// run_tls_example.sh makes a private CA, starts mistsim with its certificate and runs this.
#include <mistasync/mistasync.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdlib>
#include <iostream>

namespace asio = boost::asio;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

asio::awaitable<bool> whoami(mistasync::client_options options, const char* label) {
    mistasync::client mist(co_await asio::this_coro::executor, options);
    mistasync::diagnostics d;
    auto [ec, who] = co_await mist.with({.details = &d}).whoami(use_tuple);
    if (ec) std::cout << label << ": " << ec.message() << "\n  " << d.client_message << "\n";
    else std::cout << label << ": verified, logged in as " << who << "\n";
    co_return !ec;
}

// Trusting the system's CAs, then (when given) the CA file too.
asio::awaitable<void> check(mistasync::client_options options, const char* ca_file, bool& ok) {
    ok = co_await whoami(options, "system CAs");
    if (!ca_file) co_return;
    options.tls.ca_file = ca_file;
    ok = co_await whoami(options, "MIST_CA_FILE");
}

int main() {
    const char* url = std::getenv("MIST_URL");
    if (!url || std::string(url).rfind("https://", 0) != 0) {
        std::cerr << "set MIST_URL to an https:// server (and MIST_TOKEN); run_tls_example.sh does it with mistsim\n";
        return 2;
    }
    mistasync::client_options options;
    options.base_url = url;
    if (const char* token = std::getenv("MIST_TOKEN")) options.token = token;
    // Warnings (such as "verification is OFF") go to stderr.
    options.logger = {mistasync::log_level::warning, [](mistasync::log_level, std::string_view text) { std::cerr << text << "\n"; }};

    asio::io_context io;
    bool ok = false;
    asio::co_spawn(io, check(options, std::getenv("MIST_CA_FILE"), ok), asio::detached);
    io.run();
    return ok ? 0 : 1;
}
