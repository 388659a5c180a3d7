// Each era's documents, one file per era (views_legacy.cpp, views_v1.cpp): a backend, a key,
// a machine and a probe's answer as that era's server writes them. views.cpp and
// machine_views.cpp hold what the eras share (which machines and fields a document shows,
// lists, caching) and pick the era's table; a new era adds its file and its table.
#pragma once

#include "views.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace mistasync::sim {

/// What a machine document shows, worked out once for every era: the state and addresses
/// the document may show (now at the provider, or as the server's record last saw it), and
/// the actions allowed in that state.
struct machine_facts {
    machine_state shown;
    bool addresses = false;
    machine_actions actions;
    std::string_view state;  ///< the state's name in the era
    const std::vector<std::string>& public_ips;
    const std::vector<std::string>& private_ips;
};

/// One era's document writers.
struct era_views {
    boost::json::value (*backend_doc)(const backend& b);
    boost::json::value (*key_doc)(const key_record& k);
    boost::json::value (*machine_doc)(world& w, const machine& m, const machine_facts& facts, const boost::json::storage_ptr& sp);
    boost::json::value (*probe_doc)(world& w, const machine& m, const boost::json::storage_ptr& sp);
};
extern const era_views legacy_views;  ///< the 2015 API (views_legacy.cpp)
extern const era_views v1_views;      ///< /api/v1 (views_v1.cpp)
/// The table of an era.
const era_views& views_of(era e);

// Pieces of machine documents every era uses (machine_views.cpp).
boost::json::array string_array(const std::vector<std::string>& v, const boost::json::storage_ptr& sp = {});
boost::json::array tags_json(const machine& m, const boost::json::storage_ptr& sp);
/// The provider's host name of a machine whose addresses are known ("" otherwise).
std::string dns_name(const machine& m, bool addresses);
/// The provider's `extra` of a machine (EC2's own fields; the others' size and image).
boost::json::object machine_extra(machine_state state, const machine& m, const std::string& dns, const boost::json::storage_ptr& sp);
/// A reachable machine's uptime as a probe reports it, in seconds.
double probe_uptime(const world& w, const machine& m);

}  // namespace mistasync::sim
