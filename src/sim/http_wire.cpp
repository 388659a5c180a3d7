#include "http_wire.hpp"

#include <boost/beast/http/status.hpp>

#include <ostream>  // boost/core/detail/string_view.hpp prints to a stream

namespace mistasync::sim {

std::string render_head(const sim_response& r, bool keep_alive) {
    namespace http = boost::beast::http;
    std::string out;
    out.reserve(256);
    out += "HTTP/1.1 ";
    out += std::to_string(r.status);
    out += ' ';
    out += http::obsolete_reason(static_cast<http::status>(r.status));
    out += "\r\nServer: mistsim\r\nContent-Type: ";
    out += r.content_type;
    out += "\r\nContent-Length: ";
    out += std::to_string(r.body.size());
    for (auto& [name, value] : r.headers) {
        out += "\r\n";
        out += name;
        out += ": ";
        out += value;
    }
    out += keep_alive ? "\r\nConnection: keep-alive\r\n\r\n" : "\r\nConnection: close\r\n\r\n";
    return out;
}

std::string error_reply(int status, const std::string& text) { return render_head({status, content_type_html, text, {}}, false) + text; }

}  // namespace mistasync::sim
