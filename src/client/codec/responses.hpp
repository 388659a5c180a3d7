// Reading an answer: its text for diagnostics (short, printable) and its JSON document.
#pragma once

#include "codec/api_request.hpp"
#include "http/message.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/value.hpp>

#include <memory>

#include <string>
#include <string_view>

namespace mistasync::detail {

/// A parsed body, or the element of one that a model keeps (its raw_json): the value and
/// the arena it lives in. The value does not own the arena, so destroying it costs
/// nothing (a shared arena would make every value's destructor walk its children); the
/// holder keeps the arena alive instead. A value that must outlive its holder is copied
/// out with its own storage.
struct json_holder {
    std::shared_ptr<boost::json::monotonic_resource> arena;  // declared first: destroyed after the value
    boost::json::value value;
};

/// At most `limit` characters of `text`, control characters replaced.
std::string printable(std::string_view text, std::size_t limit);
/// The server's text of a response, short and printable, for diagnostics.
std::string server_text(const http_response& r);
/// Parses a JSON body; throws op_failure(bad_response) naming the request.
json_holder parse_json(const http_response& r, const api_request& req);

}  // namespace mistasync::detail
