// How a server's HTTP response is read: the parser's limits and what the SDK keeps of
// the message. Shared by the transport and the HTTP-response fuzzer, so that what is
// fuzzed is what runs.
#pragma once

#include "message.hpp"

#include <boost/beast/http/field.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

namespace mistasync::detail {

using response_parser = boost::beast::http::response_parser<boost::beast::http::string_body>;

/// Bodies beyond client_options::max_response_bytes and header blocks beyond 64 KB fail
/// the read (errc::response_too_large).
inline void limit_response(response_parser& parser, std::size_t max_body_bytes) {
    parser.body_limit(max_body_bytes);
    parser.header_limit(64 * 1024);
}

/// What the SDK keeps of a complete response (every header field too with `all_headers`).
inline http_response take_response(response_parser& parser, bool all_headers = false) {
    namespace http = boost::beast::http;
    auto& res = parser.get();
    http_response out;
    out.status = res.result_int();
    if (auto it = res.find(http::field::content_type); it != res.end()) out.content_type = it->value();
    if (auto it = res.find(http::field::retry_after); it != res.end()) out.retry_after = it->value();
    if (out.status >= 300 && out.status < 400)
        if (auto it = res.find(http::field::location); it != res.end()) out.location = it->value();
    if (all_headers)
        for (auto& field : res) out.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
    out.body = std::move(res.body());
    return out;
}

}  // namespace mistasync::detail
