// What the HTTP layer sends and hands back: a request whose header lines are already set,
// the parts of a response the SDK keeps, and how an exchange fails.
#pragma once

#include <boost/system/error_code.hpp>

#include <exception>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync::detail {

using boost::system::error_code;

struct http_request {
    std::string method;
    std::string target;  ///< origin-form and percent-encoded: the base URL's prefix, the path, any query
    std::string body;    ///< JSON text or empty (sent as application/json)
    /// Header lines besides Host, Content-Type and Content-Length, each "Name: value\r\n".
    std::string fields;
    /// May go again on a fresh connection when a reused one turns out to be dead before
    /// any answer; also skips the liveness peek before writing.
    bool resendable = true;
    /// Keep every header field of the answer (http_response::headers): a raw call's caller
    /// reads them; the SDK's own calls need only the few fields below.
    bool keep_headers = false;

    /// Appends a header line. False, and nothing added, for a value that would end the
    /// header early (CR, LF or NUL: a token carrying one could add headers or requests).
    [[nodiscard]] bool add_header(std::string_view name, std::string_view value);
};

struct http_response {
    int status = 0;
    std::string content_type;
    std::string body;
    std::string retry_after;
    std::string location;  ///< of a redirect (never followed: it would carry the token elsewhere)
    std::vector<std::pair<std::string, std::string>> headers;  ///< every field, when the request asked (keep_headers)
};

/// Thrown when an exchange fails; says whether the request may have reached the server
/// (bytes were written).
struct transport_failure : std::exception {
    transport_failure(error_code code, bool sent, std::string why = {}) : ec(code), maybe_sent(sent), detail(std::move(why)) {}
    const char* what() const noexcept override { return "transport failure"; }
    error_code ec;
    bool maybe_sent;
    std::string detail;  ///< what a person needs beyond ec.message() (say, why a certificate was refused)

    /// The text for diagnostics: the detail, else the error's message.
    std::string text() const { return detail.empty() ? ec.message() : detail; }
};

/// The request line and header block, Host from the connection's endpoint.
std::string request_head(const http_request& req, std::string_view host_header);

/// True when `v` can be a header value or request-line part (no CR, LF or NUL).
bool header_safe(std::string_view v);

}  // namespace mistasync::detail
