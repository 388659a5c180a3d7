// The client's routes: per operation, its method and path in each era (contract §5),
// whether it may be resent, whether a 503 is an answer, and its Api-Version header. It
// mirrors the simulator's tables (src/sim/routes_*.cpp); tests/unit/test_routes.cpp fails on a
// route one has and the other lacks. Operations name a route and its arguments; which
// era's path that is, is decided here, once.
#pragma once

#include "codec/api_request.hpp"

#include <mistasync/config.hpp>

#include <initializer_list>
#include <span>
#include <string>
#include <string_view>

namespace mistasync::detail {

enum class route_id : unsigned char {
    login, create_token, ping, list_organizations, providers,
    list_backends, add_backend, rename_backend, toggle_backend, delete_backend,
    list_images, star_image, list_sizes, list_locations, list_networks,
    create_network, delete_network, list_subnets, create_subnet, delete_subnet,
    list_machines, get_machine, create_machine, machine_action, probe, set_tags, delete_tag, associate_key, disassociate_key,
    get_job,
    list_keys, get_key, add_key, generate_key, rename_key, set_default_key, delete_key, private_key, public_key,
    list_scripts, add_script, delete_script, run_script,
};

struct route {
    route_id id;
    std::string_view method;
    /// "/backends/{backend}/machines": each {name} is one argument, in order; empty: the
    /// era has no such route.
    std::string_view legacy;
    std::string_view v1;  ///< "/api/v1/clouds/{backend}/machines"
    /// "/api/v2/machines?cloud={backend}": its own arguments, in order ({machine} is mist's
    /// machine id there); empty: v2 has none, and a v2 session sends the v1 route instead.
    std::string_view v2;
    std::string_view v2_method{};    ///< v2's method, where it differs from `method`
    bool idempotent = true;          ///< may be sent again (reads, PUT, DELETE, probe)
    bool retry_503 = true;           ///< false: a 503 is an answer (a v1 probe's "not yet")
    bool authenticated = true;       ///< sends the token
    std::string_view api_version{};  ///< the Api-Version header, when the route has one
};

/// Every route of the client.
std::span<const route> client_routes();

/// The request for `id` in `era`: its path with each {name} replaced by one percent-encoded
/// argument. An argument that cannot be sent (empty, control characters) is
/// errc::invalid_argument naming it ("machine id"); a route the era lacks is too (v2: see
/// route_era).
api_request make_request(route_id id, api_era era, std::span<const std::string_view> arguments, std::string body = {});
inline api_request make_request(route_id id, api_era era, std::initializer_list<std::string_view> arguments, std::string body = {}) {
    return make_request(id, era, std::span<const std::string_view>(arguments.begin(), arguments.size()), std::move(body));
}

/// The era whose route a session of `era` sends for `id`: v2 sends v1's where v2 has none.
api_era route_era(route_id id, api_era era);

/// Throws op_failure(invalid_argument) for an id that cannot be sent (empty, control characters).
void check_id(std::string_view what, std::string_view id);

}  // namespace mistasync::detail
