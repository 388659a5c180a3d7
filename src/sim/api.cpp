#include "api.hpp"

#include "ascii.hpp"
#include "handlers.hpp"
#include "python_json.hpp"
#include "request_context.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

using handler_fn = sim_response (*)(request_context&);

struct route {
    era family;
    std::string_view method;
    std::string_view pattern;  // segments; "{}" captures one, "{*}" captures the rest
    handler_fn handler;
    bool needs_auth = true;
};

using namespace handlers;

// Requests whose only effect on machine documents is on the machines they look up (which
// world::find_machine marks as changed) or on machines they make: a batch's thousands of
// creates and probes must not make the simulator render every machine again.
bool changes_only_machines_it_names(handler_fn h) {
    for (handler_fn local : {&create_machine, &machine_action, &machine_action_by_uuid, &probe, &probe_by_uuid, &set_tags, &delete_tag,
                             &associate_key, &disassociate_key, &associate_key_by_uuid, &disassociate_key_by_uuid})
        if (h == local) return true;
    return false;
}

constexpr era A = era::legacy;
constexpr era C = era::v1;

// The route table of both families (contract §5). Order matters only where patterns
// overlap; the first match wins.
const route routes[] = {
    {A, "POST", "auth", login, false},
    {A, "GET", "check_token", check_token},
    {A, "GET", "providers", providers, false},
    {A, "GET", "backends", list_backends},
    {A, "POST", "backends", add_backend},
    {A, "PUT", "backends/{}", rename_backend},
    {A, "POST", "backends/{}", toggle_backend},
    {A, "DELETE", "backends/{}", delete_backend},
    {A, "GET", "backends/{}/machines", list_machines},
    {A, "POST", "backends/{}/machines", create_machine},
    {A, "POST", "backends/{}/machines/{}", machine_action},
    {A, "POST", "backends/{}/machines/{}/probe", probe},
    {A, "POST", "backends/{}/machines/{}/tags", set_tags},
    {A, "DELETE", "backends/{}/machines/{}/tags/{}", delete_tag},
    {A, "PUT", "backends/{}/machines/{}/keys/{}", associate_key},
    {A, "DELETE", "backends/{}/machines/{}/keys/{}", disassociate_key},
    {A, "GET", "backends/{}/images", list_images},
    {A, "POST", "backends/{}/images", list_images},
    {A, "POST", "backends/{}/images/{*}", star_image},
    {A, "GET", "backends/{}/sizes", list_sizes},
    {A, "GET", "backends/{}/locations", list_locations},
    {A, "GET", "backends/{}/networks", list_networks},
    {A, "GET", "keys", list_keys},
    {A, "PUT", "keys", add_key},
    {A, "POST", "keys", generate_key},
    {A, "PUT", "keys/{}", rename_key},
    {A, "POST", "keys/{}", set_default_key},
    {A, "DELETE", "keys/{}", delete_key},
    {A, "GET", "keys/{}/private", private_key},
    {A, "GET", "keys/{}/public", public_key},
    {A, "GET", "jobs/{}", get_job},
    {A, "GET", "scripts", list_scripts},
    {A, "POST", "scripts", add_script},
    {A, "POST", "scripts/{}", run_script},
    {A, "DELETE", "scripts/{}", delete_script},

    {C, "POST", "tokens", create_token, false},
    {C, "GET", "tokens", list_tokens},
    {C, "DELETE", "tokens", revoke_token},
    {C, "GET", "orgs", list_organizations},
    {C, "GET", "ping", check_token},
    {C, "POST", "ping", check_token},
    {C, "GET", "providers", providers, false},
    {C, "GET", "clouds", list_backends},
    {C, "POST", "clouds", add_backend},
    {C, "PUT", "clouds/{}", rename_backend},
    {C, "POST", "clouds/{}", toggle_backend},
    {C, "DELETE", "clouds/{}", delete_backend},
    {C, "PATCH", "clouds/{}", update_backend},
    {C, "GET", "clouds/{}/machines", list_machines},
    {C, "POST", "clouds/{}/machines", create_machine},
    {C, "POST", "clouds/{}/machines/{}", machine_action},
    {C, "POST", "clouds/{}/machines/{}/probe", probe},
    {C, "GET", "clouds/{}/machines/{}/tags", list_tags},
    {C, "POST", "clouds/{}/machines/{}/tags", set_tags},
    {C, "DELETE", "clouds/{}/machines/{}/tags/{}", delete_tag},
    {C, "PUT", "clouds/{}/machines/{}/keys/{}", associate_key},
    {C, "DELETE", "clouds/{}/machines/{}/keys/{}", disassociate_key},
    {C, "GET", "machines", list_all_machines},
    {C, "POST", "machines/{}", machine_action_by_uuid},
    {C, "POST", "machines/{}/probe", probe_by_uuid},
    {C, "PUT", "machines/{}/keys/{}", associate_key_by_uuid},
    {C, "DELETE", "machines/{}/keys/{}", disassociate_key_by_uuid},
    {C, "GET", "clouds/{}/images", list_images},
    {C, "POST", "clouds/{}/images", list_images},
    {C, "POST", "clouds/{}/images/{}", star_image},
    {C, "GET", "clouds/{}/sizes", list_sizes},
    {C, "GET", "clouds/{}/locations", list_locations},
    {C, "GET", "clouds/{}/networks", list_networks},
    {C, "POST", "clouds/{}/networks", create_network},
    {C, "DELETE", "clouds/{}/networks/{}", delete_network},
    {C, "GET", "clouds/{}/networks/{}/subnets", list_subnets},
    {C, "POST", "clouds/{}/networks/{}/subnets", create_subnet},
    {C, "DELETE", "clouds/{}/networks/{}/subnets/{}", delete_subnet},
    {C, "GET", "networks", list_all_networks},
    {C, "GET", "keys", list_keys},
    {C, "PUT", "keys", add_key},
    {C, "POST", "keys", generate_key},
    {C, "DELETE", "keys", delete_keys},
    {C, "PUT", "keys/{}", rename_key},
    {C, "POST", "keys/{}", set_default_key},
    {C, "DELETE", "keys/{}", delete_key},
    {C, "GET", "keys/{}/private", private_key},
    {C, "GET", "keys/{}/public", public_key},
    {C, "GET", "jobs/{}", get_job},
    {C, "GET", "scripts", list_scripts},
    {C, "POST", "scripts", add_script},
    {C, "POST", "scripts/{}", run_script},
    {C, "DELETE", "scripts/{}", delete_script},
    {C, "DELETE", "scripts", delete_scripts},
    {C, "GET", "scripts/{}", show_script},
    {C, "PUT", "scripts/{}", edit_script},
    {C, "GET", "scripts/{}/file", download_script},
    {C, "GET", "scripts/{}/url", script_url},
};

