// The account documents the eras share: lists of backends and keys (each era's own
// documents: era_views.hpp), key associations, images, tokens (machines:
// machine_views.cpp; jobs and script runs: job_views.cpp).
#include "views.hpp"

#include "ascii.hpp"
#include "crypto.hpp"
#include "python_json.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {
namespace json = boost::json;

json::value backends_json(world& w, era e) {
    json::array a;
    for (auto& b : w.backends()) a.push_back(backend_json(*b, e));
    return a;
}

json::value associations_json(const key_record& k, era e) {
    json::array a;
    for (auto& assoc : k.machines) {
        json::array t;
        t.emplace_back(e == era::legacy ? assoc.backend_legacy_id : assoc.backend_uuid);
        t.emplace_back(assoc.machine_provider_id);
        if (assoc.last_used == 0) t.emplace_back(0);
        else t.emplace_back(e == era::legacy ? json::value(assoc.last_used)
                                             : json::value(static_cast<std::int64_t>(assoc.last_used)));
        t.push_back(assoc.ssh_user ? json::value(*assoc.ssh_user) : json::value(nullptr));
        t.emplace_back(assoc.sudo);
        t.emplace_back(assoc.port);
        a.push_back(std::move(t));
    }
    return a;
}

json::value keys_json(world& w, era e) {
    json::array a;
    for (auto& k : w.keys()) a.push_back(key_json(*k, e));
    return a;
}

bool image_starred(const backend& b, const image_info& image) {
    auto it = b.star_overrides.find(image.id);
    return it != b.star_overrides.end() ? it->second : image.starred_by_default;
}

json::value images_json(const backend& b, era e, std::string_view search) {
    std::vector<image_info> images = images_of(b.provider, b.region);
    std::string needle = to_lower(search);
    std::vector<const image_info*> picked;
    for (auto& img : images) {
        if (needle.empty()) {
            // The list call shows the catalogue's own images and anything starred.
            if (img.community && !image_starred(b, img)) continue;
        } else if (to_lower(img.id).find(needle) == std::string::npos &&
                   to_lower(img.name).find(needle) == std::string::npos) {
            continue;
        }
        if (e == era::legacy) {
            std::string n = to_lower(img.name);
            if (img.name.empty() || img.id.starts_with("aki") || img.id.starts_with("ari") ||
                n.find("windows") != std::string::npos)
                continue;
        }
        picked.push_back(&img);
    }
    if (e == era::v1)
        std::stable_sort(picked.begin(), picked.end(), [&](auto* x, auto* y) {
            bool sx = image_starred(b, *x), sy = image_starred(b, *y);
            if (sx != sy) return sx;
            return x->name < y->name;
        });
    if (!needle.empty() && picked.size() > 40) picked.resize(40);
    json::array a;
    for (auto* img : picked)
        a.push_back(json::object{{"id", img->id}, {"name", img->name}, {"star", image_starred(b, *img)},
                                 {"extra", img->extra}});
    return a;
}

json::value token_json(const api_token& t, const world_options& o, bool full_token) {
    const std::string& email = o.email;
    std::string shown = full_token ? t.token : t.token.substr(0, 4) + "...";
    return json::object{{"id", t.id}, {"name", t.name}, {"ttl", t.ttl}, {"token", shown},
                        {"created_at", format_datetime(t.created_wall, true)},
                        {"last_accessed_at", t.last_accessed_wall > 0 ? format_datetime(t.last_accessed_wall, true)
                                                                       : std::string("Never")},
                        {"ip_address", "127.0.0.1"}, {"user_agent", ""}, {"org_id", o.org_id},
                        {"org_name", o.org_name}, {"user_id", sha1_hex(std::string(email) + "u").substr(0, 32)}};
}

}  // namespace mistasync::sim
