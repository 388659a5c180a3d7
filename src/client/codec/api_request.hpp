// A request as the API sees it: a route's method and path with its arguments, the JSON
// body, and the route's rules (may it be resent, is a 503 an answer, does it carry the
// token, which Api-Version). The call driver turns it into an HTTP request.
#pragma once

#include <string>
#include <string_view>

namespace mistasync::detail {

struct api_request {
    std::string method;
    std::string path;          ///< API path, encoded, without the base URL's prefix; may carry "?query"
    std::string body;          ///< JSON text or empty
    bool idempotent = true;    ///< may be resent (GET, PUT, DELETE, probe)
    bool retry_503 = true;     ///< false: a 503 is an answer (a v1 probe's "not yet")
    bool authenticated = true; ///< carries the session's Authorization header
    std::string api_version;   ///< the Api-Version header value, or empty
    bool keep_headers = false; ///< the answer keeps every header field (a raw call's)
};

/// The request path without its query string (what diagnostics show).
inline std::string path_only(std::string_view path) { return std::string(path.substr(0, path.find('?'))); }

}  // namespace mistasync::detail
