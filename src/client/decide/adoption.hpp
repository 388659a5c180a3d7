// Which listed machine a create of unknown outcome made, if any: named like it, not there
// before the batch, not another item's; a name with exactly one such machine adopts it,
// a name with several adopts none (it cannot tell which is its own, and adopting a
// stranger's would later destroy it). No I/O: the batch lists, this decides, unit tests
// feed it lists.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

namespace mistasync::detail {

/// A machine as a list shows it: what adoption reads of it.
struct listed_machine {
    std::string_view id;
    std::string_view name;
};

struct adoption_plan {
    struct adoption {
        std::size_t wanted;  ///< index into the names looked for
        std::size_t listed;  ///< index into the list
    };
    std::vector<adoption> adopt;         ///< each name that found exactly one candidate
    std::vector<std::size_t> ambiguous;  ///< names with several candidates (none adopted)
};

/// `wanted`: the names of the creates looked for. `not_ours`: ids that can be none of
/// them (there before the batch, or already another item's).
adoption_plan plan_adoptions(std::span<const std::string> wanted, std::span<const listed_machine> listed,
                             const std::unordered_set<std::string>& not_ours);

}  // namespace mistasync::detail
