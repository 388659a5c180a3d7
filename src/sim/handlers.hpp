// Request handlers, one group per resource. Each serves both eras; where the eras
// differ (paths, ids, shapes, error texts) the handler branches on ctx.e.
#pragma once

#include "request_context.hpp"

namespace mistasync::sim::handlers {

// auth_handlers.cpp
sim_response login(request_context& ctx);            // POST /auth
sim_response check_token(request_context& ctx);      // GET /check_token, GET|POST /api/v1/ping
sim_response create_token(request_context& ctx);     // POST /api/v1/tokens
sim_response list_tokens(request_context& ctx);      // GET /api/v1/tokens
sim_response revoke_token(request_context& ctx);     // DELETE /api/v1/tokens
sim_response list_organizations(request_context& ctx);  // GET /api/v1/orgs
/// An organization the user is not a member of (a token asked for it is 403).
extern const char* const foreign_organization_name;
std::string foreign_organization_id();

// backend_handlers.cpp
sim_response providers(request_context& ctx);
sim_response list_backends(request_context& ctx);
sim_response add_backend(request_context& ctx);
sim_response rename_backend(request_context& ctx);
sim_response toggle_backend(request_context& ctx);
sim_response delete_backend(request_context& ctx);
sim_response update_backend(request_context& ctx);   // PATCH (v1)

// catalogue_handlers.cpp
sim_response list_images(request_context& ctx);
sim_response star_image(request_context& ctx);
sim_response list_sizes(request_context& ctx);
sim_response list_locations(request_context& ctx);

// network_handlers.cpp
sim_response list_networks(request_context& ctx);
sim_response list_all_networks(request_context& ctx);  // GET /api/v1/networks
sim_response create_network(request_context& ctx);
sim_response delete_network(request_context& ctx);
sim_response list_subnets(request_context& ctx);
sim_response create_subnet(request_context& ctx);
sim_response delete_subnet(request_context& ctx);

// machine_handlers.cpp
sim_response list_machines(request_context& ctx);
sim_response list_all_machines(request_context& ctx);  // GET /api/v1/machines
sim_response machine_action(request_context& ctx);
sim_response machine_action_by_uuid(request_context& ctx);
sim_response probe(request_context& ctx);
sim_response probe_by_uuid(request_context& ctx);

// machine_create_handlers.cpp
sim_response create_machine(request_context& ctx);

// tag_handlers.cpp
sim_response list_tags(request_context& ctx);
sim_response set_tags(request_context& ctx);
sim_response delete_tag(request_context& ctx);
sim_response get_job(request_context& ctx);

// script_handlers.cpp
sim_response list_scripts(request_context& ctx);
sim_response add_script(request_context& ctx);
sim_response delete_script(request_context& ctx);
sim_response show_script(request_context& ctx);
sim_response edit_script(request_context& ctx);
sim_response download_script(request_context& ctx);
sim_response script_url(request_context& ctx);
sim_response delete_scripts(request_context& ctx);
sim_response run_script(request_context& ctx);

// key_handlers.cpp
sim_response list_keys(request_context& ctx);
sim_response add_key(request_context& ctx);
sim_response generate_key(request_context& ctx);
sim_response delete_keys(request_context& ctx);      // DELETE /api/v1/keys (bulk)
sim_response rename_key(request_context& ctx);
sim_response set_default_key(request_context& ctx);
sim_response delete_key(request_context& ctx);
sim_response private_key(request_context& ctx);
sim_response public_key(request_context& ctx);
sim_response associate_key(request_context& ctx);
sim_response disassociate_key(request_context& ctx);
sim_response associate_key_by_uuid(request_context& ctx);
sim_response disassociate_key_by_uuid(request_context& ctx);

// Shared lookups with each era's not-found errors.
/// `with_detail` false: the 2015 bare form 'Backend not found' some views raise.
backend& backend_or_404(request_context& ctx, const std::string& id, bool with_detail = true);
/// The machine `id` (the provider's id, or v1's mist id) of backend `b`, or nullptr.
machine* machine_in(request_context& ctx, backend* b, const std::string& id);
/// v1's "Not Found: Machine <id> doesn't exist".
api_error v1_machine_not_found(const std::string& id);
/// Throws what the server answers when it calls a broken provider (contract §10.2):
/// 503 "Cloud unavailable" / "Backend unavailable", or 401 for bad credentials.
void call_provider(request_context& ctx, const backend& b);
/// `v1_message`: the v1 view's own "Not Found: ..." detail.
key_record& key_or_404(request_context& ctx, const std::string& id,
                        std::string_view v1_message = "Key id does not exist");

}  // namespace mistasync::sim::handlers
