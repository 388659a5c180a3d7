// The 2015 routes (contract §5), as the late-2015 server served them.
#include "handlers.hpp"
#include "route_tables.hpp"

namespace mistasync::sim {
namespace {
using namespace handlers;

const route legacy_table[] = {
    {"POST", "auth", login, false},
    {"GET", "check_token", check_token},
    {"GET", "providers", providers, false},
    {"GET", "backends", list_backends},
    {"POST", "backends", add_backend},
    {"PUT", "backends/{}", rename_backend},
    {"POST", "backends/{}", toggle_backend},
    {"DELETE", "backends/{}", delete_backend},
    {"GET", "backends/{}/machines", list_machines},
    {"POST", "backends/{}/machines", create_machine},
    {"POST", "backends/{}/machines/{}", machine_action},
    {"POST", "backends/{}/machines/{}/probe", probe},
    {"POST", "backends/{}/machines/{}/tags", set_tags},
    {"DELETE", "backends/{}/machines/{}/tags/{}", delete_tag},
    {"PUT", "backends/{}/machines/{}/keys/{}", associate_key},
    {"DELETE", "backends/{}/machines/{}/keys/{}", disassociate_key},
    {"GET", "backends/{}/images", list_images},
    {"POST", "backends/{}/images", list_images},
    {"POST", "backends/{}/images/{*}", star_image},
    {"GET", "backends/{}/sizes", list_sizes},
    {"GET", "backends/{}/locations", list_locations},
    {"GET", "backends/{}/networks", list_networks},
    {"GET", "keys", list_keys},
    {"PUT", "keys", add_key},
    {"POST", "keys", generate_key},
    {"PUT", "keys/{}", rename_key},
    {"POST", "keys/{}", set_default_key},
    {"DELETE", "keys/{}", delete_key},
    {"GET", "keys/{}/private", private_key},
    {"GET", "keys/{}/public", public_key},
    {"GET", "jobs/{}", get_job},
    {"GET", "scripts", list_scripts},
    {"POST", "scripts", add_script},
    {"POST", "scripts/{}", run_script},
    {"DELETE", "scripts/{}", delete_script},
};

}  // namespace

std::span<const route> legacy_routes() { return legacy_table; }

}  // namespace mistasync::sim
