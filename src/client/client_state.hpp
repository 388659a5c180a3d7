// The client's shared state and how an operation runs: private to src/.
//
// An operation is a coroutine launched on the client's executor by launch(). Each has
// an op_control: one cancellation signal fed by the caller's cancellation slot, by the
// call's deadline timer and by client::cancel(); and, while it holds a connection, a
// way to close it so that cancellation is prompt whatever the socket is doing.
#pragma once

#include "request_path.hpp"
#include "recent_actions.hpp"
#include "retry.hpp"

#include <mistasync/client.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <functional>
#include <list>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <unordered_map>
#include <unordered_set>

namespace mistasync::detail {

namespace asio = boost::asio;
using boost::system::error_code;

struct json_holder {
    boost::json::value value;
};

struct http_request {
    std::string method;
    std::string path;          ///< API path, encoded, without the base URL's prefix; may carry "?query"
    std::string body;          ///< JSON text or empty
    bool idempotent = true;    ///< may be resent (GET, PUT, DELETE, probe)
    bool retry_503 = true;     ///< probe: a v1 503 means "not yet", not "try again"
    bool authenticated = true;
    std::string api_version;   ///< "Api-Version" header value, or empty
};

struct http_response {
    int status = 0;
    std::string content_type;
    std::string body;
    std::string retry_after;
    std::string location;  ///< of a redirect (never followed: it would carry the token elsewhere)
};

/// A failure with its diagnostics, thrown inside operation coroutines.
struct op_failure : std::exception {
    op_failure(error_code code, diagnostics d) : ec(code), details(std::move(d)) {}
    const char* what() const noexcept override { return "mistasync operation failed"; }
    error_code ec;
    diagnostics details;
};

/// Thrown by the transport when an exchange fails; says whether the request may have
/// reached the server (bytes were written).
struct transport_failure : std::exception {
    transport_failure(error_code code, bool sent, std::string why = {}) : ec(code), maybe_sent(sent), detail(std::move(why)) {}
    const char* what() const noexcept override { return "transport failure"; }
    error_code ec;
    bool maybe_sent;
    std::string detail;  ///< what a person needs beyond ec.message() (say, why a certificate was refused)

    /// The text for diagnostics: the detail, else the error's message.
    std::string text() const { return detail.empty() ? ec.message() : detail; }
};

class connection_pool;  // transport.cpp
struct pool_deleter {
    void operator()(connection_pool*) const;
};
struct client_state;
std::unique_ptr<connection_pool, pool_deleter> make_pool(client_state& s);

struct op_control {
    asio::cancellation_signal signal;
    std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();  ///< whole call
    /// Connect, TLS handshake or one request: when it passes, the connection is closed and
    /// the exchange fails with errc::timeout (a retry may follow); the call goes on.
    std::chrono::steady_clock::time_point phase_deadline = std::chrono::steady_clock::time_point::max();
    bool phase_expired = false;
    bool timed_out = false;
    bool cancelled = false;
    /// Bytes of a request of this operation were written: the server may have acted.
    bool request_written = false;
    std::chrono::milliseconds time_limit{0};  ///< the whole call's timeout, for messages
    /// The request under way (method, path, attempts, last status): what a deadline's
    /// error reports, since the deadline unwinds the call that knew it.
    diagnostics progress;
    /// Called right before a request's bytes are written (provisioning journals it then);
    /// an error stops the request unsent.
    std::function<error_code()> before_write;
    std::function<void()> close_connection;  ///< set while a connection is in use
    std::list<op_control*>::iterator registration;

    /// Throws operation_aborted if cancel() came before the coroutine could see it.
    void throw_if_cancelled() const {
        if (cancelled) throw boost::system::system_error(asio::error::operation_aborted);
    }

    int cancel_requests = 0;  ///< how often cancel() was called (a batch stops gently first)

    void cancel(asio::cancellation_type type) {
        cancelled = true;
        ++cancel_requests;
        signal.emit(type);
        if (close_connection) close_connection();
    }
};

/// Waiters for a resource (in-flight slot, login), woken in the order they came: each
/// waits on a timer that notify_one() cancels. A cancelled wait removes itself. To be
/// fair, a resource freed while others wait is handed to the first of them (the freeing
/// coroutine runs on and would otherwise take it back at once).
class wait_queue {
public:
    explicit wait_queue(asio::any_io_executor ex) : ex_(std::move(ex)) {}
    /// Waits until notified (or the operation is cancelled: throws operation_aborted).
    asio::awaitable<void> wait();
    void notify_one();
    void notify_all();
    bool empty() const { return waiters_.empty(); }

private:
    struct waiter {
        asio::steady_timer timer;
        bool notified = false;
    };
    asio::any_io_executor ex_;
    std::list<waiter*> waiters_;
};

struct client_state : std::enable_shared_from_this<client_state> {
    client_state(asio::any_io_executor ex, client_options opts);
    ~client_state();

