// What a handler sees of a request: the world, the era, the path captures and the
// parameters, with typed accessors that turn bad input into the server's 400s.
#pragma once

#include "api_error.hpp"
#include "http_types.hpp"
#include "world.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mistasync::sim {

struct request_context {
    world& w;
    const sim_request& req;
    era e;
    std::vector<std::string> args;  ///< path captures, in pattern order
    std::string_view query;         ///< after '?', still encoded
    boost::json::value body;        ///< parsed JSON or form body; null when empty
    bool body_invalid = false;      ///< the body was present but not JSON
    std::string email;              ///< the authenticated user
    /// The user's organizations (the first is the default); `w` is one of their worlds.
    const std::vector<organization_entry>* orgs = nullptr;

    /// The body as an object (empty when there is none). Throws 400 for a body that is
    /// not JSON, or JSON that is not an object.
    const boost::json::object& params() const;
    /// A string parameter; nullopt when absent, null or empty ("falsy", as the server
    /// treats it). Non-string values -> 400 naming the parameter.
    std::optional<std::string> text(std::string_view key) const;
    /// Like text() but required: missing -> 400 "Required parameter not provided: key".
    std::string required_text(std::string_view key) const;
    /// A boolean parameter (JSON bool, or 0/1, or "true"/"false").
    bool flag(std::string_view key, bool fallback) const;
    /// A query-string parameter, percent-decoded.
    std::optional<std::string> query_param(std::string_view key) const;
};

/// Percent-decoding; nullopt for malformed escapes.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

sim_response json_response(const boost::json::value& v, int status = 200);
/// The literal `OK` body some handlers answer with.
sim_response ok_text();

/// A bulk delete's report (keys/views.py delete_keys, scripts/views.py delete_scripts):
/// each string id -> "deleted" when `remove` found and removed it, else "not_found".
/// Other values are skipped (a caller that refuses them checks first).
boost::json::object delete_each(const boost::json::array& ids, const std::function<bool(const std::string&)>& remove);
/// True when a delete_each report deleted anything.
bool deleted_any(const boost::json::object& report);

}  // namespace mistasync::sim
