// What a client knows of its login: which API era the server speaks and the Authorization
// header, and who waits for them. Data only; the login itself is login_session.hpp's.
#pragma once

#include "call/wait_queue.hpp"

#include <mistasync/config.hpp>

#include <cstdint>
#include <string>

namespace mistasync::detail {

struct login_session {
    login_session(boost::asio::any_io_executor ex, api_era wanted) : era(wanted), ready_waiters(std::move(ex)) {}
    api_era era;
    bool v1_served = false;  ///< the server serves /api/v1 (a v2 session's fallback routes)
    std::string authorization;  ///< the Authorization header value; never logged
    bool ready = false;
    bool preparing = false;
    std::uint64_t generation = 0;  ///< bumped by every completed login/detection
    wait_queue ready_waiters;
};

/// Logs in with email and password (not a given token): can do so again on a 401.
inline bool logs_itself_in(const client_options& o) { return o.token.empty() && !o.email.empty() && !o.password.empty(); }

}  // namespace mistasync::detail
