// How every public operation starts: the public template only calls async_initiate and
// hands a type-erased handler to a compiled function (src/), so Beast, OpenSSL and
// Boost.JSON are compiled once, not in every file that includes the SDK.
//
// Completion signatures:
//   * every token (callbacks, use_future, as_tuple, deferred, use_awaitable, ...):
//     void(error_code, T); the call's diagnostics go to call_options::details when set;
//   * with_diagnostics(token), for any token: void(std::exception_ptr, T), the exception a
//     mistasync::error carrying the diagnostics (status, server text, method, path). The
//     default token is with_diagnostics(use_awaitable): co_await with no argument returns
//     the value or throws mistasync::error.
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

/// A completion token adapter: the operation completes `token` with
/// void(std::exception_ptr, T) instead of void(error_code, T), the exception being a
/// mistasync::error that carries the call's diagnostics. Made by with_diagnostics().
template <class Token>
struct with_diagnostics_t {
    Token token;  ///< the token that receives the completion
};

/// Adapts `token` so that a failure arrives as a mistasync::error with its diagnostics:
/// `co_await op(with_diagnostics(asio::deferred))`, `op(with_diagnostics(asio::use_future)).get()`.
template <class Token>
constexpr with_diagnostics_t<std::decay_t<Token>> with_diagnostics(Token&& token) {
    return {std::forward<Token>(token)};
}

/// A completion token adapter: the operation completes `token` as usual, with
/// void(error_code, T), and on failure fills `*details` first. Made by
/// with_diagnostics(diagnostics&, token).
template <class Token>
struct diagnostics_into_t {
    diagnostics* details;  ///< filled on failure, cleared on success
    Token token;           ///< the token that receives the completion
};

/// Adapts `token` so that this one call's diagnostics land in `d` (filled on failure,
/// cleared on success) while the error code goes to the token:
/// `auto [ec, v] = co_await op(with_diagnostics(d, asio::as_tuple(asio::use_awaitable)))`.
template <class Token>
constexpr diagnostics_into_t<std::decay_t<Token>> with_diagnostics(diagnostics& d, Token&& token) {
    return {&d, std::forward<Token>(token)};
}

/// The default completion token: co_await returns the value and throws mistasync::error.
using default_token = with_diagnostics_t<boost::asio::use_awaitable_t<>>;

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
inline constexpr bool throws_on_error = false;
template <class Inner>
inline constexpr bool throws_on_error<with_diagnostics_t<Inner>> = true;
template <class Token>
inline constexpr bool fills_diagnostics = false;
template <class Inner>
inline constexpr bool fills_diagnostics<diagnostics_into_t<Inner>> = true;

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
    if constexpr (throws_on_error<std::decay_t<Token>>) {
        using signature = typename signatures<T>::throwing;
        auto& inner = token.token;
        return asio::async_initiate<decltype(token.token), signature>(
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
            inner, std::move(ref), std::move(start));
    } else if constexpr (fills_diagnostics<std::decay_t<Token>>) {
        using signature = typename signatures<T>::with_code;
        ref.call.details = token.details;
        auto& inner = token.token;
        return asio::async_initiate<decltype(token.token), signature>(
            [](auto h, client_ref call_ref, Start start_op) { start_op(call_ref, handler<T>(std::move(h))); }, inner, std::move(ref),
            std::move(start));
    } else {
        using signature = typename signatures<T>::with_code;
        return asio::async_initiate<Token, signature>(
            [](auto h, client_ref call_ref, Start start_op) { start_op(call_ref, handler<T>(std::move(h))); }, token, std::move(ref),
            std::move(start));
    }
}

}  // namespace detail
}  // namespace mistasync
