#include "codec/request_path.hpp"

#include <cctype>

namespace mistasync::detail {

std::string encode_segment(std::string_view segment) {
    static constexpr char hex[] = "0123456789ABCDEF";
    std::string out;
    out.reserve(segment.size());
    for (unsigned char c : segment) {
        if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
            out += static_cast<char>(c);
        } else {
            out += '%';
            out += hex[c >> 4];
            out += hex[c & 15];
        }
    }
    // "." and ".." are path navigation, not names: encode them too.
    if (out == ".") return "%2E";
    if (out == "..") return "%2E%2E";
    return out;
}

bool unusable_id(std::string_view id) {
    if (id.empty()) return true;
    for (unsigned char c : id)
        if (c < 0x20 || c == 0x7f) return true;
    return false;
}

}  // namespace mistasync::detail
