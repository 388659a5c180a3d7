// The /api/v1 routes (contract §5; mist.api src/mist/api/__init__.py at dcf483f).
#include "handlers.hpp"
#include "route_tables.hpp"

namespace mistasync::sim {
namespace {
using namespace handlers;

const route v1_table[] = {
    {"POST", "tokens", create_token, false},
    {"GET", "tokens", list_tokens},
    {"DELETE", "tokens", revoke_token},
    {"GET", "orgs", list_organizations},
    {"GET", "ping", check_token},
    {"POST", "ping", check_token},
    {"GET", "providers", providers, false},
    {"GET", "clouds", list_backends},
    {"POST", "clouds", add_backend},
    {"PUT", "clouds/{}", rename_backend},
    {"POST", "clouds/{}", toggle_backend},
    {"DELETE", "clouds/{}", delete_backend},
    {"PATCH", "clouds/{}", update_backend},
    {"GET", "clouds/{}/machines", list_machines},
    {"POST", "clouds/{}/machines", create_machine},
    {"POST", "clouds/{}/machines/{}", machine_action},
    {"POST", "clouds/{}/machines/{}/probe", probe},
    {"GET", "clouds/{}/machines/{}/tags", list_tags},
    {"POST", "clouds/{}/machines/{}/tags", set_tags},
    {"DELETE", "clouds/{}/machines/{}/tags/{}", delete_tag},
    {"PUT", "clouds/{}/machines/{}/keys/{}", associate_key},
    {"DELETE", "clouds/{}/machines/{}/keys/{}", disassociate_key},
    {"GET", "machines", list_all_machines},
    {"POST", "machines/{}", machine_action_by_uuid},
    {"POST", "machines/{}/probe", probe_by_uuid},
    {"PUT", "machines/{}/keys/{}", associate_key_by_uuid},
    {"DELETE", "machines/{}/keys/{}", disassociate_key_by_uuid},
    {"GET", "clouds/{}/images", list_images},
    {"POST", "clouds/{}/images", list_images},
    {"POST", "clouds/{}/images/{}", star_image},
    {"GET", "clouds/{}/sizes", list_sizes},
    {"GET", "clouds/{}/locations", list_locations},
    {"GET", "clouds/{}/networks", list_networks},
    {"POST", "clouds/{}/networks", create_network},
    {"DELETE", "clouds/{}/networks/{}", delete_network},
    {"GET", "clouds/{}/networks/{}/subnets", list_subnets},
    {"POST", "clouds/{}/networks/{}/subnets", create_subnet},
    {"DELETE", "clouds/{}/networks/{}/subnets/{}", delete_subnet},
    {"GET", "networks", list_all_networks},
    {"GET", "keys", list_keys},
    {"PUT", "keys", add_key},
    {"POST", "keys", generate_key},
    {"DELETE", "keys", delete_keys},
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
    {"DELETE", "scripts", delete_scripts},
    {"GET", "scripts/{}", show_script},
    {"PUT", "scripts/{}", edit_script},
    {"GET", "scripts/{}/file", download_script},
    {"GET", "scripts/{}/url", script_url},
};

}  // namespace

std::span<const route> v1_routes() { return v1_table; }

}  // namespace mistasync::sim
