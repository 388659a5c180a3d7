// Lets Boost.Test print mistasync's enums in failure messages.
#pragma once

#include <mistasync/error.hpp>
#include <mistasync/models.hpp>
#include <mistasync/provision.hpp>

#include <ostream>

namespace mistasync {
inline std::ostream& operator<<(std::ostream& os, errc e) { return os << make_error_code(e).message(); }
inline std::ostream& operator<<(std::ostream& os, machine_state s) { return os << to_string(s); }
inline std::ostream& operator<<(std::ostream& os, provision_stage s) { return os << to_string(s); }
}  // namespace mistasync
