// Errors as the mist.io server writes them: a status code and a plain-text body made of
// the exception class's message and an optional detail (contract §2.3-2.4).
#pragma once

#include "http_types.hpp"

#include <string>
#include <string_view>

namespace mistasync::sim {

/// Thrown by request handlers; the router turns it into the response.
struct api_error {
    int status;
    std::string body;
    std::string content_type = content_type_html;
};

/// Python 2 repr() of a string: quotes chosen as Python does, `u` prefix for unicode.
std::string python_repr(std::string_view text, bool unicode);

/// "<msg>" or "<msg>: <detail>", for every MistError that is not also a KeyError.
api_error mist_error(int status, std::string_view msg, std::string_view detail = {});

/// The KeyError-derived classes (Backend/Keypair/Machine not found...) stringify with
/// KeyError's repr: 'Backend not found' or u'Backend not found: <id from the URL>'.
api_error keyerror_error(int status, std::string_view msg, std::string_view detail = {},
                         bool unicode_detail = true);

// The classes the handlers use most, with their exact message texts.
inline api_error bad_request(std::string_view detail = {}) { return mist_error(400, "Bad Request", detail); }
inline api_error required_parameter(std::string_view detail) {
    return mist_error(400, "Required parameter not provided", detail);
}
inline api_error not_found(std::string_view detail = {}) { return mist_error(404, "Not Found", detail); }
inline api_error conflict(std::string_view msg, std::string_view detail = {}) { return mist_error(409, msg, detail); }
inline api_error internal_server_error() { return {500, "Internal Server Error"}; }

}  // namespace mistasync::sim
