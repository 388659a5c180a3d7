// Which fault, if any, a request meets: a pure function of the RNG, so a seeded
// simulator injects the same faults in the same order every run.
#pragma once

#include <mistasync/testing/simulator.hpp>

#include <random>
#include <string_view>
#include <vector>

namespace mistasync::sim {

enum class fault_kind { none, http_500, http_503, http_429, drop_before, drop_after, stall, truncated, slow_body, malformed_json };

fault_kind pick_fault(std::mt19937_64& rng, double rate, const testing::fault_mix& mix);
std::string_view fault_name(fault_kind k);
/// Parses "500,503,429,drop-before,drop-after,stall,truncated,slow-body,malformed-json"
/// (or "all") into a mix with weight 1 for each named kind. Throws std::invalid_argument.
testing::fault_mix parse_fault_list(std::string_view list);

/// The internal kind of a public fault.
fault_kind kind_of(testing::fault f);

/// Faults scripted for exact requests, each firing once.
class fault_script {
public:
    void add(testing::scripted_fault f) { pending_.push_back({std::move(f), 0}); }
    /// The scripted fault this request meets, counting it against every pending script.
    fault_kind on_request(std::string_view method, std::string_view path);
    bool empty() const { return pending_.empty(); }

private:
    struct entry {
        testing::scripted_fault fault;
        unsigned seen;
    };
    std::vector<entry> pending_;
};

/// True when `path` matches `pattern` segment by segment, "*" matching any one segment.
bool path_matches(std::string_view pattern, std::string_view path);

}  // namespace mistasync::sim
