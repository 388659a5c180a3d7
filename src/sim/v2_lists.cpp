#include "v2_lists.hpp"

#include <cctype>

namespace mistasync::sim {

namespace json = boost::json;

std::size_t v2_start(std::optional<std::string_view> text) {
    if (!text) return 0;
    std::string_view s = *text;
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    bool negative = false;
    if (!s.empty() && (s.front() == '+' || s.front() == '-')) {
        negative = s.front() == '-';
        s.remove_prefix(1);
    }
    if (s.empty() || s.front() == '_' || s.back() == '_') return 0;
    std::size_t value = 0;
    bool after_underscore = false;
    for (char c : s) {
        if (c == '_') {
            if (after_underscore) return 0;  // "1__0" is not a number to Python
            after_underscore = true;
            continue;
        }
        if (c < '0' || c > '9') return 0;
        after_underscore = false;
        if (value > (static_cast<std::size_t>(-1) - 9) / 10) return static_cast<std::size_t>(-1);  // past any list
        value = value * 10 + static_cast<std::size_t>(c - '0');
    }
    return negative ? 0 : value;
}

std::size_t v2_limit(std::optional<long long> value) {
    if (!value || *value == 0) return 100;
    return *value < 0 ? 0 : static_cast<std::size_t>(*value);
}

v2_page page_of(std::size_t total, const v2_list_params& p) {
    if (p.start >= total) return {total, 0};
    const std::size_t left = total - p.start;
    return {p.start, p.limit < left ? p.limit : left};
}

namespace {

json::object meta_of(std::size_t total, std::size_t returned, const v2_list_params& p, std::string_view kind) {
    return json::object{{"kind", kind}, {"total", total}, {"returned", returned}, {"sort", p.sort}, {"start", p.start}};
}

}  // namespace

json::object v2_list_envelope(json::array data, std::size_t total, const v2_list_params& p, std::string_view kind) {
    const std::size_t returned = data.size();
    return json::object{{"data", std::move(data)}, {"meta", meta_of(total, returned, p, kind)}};
}

json::object v2_get_envelope(json::value item, std::size_t total, const v2_list_params& p, std::string_view kind) {
    return json::object{{"data", std::move(item)}, {"meta", meta_of(total, 1, p, kind)}};
}

bool v2_keeps(std::string_view only, std::string_view field, bool added_by_model) {
    // The model's own fields test the raw text ("'type' in only or not only").
    if (added_by_model) return only.empty() || only.find(field) != std::string_view::npos;
    // The standard ones its non-empty names (no name at all: every field).
    bool any_name = false;
    while (true) {
        const auto comma = only.find(',');
        const std::string_view name = only.substr(0, comma);
        if (!name.empty()) {
            any_name = true;
            if (name == field) return true;
        }
        if (comma == std::string_view::npos) break;
        only.remove_prefix(comma + 1);
    }
    return !any_name;
}

}  // namespace mistasync::sim
