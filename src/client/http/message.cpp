#include "message.hpp"

namespace mistasync::detail {

bool header_safe(std::string_view v) { return v.find_first_of(std::string_view("\r\n\0", 3)) == std::string_view::npos; }

bool http_request::add_header(std::string_view name, std::string_view value) {
    if (!header_safe(name) || !header_safe(value)) return false;
    fields += name;
    fields += ": ";
    fields += value;
    fields += "\r\n";
    return true;
}

// Written directly: one string per request instead of a Beast header container and
// serializer (the request shapes here are few and fixed).
std::string request_head(const http_request& req, std::string_view host_header) {
    std::string head;
    head.reserve(96 + req.target.size() + req.fields.size());
    head += req.method;
    head += ' ';
    head += req.target;
    head += " HTTP/1.1\r\nHost: ";
    head += host_header;
    head += "\r\n";
    head += req.fields;
    if (!req.body.empty()) head += "Content-Type: application/json\r\n";
    if (!req.body.empty() || req.method != "GET") {
        head += "Content-Length: ";
        head += std::to_string(req.body.size());
        head += "\r\n";
    }
    head += "\r\n";
    return head;
}

}  // namespace mistasync::detail
