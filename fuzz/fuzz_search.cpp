// libFuzzer: a v2 `search=` value as mistsim reads it (parse_search, read_search) and
// applies it to a machine (matches_search): any bytes up to the longest search it accepts.
#include "search_filter.hpp"
#include "search_parser.hpp"

#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > mistasync::sim::max_search_length) return 0;  // refused before it is read
    const std::string_view search(reinterpret_cast<const char*>(data), size);
    std::size_t total = 0;
    for (auto& term : mistasync::sim::parse_search(search)) total += term.size();
    (void)total;
    static const std::vector<std::pair<std::string, std::string>> tags{{"dev", "value1"}, {"team", ""}};
    mistasync::sim::searchable cloud{"c-1", "EC2 AP NORTHEAST", nullptr, {}, nullptr};
    mistasync::sim::searchable machine{"m-1", "web-1", &tags,
                                       [](std::string_view key) -> std::optional<std::string> {
                                           if (key == "state") return "running";
                                           if (key == "cores") return "2";
                                           return std::nullopt;
                                       },
                                       &cloud};
    try {
        (void)mistasync::sim::matches_search(mistasync::sim::read_search(search), machine);
    } catch (const std::invalid_argument&) {
        // refused as the server refuses it
    }
    return 0;
}
