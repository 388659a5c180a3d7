// How each era shows the world: one function per document shape, taking the era. Each
// era's own documents (a backend, a key, a machine, a probe) are in its file,
// views_<era>.cpp, behind era_views.hpp; what the eras share is here.
#pragma once

#include "datetime_text.hpp"
#include "world.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace mistasync::sim {

boost::json::value backend_json(const backend& b, era e);
boost::json::value backends_json(world& w, era e);
/// What a machine document shows: the provider's node now (a fresh list, 2015 lists,
/// action answers) or the server's stored record (v1 cached lists, contract §10.1).
enum class machine_source { live, record };

/// `sp`: where the document's nodes live (a per-request arena keeps big lists cheap).
boost::json::value machine_json(world& w, const machine& m, era e, const boost::json::storage_ptr& sp = {},
                                machine_source source = machine_source::live);
/// The machine list as JSON text, reusing each machine's cached text while it is fresh.
std::string machines_text(world& w, const backend& b, era e, machine_source source = machine_source::live);
/// Positional 6-tuples [backend_id, machine_id, last_used, ssh_user, sudo, port].
boost::json::value associations_json(const key_record& k, era e);
boost::json::value key_json(const key_record& k, era e);
boost::json::value keys_json(world& w, era e);
/// `search` empty: the list call; otherwise a case-insensitive search (max 40 results).
boost::json::value images_json(const backend& b, era e, std::string_view search);
bool image_starred(const backend& b, const image_info& image);

/// The full probe document of a reachable machine.
boost::json::value probe_json(world& w, const machine& m, era e, const boost::json::storage_ptr& sp = {});
/// 2015: what a probe answers while SSH does not work yet (ping fields only, or {}).
boost::json::value ping_only_json(bool pingable);

boost::json::value job_json(world& w, const job_record& j, era e);
/// A stored script's run (POST /scripts/{id}) as its job's story: started, then finished
/// with the exit code and output once the script's time has passed.
boost::json::value script_run_json(world& w, const script_run& r, era e);
boost::json::value token_json(const api_token& t, const world_options& o, bool full_token);

}  // namespace mistasync::sim
