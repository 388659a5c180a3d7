// The lenient readers every decoder uses: a missing or mistyped field reads as empty,
// zero or false, and numbers are clamped, never undefined behaviour (servers send
// anything: 1e300, NaN, "\n1\n").
#pragma once

#include "codec/json_text.hpp"

#include <boost/json/value.hpp>

#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::detail::lenient {
namespace json = boost::json;

inline const json::value* field(const json::value& doc, std::string_view key) {
    auto* o = doc.if_object();
    return o ? o->if_contains(key) : nullptr;
}

inline std::string text(const json::value& doc, std::string_view key) { return text_of(field(doc, key)); }

inline double number(const json::value* v) {
    if (!v) return 0;
    if (v->is_double()) return v->get_double();
    if (v->is_int64()) return static_cast<double>(v->get_int64());
    if (v->is_uint64()) return static_cast<double>(v->get_uint64());
    if (v->is_string()) return std::strtod(std::string(v->get_string()).c_str(), nullptr);  // 2015 probes: "\n1\n"
    return 0;
}

// A count or size as int: servers may send anything (1e300, NaN, -5): clamp, never UB.
inline int whole(double d) {
    if (!(d == d)) return 0;  // NaN
    if (d >= 2147483647.0) return 2147483647;
    if (d <= -2147483648.0) return -2147483647 - 1;
    return static_cast<int>(d);
}

inline bool flag(const json::value* v) {
    if (!v) return false;
    if (v->is_bool()) return v->get_bool();
    if (v->is_string()) return v->get_string() == "true" || v->get_string() == "True";
    return number(v) != 0;
}

inline std::vector<std::string> strings(const json::value* v) {
    std::vector<std::string> out;
    if (v && v->is_array())
        for (auto& e : v->get_array())
            if (e.is_string()) out.emplace_back(e.get_string());
    return out;
}

}  // namespace mistasync::detail::lenient
