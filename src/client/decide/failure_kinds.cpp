#include "decide/failure_kinds.hpp"

#include "decide/retry_decision.hpp"

#include <boost/asio/error.hpp>

#include <string_view>

namespace mistasync::detail {

using boost::system::error_code;

bool refused_before_create(const diagnostics& d) {
    if (provider_failure(d.http_status, d.server_message)) return true;  // the provider was not reached
    for (std::string_view refusal : {"Machine creation failed", "Error validating name"})
        if (d.server_message.starts_with(refusal)) return true;
    return false;
}

bool answered_unreadably(error_code ec) {
    return ec == error_code(errc::bad_response) || ec == error_code(errc::response_too_large);
}

bool outcome_unknown(error_code ec) {
    return ec == error_code(errc::outcome_unknown) || ec == error_code(errc::timeout) ||
           ec == boost::asio::error::operation_aborted || answered_unreadably(ec);
}

bool refused_for_all(error_code ec, const diagnostics& d) {
    return ec == error_code(errc::unauthorized) || ec == error_code(errc::forbidden) ||
           ec == error_code(errc::backend_credentials_refused) ||
           (d.server_message.starts_with("Machine creation failed") && d.server_message.find("InvalidCredsError") != std::string::npos) ||
           (ec == error_code(errc::service_unavailable) &&
            (d.server_message == "Cloud unavailable" || d.server_message == "Backend unavailable"));
}

bool gone_wrong(error_code ec) { return ec == error_code(errc::unexpected_state) || ec == error_code(errc::not_found); }

bool worth_sending_again(error_code ec) {
    return ec == error_code(errc::timeout) || ec == boost::asio::error::operation_aborted;
}

}  // namespace mistasync::detail
