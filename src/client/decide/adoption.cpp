#include "decide/adoption.hpp"

#include <map>

namespace mistasync::detail {

adoption_plan plan_adoptions(std::span<const std::string> wanted, std::span<const listed_machine> listed,
                             const std::unordered_set<std::string>& not_ours) {
    std::multimap<std::string_view, std::size_t> by_name;
    for (std::size_t i = 0; i < listed.size(); ++i)
        if (!not_ours.contains(std::string(listed[i].id))) by_name.emplace(listed[i].name, i);
    adoption_plan plan;
    for (std::size_t k = 0; k < wanted.size(); ++k) {
        auto [first, last] = by_name.equal_range(wanted[k]);
        if (first == last) continue;
        if (std::next(first) != last) {
            plan.ambiguous.push_back(k);
            continue;
        }
        plan.adopt.push_back({k, first->second});
        by_name.erase(first);
    }
    return plan;
}

}  // namespace mistasync::detail
