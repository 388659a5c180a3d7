#include "call/operation_runner.hpp"

namespace mistasync::detail {

diagnostics timeout_diagnostics(const op_control& control) {
    diagnostics d = control.progress;
    std::string limit = std::to_string(control.time_limit.count() / 1000) + "." + std::to_string(control.time_limit.count() % 1000 / 100);
    std::string what = "timed out: the call's deadline (" + limit + " s) passed";
    if (d.attempts > 0) what += " during attempt " + std::to_string(d.attempts);
    if (d.http_status) what += ", the last answer being " + std::to_string(d.http_status);
    else if (!d.client_message.empty()) what += ", the last failure being " + d.client_message;
    if (d.attempts == 0 && !d.method.empty()) what += " before the request could be sent";
    if (!control.request_written && d.attempts > 0) what += "; nothing was sent";
    d.client_message = std::move(what);
    d.request_sent = control.request_written;
    return d;
}

std::pair<error_code, diagnostics> outcome_of(std::exception_ptr e, const op_control& control) {
    error_code ec;
    diagnostics d;
    try {
        std::rethrow_exception(e);
    } catch (const op_failure& f) {
        ec = f.ec;
        d = f.details;
    } catch (const boost::system::system_error& f) {
        ec = f.code();
        d.client_message = f.code().message();
    } catch (const std::exception& f) {
        ec = errc::bad_response;
        d.client_message = f.what();
    }
    // The deadline or a cancellation unwound the call: say so, whatever the unwinding threw.
    if (control.timed_out) return {errc::timeout, timeout_diagnostics(control)};
    if (control.cancelled && ec != asio::error::operation_aborted) ec = asio::error::operation_aborted;
    return {ec, std::move(d)};
}

}  // namespace mistasync::detail
