#include "codec/routes.hpp"
#include "codec/op_failure.hpp"
#include "codec/request_path.hpp"

namespace mistasync::detail {
namespace {

using R = route_id;

// Not idempotent: creates, actions, the star toggle, key, backend and script additions,
// script runs, logins (each makes a token). The probe and tag writes may be resent.
constexpr route table[] = {
    {.id = R::login, .method = "POST", .legacy = "/auth", .idempotent = false, .authenticated = false},
    {.id = R::create_token, .method = "POST", .v1 = "/api/v1/tokens", .idempotent = false, .authenticated = false},
    {.id = R::ping, .method = "GET", .v1 = "/api/v1/ping"},
    {.id = R::list_organizations, .method = "GET", .v1 = "/api/v1/orgs"},
    {.id = R::providers, .method = "GET", .legacy = "/providers", .v1 = "/api/v1/providers", .authenticated = false, .api_version = "2"},
    {.id = R::list_backends, .method = "GET", .legacy = "/backends", .v1 = "/api/v1/clouds", .v2 = "/api/v2/clouds"},
    {.id = R::add_backend, .method = "POST", .legacy = "/backends", .v1 = "/api/v1/clouds", .v2 = "/api/v2/clouds", .idempotent = false, .api_version = "2"},
    {.id = R::rename_backend, .method = "PUT", .legacy = "/backends/{backend}", .v1 = "/api/v1/clouds/{backend}", .v2 = "/api/v2/clouds/{backend}"},
    {.id = R::toggle_backend, .method = "POST", .legacy = "/backends/{backend}", .v1 = "/api/v1/clouds/{backend}"},
    {.id = R::delete_backend, .method = "DELETE", .legacy = "/backends/{backend}", .v1 = "/api/v1/clouds/{backend}", .v2 = "/api/v2/clouds/{backend}"},
    {.id = R::list_images, .method = "GET", .legacy = "/backends/{backend}/images", .v1 = "/api/v1/clouds/{backend}/images", .v2 = "/api/v2/images?cloud={backend}"},
    {.id = R::star_image, .method = "POST", .legacy = "/backends/{backend}/images/{image}", .v1 = "/api/v1/clouds/{backend}/images/{image}", .idempotent = false},
    {.id = R::list_sizes, .method = "GET", .legacy = "/backends/{backend}/sizes", .v1 = "/api/v1/clouds/{backend}/sizes", .v2 = "/api/v2/sizes?cloud={backend}"},
    {.id = R::list_locations, .method = "GET", .legacy = "/backends/{backend}/locations", .v1 = "/api/v1/clouds/{backend}/locations", .v2 = "/api/v2/locations?cloud={backend}"},
    {.id = R::list_networks, .method = "GET", .legacy = "/backends/{backend}/networks", .v1 = "/api/v1/clouds/{backend}/networks"},
    {.id = R::create_network, .method = "POST", .v1 = "/api/v1/clouds/{backend}/networks", .idempotent = false},
    {.id = R::delete_network, .method = "DELETE", .v1 = "/api/v1/clouds/{backend}/networks/{network}"},
    {.id = R::list_subnets, .method = "GET", .v1 = "/api/v1/clouds/{backend}/networks/{network}/subnets"},
    {.id = R::create_subnet, .method = "POST", .v1 = "/api/v1/clouds/{backend}/networks/{network}/subnets", .idempotent = false},
    {.id = R::delete_subnet, .method = "DELETE", .v1 = "/api/v1/clouds/{backend}/networks/{network}/subnets/{subnet}"},
    {.id = R::list_machines, .method = "GET", .legacy = "/backends/{backend}/machines", .v1 = "/api/v1/clouds/{backend}/machines", .v2 = "/api/v2/machines?cloud={backend}"},
    {.id = R::get_machine, .method = "GET", .v2 = "/api/v2/machines/{machine}"},  // v2 only: one machine by mist's id
    {.id = R::create_machine, .method = "POST", .legacy = "/backends/{backend}/machines", .v1 = "/api/v1/clouds/{backend}/machines", .v2 = "/api/v2/machines", .idempotent = false},
    {.id = R::machine_action, .method = "POST", .legacy = "/backends/{backend}/machines/{machine}", .v1 = "/api/v1/clouds/{backend}/machines/{machine}", .v2 = "/api/v2/machines/{machine}/actions/{action}", .idempotent = false},
    {.id = R::probe, .method = "POST", .legacy = "/backends/{backend}/machines/{machine}/probe", .v1 = "/api/v1/clouds/{backend}/machines/{machine}/probe", .retry_503 = false},
    {.id = R::set_tags, .method = "POST", .legacy = "/backends/{backend}/machines/{machine}/tags", .v1 = "/api/v1/clouds/{backend}/machines/{machine}/tags", .v2 = "/api/v2/tags"},
    {.id = R::delete_tag, .method = "DELETE", .legacy = "/backends/{backend}/machines/{machine}/tags/{tag}", .v1 = "/api/v1/clouds/{backend}/machines/{machine}/tags/{tag}", .v2 = "/api/v2/tags", .v2_method = "POST"},
    {.id = R::associate_key, .method = "PUT", .legacy = "/backends/{backend}/machines/{machine}/keys/{key}", .v1 = "/api/v1/clouds/{backend}/machines/{machine}/keys/{key}", .v2 = "/api/v2/machines/{machine}/actions/associate-key"},
    {.id = R::disassociate_key, .method = "DELETE", .legacy = "/backends/{backend}/machines/{machine}/keys/{key}",
     .v1 = "/api/v1/clouds/{backend}/machines/{machine}/keys/{key}", .v2 = "/api/v2/machines/{machine}/actions/disassociate-key"},
    {.id = R::get_job, .method = "GET", .legacy = "/jobs/{job}", .v1 = "/api/v1/jobs/{job}", .v2 = "/api/v2/jobs/{job}"},
    {.id = R::list_keys, .method = "GET", .legacy = "/keys", .v1 = "/api/v1/keys", .v2 = "/api/v2/keys"},
    {.id = R::get_key, .method = "GET", .v2 = "/api/v2/keys/{key}"},  // v2 only: one key (its associations)
    {.id = R::add_key, .method = "PUT", .legacy = "/keys", .v1 = "/api/v1/keys", .v2 = "/api/v2/keys", .v2_method = "POST", .idempotent = false},
    {.id = R::generate_key, .method = "POST", .legacy = "/keys", .v1 = "/api/v1/keys", .v2 = "/api/v2/keys"},
    {.id = R::rename_key, .method = "PUT", .legacy = "/keys/{key}", .v1 = "/api/v1/keys/{key}", .v2 = "/api/v2/keys/{key}"},
    {.id = R::set_default_key, .method = "POST", .legacy = "/keys/{key}", .v1 = "/api/v1/keys/{key}", .v2 = "/api/v2/keys/{key}", .v2_method = "PUT"},
    {.id = R::delete_key, .method = "DELETE", .legacy = "/keys/{key}", .v1 = "/api/v1/keys/{key}", .v2 = "/api/v2/keys/{key}"},
    {.id = R::private_key, .method = "GET", .legacy = "/keys/{key}/private", .v1 = "/api/v1/keys/{key}/private", .v2 = "/api/v2/keys/{key}?private=true"},
    {.id = R::public_key, .method = "GET", .legacy = "/keys/{key}/public", .v1 = "/api/v1/keys/{key}/public"},
    {.id = R::list_scripts, .method = "GET", .legacy = "/scripts", .v1 = "/api/v1/scripts", .v2 = "/api/v2/scripts"},
    {.id = R::add_script, .method = "POST", .legacy = "/scripts", .v1 = "/api/v1/scripts", .v2 = "/api/v2/scripts", .idempotent = false, .api_version = "2"},
    {.id = R::delete_script, .method = "DELETE", .legacy = "/scripts/{script}", .v1 = "/api/v1/scripts/{script}", .v2 = "/api/v2/scripts/{script}"},
    {.id = R::run_script, .method = "POST", .legacy = "/scripts/{script}", .v1 = "/api/v1/scripts/{script}", .v2 = "/api/v2/scripts/{script}", .idempotent = false},
};

constexpr bool in_order() {
    for (std::size_t i = 0; i < std::size(table); ++i)
        if (static_cast<std::size_t>(table[i].id) != i) return false;
    return true;
}
static_assert(in_order(), "the table is indexed by route_id");

}  // namespace

std::span<const route> client_routes() { return table; }

void check_id(std::string_view what, std::string_view id) {
    if (unusable_id(id)) refuse_argument(std::string(what) + " is empty or contains control characters");
}

api_era route_era(route_id id, api_era era) {
    return era == api_era::v2 && table[static_cast<std::size_t>(id)].v2.empty() ? api_era::v1 : era;
}

api_request make_request(route_id id, api_era era, std::span<const std::string_view> arguments, std::string body) {
    const route& r = table[static_cast<std::size_t>(id)];
    era = route_era(id, era);
    std::string_view pattern = era == api_era::v2 ? r.v2 : era == api_era::v1 ? r.v1 : r.legacy;
    if (pattern.empty()) {
        const std::string_view other = era == api_era::v1 ? (r.legacy.empty() ? r.v2 : r.legacy) : (r.v1.empty() ? r.v2 : r.v1);
        refuse_argument(std::string(r.method) + " " + std::string(other) + " has no " + (era == api_era::v1 ? "v1" : "2015") + " equivalent");
    }
    const std::string_view method = era == api_era::v2 && !r.v2_method.empty() ? r.v2_method : r.method;
    std::string path;
    auto next = arguments.begin();
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != '{') {
            path += pattern[i++];
            continue;
        }
        std::size_t close = pattern.find('}', i);
        std::string_view name = pattern.substr(i + 1, close - i - 1);
        if (next == arguments.end()) refuse_argument("missing argument " + std::string(name));
        check_id(name == "tag" ? std::string("tag") : std::string(name) + " id", *next);
        path += encode_segment(*next++);
        i = close + 1;
    }
    return {.method = std::string(method),
            .path = std::move(path),
            .body = std::move(body),
            .idempotent = r.idempotent,
            .retry_503 = r.retry_503,
            .authenticated = r.authenticated,
            .api_version = std::string(r.api_version)};
}

}  // namespace mistasync::detail
