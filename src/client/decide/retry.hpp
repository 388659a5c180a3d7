// When to retry and how long to wait: pure functions, unit-tested with a seeded RNG.
#pragma once

#include <mistasync/config.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>
#include <random>
#include <string_view>

namespace mistasync::detail {

/// Full-jitter exponential backoff: uniform in [0, min(max, initial * multiplier^(n-1))].
std::chrono::milliseconds backoff_delay(const retry_policy& p, int attempt, std::mt19937_64& rng);

/// Retry-After as delta-seconds ("3"); nullopt when absent or not a number.
std::optional<std::chrono::milliseconds> parse_retry_after(std::string_view value);

/// Statuses worth another try for an idempotent request.
bool retryable_status(int status) noexcept;

/// Transport errors worth another try (connection refused/reset, timeouts of a connect).
bool retryable_transport_error(const boost::system::error_code& ec) noexcept;

/// A retry budget: spend one token per retry, earn a fraction per success.
class retry_budget {
public:
    explicit retry_budget(const retry_policy& p) : capacity_(p.budget_capacity), refill_(p.budget_refill), tokens_(p.budget_capacity) {}
    bool try_spend() {
        if (tokens_ < 1) return false;
        tokens_ -= 1;
        return true;
    }
    void on_success() { tokens_ = std::min(capacity_, tokens_ + refill_); }
    double tokens() const { return tokens_; }

private:
    double capacity_, refill_, tokens_;
};

}  // namespace mistasync::detail