    asio::any_io_executor executor;
    client_options options;
    base_url url;
    std::unique_ptr<connection_pool, pool_deleter> pool;

    // Login and era, settled once by the first operation (others wait).
    api_era era = api_era::automatic;
    std::string authorization;  ///< the Authorization header value; never logged
    bool ready = false;
    bool preparing = false;
    std::uint64_t login_generation = 0;  ///< bumped by every completed login/detection
    /// Logs in with email and password (not a given token): can do so again on a 401.
    bool logs_itself_in() const { return options.token.empty() && !options.email.empty() && !options.password.empty(); }
    wait_queue ready_waiters;

    // Limits.
    std::size_t in_flight = 0;
    wait_queue slot_waiters;
    double rps_tokens = 0;
    std::chrono::steady_clock::time_point rps_last = std::chrono::steady_clock::now();

    /// Waiters for machine states, per backend: one shared machine list per interval
    /// serves all of a backend's waiters (waiting.cpp).
    std::unordered_map<std::string, std::shared_ptr<struct state_watch>> state_watches;

    /// Actions this client sent lately (waits must not take the pre-action state for an answer).
    recent_actions actions_sent;

    retry_budget budget;
    std::mt19937_64 rng;
    std::list<op_control*> operations;  ///< running operations, for cancel() and deadlines

    /// One ticking timer enforces every deadline of every call (a timer per call, or
    /// Beast's per-read/write expiry, costs system calls on each request). Deadlines are
    /// therefore accurate to one tick; the tick stops when no operation is running, so
    /// io_context::run() returns at most one tick after the last operation.
    static constexpr std::chrono::milliseconds sweep_tick{50};
    asio::steady_timer deadline_sweeper;
    bool sweeper_running = false;
    void start_deadline_sweeper();

    bool logs(log_level level) const {
        return options.logger.sink && options.logger.level != log_level::off && level >= options.logger.level;
    }
    void log(log_level level, const std::string& text) const;
};

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

/// "scheme://host[:port][/prefix]": where a client talks to, without credentials.
inline std::string server_identity(const base_url& u) { return (u.tls ? "https://" : "http://") + u.host_header + u.prefix; }
/// The request path without its query string (what diagnostics show).
inline std::string path_only(std::string_view path) { return std::string(path.substr(0, path.find('?'))); }
/// Throws op_failure(invalid_argument) for ids that cannot be sent.
void check_id(std::string_view what, std::string_view id);

/// Logs in and detects the era if not done yet.
asio::awaitable<void> ensure_ready(op_context& op);
/// One API call: limits, auth, retries, diagnostics. Returns a 2xx response or throws op_failure.
asio::awaitable<http_response> call(op_context& op, const http_request& request);
/// The transport: one exchange over a pooled connection (transport.cpp).
asio::awaitable<http_response> exchange(op_context& op, const http_request& request);
/// At most `limit` characters of `text`, control characters replaced.
std::string printable(std::string_view text, std::size_t limit);
/// The server's text of a response, short and printable, for diagnostics.
std::string server_text(const http_response& r);
/// Parses a JSON body; throws op_failure(bad_response).
boost::json::value parse_json(const http_response& r, const http_request& req);

/// The machines of a backend whose ids are in `ids`, decoding only those: the state
/// pollers' list (a backend may hold tens of thousands of machines; few are waited for).
void start_list_machines_subset(const client_ref& ref, std::string backend_id,
                                std::shared_ptr<const std::unordered_set<std::string>> ids, handler<std::vector<machine>> h);

/// What a call that ran out of time reports: its request, attempts and last answer.
diagnostics timeout_diagnostics(const op_control& control);

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
        st->operations.push_front(control.get());
        control->registration = st->operations.begin();
        control->deadline = std::chrono::steady_clock::now() + timeout;
        control->time_limit = timeout;
        st->start_deadline_sweeper();
        auto finish = [st, control, details, h = std::move(h)](std::exception_ptr e, auto... value) mutable {
            st->operations.erase(control->registration);
            asio::get_associated_cancellation_slot(h).clear();
            error_code ec;
            diagnostics d;
            if (e) {
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
                if (control->timed_out) {
                    ec = errc::timeout;
                    d = timeout_diagnostics(*control);
                } else if (control->cancelled && ec != asio::error::operation_aborted) {
                    ec = asio::error::operation_aborted;
                }
            }
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
