// The /api/v2 side of the API: connexion's checks before a handler runs (a token in
// `Authorization`, a JSON body), the handler, then `Accept: ...csv` on the lists
// (mist-api-v2 de29606, __main__.py; connexion 2's problem objects).
#include "api.hpp"

#include "route_tables.hpp"
#include "v2_csv.hpp"
#include "v2_handlers.hpp"
#include "v2_support.hpp"

#include <boost/json.hpp>

#include <cctype>

namespace mistasync::sim {
namespace json = boost::json;

sim_response api::handle_v2(const sim_request& req, std::string_view path, std::string_view query) {
    try {
        const auto segs = split_path(path);
        std::vector<std::string> args;
        const route* found = nullptr;
        bool path_known = false;
        for (auto& r : v2_routes()) {
            if (!match_route(r, segs, args)) continue;
            path_known = true;
            if (r.method == req.method) {
                found = &r;
                break;
            }
        }
        if (!found && path_known)
            return v2::problem_response(405, "Method Not Allowed", "The method is not allowed for the requested URL.");
        if (!found)
            return v2::problem_response(404, "Not Found",
                                        "The requested URL was not found on the server. If you entered the URL manually please "
                                        "check your spelling and try again.");

        // Security first: a missing or unknown token is refused before anything else.
        if (req.authorization.empty()) return v2::problem_response(401, "Unauthorized", "No authorization token provided");
        const std::string token = [&] {
            std::string t = req.authorization;
            for (auto& c : t) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            return t;
        }();
        auto [org_world, t] = find_token(token);
        if (!t) return v2::problem_response(401, "Unauthorized", "Provided apikey is not valid");
        t->last_accessed_wall = org_world->wall_now();
        if (rate_limited(token)) {
            sim_response r{429, content_type_html, "Rate Limit Error", {}};
            r.headers.emplace_back("Retry-After", std::to_string(config_.retry_after_seconds));
            return r;
        }

        request_context ctx{*org_world, req, era::v2, std::move(args), query, nullptr, false, world_.options().email, &orgs_};
        if (!req.body.empty()) {
            boost::system::error_code ec;
            ctx.body = json::parse(req.body, ec);
            if (ec) return v2::problem_response(400, "Bad Request", "Request body is not valid JSON");
            if (!ctx.body.is_object()) return v2::problem_response(400, "Bad Request", "None is not of type 'object'");
        } else if (req.method == "POST" || req.method == "PUT") {
            ctx.body = json::object{};
        }
        world& w = ctx.w;
        w.advance();
        w.begin_request(req.method != "GET");
        // A change may show in any era's cached documents (a create's new machines do not).
        if (req.method != "GET" && found->handler != &v2::create_machine) w.touch();
        sim_response out = found->handler(ctx);
        if (req.accept.ends_with("csv") && out.status == 200 && v2_lists(*found, ctx.args.size())) {
            const json::value doc = json::parse(out.body);
            out.body = v2_csv(doc.at("data").as_array(), ctx.query_param("columns").value_or(""));
            out.content_type = req.accept;
            out.headers.emplace_back("Content-disposition", "attachment; filename=list_" + std::string(segs.front()) + ".csv");
        }
        return out;
    } catch (const api_error& e) {
        return {e.status, e.content_type, e.body, {}};
    } catch (const std::exception&) {
        return {500, content_type_html, "Internal Server Error", {}};
    }
}

}  // namespace mistasync::sim
