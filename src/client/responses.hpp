// Reading an answer: its text for diagnostics (short, printable) and its JSON document.
#pragma once

#include "api_request.hpp"
#include "http/message.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>

namespace mistasync::detail {

/// A decoded document that handles keep (their raw_json); shared, never copied.
struct json_holder {
    boost::json::value value;
};

/// At most `limit` characters of `text`, control characters replaced.
std::string printable(std::string_view text, std::size_t limit);
/// The server's text of a response, short and printable, for diagnostics.
std::string server_text(const http_response& r);
/// Parses a JSON body; throws op_failure(bad_response) naming the request.
boost::json::value parse_json(const http_response& r, const api_request& req);

}  // namespace mistasync::detail
