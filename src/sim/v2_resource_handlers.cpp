// /api/v2 clouds, keys, images, sizes and locations (mist-api-v2 de29606: clouds_,
// keys_, images_, sizes_ and locations_controller.py): lists and gets by the shared search,
// and the writes each controller has.
#include "v2_handlers.hpp"

#include "crypto.hpp"
#include "handlers.hpp"
#include "v2_support.hpp"

#include <boost/json.hpp>

namespace mistasync::sim::v2 {
namespace json = boost::json;
namespace {

backend& cloud_by_path(request_context& ctx) { return first_found(clouds_searched(ctx.w, ""), ctx.args[0], "Cloud does not exist"); }

key_record& key_by_path(request_context& ctx) { return first_found(ctx.w.keys(), ctx.args[0], "Key does not exist"); }

// A catalogue item of a cloud, with the v2 id and name a search looks at.
template <class Item>
struct in_cloud {
    const backend* cloud;
    std::string id;
    std::string name;
    Item item;
};

// The sizes or locations of every cloud the `cloud` parameter picks.
std::vector<in_cloud<json::object>> catalogue(request_context& ctx, std::string_view kind, json::array (*read)(std::string_view, std::string_view)) {
    std::vector<in_cloud<json::object>> out;
    for (backend* b : clouds_searched(ctx.w, ctx.query_param("cloud").value_or("")))
        for (auto& item : read(b->provider, b->region)) {
            const json::object& o = item.as_object();
            out.push_back({b, v2_catalogue_id(*b, kind, o.at("id").as_string()), std::string(o.at("name").as_string()), o});
        }
    return out;
}

template <class Item>
searchable catalogue_view(const in_cloud<Item>& i) {
    return searchable{i.id, i.name, nullptr, {}, nullptr};
}

std::string answer_text(const api_error& e) {
    // A v1 error's text without its class name ("Conflict: ..."), as exc.args[0] reads.
    const auto colon = e.body.find(": ");
    return colon == std::string::npos ? e.body : e.body.substr(colon + 2);
}

}  // namespace

sim_response list_clouds(request_context& ctx) {
    return list_or_get(ctx, clouds_searched(ctx.w, ""), "clouds", "cloud", "Cloud does not exist",
                                 [](backend* const& b) { return as_searchable(*b); },
                                 [&](backend* b, std::string_view only, const v2_deref& d) { return v2_cloud_doc(ctx.w, *b, only, d); });
}

sim_response add_cloud(request_context& ctx) {
    const json::object& body = ctx.params();
    for (std::string_view field : {"name", "provider", "credentials"})
        if (!body.contains(field)) throw bad_request_problem("'" + std::string(field) + "' is a required property");
    if (!body.at("credentials").is_object()) throw bad_request_problem("'credentials' is not of type 'object'");
    // The v1 view does the work; its answer is the cloud's own document with its index.
    json::object flat{{"name", body.at("name")}, {"provider", body.at("provider")}};
    for (auto& kv : body.at("credentials").get_object()) flat[kv.key()] = kv.value();
    request_context inner{ctx.w, ctx.req, era::v1, {}, {}, std::move(flat), false, ctx.email, ctx.orgs};
    try {
        handlers::add_backend(inner);
    } catch (const api_error& e) {
        throw message_error(e.status, answer_text(e));
    }
    backend& added = *ctx.w.backends().back();
    json::object doc = v2_cloud_doc(ctx.w, added, "", v2_deref("auto"));
    doc["index"] = static_cast<std::int64_t>(ctx.w.backends().size() - 1);
    return answer(doc);
}

sim_response edit_cloud(request_context& ctx) {
    backend& b = cloud_by_path(ctx);
    const json::object& body = ctx.params();
    if (auto* name = body.if_contains("name"); name && name->is_string()) {
        if (name->get_string().empty()) throw message_error(400, "New name is empty");
        backend* other = ctx.w.find_backend_by_title(name->get_string());
        if (other && other != &b) throw message_error(409, "Cloud with this name already exists");
        b.title = name->get_string();
    }
    ctx.w.touch();
    return answer(json::value("Cloud updated successfully"));
}

sim_response remove_cloud(request_context& ctx) {
    backend& b = cloud_by_path(ctx);
    ctx.w.remove_backend(b);
    return answer(json::value("Cloud removed successfully"));
}

sim_response list_keys(request_context& ctx) {
    std::vector<key_record*> all;
    for (auto& k : ctx.w.keys()) all.push_back(k.get());
    const bool with_private = ctx.query_param("private").value_or("") == "true";
    return list_or_get(ctx, all, "keys", "key", "Key does not exist", [](key_record* const& k) { return as_searchable(*k); },
                                    [&](key_record* k, std::string_view only, const v2_deref& d) {
                                        json::object doc = v2_key_doc(ctx.w, *k, only, d);
                                        if (with_private && !ctx.args.empty()) doc["private"] = k->private_pem;
                                        return doc;
                                    });
}

sim_response add_key(request_context& ctx) {
    const json::object& body = ctx.params();
    const bool generate = body.contains("generate") && body.at("generate").is_bool() && body.at("generate").get_bool();
    const bool dry = body.contains("dry") && body.at("dry").is_bool() && body.at("dry").get_bool();
    std::string private_pem, public_ssh;
    if (generate) {
        rsa_key_pair pair = generate_rsa_key();
        if (dry) return answer(json::object{{"private", pair.private_pem}, {"public", pair.public_ssh}});
        private_pem = std::move(pair.private_pem);
        public_ssh = std::move(pair.public_ssh);
    }
    const json::value* name = body.if_contains("name");
    if (!name || !name->is_string()) throw bad_request_problem("'name' is a required property");
    if (!generate) {
        const json::value* priv = body.if_contains("private");
        if (!priv || !priv->is_string() || priv->get_string().empty()) throw message_error(400, "Private key is not provided");
        auto pub = rsa_public_from_private(priv->get_string());
        if (!pub) throw message_error(400, "Invalid private key");
        private_pem = priv->get_string();
        public_ssh = *pub;
    }
    if (name->get_string().empty()) throw message_error(400, "Key name is not provided");
    if (ctx.w.find_key_by_name(name->get_string())) throw message_error(409, "Key with name " + std::string(name->get_string()) + " exists");
    key_record& k = ctx.w.add_key(std::string(name->get_string()), std::move(private_pem), std::move(public_ssh));
    return answer(json::object{{"id", k.uuid}});
}

sim_response edit_key(request_context& ctx) {
    key_record& k = key_by_path(ctx);
    if (auto name = ctx.query_param("name")) {
        if (name->empty()) throw message_error(400, "New key name not provided");
        key_record* other = ctx.w.find_key_by_name(*name);
        if (other && other != &k) throw message_error(409, "Key with name " + *name + " exists");
        k.name = *name;
    }
    if (ctx.query_param("default").value_or("") == "true") ctx.w.set_default_key(k);
    ctx.w.touch();
    return answer(json::value("Updated key `" + k.name + "`"));
}

sim_response delete_key(request_context& ctx) {
    key_record& k = key_by_path(ctx);
    const std::string name = k.name;
    ctx.w.remove_key(k);
    return answer(json::value("Deleted key `" + name + "`"));
}

sim_response list_images(request_context& ctx) {
    std::vector<in_cloud<image_info>> all;
    for (backend* b : clouds_searched(ctx.w, ctx.query_param("cloud").value_or("")))
        for (auto& i : images_of(b->provider, b->region))
            if (!i.community) all.push_back({b, v2_catalogue_id(*b, "image", i.id), i.name, i});
    return list_or_get(ctx, all, "images", "image", "Image does not exist", catalogue_view<image_info>,
                                             [&](const in_cloud<image_info>& i, std::string_view only, const v2_deref& d) {
                                                 return v2_image_doc(ctx.w, *i.cloud, i.item, only, d);
                                             });
}

sim_response list_sizes(request_context& ctx) {
    return list_or_get(ctx, catalogue(ctx, "size", &sizes_of), "sizes", "size", "Size does not exist",
                                               catalogue_view<json::object>,
                                               [&](const in_cloud<json::object>& s, std::string_view only, const v2_deref& d) {
                                                   return v2_size_doc(ctx.w, *s.cloud, s.item, only, d);
                                               });
}

sim_response list_locations(request_context& ctx) {
    return list_or_get(ctx, catalogue(ctx, "location", &locations_of), "locations", "location",
                                               "Location does not exist", catalogue_view<json::object>,
                                               [&](const in_cloud<json::object>& l, std::string_view only, const v2_deref& d) {
                                                   return v2_location_doc(ctx.w, *l.cloud, l.item, only, d);
                                               });
}

}  // namespace mistasync::sim::v2
