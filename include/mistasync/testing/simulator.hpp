// mistasync::testing::simulator — an in-memory mist.io API server.
//
// It speaks the three route families of the mist.io API over one shared world:
//   * the 2015 "backends" family: /auth, /providers, /backends/..., /keys/..., /jobs/{id}
//   * the "/api/v1" family:       /api/v1/tokens, /api/v1/ping, /api/v1/clouds/..., ...
//   * the "/api/v2" family:       /api/v2/machines, /api/v2/jobs/{id}, /api/v2/keys, ...
// with each family's own response shapes, identifiers, status codes and error bodies
// (plain text, or v2's JSON strings and problem objects). Machines boot, answer probes and change state over time; faults can be
// injected to exercise client resilience.
//
// Threading: the simulator runs on the executor it is given and is not thread-safe.
// Call every member function from that executor's thread (or before the executor runs).
// Construction does not generate keys or bind sockets; start() does.
#pragma once

#include <mistasync/detail/message_channel.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync::testing {

/// When a new machine's public and private addresses become known.
enum class address_rule {
    /// As the providers do: EC2, GCE, DigitalOcean, OpenStack, Azure, Rackspace, ... give
    /// none while the machine is pending (they appear once it runs); Linode, NephoScale,
    /// SoftLayer, Docker and bare-metal servers know them at creation.
    per_provider,
    at_creation,   ///< every provider knows them at creation (create answers carry them)
    when_running,  ///< no provider knows them before the machine runs (the EC2 rule everywhere)
};

/// How a backend's provider is broken: its lists answer as the server does when the
/// provider cannot be reached or refuses the backend's credentials, its creates and
/// actions fail.
enum class backend_fault {
    none,             ///< healthy
    unavailable,      ///< 503 "Cloud unavailable" (v1) / "Backend unavailable" (2015)
    bad_credentials,  ///< 401 "Unauthorized cloud credentials: ..." (v1) / "Invalid backend credentials" (2015)
};

/// Which fault kinds are injected, as relative weights: a kind left out is never
/// injected. `{.http_503 = 1}` injects 503s only; `fault_mix::all()` every kind alike
/// (what `simulator_options::faults` holds by default, so `fault_rate` alone injects all).
struct fault_mix {
    double http_500 = 0;        ///< 500 "Internal Server Error", request not processed
    double http_503 = 0;        ///< 503 "Service unavailable", request not processed
    double http_429 = 0;        ///< 429 "Rate Limit Error" with Retry-After, not processed
    double drop_before = 0;     ///< connection closed after reading, request not processed
    double drop_after = 0;      ///< request processed, connection closed before any response byte
    double stall = 0;           ///< no response for `stall_duration`, then close; not processed
    double truncated = 0;       ///< processed; response cut off half way through the body
    double slow_body = 0;       ///< processed; body sent in small pieces with pauses (complete)
    double malformed_json = 0;  ///< processed; 200 with a body that is not valid JSON

    /// Every kind, with the same weight.
    static constexpr fault_mix all() { return {1, 1, 1, 1, 1, 1, 1, 1, 1}; }
};

/// One kind of injected fault (the kinds fault_mix weighs).
enum class fault {
    http_500,        ///< 500 "Internal Server Error", request not processed
    http_503,        ///< 503 "Service unavailable", request not processed
    http_429,        ///< 429 "Rate Limit Error" with Retry-After, not processed
    drop_before,     ///< connection closed after reading, request not processed
    drop_after,      ///< request processed, connection closed before any response byte
    stall,           ///< no response for `stall_duration`, then close; not processed
    truncated,       ///< processed; response cut off half way through the body
    slow_body,       ///< processed; body sent in small pieces with pauses (complete)
    malformed_json,  ///< processed; 200 with a body that is not valid JSON
};

/// A fault for one exact request, whatever the fault rate: the `nth` request (from 1,
/// counted from when it was scripted) with this method whose path matches `path`, where
/// "*" stands for one path segment ("/api/v1/clouds/*/machines"). It fires once.
struct scripted_fault {
    std::string method = "POST";  ///< "GET", "POST", ...
    std::string path;             ///< the request path without its query; "*" matches one segment
    unsigned nth = 1;             ///< which matching request meets it
    fault kind = fault::drop_after;  ///< what happens to it
};

/// A clock a test moves by hand: give it to simulator_options::clock, then advance() it
/// instead of sleeping. Copies share one time.
class manual_clock {
public:
    /// Starts at the steady clock's now.
    manual_clock() : now_(std::make_shared<std::chrono::steady_clock::time_point>(std::chrono::steady_clock::now())) {}
    /// The time it shows.
    std::chrono::steady_clock::time_point operator()() const { return *now_; }
    /// Moves it forward by `d`.
    void advance(std::chrono::steady_clock::duration d) { *now_ += d; }

private:
    std::shared_ptr<std::chrono::steady_clock::time_point> now_;
};

