#include "decide/state_wait_rules.hpp"

#include <mistasync/error.hpp>

namespace mistasync::detail {

bool ends_a_wait(const boost::system::error_code& ec) {
    if (ec.category() != category()) return false;
    switch (static_cast<errc>(ec.value())) {
    case errc::timeout:
    case errc::server_error:
    case errc::service_unavailable:
    case errc::rate_limited:
    case errc::bad_response:
    case errc::retry_budget_exhausted: return false;
    default: return true;
    }
}

wait_verdict state_wait_rules::on_list(const sighting& seen, std::chrono::steady_clock::time_point now) {
    if (!seen.listed) {
        if (goal_.what == wait_goal::kind::state && goal_.wanted == machine_state::terminated) return wait_verdict::gone;
        // A machine a provider has only just created may be missing from a list or two.
        return ++absent_ >= 3 ? wait_verdict::not_found : wait_verdict::keep_waiting;
    }
    absent_ = 0;
    const bool final = final_state(seen.state);
    if (goal_.what == wait_goal::kind::address) {
        if (final) return wait_verdict::unexpected_state;  // a gone machine may still show its old address
        return seen.has_address ? wait_verdict::reached : wait_verdict::keep_waiting;
    }
    if (seen.state == goal_.wanted) {
        if (!goal_.settle_until || now >= *goal_.settle_until) return wait_verdict::reached;
    } else {
        goal_.settle_until.reset();  // another state showed: the next "running" comes after the reboot
    }
    return final ? wait_verdict::unexpected_state : wait_verdict::keep_waiting;
}

wait_verdict state_wait_rules::on_list_error(const boost::system::error_code& ec) const {
    return ends_a_wait(ec) ? wait_verdict::failed : wait_verdict::keep_waiting;
}

}  // namespace mistasync::detail
