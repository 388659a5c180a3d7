// What an exchange shares with whoever runs it: the phase deadline (connect, TLS
// handshake, one request) that a sweeper outside enforces by closing the connection, the
// close hook that makes cancellation prompt, the hook run right before bytes are written,
// and whether any were.
#pragma once

#include <mistasync/error.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>

namespace mistasync::detail {

struct exchange_control {
    using clock = std::chrono::steady_clock;

    /// When the current phase must have ended; the runner closes the connection then and
    /// sets phase_expired, and the exchange fails with errc::timeout.
    clock::time_point phase_deadline = clock::time_point::max();
    bool phase_expired = false;
    bool cancelled = false;
    /// Bytes of a request were written: the server may have acted.
    bool request_written = false;
    /// Called right before a request's bytes are written; an error stops it unsent.
    std::function<boost::system::error_code()> before_write;
    std::function<void()> close_connection;  ///< set while a connection is in use

    void begin_phase(std::chrono::milliseconds limit) {
        phase_expired = false;
        phase_deadline = clock::now() + limit;
    }
    void end_phase() { phase_deadline = clock::time_point::max(); }
    /// The error an interrupted phase reports: a timeout when its deadline closed it.
    boost::system::error_code phase_error(boost::system::error_code ec) const {
        return phase_expired ? boost::system::error_code(errc::timeout) : ec;
    }
};

}  // namespace mistasync::detail
