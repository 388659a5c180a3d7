// The /api/v2 handlers (mist-api-v2 de29606, mist_api_v2/controllers/*.py), one group per
// controller. They share the world with the other eras' handlers (handlers.hpp).
#pragma once

#include "request_context.hpp"

namespace mistasync::sim::v2 {

// v2_machine_handlers.cpp
sim_response list_machines(request_context& ctx);
sim_response get_machine(request_context& ctx);
sim_response edit_machine(request_context& ctx);
sim_response machine_action(request_context& ctx);  ///< start, stop, reboot, destroy, suspend, resume, undefine, clone
sim_response rename_machine(request_context& ctx);
sim_response resize_machine(request_context& ctx);
sim_response ssh(request_context& ctx);
sim_response console(request_context& ctx);
sim_response associate_key(request_context& ctx);
sim_response disassociate_key(request_context& ctx);

// v2_create_handler.cpp
sim_response create_machine(request_context& ctx);

// v2_resource_handlers.cpp (a list handler serves the get too: the path's value as search)
sim_response list_clouds(request_context& ctx);
sim_response add_cloud(request_context& ctx);
sim_response edit_cloud(request_context& ctx);
sim_response remove_cloud(request_context& ctx);
sim_response list_keys(request_context& ctx);
sim_response add_key(request_context& ctx);
sim_response edit_key(request_context& ctx);
sim_response delete_key(request_context& ctx);
sim_response list_images(request_context& ctx);
sim_response list_sizes(request_context& ctx);
sim_response list_locations(request_context& ctx);

// v2_misc_handlers.cpp
sim_response list_scripts(request_context& ctx);
sim_response add_script(request_context& ctx);
sim_response delete_script(request_context& ctx);
sim_response run_script(request_context& ctx);
sim_response list_tags(request_context& ctx);
sim_response tag_resources(request_context& ctx);
sim_response get_job(request_context& ctx);

}  // namespace mistasync::sim::v2
