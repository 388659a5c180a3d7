// -o yaml: a JSON document as block YAML that reads back as the same document, under YAML
// 1.1 readers (PyYAML's safe_load) as under 1.2 ones (yaml-cpp). Written here rather than
// with yaml-cpp's emitter, which leaves DEL and U+2028 raw inside double quotes (PyYAML
// refuses the first and folds the second into a space) and cannot be told to quote "yes",
// "on" or "<<" as keys. The rule: a string is plain only when no reader could take it for
// anything else; otherwise it is double-quoted with every character a reader could
// change escaped. Numbers are the shortest decimal that reads back to the same value.
#include "cli.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>

namespace mistcli {

namespace json = boost::json;

namespace {

bool plain_safe(std::string_view s) {
    if (s.empty() || s.size() > 200) return false;
    const char first = s.front();
    if (!std::isalpha(static_cast<unsigned char>(first)) && first != '_' && first != '/') return false;
    if (!std::all_of(s.begin(), s.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '/' || c == '-';
        }))
        return false;
    // YAML 1.1 reads these as booleans or null, in any case.
    std::string lower(s);
    for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    for (const char* word : {"y", "n", "yes", "no", "on", "off", "true", "false", "null"})
        if (lower == word) return false;
    return true;
}

void append_hex(std::string& out, unsigned value) {
    static constexpr char digits[] = "0123456789ABCDEF";
    out += "\\x";
    out += digits[(value >> 4) & 15];
    out += digits[value & 15];
}

void append_quoted(std::string& out, std::string_view s) {
    out += '"';
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        const auto next = i + 1 < s.size() ? static_cast<unsigned char>(s[i + 1]) : 0u;
        const auto third = i + 2 < s.size() ? static_cast<unsigned char>(s[i + 2]) : 0u;
        if (c == '"') out += "\\\"";
        else if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else if (c == '\t') out += "\\t";
        else if (c == '\r') out += "\\r";
        else if (c < 0x20 || c == 0x7F) append_hex(out, c);
        else if (c == 0xC2 && next == 0x85) out += "\\N", ++i;                     // NEL: a line break to YAML 1.1
        else if (c == 0xC2 && next >= 0x80 && next <= 0x9F) append_hex(out, next), ++i;  // C1 controls
        else if (c == 0xE2 && next == 0x80 && third == 0xA8) out += "\\L", i += 2;  // line separator
        else if (c == 0xE2 && next == 0x80 && third == 0xA9) out += "\\P", i += 2;  // paragraph separator
        else if (c == 0xEF && next == 0xBB && third == 0xBF) out += "\\uFEFF", i += 2;  // byte-order mark
        else out += static_cast<char>(c);
    }
    out += '"';
}

void append_text(std::string& out, std::string_view s) {
    if (plain_safe(s)) out += s;
    else append_quoted(out, s);
}

void append_scalar(std::string& out, const json::value& v) {
    switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: out += shortest_decimal(v.get_double()); break;
    case json::kind::string: append_text(out, v.get_string()); break;
    default: break;
    }
}

bool nested(const json::value& v) {
    return (v.is_object() && !v.get_object().empty()) || (v.is_array() && !v.get_array().empty());
}

void append_node(std::string& out, const json::value& v, std::size_t indent);

// What follows a key's ':' or an item's '-': a scalar on the same line, a nested
// container on the lines below, indented.
void append_value(std::string& out, const json::value& v, std::size_t indent) {
    if (nested(v)) {
        out += '\n';
        append_node(out, v, indent + 2);
    } else {
        out += ' ';
        append_node(out, v, 0);
    }
}

void append_node(std::string& out, const json::value& v, std::size_t indent) {
    const std::string pad(indent, ' ');
    if (const json::object* o = v.if_object(); o && !o->empty()) {
        for (auto& [key, item] : *o) {
            out += pad;
            append_text(out, key);
            out += ':';
            append_value(out, item, indent);
        }
        return;
    }
    if (const json::array* a = v.if_array(); a && !a->empty()) {
        for (auto& item : *a) {
            out += pad;
            out += '-';
            append_value(out, item, indent);
        }
        return;
    }
    if (v.is_object()) out += "{}";
    else if (v.is_array()) out += "[]";
    else append_scalar(out, v);
    out += '\n';
}

}  // namespace

std::string shortest_decimal(double d) {
    char text[64];
    auto [end, ec] = std::to_chars(text, text + sizeof text, d);
    std::string out(text, ec == std::errc() ? end : text);
    // A float must read back as one: YAML 1.1 wants a '.', and "1e+20" without it is text.
    if (out.find_first_of(".eEn") == std::string::npos) out += ".0";
    else if (auto e = out.find('e'); e != std::string::npos && out.find('.') == std::string::npos) out.insert(e, ".0");
    return out;
}

std::string yaml_document(const json::value& v) {
    std::string out;
    append_node(out, v, 0);
    return out;
}

}  // namespace mistcli