std::vector<std::string_view> split(std::string_view path) {
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

bool match(const route& r, const std::vector<std::string_view>& segs, std::vector<std::string>& args) {
    auto pat = split(r.pattern);
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

sim_response not_found_page() {
    return {404, content_type_html,
            "<!DOCTYPE html>\n<html><head><title>mist.io - 404</title></head>\n"
            "<body><h1>404</h1><p>The page you requested could not be found.</p></body></html>\n",
            {}};
}

sim_response error_response(const api_error& e) { return {e.status, e.content_type, e.body, {}}; }

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

}  // namespace

// --- request_context helpers -----------------------------------------------------------

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

// --- api -------------------------------------------------------------------------------

api::api(std::vector<organization_entry> orgs, api_config config)
    : orgs_(std::move(orgs)), world_(*orgs_.front().w), config_(config) {}

std::pair<world*, api_token*> api::find_token(const std::string& token) {
    for (auto& o : orgs_)
        if (api_token* t = o.w->find_token(token)) return {o.w, t};
    return {nullptr, nullptr};
}

bool api::rate_limited(const std::string& who) {
    if (config_.rate_limit_per_token <= 0) return false;
    auto now = world_.now();
    double rate = config_.rate_limit_per_token;
    auto [it, fresh] = buckets_.try_emplace(who, bucket{rate, now});
    bucket& b = it->second;
    if (!fresh) {
        b.tokens = std::min(rate, b.tokens + rate * std::chrono::duration<double>(now - b.last).count());
        b.last = now;
    }
    if (b.tokens < 1) return true;
    b.tokens -= 1;
    return false;
}

sim_response api::handle(const sim_request& req) {
    try {
        std::string_view target = req.target;
        auto qpos = target.find('?');
        std::string_view raw_path = target.substr(0, qpos);
        std::string_view query = qpos == std::string_view::npos ? std::string_view{} : target.substr(qpos + 1);
        auto decoded = percent_decode(raw_path, false);
        if (!decoded) return error_response(bad_request("Malformed URL"));
        std::string_view path = *decoded;

        era family = era::legacy;
        if (path.starts_with("/api/v1/")) {
            family = era::v1;
            path.remove_prefix(8);
        } else if (path == "/clouds" || path.starts_with("/clouds/")) {
            family = era::v1;  // the 2016 unprefixed alias of the v1 cloud routes
            path.remove_prefix(1);
        } else if (path.starts_with("/")) {
            path.remove_prefix(1);
        } else {
            return not_found_page();
        }
        if ((family == era::v1 && !config_.serve_v1) || (family == era::legacy && !config_.serve_legacy))
            return not_found_page();
        auto segs = split(path);

        std::vector<std::string> args;
        const route* found = nullptr;
        for (auto& r : routes) {
            if (r.family != family || r.method != req.method) continue;
            if (match(r, segs, args)) {
                found = &r;
                break;
            }
        }
        if (!found) return not_found_page();

        std::string who = "anonymous";
        world* org_world = &world_;  // a token sees its own organization's resources only
        if (found->needs_auth && !config_.no_auth) {
            const std::string& header = req.authorization;
            bool safe_method = req.method == "GET" || req.method == "HEAD";
            if (header.empty()) {
                if (safe_method) return error_response(mist_error(401, "User not authenticated. Please log in"));
                return {403, content_type_text, "Invalid csrf token\n", {}};
            }
            std::string token;
            if (header.starts_with("mist_1 ")) {
                std::string_view rest = std::string_view(header).substr(7);
                auto colon = rest.find(':');
                std::string email = to_lower(rest.substr(0, colon));
                token = colon == std::string_view::npos ? "" : to_lower(rest.substr(colon + 1));
                if (token.size() > 64) return error_response(internal_server_error());
                bool ok = email == to_lower(world_.options().email) && !token.empty() &&
                          (token == world_.legacy_token() ||
                           world_.find_token(std::string(64 - token.size(), '0') + token));
                if (!ok) return error_response(mist_error(401, "User not authenticated. Please log in"));
            } else {
                token = to_lower(header);
                auto [w, t] = find_token(token);
                if (!t) return error_response(mist_error(401, "User not authenticated. Please log in"));
                t->last_accessed_wall = w->wall_now();
                org_world = w;
            }
            who = token;
        }
        if (found->needs_auth && rate_limited(who)) {
            sim_response r{429, content_type_html, "Rate Limit Error", {}};
            r.headers.emplace_back("Retry-After", std::to_string(config_.retry_after_seconds));
            return r;
        }

        request_context ctx{*org_world, req, family, std::move(args), query, nullptr, false, {}, &orgs_};
        if (found->needs_auth) ctx.email = world_.options().email;
        if (!req.body.empty()) {
            // JSON whatever the Content-Type says (as the server does); form bodies too.
            boost::system::error_code ec;
            ctx.body = json::parse(req.body, ec);
            if (ec && req.content_type.starts_with("application/x-www-form-urlencoded")) {
                ctx.body = parse_form(req.body);
            } else if (ec) {
                ctx.body = nullptr;
                ctx.body_invalid = true;
            }
        }
        world& w = ctx.w;
        w.advance();
        const bool may_change = req.method != "GET";
        w.begin_request(may_change);
        if (may_change && !changes_only_machines_it_names(found->handler)) w.touch();  // every cached document is stale
        return found->handler(ctx);
    } catch (const api_error& e) {
        return error_response(e);
    } catch (const std::exception&) {
        return error_response(internal_server_error());
    }
}

std::vector<route_info> route_table() {
    std::vector<route_info> out;
    for (const route& r : routes) out.push_back({r.family, r.method, r.pattern});
    return out;
}

}  // namespace mistasync::sim
