// Matching a request's path against a route's pattern, and reading form bodies: what the
// API does for every request of every era.
#include "route_tables.hpp"

#include <boost/json.hpp>

namespace mistasync::sim {
namespace json = boost::json;

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (true) {
        auto slash = path.find('/', start);
        out.push_back(path.substr(start, slash - start));
        if (slash == std::string_view::npos) break;
        start = slash + 1;
    }
    return out;
}

bool match_route(const route& r, const std::vector<std::string_view>& segs, std::vector<std::string>& args) {
    auto pat = split_path(r.pattern);
    args.clear();
    for (std::size_t i = 0; i < pat.size(); ++i) {
        if (pat[i] == "{*}") {
            if (i >= segs.size()) return false;
            std::string rest;
            for (std::size_t k = i; k < segs.size(); ++k) {
                if (k > i) rest += '/';
                rest += segs[k];
            }
            if (rest.empty()) return false;
            args.push_back(std::move(rest));
            return true;
        }
        if (i >= segs.size()) return false;
        if (pat[i] == "{}") {
            if (segs[i].empty()) return false;
            args.emplace_back(segs[i]);
        } else if (pat[i] != segs[i]) {
            return false;
        }
    }
    return pat.size() == segs.size();
}

json::value parse_form(std::string_view body) {
    json::object o;
    std::size_t start = 0;
    while (start <= body.size()) {
        auto amp = body.find('&', start);
        auto pair = body.substr(start, amp - start);
        if (!pair.empty()) {
            auto eq = pair.find('=');
            auto k = percent_decode(pair.substr(0, eq), true);
            auto v = percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
            if (k && v) o[*k] = *v;
        }
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    return o;
}

}  // namespace mistasync::sim
