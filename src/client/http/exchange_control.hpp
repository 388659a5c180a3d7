// What an exchange shares with whoever runs it: the phase deadline (connect, TLS
// handshake, one request) that a sweeper outside enforces by closing the connection, the
// close hook that makes cancellation prompt, the hook run right before bytes are written,
// and whether any were.
#pragma once

#include <mistasync/error.hpp>

#include <boost/intrusive/list.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <functional>

namespace mistasync::detail {

struct exchange_control;

/// The exchanges in a timed phase right now, for whoever enforces their deadlines: a
/// client with 100,000 operations waiting has a few hundred on a connection, and only
/// those need looking at. An exchange leaves it when its phase ends or it is destroyed.
using phase_hook = boost::intrusive::list_base_hook<boost::intrusive::link_mode<boost::intrusive::auto_unlink>>;
using exchanges_in_phase = boost::intrusive::list<exchange_control, boost::intrusive::constant_time_size<false>>;

struct exchange_control : phase_hook {
    using clock = std::chrono::steady_clock;

    /// Where begin_phase() lists it (none: its deadline is not enforced).
    exchanges_in_phase* timed = nullptr;

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
        if (timed && !is_linked()) timed->push_back(*this);
    }
    void end_phase() {
        phase_deadline = clock::time_point::max();
        unlink();
    }
    /// The error an interrupted phase reports: a timeout when its deadline closed it.
    boost::system::error_code phase_error(boost::system::error_code ec) const {
        return phase_expired ? boost::system::error_code(errc::timeout) : ec;
    }
};

}  // namespace mistasync::detail