/// "Example" and "Lab". (A function, not a braced default: GCC 12 miscompiles a braced
/// list in a default member initializer of a type made inside a coroutine.)
inline std::vector<std::string> default_organizations() {
    std::vector<std::string> names;
    names.emplace_back("Example");
    names.emplace_back("Lab");
    return names;
}

/// Every knob of the simulator. Defaults give a quiet, fast, authenticated server.
struct simulator_options {
    std::string listen_address = "127.0.0.1";  ///< address to bind
    unsigned short port = 0;                 ///< 0: pick a free port (see simulator::port())

    std::string email = "user@example.com";  ///< the single user of this world
    std::string password = "secret";  ///< the user's password (for /auth and /api/v1/tokens)
    /// The organizations the user belongs to, each with its own clouds, keys, scripts,
    /// machines and tokens (GET /api/v1/orgs). The first is the user's default: 2015
    /// logins, tokens made without `org_id` and simulator::api_token() are its. The demo
    /// world puts three backends and two machines in the first and one backend with one
    /// machine ("lab-box") in the others. POST /api/v1/tokens takes `org_id` as an id or a
    /// name; an unknown one gets the default (as mist.api does), the organization "Elsewhere",
    /// which the user is not a member of, 403 Forbidden.
    std::vector<std::string> organizations = default_organizations();
    bool no_auth = false;                    ///< like the 2015 standalone server: no authentication
    bool serve_legacy = true;                ///< the 2015 family (/auth, /backends, /keys, /jobs)
    bool serve_v1 = true;                    ///< the /api/v1 family; off: a 2015 server
    bool serve_v2 = true;                    ///< the /api/v2 family (today's servers serve it beside v1)

    std::chrono::milliseconds boot_delay{2000};   ///< pending -> running after create/start
    std::chrono::milliseconds ssh_delay{2000};    ///< running -> answers probes
    std::chrono::milliseconds action_delay{500};  ///< stop/reboot/start transitions
    std::chrono::milliseconds async_create_delay{500}; ///< job accepted -> first machine created
    double delay_jitter = 0.2;               ///< +- fraction applied per machine to the delays

    std::chrono::milliseconds latency{0};    ///< added before every response

    /// A machine create is processed this long after it arrives (as a provider call takes),
    /// whether or not the client is still there to read the answer.
    std::chrono::milliseconds create_latency{0};

    double fault_rate = 0;                   ///< probability that a request meets a fault
    fault_mix faults = fault_mix::all();  ///< which fault kinds, by weight (every kind by default)
    std::string fault_method;  ///< only requests of this method (say "POST") meet faults; empty: all
    std::chrono::milliseconds stall_duration{30000};  ///< how long a stalled request hangs before the close
    unsigned retry_after_seconds = 1;        ///< Retry-After on injected or rate-limit 429s

    double rate_limit_per_token = 0;         ///< requests/s per token (0: unlimited), 429 above it

    std::uint64_t seed = 1;                  ///< all ids and jitter derive from it

    std::string tls_cert_file;               ///< both set: serve HTTPS
    std::string tls_key_file;  ///< PEM private key of tls_cert_file

