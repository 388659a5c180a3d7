#include "api_error.hpp"

#include <cstdio>

namespace mistasync::sim {

std::string python_repr(std::string_view text, bool unicode) {
    bool has_single = text.find('\'') != std::string_view::npos;
    bool has_double = text.find('"') != std::string_view::npos;
    char quote = (has_single && !has_double) ? '"' : '\'';
    std::string out;
    out.reserve(text.size() + 4);
    if (unicode) out += 'u';
    out += quote;
    char buf[16];
    for (std::size_t i = 0; i < text.size(); ++i) {
        auto c = static_cast<unsigned char>(text[i]);
        if (c == static_cast<unsigned char>(quote) || c == '\\') { out += '\\'; out += static_cast<char>(c); }
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
        else if (c < 0x80 || !unicode) { std::snprintf(buf, sizeof buf, "\\x%02x", c); out += buf; }
        else {
            // Decode UTF-8 and print as Python 2 does for unicode objects.
            int extra = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
            char32_t cp = c & (0x3f >> extra);
            bool ok = extra > 0;
            for (int k = 0; ok && k < extra; ++k) {
                if (i + 1 >= text.size() || (static_cast<unsigned char>(text[i + 1]) & 0xc0) != 0x80) ok = false;
                else cp = (cp << 6) | (static_cast<unsigned char>(text[++i]) & 0x3f);
            }
            if (!ok) cp = 0xfffd;
            if (cp < 0x100) std::snprintf(buf, sizeof buf, "\\x%02x", static_cast<unsigned>(cp));
            else if (cp < 0x10000) std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(cp));
            else std::snprintf(buf, sizeof buf, "\\U%08x", static_cast<unsigned>(cp));
            out += buf;
        }
    }
    out += quote;
    return out;
}

api_error mist_error(int status, std::string_view msg, std::string_view detail) {
    std::string body(msg);
    if (!detail.empty()) {
        body += ": ";
        body += detail;
    }
    return {status, std::move(body)};
}

api_error keyerror_error(int status, std::string_view msg, std::string_view detail, bool unicode_detail) {
    std::string text(msg);
    if (!detail.empty()) {
        text += ": ";
        text += detail;
    }
    return {status, python_repr(text, unicode_detail && !detail.empty())};
}

}  // namespace mistasync::sim
