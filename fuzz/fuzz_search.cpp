// libFuzzer: a v2 query value as mistsim reads it: a `search=` (parse_search,
// read_search), applied to a machine (matches_search), a `start=` (v2_start), a `deref=`
// (v2_deref) and a CSV `columns=` (v2_csv): any bytes up to the longest search it accepts.
#include "search_filter.hpp"
#include "search_parser.hpp"
#include "v2_csv.hpp"
#include "v2_docs.hpp"
#include "v2_lists.hpp"

#include <boost/json.hpp>

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
    (void)mistasync::sim::v2_start(search);
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
    try {
        const mistasync::sim::v2_deref deref(search);
        (void)deref.attribute("cloud", "name");
    } catch (const std::runtime_error&) {
        // where the server's own code fails (a 500)
    }
    static const boost::json::array rows{boost::json::object{{"name", "web-1"}, {"cost", {{"monthly", 14.4}}}, {"ips", {"1.2.3.4"}}},
                                         boost::json::object{{"name", "a,\"b\"\n"}, {"state", nullptr}}};
    (void)mistasync::sim::v2_csv(rows, search);
    return 0;
}
