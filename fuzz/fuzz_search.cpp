// libFuzzer: a v2 `search=` value as mistsim tokenizes it (parse_search): any bytes up to
// the longest search it accepts.
#include "search_parser.hpp"

#include <cstddef>
#include <cstdint>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > mistasync::sim::max_search_length) return 0;  // refused before it is read
    const std::string_view search(reinterpret_cast<const char*>(data), size);
    std::size_t total = 0;
    for (auto& term : mistasync::sim::parse_search(search)) total += term.size();
    (void)total;
    return 0;
}
