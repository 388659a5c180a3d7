#include "api.hpp"

#include "ascii.hpp"
#include "handlers.hpp"
#include "python_json.hpp"
#include "request_context.hpp"
#include "route_tables.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>
#include <cctype>

namespace mistasync::sim {
namespace json = boost::json;
namespace {

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


sim_response not_found_page() {
    return {404, content_type_html,
            "<!DOCTYPE html>\n<html><head><title>mist.io - 404</title></head>\n"
            "<body><h1>404</h1><p>The page you requested could not be found.</p></body></html>\n",
            {}};
}

sim_response error_response(const api_error& e) { return {e.status, e.content_type, e.body, {}}; }

}  // namespace

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
        if (path.starts_with("/api/v2/")) {
            if (!config_.serve_v2) return not_found_page();
            return handle_v2(req, path.substr(8), query);
        }
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
        auto segs = split_path(path);

        std::vector<std::string> args;
        const route* found = nullptr;
        for (auto& r : family == era::v1 ? v1_routes() : legacy_routes()) {
            if (r.method != req.method) continue;
            if (match_route(r, segs, args)) {
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
    for (const route& r : legacy_routes()) out.push_back({era::legacy, r.method, r.pattern});
    for (const route& r : v1_routes()) out.push_back({era::v1, r.method, r.pattern});
    for (const route& r : v2_routes()) out.push_back({era::v2, r.method, r.pattern});
    return out;
}

}  // namespace mistasync::sim
