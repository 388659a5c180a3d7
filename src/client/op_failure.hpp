// How an operation fails inside its coroutine: an error code with its diagnostics,
// thrown, and turned into the caller's completion by the operation runner.
#pragma once

#include <mistasync/error.hpp>

#include <exception>

namespace mistasync::detail {

using boost::system::error_code;

struct op_failure : std::exception {
    op_failure(error_code code, diagnostics d) : ec(code), details(std::move(d)) {}
    const char* what() const noexcept override { return "mistasync operation failed"; }
    error_code ec;
    diagnostics details;
};

}  // namespace mistasync::detail
