// The rules of waiting for a machine, one list at a time: when a listed machine is the
// answer, when the wait cannot succeed any more, which list failures end it. No Asio, no
// JSON, the clock passed in: waiting.cpp feeds it what each shared list showed, and
// tests/unit/test_state_wait_rules.cpp feeds it sequences.
#pragma once

#include <mistasync/models.hpp>

#include <boost/system/error_code.hpp>

#include <chrono>
#include <optional>

namespace mistasync::detail {

/// A failure another attempt cannot cure ends a wait; everything else (timeouts, 5xx,
/// 429, unreadable answers, transport errors) is "not yet" until the deadline.
bool ends_a_wait(const boost::system::error_code& ec);

/// Error and terminated: states a machine does not leave for the one waited for.
inline bool final_state(machine_state s) { return s == machine_state::error || s == machine_state::terminated; }

/// What one list showed of the machine waited for.
struct sighting {
    bool listed = false;  ///< in the list at all
    machine_state state = machine_state::unknown;
    bool has_address = false;  ///< a public IP
};

/// What a wait looks for.
struct wait_goal {
    enum class kind { state, address } what = kind::state;
    machine_state wanted = machine_state::running;  ///< for kind::state
    /// After this client's reboot: "running" counts only once another state was seen, or
    /// from this time on (wait_policy::action_settle).
    std::optional<std::chrono::steady_clock::time_point> settle_until;
};

enum class wait_verdict {
    keep_waiting,      ///< not yet
    reached,           ///< the listed machine is the answer
    gone,              ///< not listed, and that is the answer (waiting for terminated)
    unexpected_state,  ///< error or terminated: it will not get there
    not_found,         ///< missing from three lists in a row
    failed,            ///< the list failed in a way another attempt cannot cure
};

/// The rules of one wait, fed each list as it comes.
class state_wait_rules {
public:
    explicit state_wait_rules(wait_goal goal) : goal_(goal) {}
    wait_verdict on_list(const sighting& seen, std::chrono::steady_clock::time_point now);
    wait_verdict on_list_error(const boost::system::error_code& ec) const;

private:
    wait_goal goal_;
    int absent_ = 0;
};

}  // namespace mistasync::detail
