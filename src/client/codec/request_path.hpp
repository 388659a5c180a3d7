// Building request paths: each id goes in as one percent-encoded path segment, so no id
// ("a/b", "..", "%", spaces, CR/LF, non-ASCII) can change the request line or headers.
#pragma once

#include <string>
#include <string_view>

namespace mistasync::detail {

/// Percent-encodes everything outside RFC 3986 unreserved characters.
std::string encode_segment(std::string_view segment);

/// True for ids the SDK refuses to send at all: empty, or with control characters.
bool unusable_id(std::string_view id);

}  // namespace mistasync::detail
