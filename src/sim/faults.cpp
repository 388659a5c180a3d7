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

}  // namespace mistasync::sim
