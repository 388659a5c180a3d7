// How the command-line tools read numbers: digits, optionally with a fraction — no sign,
// exponent, hex, "nan" or "inf", which std::stod would take (and "--count nan" then
// allocated until the memory ran out).
#pragma once

#include <string>

namespace mistasync::tools {

/// True for "12" (and "1.5" when `fraction_allowed`), at most 15 characters.
inline bool plain_decimal(const std::string& v, bool fraction_allowed) {
    if (v.empty() || v.size() > 15) return false;
    bool dot = false, digits = false;
    for (char ch : v) {
        if (ch >= '0' && ch <= '9') digits = true;
        else if (ch == '.' && fraction_allowed && !dot && digits) dot = true;
        else return false;
    }
    return digits && v.back() != '.';
}

}  // namespace mistasync::tools
