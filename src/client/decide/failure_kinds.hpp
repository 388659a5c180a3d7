// What kind of failure is this? The questions bulk provisioning and the create operation
// ask of an error, in one place: each decides what may be sent again and what may be
// destroyed, so each is answered once.
#pragma once

#include <mistasync/error.hpp>

namespace mistasync::detail {

/// A create's 5xx that the provider's own refusal explains: no machine was made (the
/// server makes it at the provider first, then tags it and schedules its steps, so any
/// other 5xx may follow a machine that exists: contract §10.3).
bool refused_before_create(const diagnostics& d);

/// After a create's request was written, the outcome is unknown: the connection failed,
/// the call ran out of time or was cancelled, or the answer was unreadable (a 200 whose
/// body did not parse made a machine).
bool outcome_unknown(boost::system::error_code ec);

/// The server answered something, though nothing usable: it is done with the request.
bool answered_unreadably(boost::system::error_code ec);

/// A create refused for credentials (this client's, or the backend's at its provider:
/// libcloud's InvalidCredsError), or because the backend's provider is down: every other
/// create would meet the same refusal.
bool refused_for_all(boost::system::error_code ec, const diagnostics& d);

/// A machine went to `error` (or another state it will not leave) or vanished while it was
/// waited for: a replacement may do better.
bool gone_wrong(boost::system::error_code ec);

/// A request that never left: it timed out waiting for a connection, or was cancelled
/// before it was written. Sending it again cannot make a second machine.
bool worth_sending_again(boost::system::error_code ec);

}  // namespace mistasync::detail
