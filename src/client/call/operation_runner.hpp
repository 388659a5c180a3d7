// How an operation runs: a coroutine launched on the client's executor, its control
// block registered with the client's running operations (deadlines, client::cancel()),
// the caller's cancellation slot wired to it, and its outcome turned into one completion
// with diagnostics.
#pragma once

#include "call/client_state.hpp"
#include "codec/op_failure.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>

#include <memory>
#include <tuple>

namespace mistasync::detail {

namespace asio = boost::asio;

/// What an operation coroutine gets: the state, its call options and its control block.
struct op_context {
    std::shared_ptr<client_state> state;
    call_options call;
    std::shared_ptr<op_control> control;
    /// For handles an operation returns: they keep the call's timeout, never its
    /// diagnostics sink (which belongs to this call only).
    client_ref ref() const {
        call_options inherited = call;
        inherited.details = nullptr;
        return {state, inherited};
    }
};

/// What a call that ran out of time reports: its request, attempts and last answer.
diagnostics timeout_diagnostics(const op_control& control);

/// The error code and diagnostics a failed operation completes with.
std::pair<error_code, diagnostics> outcome_of(std::exception_ptr e, const op_control& control);

/// Runs `make(op)` (a coroutine) and completes `h` once, on h's executor.
///
/// The coroutine is made here, on the caller's thread (its arguments are copied into its
/// frame), and everything that touches the client's state happens on the client's
/// executor: started from another thread, the start is dispatched there. So operations
/// may be started from any thread when that executor is a strand.
template <class T, class Make>
void launch(const client_ref& ref, handler<T> h, Make make) {
    auto st = ref.state;
    auto control = std::make_shared<op_control>();
    if (ref.before_write) control->before_write = *ref.before_write;
    auto timeout = ref.call.timeout.value_or(st->options.timeouts.total);
    diagnostics* details = ref.call.details;
    auto task = make(op_context{st, ref.call, control});
    asio::dispatch(st->executor, [st, control, timeout, details, task = std::move(task), h = std::move(h)]() mutable {
        auto slot = asio::get_associated_cancellation_slot(h);
        if (slot.is_connected()) {
            std::weak_ptr<op_control> weak = control;
            slot.assign([weak](asio::cancellation_type type) {
                if (auto c = weak.lock()) c->cancel(type);
            });
        }
        st->operations->add(*control, timeout);
        auto finish = [st, control, details, h = std::move(h)](std::exception_ptr e, auto... value) mutable {
            st->operations->remove(*control);
            asio::get_associated_cancellation_slot(h).clear();
            error_code ec;
            diagnostics d;
            if (e) std::tie(ec, d) = outcome_of(e, *control);
            d.request_sent = control->request_written;
            if (details) *details = ec ? d : diagnostics{};
            auto ex = asio::get_associated_executor(h, st->executor);
            if (ex == asio::any_completion_executor(st->executor)) {
                std::move(h)(ec, std::move(value)...);  // already on the right executor: no hop
            } else {
                asio::dispatch(ex, [h = std::move(h), ec, ... v = std::move(value)]() mutable { std::move(h)(ec, std::move(v)...); });
            }
        };
        if constexpr (std::is_void_v<T>) {
            asio::co_spawn(st->executor, std::move(task),
                           asio::bind_cancellation_slot(control->signal.slot(), [finish = std::move(finish)](std::exception_ptr e) mutable {
                               finish(e);
                           }));
        } else {
            asio::co_spawn(st->executor, std::move(task),
                           asio::bind_cancellation_slot(control->signal.slot(), [finish = std::move(finish)](std::exception_ptr e, T v) mutable {
                               finish(e, std::move(v));
                           }));
        }
    });
}

}  // namespace mistasync::detail
