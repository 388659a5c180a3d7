// A channel that answers the client's requests instead of sockets: the request as it would
// go on the wire, the parts of the answer the client reads. The simulator offers one into
// its API (mistasync/testing/in_process.hpp); nothing else needs it.
#pragma once

#include <boost/asio/any_completion_handler.hpp>
#include <boost/system/error_code.hpp>

#include <functional>
#include <string>

namespace mistasync::detail {

/// A request as it would be written: its target (path and query, percent-encoded), its
/// header lines ("Name: value\r\n" each, besides Host and the body's) and its JSON body.
struct wire_request {
    std::string method;   ///< "GET", "POST", ...
    std::string target;   ///< the request target
    std::string fields;   ///< header lines
    std::string body;     ///< JSON text or empty
};

/// What the client reads of an answer.
struct wire_response {
    int status = 0;            ///< the HTTP status
    std::string content_type;  ///< the Content-Type header
    std::string body;          ///< the whole body
    std::string retry_after;   ///< the Retry-After header, if any
    std::string location;      ///< a redirect's Location, if any
};

/// Completes with the answer, or with the error a connection would have met (the request
/// counts as sent either way). Cancelling the handler's slot abandons the request.
using wire_handler = boost::asio::any_completion_handler<void(boost::system::error_code, wire_response)>;
/// Takes one request; completes its handler exactly once.
using message_channel = std::function<void(wire_request, wire_handler)>;

}  // namespace mistasync::detail
