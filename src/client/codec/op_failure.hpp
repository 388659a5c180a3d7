// How an operation fails inside its coroutine: an error code with its diagnostics,
// thrown, and turned into the caller's completion by the operation runner.
#pragma once

#include <mistasync/error.hpp>

#include <exception>
#include <string>

namespace mistasync::detail {

using boost::system::error_code;

struct op_failure : std::exception {
    op_failure(error_code code, diagnostics d) : ec(code), details(std::move(d)) {}
    const char* what() const noexcept override { return "mistasync operation failed"; }
    error_code ec;
    diagnostics details;
};

/// An argument the SDK will not send (nothing was): errc::invalid_argument saying why,
/// with the request's method and path when there is one.
[[noreturn]] inline void refuse_argument(std::string why, std::string method = {}, std::string path = {}) {
    diagnostics d;
    d.method = std::move(method);
    d.path = std::move(path);
    d.client_message = std::move(why);
    throw op_failure(errc::invalid_argument, std::move(d));
}

}  // namespace mistasync::detail
