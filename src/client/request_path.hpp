// Building request paths: each id goes in as one percent-encoded path segment, so no id
// ("a/b", "..", "%", spaces, CR/LF, non-ASCII) can change the request line or headers.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mistasync::detail {

/// Percent-encodes everything outside RFC 3986 unreserved characters.
std::string encode_segment(std::string_view segment);

/// True for ids the SDK refuses to send at all: empty, or with control characters.
bool unusable_id(std::string_view id);

struct base_url {
    bool tls = false;
    std::string host;
    std::string port;
    std::string prefix;  ///< path before the API paths, without the trailing slash
    std::string host_header;  ///< the Host header: host, with the port when not the scheme's default
};

/// Parses "https://host[:port][/prefix]". nullopt when it is not http(s) or has no host.
std::optional<base_url> parse_base_url(std::string_view url);

}  // namespace mistasync::detail
