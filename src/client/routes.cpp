#include "routes.hpp"

namespace mistasync::detail {
namespace {

using R = route_id;

// Not idempotent: creates, actions, the star toggle, key and backend additions, logins
// (each makes a token). The probe and tag writes may be resent.
constexpr route table[] = {
    {R::login, "POST", "/auth", "", false, true, false},
    {R::create_token, "POST", "", "/api/v1/tokens", false, true, false},
    {R::ping, "GET", "", "/api/v1/ping"},
    {R::providers, "GET", "/providers", "/api/v1/providers", true, true, false, "2"},
    {R::list_backends, "GET", "/backends", "/api/v1/clouds"},
    {R::add_backend, "POST", "/backends", "/api/v1/clouds", false, true, true, "2"},
    {R::rename_backend, "PUT", "/backends/{backend}", "/api/v1/clouds/{backend}"},
    {R::toggle_backend, "POST", "/backends/{backend}", "/api/v1/clouds/{backend}"},
    {R::delete_backend, "DELETE", "/backends/{backend}", "/api/v1/clouds/{backend}"},
    {R::list_images, "GET", "/backends/{backend}/images", "/api/v1/clouds/{backend}/images"},
    {R::star_image, "POST", "/backends/{backend}/images/{image}", "/api/v1/clouds/{backend}/images/{image}", false},
    {R::list_sizes, "GET", "/backends/{backend}/sizes", "/api/v1/clouds/{backend}/sizes"},
    {R::list_locations, "GET", "/backends/{backend}/locations", "/api/v1/clouds/{backend}/locations"},
    {R::list_networks, "GET", "/backends/{backend}/networks", "/api/v1/clouds/{backend}/networks"},
    {R::list_machines, "GET", "/backends/{backend}/machines", "/api/v1/clouds/{backend}/machines"},
    {R::create_machine, "POST", "/backends/{backend}/machines", "/api/v1/clouds/{backend}/machines", false},
    {R::machine_action, "POST", "/backends/{backend}/machines/{machine}", "/api/v1/clouds/{backend}/machines/{machine}", false},
    {R::probe, "POST", "/backends/{backend}/machines/{machine}/probe", "/api/v1/clouds/{backend}/machines/{machine}/probe", true, false},
    {R::set_tags, "POST", "/backends/{backend}/machines/{machine}/tags", "/api/v1/clouds/{backend}/machines/{machine}/tags"},
    {R::delete_tag, "DELETE", "/backends/{backend}/machines/{machine}/tags/{tag}", "/api/v1/clouds/{backend}/machines/{machine}/tags/{tag}"},
    {R::associate_key, "PUT", "/backends/{backend}/machines/{machine}/keys/{key}", "/api/v1/clouds/{backend}/machines/{machine}/keys/{key}"},
    {R::disassociate_key, "DELETE", "/backends/{backend}/machines/{machine}/keys/{key}",
     "/api/v1/clouds/{backend}/machines/{machine}/keys/{key}"},
    {R::get_job, "GET", "/jobs/{job}", "/api/v1/jobs/{job}"},
    {R::list_keys, "GET", "/keys", "/api/v1/keys"},
    {R::add_key, "PUT", "/keys", "/api/v1/keys", false},
    {R::generate_key, "POST", "/keys", "/api/v1/keys"},
    {R::rename_key, "PUT", "/keys/{key}", "/api/v1/keys/{key}"},
    {R::set_default_key, "POST", "/keys/{key}", "/api/v1/keys/{key}"},
    {R::delete_key, "DELETE", "/keys/{key}", "/api/v1/keys/{key}"},
    {R::private_key, "GET", "/keys/{key}/private", "/api/v1/keys/{key}/private"},
    {R::public_key, "GET", "/keys/{key}/public", "/api/v1/keys/{key}/public"},
};

constexpr bool in_order() {
    for (std::size_t i = 0; i < std::size(table); ++i)
        if (static_cast<std::size_t>(table[i].id) != i) return false;
    return true;
}
static_assert(in_order(), "the table is indexed by route_id");

[[noreturn]] void refuse(std::string message) {
    diagnostics d;
    d.client_message = std::move(message);
    throw op_failure(errc::invalid_argument, std::move(d));
}

}  // namespace

std::span<const route> client_routes() { return table; }

http_request make_request(route_id id, api_era era, std::initializer_list<std::string_view> arguments, std::string body) {
    const route& r = table[static_cast<std::size_t>(id)];
    std::string_view pattern = era == api_era::v1 ? r.v1 : r.legacy;
    if (pattern.empty()) refuse(std::string(r.method) + " " + std::string(era == api_era::v1 ? r.legacy : r.v1) + " has no " +
                                (era == api_era::v1 ? "v1" : "2015") + " equivalent");
    std::string path;
    auto next = arguments.begin();
    for (std::size_t i = 0; i < pattern.size();) {
        if (pattern[i] != '{') {
            path += pattern[i++];
            continue;
        }
        std::size_t close = pattern.find('}', i);
        std::string_view name = pattern.substr(i + 1, close - i - 1);
        if (next == arguments.end()) refuse("missing argument " + std::string(name));
        check_id(name == "tag" ? std::string("tag") : std::string(name) + " id", *next);
        path += encode_segment(*next++);
        i = close + 1;
    }
    return {std::string(r.method), std::move(path), std::move(body), r.idempotent, r.retry_503, r.authenticated, std::string(r.api_version)};
}

}  // namespace mistasync::detail
