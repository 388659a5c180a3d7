// The bytes of HTTP/1.1 the simulator writes and reads by hand: a response's head, an error
// reply, a raw header block, and what a request's target says.
#pragma once

#include "http_types.hpp"

#include <string>
#include <string_view>

namespace mistasync::sim {

/// The status line and headers of a response; its body is written after them as it is
/// (a list of 100,000 v1 machines is ~160 MB: not copied again behind its headers).
std::string render_head(const sim_response& r, bool keep_alive);

/// A whole reply that closes the connection: an HTML error page.
std::string error_reply(int status, const std::string& text);

/// Calls f(name, value) for each "Name: value\r\n" line.
template <class F>
void for_each_header(std::string_view fields, F f) {
    while (!fields.empty()) {
        auto end = fields.find("\r\n");
        std::string_view line = fields.substr(0, end);
        if (auto colon = line.find(':'); colon != std::string_view::npos) {
            std::string_view value = line.substr(colon + 1);
            while (!value.empty() && value.front() == ' ') value.remove_prefix(1);
            f(line.substr(0, colon), value);
        }
        if (end == std::string_view::npos) break;
        fields.remove_prefix(end + 2);
    }
}

/// The target without its query.
inline std::string_view path_of(const sim_request& req) { return std::string_view(req.target).substr(0, req.target.find('?')); }

/// A machine create that waits for the provider before it answers (POST …/machines of the
/// 2015 API and v1). v2 answers at once: its job waits for the provider.
inline bool is_machine_create(const sim_request& req) {
    return req.method == "POST" && path_of(req).ends_with("/machines") && !path_of(req).starts_with("/api/v2/");
}

}  // namespace mistasync::sim
