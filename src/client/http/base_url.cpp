#include "base_url.hpp"

#include <boost/url/parse.hpp>

#include <cctype>

namespace mistasync::detail {

std::optional<base_url> parse_base_url(std::string_view url) {
    auto parsed = boost::urls::parse_uri(url);
    if (!parsed) return std::nullopt;
    base_url out;
    std::string scheme(parsed->scheme());
    for (auto& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (scheme == "https") out.tls = true;
    else if (scheme != "http") return std::nullopt;
    out.host = std::string(parsed->encoded_host());
    if (out.host.empty()) return std::nullopt;
    if (out.host.size() > 2 && out.host.front() == '[') out.host = out.host.substr(1, out.host.size() - 2);
    out.port = parsed->has_port() ? std::string(parsed->port()) : (out.tls ? "443" : "80");
    std::string bracketed = out.host.find(':') != std::string::npos ? "[" + out.host + "]" : out.host;  // IPv6
    out.host_header = parsed->has_port() && out.port != (out.tls ? "443" : "80") ? bracketed + ":" + out.port : bracketed;
    out.prefix = std::string(parsed->encoded_path());
    while (!out.prefix.empty() && out.prefix.back() == '/') out.prefix.pop_back();
    return out;
}

}  // namespace mistasync::detail
