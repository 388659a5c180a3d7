// Lets Boost.Test print mistasync::errc and machine_state in failure messages.
#pragma once

#include <mistasync/error.hpp>
#include <mistasync/models.hpp>

#include <ostream>

namespace mistasync {
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
inline std::ostream& operator<<(std::ostream& os, machine_state s) { return os << to_string(s); }
}  // namespace mistasync
