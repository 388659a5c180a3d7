#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace mistasync::sim {
namespace {

void append_hex4(std::string& out, unsigned v) {
    char buf[8];
    std::snprintf(buf, sizeof buf, "\\u%04x", v & 0xffffu);
    out += buf;
}

// Decodes one UTF-8 sequence; invalid bytes come back as U+FFFD, one byte consumed.
char32_t next_code_point(const unsigned char*& p, const unsigned char* end) {
    unsigned c = *p++;
    int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    if (extra == 0) return c < 0x80 ? c : 0xfffd;
    char32_t cp = c & (0x3f >> extra);
    for (int i = 0; i < extra; ++i) {
        if (p == end || (*p & 0xc0) != 0x80) return 0xfffd;
        cp = (cp << 6) | (*p++ & 0x3f);
    }
    return cp;
}

void append_string(std::string& out, std::string_view s) {
    out += '"';
    auto p = reinterpret_cast<const unsigned char*>(s.data());
    auto end = p + s.size();
    while (p != end) {
        // Copy the run of characters that need no escaping in one go.
        auto run = p;
        while (run != end && *run >= 0x20 && *run < 0x80 && *run != '"' && *run != '\\') ++run;
        if (run != p) {
            out.append(reinterpret_cast<const char*>(p), run - p);
            p = run;
            continue;
        }
        unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            switch (c) {
            case '"': out += "\\\""; break;
            case '\\': out += "\\\\"; break;
            case '\n': out += "\\n"; break;
            case '\r': out += "\\r"; break;
            case '\t': out += "\\t"; break;
            case '\b': out += "\\b"; break;
            case '\f': out += "\\f"; break;
            default:
                if (c < 0x20) append_hex4(out, c);
                else out += static_cast<char>(c);
            }
            continue;
        }
        char32_t cp = next_code_point(p, end);
        if (cp >= 0x10000) {
            cp -= 0x10000;
            append_hex4(out, 0xd800 + (cp >> 10));
            append_hex4(out, 0xdc00 + (cp & 0x3ff));
        } else {
            append_hex4(out, cp);
        }
    }
    out += '"';
}

// Python's float repr: shortest round-trip digits, fixed notation for 1e-4 <= |x| < 1e16,
// always with a decimal point or exponent.
void append_double(std::string& out, double d) {
    if (std::isnan(d)) { out += "NaN"; return; }
    if (std::isinf(d)) { out += d > 0 ? "Infinity" : "-Infinity"; return; }
    char buf[64];
    double mag = std::fabs(d);
    std::to_chars_result r;
    bool fixed = mag == 0 || (mag >= 1e-4 && mag < 1e16);
    if (fixed) r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::fixed);
    else r = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
    std::string_view text(buf, r.ptr - buf);
    if (fixed) {
        out += text;
        if (text.find('.') == std::string_view::npos) out += ".0";
        return;
    }
    // to_chars writes 1e+16; Python writes 1e+16 too, but "1.5e-05" with two exponent digits.
    auto e = text.find('e');
    out += text.substr(0, e + 2);
    auto digits = text.substr(e + 2);
    if (digits.size() < 2) out += '0';
    out += digits;
}

}  // namespace

void append_python_json(std::string& out, const boost::json::value& v) {
    switch (v.kind()) {
    case boost::json::kind::null: out += "null"; break;
    case boost::json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case boost::json::kind::int64: out += std::to_string(v.get_int64()); break;
    case boost::json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case boost::json::kind::double_: append_double(out, v.get_double()); break;
    case boost::json::kind::string: append_string(out, v.get_string()); break;
    case boost::json::kind::array: {
        out += '[';
        bool first = true;
        for (auto& e : v.get_array()) {
            if (!first) out += ", ";
            first = false;
            append_python_json(out, e);
        }
        out += ']';
        break;
    }
    case boost::json::kind::object: {
        out += '{';
        bool first = true;
        for (auto& kv : v.get_object()) {
            if (!first) out += ", ";
            first = false;
            append_string(out, kv.key());
            out += ": ";
            append_python_json(out, kv.value());
        }
        out += '}';
        break;
    }
    }
}

namespace {

void newline(std::string& out, int depth) {
    out += '\n';
    out.append(static_cast<std::size_t>(depth) * 2, ' ');
}

void append_flask_json(std::string& out, const boost::json::value& v, int depth) {
    if (v.is_array() && !v.get_array().empty()) {
        out += '[';
        bool first = true;
        for (auto& e : v.get_array()) {
            if (!first) out += ',';
            first = false;
            newline(out, depth + 1);
            append_flask_json(out, e, depth + 1);
        }
        newline(out, depth);
        out += ']';
    } else if (v.is_object() && !v.get_object().empty()) {
        std::vector<const boost::json::key_value_pair*> sorted;
        for (auto& kv : v.get_object()) sorted.push_back(&kv);
        std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
        out += '{';
        bool first = true;
        for (auto* kv : sorted) {
            if (!first) out += ',';
            first = false;
            newline(out, depth + 1);
            append_string(out, kv->key());
            out += ": ";
            append_flask_json(out, kv->value(), depth + 1);
        }
        newline(out, depth);
        out += '}';
    } else {
        append_python_json(out, v);
    }
}

}  // namespace

std::string to_flask_json(const boost::json::value& value) {
    std::string out;
    out.reserve(4096);
    append_flask_json(out, value, 0);
    out += '\n';
    return out;
}

std::string to_python_json(const boost::json::value& value) {
    std::string out;
    out.reserve(4096);
    append_python_json(out, value);
    return out;
}

}  // namespace mistasync::sim
