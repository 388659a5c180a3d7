// POST /api/v2/machines as mist-api-v2's create_machine (de29606) answers it: the clouds
// the request names (a cloud's name or id, a provider's, else every enabled one), a plan
// per cloud (image, size by name, id or {cpu, memory}, location, key), the first valid
// plan taken, then {plan} for a dry run or {jobId, plan} with the machines made later by
// the job, as mist.api's multicreate_async_v2 makes them (quantity > 1: "name-<10 hex>").
#include "v2_handlers.hpp"

#include "v2_support.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::sim::v2 {
namespace json = boost::json;
namespace {

// A catalogue item chosen for the plan: its provider id and the plan's {id, name}.
struct chosen {
    std::string external;
    json::object plan;
};

// The first item whose v2 id or name the value finds (a search, as the server runs it).
template <class Items, class Read>
std::optional<chosen> pick(const backend& b, std::string_view kind, const Items& items, std::string_view value, Read read) {
    const std::vector<search_term> terms = search_terms(value);
    for (auto& item : items) {
        auto [external, name] = read(item);
        const std::string id = v2_catalogue_id(b, kind, external);
        searchable s{id, name, nullptr, {}, nullptr};
        if (terms.empty() || matches_search(terms, s)) return chosen{std::string(external), json::object{{"id", id}, {"name", name}}};
    }
    return std::nullopt;
}

std::string text_of(const json::value& v, std::string_view field) {
    if (v.is_string()) return std::string(v.get_string());
    if (v.is_object())
        if (auto* inner = v.get_object().if_contains(field); inner && inner->is_string()) return std::string(inner->get_string());
    return {};
}

struct plan_result {
    json::object plan;
    machine_spec spec;
};

// One cloud's plan; throws the controller's error for it (used only when one cloud is asked).
plan_result plan_for(request_context& ctx, backend& b, const json::object& body) {
    if (ctx.w.fault_of(b) != backend_fault::none) throw message_error(503, "Service Unavailable");
    plan_result r;
    r.spec.name = std::string(body.at("name").as_string());
    if (r.spec.name.empty() && b.provider != "ec2") throw message_error(400, "machine name cannot be empty");
    if (b.provider == "digitalocean" || b.provider == "linode")
        for (char c : r.spec.name)
            if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_')
                throw message_error(400, "machine name may only contain ASCII letters or numbers, dashes and dots");

    const json::value& image_field = body.at("image");
    if (!image_field.is_string() && !image_field.is_object()) throw message_error(400, "Invalid image type");
    const std::string image_value = text_of(image_field, "image");
    if (image_value.empty()) throw message_error(400, "Image is required");
    auto image = pick(b, "image", images_of(b.provider, b.region), image_value,
                      [](const image_info& i) { return std::pair<std::string_view, std::string_view>(i.id, i.name); });
    if (!image) throw message_error(404, "Image not found");
    r.spec.image_id = image->external;
    r.plan["image"] = image->plan;

    const json::array sizes = sizes_of(b.provider, b.region);
    auto size_read = [](const json::value& s) {
        return std::pair<std::string_view, std::string_view>(s.at("id").as_string(), s.at("name").as_string());
    };
    const json::value* size = body.if_contains("size");
    std::optional<chosen> size_pick;
    if (size && size->is_object() && (size->get_object().contains("cpu") || size->get_object().contains("memory"))) {
        // {cpu, memory}: the smallest size that has both.
        const json::object& want = size->get_object();
        const double cpu = want.contains("cpu") ? want.at("cpu").to_number<double>() : 0;
        const double memory = want.contains("memory") ? want.at("memory").to_number<double>() : 0;
        for (auto& s : sizes) {
            const double ram = s.at("ram").to_number<double>();
            if ((ram >= 4096 ? 2 : 1) >= cpu && ram >= memory) {
                auto [external, name] = size_read(s);
                size_pick = chosen{std::string(external), json::object{{"id", v2_catalogue_id(b, "size", external)}, {"name", name}}};
                break;
            }
        }
    } else if (size && !size->is_null()) {
        size_pick = pick(b, "size", sizes, text_of(*size, "id"), size_read);
    } else if (b.provider == "docker") {
        size_pick = chosen{};
    } else if (!sizes.empty()) {
        size_pick = pick(b, "size", sizes, "", size_read);
    }
    if (!size_pick) throw message_error(404, "Size not found");
    r.spec.size_id = size_pick->external;
    if (!size_pick->plan.empty()) r.plan["size"] = size_pick->plan;

    const json::array locations = locations_of(b.provider, b.region);
    const json::value* location = body.if_contains("location");
    const std::string location_value = location ? text_of(*location, "prefer") : std::string();
    auto location_pick = pick(b, "location", locations, location_value, [](const json::value& l) {
        return std::pair<std::string_view, std::string_view>(l.at("id").as_string(), l.at("name").as_string());
    });
    if (!location_pick && !location_value.empty()) throw message_error(404, "Location not found");
    if (location_pick && !location_pick->external.empty()) {
        r.spec.location_id = location_pick->external;
        r.plan["location"] = location_pick->plan;
    }

    if (const json::value* key = body.if_contains("key"); key && !key->is_null()) {
        const std::string key_value = text_of(*key, "key");
        const std::vector<search_term> terms = search_terms(key_value);
        for (auto& k : ctx.w.keys())
            if (!key_value.empty() && matches_search(terms, as_searchable(*k))) {
                r.spec.key = k.get();
                break;
            }
        if (!r.spec.key) throw message_error(404, "Key not found");
        json::object key_plan{{"id", r.spec.key->uuid}, {"name", r.spec.key->name}};
        if (key->is_object())
            if (auto* user = key->get_object().if_contains("user"); user && user->is_string()) key_plan["user"] = *user;
        r.plan["key"] = std::move(key_plan);
    }
    r.plan["cloud"] = json::object{{"id", b.uuid}, {"name", b.title}};
    return r;
}

}  // namespace

