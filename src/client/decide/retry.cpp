#include "decide/retry.hpp"

#include <boost/asio/error.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/beast/http/error.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>

namespace mistasync::detail {

std::chrono::milliseconds backoff_delay(const retry_policy& p, int attempt, std::mt19937_64& rng) {
    double cap = static_cast<double>(p.max_backoff.count());
    double base = static_cast<double>(p.initial_backoff.count()) * std::pow(p.multiplier, std::max(0, attempt - 1));
    double ceiling = std::min(cap, base);
    std::uniform_real_distribution<double> jitter(0, ceiling);
    return std::chrono::milliseconds(static_cast<long long>(jitter(rng)));
}

std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value) {
    while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
    while (!value.empty() && value.back() == ' ') value.remove_suffix(1);
    if (value.empty() || value.size() > 6) return std::nullopt;
    long seconds = 0;
    for (char c : value) {
        if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
        seconds = seconds * 10 + (c - '0');
    }
    return std::chrono::milliseconds(seconds * 1000);
}

bool retryable_status(int status) noexcept {
    return status == 429 || status == 500 || status == 502 || status == 503 || status == 504;
}

bool retryable_transport_error(const boost::system::error_code& ec) noexcept {
    namespace ae = boost::asio::error;
    return ec == ae::connection_refused || ec == ae::connection_reset || ec == ae::connection_aborted ||
           ec == ae::eof || ec == ae::broken_pipe || ec == ae::host_unreachable || ec == ae::network_unreachable ||
           ec == ae::timed_out || ec == ae::try_again ||
           // The server closed the connection before or while answering.
           ec == boost::beast::http::error::end_of_stream || ec == boost::beast::http::error::partial_message ||
           ec == boost::asio::ssl::error::stream_truncated;
}

}  // namespace mistasync::detail
