#include "v2_support.hpp"

#include "python_json.hpp"
#include "era_views.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <stdexcept>

namespace mistasync::sim::v2 {
namespace json = boost::json;

sim_response answer(const json::value& v, int status) { return {status, content_type_json, to_flask_json(v), {}}; }

api_error message_error(int status, std::string_view message) {
    return {status, to_flask_json(json::value(message)), content_type_json};
}

api_error problem(int status, std::string_view title, std::string_view detail) {
    return {status, to_flask_json(json::object{{"detail", detail}, {"status", status}, {"title", title}, {"type", "about:blank"}}),
            "application/problem+json"};
}

sim_response problem_response(int status, std::string_view title, std::string_view detail) {
    api_error e = problem(status, title, detail);
    return {e.status, e.content_type, e.body, {}};
}

api_error bad_request_problem(std::string_view detail) { return problem(400, "Bad Request", detail); }

v2_list_params list_params(const request_context& ctx) {
    v2_list_params p;
    p.search = ctx.query_param("search").value_or("");
    p.cloud = ctx.query_param("cloud").value_or("");
    p.sort = ctx.query_param("sort").value_or("");
    p.only = ctx.query_param("only").value_or("");
    p.deref = ctx.query_param("deref").value_or("auto");
    p.start = v2_start(ctx.query_param("start"));
    if (auto limit = ctx.query_param("limit")) {
        // connexion converts the parameter by the spec's type before the handler runs.
        std::size_t used = 0;
        long long value = 0;
        try {
            value = std::stoll(*limit, &used);
        } catch (const std::exception&) {
            used = 0;
        }
        if (limit->empty() || used != limit->size()) throw bad_request_problem("'" + *limit + "' is not of type 'integer'");
        p.limit = v2_limit(value);
    }
    return p;
}

std::vector<search_term> search_terms(std::string_view search) {
    try {
        return read_search(search);
    } catch (const std::invalid_argument& e) {
        throw message_error(400, e.what());
    }
}

searchable as_searchable(const backend& b) {
    searchable s{b.uuid, b.title, &b.tags, {}, nullptr};
    s.field = [&b](std::string_view f) -> std::optional<std::string> {
        if (f == "provider") return b.provider;
        if (f == "enabled") return b.enabled ? "True" : "False";
        return std::nullopt;
    };
    return s;
}

searchable as_searchable(const key_record& k) {
    searchable s{k.uuid, k.name, &k.tags, {}, nullptr};
    s.field = [&k](std::string_view f) -> std::optional<std::string> {
        if (f == "default") return k.is_default ? "True" : "False";
        return std::nullopt;
    };
    return s;
}

searchable as_searchable(const script_record& sc) {
    searchable s{sc.id, sc.name, &sc.tags, {}, nullptr};
    s.field = [&sc](std::string_view f) -> std::optional<std::string> {
        if (f == "description" && !sc.description.empty()) return sc.description;
        if (f == "exec_type") return sc.exec_type;
        return std::nullopt;
    };
    return s;
}

searchable as_searchable(const world& w, const machine& m, const searchable* cloud) {
    searchable s{m.mist_id, m.name, &m.tags, {}, cloud};
    s.field = [&w, &m](std::string_view f) -> std::optional<std::string> {
        if (f == "state") return std::string(state_name(w.recorded_state(m), era::v2));
        if (f == "external_id") return m.provider_id;
        if (f == "os_type") return "unix";
        if (f == "machine_type" || f == "type") return m.owner->provider == "docker" ? "container" : "machine";
        if (f == "created") return v2_iso_time(m.created_wall);
        if (f == "public_ips" || f == "private_ips") {
            if (w.record_time(m) < m.addresses_at) return std::nullopt;
            std::string all;
            for (auto& ip : f == "public_ips" ? m.public_ips : m.private_ips) all += (all.empty() ? "" : ",") + ip;
            return all.empty() ? std::nullopt : std::optional<std::string>(all);
        }
        if (f == "hostname") {
            std::string dns = dns_name(m, w.record_time(m) >= m.addresses_at);
            return dns.empty() ? std::nullopt : std::optional<std::string>(dns);
        }
        if (f == "owned_by" || f == "created_by")
            return m.create_request ? std::optional<std::string>(w.options().email) : std::nullopt;
        if (f == "key_associations") {
            for (auto& k : const_cast<world&>(w).keys())
                if (k->find(m.owner->uuid, m.provider_id)) return "true";
            return "false";
        }
        return std::nullopt;
    };
    return s;
}

std::vector<backend*> clouds_searched(world& w, std::string_view cloud) {
    const std::vector<search_term> terms = search_terms(cloud);
    std::vector<backend*> out;
    for (auto& b : w.backends())
        if (b->enabled && (terms.empty() || matches_search(terms, as_searchable(*b)))) out.push_back(b.get());
    return out;
}

std::vector<machine*> machines_matching(world& w, const v2_list_params& p) {
    const std::vector<search_term> terms = search_terms(p.search);
    std::vector<machine*> out;
    for (backend* b : clouds_searched(w, p.cloud)) {
        if (terms.empty()) {
            for (auto& m : b->machines) out.push_back(m.get());
            continue;
        }
        const searchable cloud = as_searchable(*b);
        for (auto& m : b->machines)
            if (matches_search(terms, as_searchable(w, *m, &cloud))) out.push_back(m.get());
    }
    return out;
}

machine& machine_by_path(world& w, const std::string& value) {
    v2_list_params p;
    p.search = value;
    p.limit = 1;
    std::vector<machine*> found;
    try {
        found = machines_matching(w, p);
    } catch (const api_error&) {
        throw message_error(404, "Machine does not exist");
    }
    if (found.empty()) throw message_error(404, "Machine does not exist");
    // The handler changes what it finds: its cached documents are stale.
    return *w.find_machine(*found.front()->owner, found.front()->provider_id);
}

}  // namespace mistasync::sim::v2