sim_response create_machine(request_context& ctx) {
    const json::object& body = ctx.params();
    for (std::string_view field : {"name", "image"})
        if (!body.contains(field)) throw bad_request_problem("'" + std::string(field) + "' is a required property");
    if (!body.at("name").is_string()) throw bad_request_problem("'name' is not of type 'string'");
    int quantity = 1;
    if (const json::value* q = body.if_contains("quantity"); q && !q->is_null()) {
        if (!q->is_int64() || q->get_int64() < 1 || q->get_int64() > 10000) throw bad_request_problem("'quantity' must be an integer from 1");
        quantity = static_cast<int>(q->get_int64());
    }

    // Which clouds: the one named, a provider's, or every enabled one.
    std::string cloud_search;
    if (auto* c = body.if_contains("cloud"); c && c->is_string() && !c->get_string().empty()) cloud_search = c->get_string();
    std::vector<backend*> clouds = clouds_searched(ctx.w, cloud_search);
    if (auto* p = body.if_contains("provider"); cloud_search.empty() && p && p->is_string() && !p->get_string().empty())
        std::erase_if(clouds, [&](backend* b) { return b->provider != p->get_string(); });
    if (clouds.empty()) throw message_error(404, "Cloud not found");

    std::optional<plan_result> plan;
    for (backend* b : clouds) {
        try {
            plan = plan_for(ctx, *b, body);
            break;
        } catch (const api_error&) {
            if (clouds.size() == 1) throw;  // one cloud: its error; several: the next cloud
        }
    }
    if (!plan) throw message_error(400, "No valid plan could be generated");

    json::object& p = plan->plan;
    p["machine_name"] = plan->spec.name;
    p["quantity"] = quantity;
    p["monitoring"] = body.contains("monitoring") ? body.at("monitoring") : json::value(false);
    for (std::string_view passed : {"cloudinit", "fqdn", "expiration"})
        if (auto* v = body.if_contains(passed); v && !v->is_null()) p[passed] = *v;
    json::object tags;
    if (auto* t = body.if_contains("tags"); t && t->is_object())
        for (auto& kv : t->get_object()) {
            std::string value = kv.value().is_string() ? std::string(kv.value().get_string()) : std::string();
            tags[kv.key()] = value;
            plan->spec.tags.emplace_back(std::string(kv.key()), std::move(value));
        }
    p["tags"] = std::move(tags);

    const bool dry = body.contains("dry") && body.at("dry").is_bool() && body.at("dry").get_bool();
    if (dry) return answer(json::object{{"plan", p}});

    backend& b = *ctx.w.find_backend(p.at("cloud").at("id").as_string());
    // Post-deploy scripts (ScriptToRun): {script_type: inline, command} or {script_type:
    // existing, script: name or id, params}; the first one runs.
    std::string script;
    if (auto* s = body.if_contains("scripts"); s && s->is_array() && !s->get_array().empty())
        if (auto* first = s->get_array()[0].if_object()) {
            auto text = [&](std::string_view k) {
                auto* v = first->if_contains(k);
                return v && v->is_string() ? std::string(v->get_string()) : std::string();
            };
            if (text("script_type") == "existing") {
                const std::vector<search_term> terms = search_terms(text("script"));
                for (auto& stored : ctx.w.scripts())
                    if (!text("script").empty() && matches_search(terms, as_searchable(*stored))) {
                        script = stored->source;
                        break;
                    }
                if (script.empty()) throw message_error(404, "Script not found");
            } else {
                script = text("command");
            }
        }
    job_record& job = ctx.w.start_job(b, era::v2, quantity, true, !script.empty(), false);
    job.script_command = script;
    plan->spec.create_request = std::make_shared<const std::string>(json::serialize(body));
    const auto due = ctx.w.now() + ctx.w.options().async_create_delay + ctx.w.options().provider_create_time;
    for (int i = 0; i < quantity; ++i) {
        machine_spec each = plan->spec;
        if (quantity > 1) each.name += "-" + ctx.w.random_hex(10);
        job.names[static_cast<std::size_t>(i)] = each.name;
        ctx.w.schedule_creation(job, static_cast<std::size_t>(i), due, std::move(each));
    }
    return answer(json::object{{"jobId", job.id}, {"plan", p}});
}

}  // namespace mistasync::sim::v2
