// The request context's readers (parameters from the body or the query, Python-like
// truthiness) and the response builders every handler shares.
#include "request_context.hpp"

#include "ascii.hpp"
#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::sim {
namespace json = boost::json;

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
    auto hex = [](char h) -> int {
        if (h >= '0' && h <= '9') return h - '0';
        if (h >= 'a' && h <= 'f') return h - 'a' + 10;
        if (h >= 'A' && h <= 'F') return h - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        char c = in[i];
        if (c == '%') {
            if (in.size() - i < 3) return std::nullopt;  // needs two hex digits
            int hi = hex(in[i + 1]), lo = hex(in[i + 2]);
            if (hi < 0 || lo < 0) return std::nullopt;
            out += static_cast<char>(hi * 16 + lo);
            i += 2;
        } else if (c == '+' && plus_is_space) {
            out += ' ';
        } else {
            out += c;
        }
    }
    return out;
}

const json::object& request_context::params() const {
    static const json::object empty;
    if (body_invalid) throw bad_request("Request body is not valid JSON");
    if (body.is_null()) return empty;
    if (!body.is_object()) throw bad_request("Request body must be a JSON object");
    return body.get_object();
}

std::optional<std::string> request_context::text(std::string_view key) const {
    const auto& p = params();
    auto it = p.find(key);
    if (it == p.end() || it->value().is_null()) return std::nullopt;
    const json::value& v = it->value();
    if (v.is_string()) {
        if (v.get_string().empty()) return std::nullopt;
        return std::string(v.get_string());
    }
    if (v.is_int64() || v.is_uint64()) return json::serialize(v);
    throw bad_request(std::string(key) + " must be a string");
}

std::string request_context::required_text(std::string_view key) const {
    auto v = text(key);
    if (!v) throw required_parameter(key);
    return *v;
}

bool request_context::flag(std::string_view key, bool fallback) const {
    const auto& p = params();
    auto it = p.find(key);
    if (it == p.end() || it->value().is_null()) return fallback;
    const json::value& v = it->value();
    if (v.is_bool()) return v.get_bool();
    if (v.is_int64()) return v.get_int64() != 0;
    if (v.is_string()) {
        std::string s = to_lower(v.get_string());
        if (s == "true" || s == "1") return true;
        if (s == "false" || s == "0" || s.empty()) return false;
    }
    throw bad_request(std::string(key) + " must be a boolean");
}

std::optional<std::string> request_context::query_param(std::string_view key) const {
    std::size_t start = 0;
    while (start <= query.size()) {
        auto amp = query.find('&', start);
        auto pair = query.substr(start, amp - start);
        auto eq = pair.find('=');
        if (pair.substr(0, eq) == key)
            return percent_decode(eq == std::string_view::npos ? "" : pair.substr(eq + 1), true);
        if (amp == std::string_view::npos) break;
        start = amp + 1;
    }
    return std::nullopt;
}

sim_response json_response(const json::value& v, int status) {
    return {status, content_type_json, to_python_json(v), {}};
}

sim_response ok_text() { return {200, content_type_html, "OK", {}}; }

json::object delete_each(const json::array& ids, const std::function<bool(const std::string&)>& remove) {
    json::object report;
    for (auto& v : ids) {
        if (!v.is_string()) continue;
        const std::string id(v.get_string());
        report[id] = remove(id) ? "deleted" : "not_found";
    }
    return report;
}

bool deleted_any(const json::object& report) {
    return std::any_of(report.begin(), report.end(), [](auto& entry) { return entry.value() == "deleted"; });
}

}  // namespace mistasync::sim
