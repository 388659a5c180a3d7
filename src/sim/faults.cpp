#include "faults.hpp"

#include <array>
#include <stdexcept>
#include <string>

namespace mistasync::sim {
namespace {

struct kind_entry {
    fault_kind kind;
    std::string_view name;
    double testing::fault_mix::*weight;
};

constexpr std::array<kind_entry, 9> kinds{{
    {fault_kind::http_500, "500", &testing::fault_mix::http_500},
    {fault_kind::http_503, "503", &testing::fault_mix::http_503},
    {fault_kind::http_429, "429", &testing::fault_mix::http_429},
    {fault_kind::drop_before, "drop-before", &testing::fault_mix::drop_before},
    {fault_kind::drop_after, "drop-after", &testing::fault_mix::drop_after},
    {fault_kind::stall, "stall", &testing::fault_mix::stall},
    {fault_kind::truncated, "truncated", &testing::fault_mix::truncated},
    {fault_kind::slow_body, "slow-body", &testing::fault_mix::slow_body},
    {fault_kind::malformed_json, "malformed-json", &testing::fault_mix::malformed_json},
}};

}  // namespace

fault_kind pick_fault(std::mt19937_64& rng, double rate, const testing::fault_mix& mix) {
    if (rate <= 0) return fault_kind::none;
    std::uniform_real_distribution<double> unit(0, 1);
    if (unit(rng) >= rate) return fault_kind::none;
    double total = 0;
    for (auto& k : kinds) total += std::max(0.0, mix.*k.weight);
    if (total <= 0) return fault_kind::none;
    double x = unit(rng) * total;
    for (auto& k : kinds) {
        double w = std::max(0.0, mix.*k.weight);
        if (x < w) return k.kind;
        x -= w;
    }
    return kinds.back().kind;
}

std::string_view fault_name(fault_kind k) {
    for (auto& e : kinds)
        if (e.kind == k) return e.name;
    return "none";
}

testing::fault_mix parse_fault_list(std::string_view list) {
    if (list == "all") return testing::fault_mix::all();
    testing::fault_mix mix;
    std::size_t start = 0;
    while (start <= list.size()) {
        auto comma = list.find(',', start);
        auto name = list.substr(start, comma - start);
        bool known = false;
        for (auto& k : kinds)
            if (k.name == name) {
                mix.*k.weight = 1;
                known = true;
            }
        if (!known) throw std::invalid_argument("unknown fault kind '" + std::string(name) + "'");
        if (comma == std::string_view::npos) break;
        start = comma + 1;
    }
    return mix;
}

fault_kind kind_of(testing::fault f) {
    // fault_kind is fault with `none` in front.
    static_assert(static_cast<int>(fault_kind::malformed_json) == static_cast<int>(testing::fault::malformed_json) + 1);
    return static_cast<fault_kind>(static_cast<int>(f) + 1);
}

bool path_matches(std::string_view pattern, std::string_view path) {
    while (true) {
        const auto p_end = pattern.find('/', 1);
        const auto q_end = path.find('/', 1);
        const std::string_view p_segment = pattern.substr(0, p_end);
        const std::string_view q_segment = path.substr(0, q_end);
        if (p_segment != "/*" && p_segment != q_segment) return false;
        if (p_segment == "/*" && q_segment.size() < 2) return false;  // "*" is one non-empty segment
        if (p_end == std::string_view::npos || q_end == std::string_view::npos) return p_end == q_end;
        pattern.remove_prefix(p_end);
        path.remove_prefix(q_end);
    }
}

fault_kind fault_script::on_request(std::string_view method, std::string_view path) {
    fault_kind hit = fault_kind::none;
    for (auto it = pending_.begin(); it != pending_.end();) {
        if (it->fault.method != method || !path_matches(it->fault.path, path)) {
            ++it;
            continue;
        }
        // Due and not beaten to this request by another script (else it takes the next one).
        if (++it->seen < it->fault.nth || hit != fault_kind::none) {
            ++it;
            continue;
        }
        hit = kind_of(it->fault.kind);
        it = pending_.erase(it);
    }
    return hit;
}

}  // namespace mistasync::sim
