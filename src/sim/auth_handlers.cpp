// POST /auth (2015), /check_token, /api/v1/ping and /api/v1/tokens.
#include "ascii.hpp"
#include "crypto.hpp"
#include "handlers.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::sim::handlers {
namespace json = boost::json;
namespace {

// How many live API tokens one user may hold (mist.api's default).
constexpr std::size_t max_active_tokens = 20;

bool credentials_match(request_context& ctx, const std::string& email, const std::string& password) {
    return to_lower(email) == to_lower(ctx.w.options().email) && password == ctx.w.options().password;
}

}  // namespace

const char* const foreign_organization_name = "Elsewhere";
std::string foreign_organization_id() { return sha1_hex("organization/Elsewhere").substr(0, 32); }

sim_response list_organizations(request_context& ctx) {
    json::array out;
    if (ctx.orgs)
        for (auto& o : *ctx.orgs) out.push_back(json::object{{"id", o.id}, {"name", o.name}});
    return json_response(out);
}

sim_response login(request_context& ctx) {
    auto email = ctx.text("email");
    auto password = ctx.text("password");
    if (!email || !password || !credentials_match(ctx, *email, *password)) throw mist_error(401, "Not authorized");
    double now = ctx.w.wall_now();
    return json_response(json::object{
        {"mist_api_token", ctx.w.legacy_token()},
        {"current_plan", json::object{{"started", now - 86400 * 30}, {"has_expired", false}, {"promo_code", ""},
                                      {"expiration", now + 86400 * 335}, {"title", "Basic"}}},
        {"user_details", json::object{{"country", "Greece"}, {"number_of_servers", "1-5"},
                                      {"number_of_people", "1-5"}, {"name", "John Doe"},
                                      {"company_name", "mist"}}}});
}

sim_response check_token(request_context& ctx) { return json_response(json::object{{"hello", ctx.email}}); }

// auth/views.py create_token, in its order: the ttl, the email, the organization, the
// user; then (mistsim's own, stricter than that view) the password; the name, the count.
sim_response create_token(request_context& ctx) {
    long ttl = 3600;
    const auto& p = ctx.params();
    if (auto it = p.find("ttl"); it != p.end() && !it->value().is_null()) {
        const json::value& v = it->value();
        // Python's str.isdigit(): digits only, so "-5" and "" are refused as strings.
        const bool digits = v.is_string() && !v.get_string().empty() &&
                            std::all_of(v.get_string().begin(), v.get_string().end(),
                                        [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
        if (v.is_int64()) ttl = static_cast<long>(v.get_int64());
        else if (digits && v.get_string().size() <= 12) ttl = std::atol(v.get_string().c_str());
        else throw bad_request("Ttl must be a number greater than 0");
        if (ttl < 0) throw bad_request("Ttl must be greater or equal to zero");
    }
    auto email = ctx.text("email");
    if (!email || email->empty()) throw required_parameter("No email provided");
    // org_id: an organization's id, else its name; an unknown one is ignored (the user's
    // default organization), one the user is not a member of is 403.
    world& target = [&]() -> world& {
        std::string org = ctx.text("org_id").value_or("");
        if (org.empty() || org == "None" || !ctx.orgs) return ctx.w;
        for (auto& o : *ctx.orgs)
            if (o.id == org) return *o.w;
        for (auto& o : *ctx.orgs)
            if (o.name == org) return *o.w;
        if (org == foreign_organization_name || org == foreign_organization_id()) throw mist_error(403, "Forbidden");
        return ctx.w;
    }();
    if (to_lower(*email) != to_lower(ctx.w.options().email)) throw mist_error(401, "User not authenticated. Please log in");
    std::string password = ctx.required_text("password");
    if (password != ctx.w.options().password)
        throw mist_error(401, "User not authenticated. Please log in", "Wrong password");
    auto& tokens = target.tokens();
    auto now = target.now();
    auto live = [&](const api_token& t) { return !t.revoked && (!t.expires || *t.expires > now); };
    std::string name = ctx.text("name").value_or("");
    if (name.empty()) name = "api_token_" + std::to_string(tokens.size() + 1);
    for (auto& t : tokens)
        if (live(t) && t.name == name) throw conflict("Conflict", "Token with name " + name + " already exists");
    std::size_t active = std::count_if(tokens.begin(), tokens.end(), live);
    if (active >= max_active_tokens)
        throw bad_request("MAX number of " + std::to_string(max_active_tokens) + " active tokens reached");
    api_token& t = target.issue_token(name, ttl);
    return json_response(token_json(t, target.options(), true));
}

sim_response list_tokens(request_context& ctx) {
    json::array a;
    auto now = ctx.w.now();
    for (auto& t : ctx.w.tokens())
        if (!t.revoked && (!t.expires || *t.expires > now)) a.push_back(token_json(t, ctx.w.options(), false));
    return json_response(a);
}

sim_response revoke_token(request_context& ctx) {
    std::string id = ctx.required_text("id");
    for (auto& t : ctx.w.tokens())
        if (t.id == id && !t.revoked) {
            t.revoked = true;
            return ok_text();
        }
    throw not_found("Token not found");
}

}  // namespace mistasync::sim::handlers
