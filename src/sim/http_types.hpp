// The simulator's own view of an HTTP exchange: plain data, no Beast, so the API logic
// can be unit-tested and compiled apart from the network code.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace mistasync::sim {

struct sim_request {
    std::string method;          // "GET", "POST", ...
    std::string target;          // raw request target: path and query, still percent-encoded
    std::string authorization;   // Authorization header value, empty when absent
    std::string api_version;     // Api-Version header value, empty when absent
    std::string content_type;
    std::string accept;          // Accept header value, empty when absent
    std::string body;
};

struct sim_response {
    int status = 200;
    std::string content_type = "application/json";
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;  // extra headers (Retry-After)
};

inline constexpr const char* content_type_json = "application/json";
inline constexpr const char* content_type_html = "text/html; charset=UTF-8";
inline constexpr const char* content_type_text = "text/plain; charset=UTF-8";

}  // namespace mistasync::sim