    std::size_t max_body_bytes = 1 << 20;    ///< larger request bodies get 413
    std::chrono::milliseconds idle_timeout{120'000};  ///< keep-alive connections idle longer are closed
    std::size_t max_machines = 1'000'000;    ///< creates beyond it get 500 "Machine creation failed"

    bool demo_world = true;                  ///< start with demo backends, a default key, 2 machines

    /// When machines get their addresses (per provider, as the real ones do, by default).
    address_rule addresses = address_rule::per_provider;
    /// v1 checks actions against the server's stored record of the machine, which only a
    /// fresh list of its cloud or the poller refreshes, never the action itself (so a
    /// reboot followed at once by a stop is allowed). Off: against the provider's state now.
    bool stored_records = true;
    /// The server's poller refreshes every machine record this often (0: never).
    std::chrono::milliseconds poll_interval{10'000};
    /// An accepted start, stop or reboot shows in the provider's state this much later (a
    /// fresh list right after a reboot still says "running" meanwhile, as real providers do
    /// for seconds; EC2 never shows a rebooting state at all). A destroy is written to the
    /// server's record at once, as mist.api does. 0: every action shows at once.
    std::chrono::milliseconds provider_lag{2000};
    /// Backends (by title or id) whose providers are broken from the start.
    std::vector<std::pair<std::string, backend_fault>> broken_backends;
    /// Share (0..1) of sync creates answered 500 "Internal Server Error" after the machine
    /// was made, as when the key association or tagging fails after the provider's create.
    double post_create_failure_rate = 0;
    /// How long a script runs once started: a create's post-deploy script (`script` or
    /// `script_id`, after the machine answers SSH) and a stored script run on a machine.
    std::chrono::milliseconds script_duration{1000};
    /// Share (0..1) of machines whose scripts exit with script_failure_exit_code, drawn
    /// once per machine name (the same machine fails every run).
    double script_failure_rate = 0;
    /// Machines (by name) whose scripts always exit with script_failure_exit_code.
    std::vector<std::string> failing_scripts;
    /// The exit code of a failing script.
    int script_failure_exit_code = 1;
    /// The world's time: when machines boot, answer probes, get addresses, when records
    /// are polled and tokens expire. Empty: the steady clock. A manual_clock lets a test
    /// step through a machine's life without sleeping (latency, create time and stalls
    /// still take real time).
    std::function<std::chrono::steady_clock::time_point()> clock;
};

/// Counters of what the server did, for tests and benchmarks.
struct simulator_stats {
    std::uint64_t connections_accepted = 0;  ///< TCP connections accepted
    std::uint64_t requests = 0;              ///< complete requests read
    std::uint64_t faults_injected = 0;  ///< requests that met an injected fault
    std::uint64_t machines_created = 0;      ///< create calls that made a machine (sync or async)
    std::uint64_t open_connections = 0;  ///< connections open now
};

/// An in-memory mist.io API server on an executor (see the top of this file).
class simulator {
public:
    /// A simulator on `executor` (nothing bound until start()).
    explicit simulator(boost::asio::any_io_executor executor, simulator_options options = {});
    ~simulator();
    simulator(const simulator&) = delete;
    simulator& operator=(const simulator&) = delete;

    /// Binds, listens and starts accepting. Throws boost::system::system_error.
    void start();
    /// Stops accepting and closes every connection. Safe to call twice.
    void stop();

    /// The bound port (after start()).
    unsigned short port() const;
    /// "http://127.0.0.1:PORT" (or https when TLS is configured).
    std::string base_url() const;
    /// The options it was made with.
    const simulator_options& options() const;

    /// A bare 64-hex API token of the world's user (the /api/v1/tokens kind).
    std::string api_token();
    /// The user's legacy token; send it as "mist_1 <email>:<token>".
    std::string legacy_token();
    /// Tokens issued with a lifetime (a login's, ttl > 0) expire now, as if it had passed.
    void expire_tokens();

    /// Machines the world holds that are not terminated (all of them if asked).
    std::size_t machine_count(bool include_terminated = false) const;
    /// Non-terminated machines with exactly this name.
    std::size_t machines_named(std::string_view name) const;
    /// The JSON body of the create request that made the newest machine with this name,
    /// as the server received it (empty if no create made one): what a client really sent.
    std::string create_request_of(std::string_view name) const;

    /// Probability (0..1) that a request meets an injected fault.
    void set_fault_rate(double rate);
    /// Which fault kinds are injected, by weight (kinds left out: none).
    void set_faults(const fault_mix& mix);
    /// Added before every response from now on.
    void set_latency(std::chrono::milliseconds latency);
    /// Breaks (or, with backend_fault::none, heals) the provider of the backend with this
    /// title or id, now or when a backend of that title is added.
    void set_backend_fault(std::string title_or_id, backend_fault fault);

    /// Scripts one fault for one exact request (see scripted_fault); several may be pending.
    void script_fault(scripted_fault f);

    /// A channel into this simulator's API without a socket: each request is served on the
    /// simulator's executor as a connection's would be (latency, create time, faults, the
    /// API), in the order it arrives. Needs no start(). See mistasync/testing/in_process.hpp.
    detail::message_channel in_process_channel();

    /// Counters of what the server did so far.
    simulator_stats stats() const;

    /// Bytes the world uses per machine, estimated from its containers (for benchmarks).
    std::size_t approximate_bytes_per_machine() const;

    /// The provider puts the newest live machine of this name in state `error` (a failed
    /// boot); it stays there until destroyed. False when there is no such machine.
    bool break_machine(std::string_view name);
    /// Adds a running machine of this name to the backend with this title or id, as a
    /// create the client never heard the answer to would (say, one processed late).
    /// Returns its provider id; throws std::invalid_argument for an unknown backend.
    std::string add_machine(std::string_view backend_title_or_id, std::string_view name);

    /// Adds `count` running machines to the first backend directly (no HTTP), for load tests.
    void populate_machines(std::size_t count, std::string_view name_prefix = "bulk");

private:
    struct impl;
    std::shared_ptr<impl> impl_;
};

}  // namespace mistasync::testing
