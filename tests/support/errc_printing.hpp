// Lets Boost.Test print mistasync::errc in failure messages.
#pragma once

#include <mistasync/error.hpp>

#include <ostream>

namespace mistasync {
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
}  // namespace mistasync
