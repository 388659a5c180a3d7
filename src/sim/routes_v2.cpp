// The /api/v2 routes (mist-api-v2 de29606, mist_api_v2/openapi/openapi.yaml paths) the
// simulator serves.
#include "route_tables.hpp"
#include "v2_handlers.hpp"

#include <algorithm>

namespace mistasync::sim {
namespace {

const route v2_table[] = {
    {"GET", "machines", v2::list_machines},
    {"POST", "machines", v2::create_machine},
    {"GET", "machines/{}", v2::get_machine},
    {"PUT", "machines/{}", v2::edit_machine},
    {"POST", "machines/{}/actions/rename", v2::rename_machine},
    {"POST", "machines/{}/actions/resize", v2::resize_machine},
    {"POST", "machines/{}/actions/ssh", v2::ssh},
    {"POST", "machines/{}/actions/console", v2::console},
    {"POST", "machines/{}/actions/{}", v2::machine_action},
    {"PUT", "machines/{}/actions/associate-key", v2::associate_key},
    {"DELETE", "machines/{}/actions/disassociate-key", v2::disassociate_key},
    {"GET", "jobs/{}", v2::get_job},
    {"GET", "clouds", v2::list_clouds},
    {"POST", "clouds", v2::add_cloud},
    {"GET", "clouds/{}", v2::list_clouds},
    {"PUT", "clouds/{}", v2::edit_cloud},
    {"DELETE", "clouds/{}", v2::remove_cloud},
    {"GET", "keys", v2::list_keys},
    {"POST", "keys", v2::add_key},
    {"GET", "keys/{}", v2::list_keys},
    {"PUT", "keys/{}", v2::edit_key},
    {"DELETE", "keys/{}", v2::delete_key},
    {"GET", "images", v2::list_images},
    {"GET", "images/{}", v2::list_images},
    {"GET", "sizes", v2::list_sizes},
    {"GET", "sizes/{}", v2::list_sizes},
    {"GET", "locations", v2::list_locations},
    {"GET", "locations/{}", v2::list_locations},
    {"GET", "scripts", v2::list_scripts},
    {"POST", "scripts", v2::add_script},
    {"GET", "scripts/{}", v2::list_scripts},
    {"DELETE", "scripts/{}", v2::delete_script},
    {"POST", "scripts/{}", v2::run_script},
    {"GET", "tags", v2::list_tags},
    {"POST", "tags", v2::tag_resources},
};

}  // namespace

std::span<const route> v2_routes() { return v2_table; }

bool v2_lists(const route& r, std::size_t captures) {
    // The list operations (`list_*`), which `Accept: text/csv` turns into CSV: the table's
    // GETs without a capture (a GET with one is a get).
    return r.method == "GET" && captures == 0 && r.handler != v2::get_job;
}

}  // namespace mistasync::sim
