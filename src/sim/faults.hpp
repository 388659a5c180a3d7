// Which fault, if any, a request meets: a pure function of the RNG, so a seeded
// simulator injects the same faults in the same order every run.
#pragma once

#include <mistasync/testing/simulator.hpp>

#include <random>
#include <string_view>

namespace mistasync::sim {

enum class fault_kind { none, http_500, http_503, http_429, drop_before, drop_after, stall, truncated, slow_body, malformed_json };

fault_kind pick_fault(std::mt19937_64& rng, double rate, const testing::fault_mix& mix);
std::string_view fault_name(fault_kind k);
/// Parses "500,503,429,drop-before,drop-after,stall,truncated,slow-body,malformed-json"
/// (or "all") into a mix with weight 1 for each named kind. Throws std::invalid_argument.
testing::fault_mix parse_fault_list(std::string_view list);

}  // namespace mistasync::sim
