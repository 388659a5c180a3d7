#include "v2_csv.hpp"

#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <map>
#include <vector>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

// str() of a value as Python prints it (lists and dicts in repr form).
void append_python_text(std::string& out, const json::value& v, bool nested) {
    switch (v.kind()) {
    case json::kind::null: out += nested ? "None" : ""; break;
    case json::kind::bool_: out += v.get_bool() ? "True" : "False"; break;
    case json::kind::string: {
        if (!nested) {
            out += v.get_string();
            break;
        }
        out += '\'';
        for (char c : v.get_string()) {
            if (c == '\'' || c == '\\') out += '\\';
            out += c;
        }
        out += '\'';
        break;
    }
    case json::kind::array: {
        out += '[';
        bool first = true;
        for (auto& e : v.get_array()) {
            if (!first) out += ", ";
            first = false;
            append_python_text(out, e, true);
        }
        out += ']';
        break;
    }
    case json::kind::object: {
        out += '{';
        bool first = true;
        for (auto& kv : v.get_object()) {
            if (!first) out += ", ";
            first = false;
            append_python_text(out, json::value(kv.key()), true);
            out += ": ";
            append_python_text(out, kv.value(), true);
        }
        out += '}';
        break;
    }
    default: append_python_json(out, v);  // numbers: the same digits
    }
}

void flatten(const json::object& o, const std::string& prefix, std::vector<std::pair<std::string, const json::value*>>& out) {
    for (auto& kv : o) {
        std::string name = prefix + std::string(kv.key());
        if (kv.value().is_object()) flatten(kv.value().get_object(), name + "__", out);
        else out.emplace_back(std::move(name), &kv.value());
    }
}

void append_cell(std::string& out, const std::string& text) {
    if (text.find_first_of(",\"\r\n") == std::string::npos) {
        out += text;
        return;
    }
    out += '"';
    for (char c : text) {
        if (c == '"') out += '"';
        out += c;
    }
    out += '"';
}

}  // namespace

std::string v2_csv(const json::array& data, std::string_view columns) {
    std::vector<std::vector<std::pair<std::string, const json::value*>>> rows;
    for (auto& item : data) {
        rows.emplace_back();
        if (item.is_object()) flatten(item.get_object(), "", rows.back());
    }
    std::vector<std::string> names;
    auto add_name = [&](std::string n) {
        if (n == "cost") n = "cost__monthly";
        if (std::find(names.begin(), names.end(), n) == names.end()) names.push_back(std::move(n));
    };
    if (columns.empty()) {
        for (auto& row : rows)
            for (auto& [name, value] : row) add_name(name);
    } else {
        while (true) {
            const auto comma = columns.find(',');
            add_name(std::string(columns.substr(0, comma)));
            if (comma == std::string_view::npos) break;
            columns.remove_prefix(comma + 1);
        }
    }
    std::string out = ",";
    for (std::size_t i = 0; i < names.size(); ++i) {
        if (i) out += ',';
        append_cell(out, names[i]);
    }
    out += "\r\n";
    for (auto& row : rows) {
        for (std::size_t i = 0; i < names.size(); ++i) {
            if (i) out += ',';
            auto it = std::find_if(row.begin(), row.end(), [&](auto& cell) { return cell.first == names[i]; });
            std::string text;
            if (it != row.end()) append_python_text(text, *it->second, false);
            append_cell(out, text);
        }
        out += "\r\n";
    }
    return out;
}

}  // namespace mistasync::sim
