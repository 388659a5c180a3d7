// How every public operation starts: the public template only calls async_initiate and
// hands a type-erased handler to a compiled function (src/), so Beast, OpenSSL and
// Boost.JSON are compiled once, not in every file that includes the SDK.
//
// Completion signatures:
//   * the default token (co_await with no argument): void(std::exception_ptr, T); a failure
//     throws mistasync::error, whose message has the status, server text, method and path;
//   * any other token (callbacks, use_future, as_tuple, ...): void(error_code, T); details
//     go to call_options::details when set.
#pragma once

#include <mistasync/config.hpp>
#include <mistasync/error.hpp>

#include <boost/asio/any_completion_handler.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/associated_cancellation_slot.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/bind_executor.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <exception>
#include <functional>
#include <memory>
#include <type_traits>

namespace mistasync {

/// The default completion token: co_await returns the value and throws mistasync::error.
using default_token = boost::asio::use_awaitable_t<>;

namespace detail {

struct client_state;

/// A client handle: shared state plus per-call options. Cheap to copy.
struct client_ref {
    std::shared_ptr<client_state> state;
    call_options call;
    /// Internal: called right before the operation's request is written (bulk
    /// provisioning journals a create then). Handles never carry one.
    std::shared_ptr<const std::function<boost::system::error_code()>> before_write;
};

boost::asio::any_io_executor executor_of(const client_ref& ref);

template <class T>
struct handler_for {
    using type = boost::asio::any_completion_handler<void(boost::system::error_code, T)>;
};
template <>
struct handler_for<void> {
    using type = boost::asio::any_completion_handler<void(boost::system::error_code)>;
};
template <class T>
using handler = typename handler_for<T>::type;

template <class T>
struct signatures {
    using throwing = void(std::exception_ptr, T);
    using with_code = void(boost::system::error_code, T);
};
template <>
struct signatures<void> {
    using throwing = void(std::exception_ptr);
    using with_code = void(boost::system::error_code);
};

template <class Token>
inline constexpr bool throws_on_error = std::is_same_v<std::decay_t<Token>, default_token>;

/// A completion token that is none of the parameter types `Params`: lets an operation
/// have an overload without its optional parameters. (A defaulted aggregate parameter,
/// `backend_filter filter = {}`, is destroyed twice by GCC 12 when the call is
/// co_awaited; overloads make the default inside the library instead.)
template <class Token, class... Params>
concept token_other_than = (!std::is_convertible_v<std::decay_t<Token>, Params> && ...);

/// Starts `start(ref, handler<T>)` for any completion token.
template <class T, class Token, class Start>
auto initiate(Token&& token, client_ref ref, Start start) {
    namespace asio = boost::asio;
    using boost::system::error_code;
    if constexpr (throws_on_error<Token>) {
        using signature = typename signatures<T>::throwing;
        return asio::async_initiate<Token, signature>(
            [](auto h, client_ref call_ref, Start start_op) {
                auto details = std::make_shared<diagnostics>();
                call_ref.call.details = details.get();
                auto slot = asio::get_associated_cancellation_slot(h);
                auto ex = asio::get_associated_executor(h, executor_of(call_ref));
                auto to_exception = [details](error_code ec) {
                    return ec ? std::make_exception_ptr(error(ec, *details)) : std::exception_ptr();
                };
                if constexpr (std::is_void_v<T>) {
                    start_op(call_ref, handler<T>(asio::bind_cancellation_slot(
                                   slot, asio::bind_executor(ex, [h = std::move(h), to_exception](error_code ec) mutable {
                                       std::move(h)(to_exception(ec));
                                   }))));
                } else {
                    start_op(call_ref, handler<T>(asio::bind_cancellation_slot(
                                   slot, asio::bind_executor(ex, [h = std::move(h), to_exception](error_code ec, T v) mutable {
                                       std::move(h)(to_exception(ec), std::move(v));
                                   }))));
                }
            },
            token, std::move(ref), std::move(start));
    } else {
        using signature = typename signatures<T>::with_code;
        return asio::async_initiate<Token, signature>(
            [](auto h, client_ref call_ref, Start start_op) { start_op(call_ref, handler<T>(std::move(h))); }, token, std::move(ref),
            std::move(start));
    }
}

}  // namespace detail
}  // namespace mistasync
