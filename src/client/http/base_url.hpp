// Where the client connects: the scheme, host and port of the base URL, the Host header
// they make, and the path prefix every request target starts with.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mistasync::detail {

struct base_url {
    bool tls = false;
    std::string host;
    std::string port;
    std::string prefix;       ///< path before the API paths, without the trailing slash
    std::string host_header;  ///< the Host header: host, with the port when not the scheme's default
};

/// Parses "https://host[:port][/prefix]". nullopt when it is not http(s) or has no host.
std::optional<base_url> parse_base_url(std::string_view url);

/// "scheme://host[:port][/prefix]": where a client talks to, without credentials.
inline std::string server_identity(const base_url& u) { return (u.tls ? "https://" : "http://") + u.host_header + u.prefix; }

}  // namespace mistasync::detail
