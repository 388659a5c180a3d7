// mistasync::client and the handles it returns (backend, machine, key).
//
// Every operation is an Asio asynchronous operation whose completion signature is
// void(error_code, T), T being what its documentation says it completes with:
//   co_await op(...)                      -> the value; throws mistasync::error on failure
//                                            (the default token, with_diagnostics(use_awaitable))
//   op(..., with_diagnostics(token))      -> void(std::exception_ptr, T) for any token, the
//                                            exception a mistasync::error with diagnostics
//   op(..., asio::as_tuple(use_awaitable)) -> [error_code, value]
//   op(..., [](error_code ec, T v) {...})  -> callback on the handler's executor
//   op(..., asio::use_future)              -> std::future<T> (system_error on failure)
// Per-operation cancellation (cancellation slots) is honoured by every operation, for
// terminal, partial and total cancellation alike: it completes promptly with
// boost::asio::error::operation_aborted. Before the request is written nothing reaches
// the server; after, the server may have acted (the connection is closed; a create is
// never resent). Each operation's documentation says whether it may be resent and what a
// cancelled one may have done; backend's rename/enable/disable/remove, machine's actions
// (start, stop, reboot, destroy, rename, resize) and key's rename/make_default/remove
// share the contract of the private helper they call (update, action, update).
//
// Threading: no threads of its own; all of the client's work runs on its executor.
// When that executor is a strand (or an io_context run by one thread), operations and
// client::cancel() may be started from any thread: a start from another thread is
// dispatched to the executor. Completion handlers run on their associated executor (the
// client's by default); hooks and the logger run on the client's executor. Handles are
// values: copy them freely, but do not mutate one while another thread reads it. On an
// io_context run by several threads without a strand, the client is not safe.
#pragma once

#include <mistasync/config.hpp>
#include <mistasync/detail/async.hpp>
#include <mistasync/detail/message_channel.hpp>
#include <mistasync/detail/operations.hpp>
#include <mistasync/error.hpp>
#include <mistasync/models.hpp>
#include <mistasync/wait.hpp>

#include <boost/asio/any_io_executor.hpp>

#include <string>
#include <utility>
#include <vector>

namespace mistasync {

class client;
class backend;
class machine;
class key;
struct machine_listing;

namespace detail {
struct handle_access;
/// A client whose requests go to `channel` instead of sockets (see mistasync/testing/in_process.hpp).
client client_over_channel(boost::asio::any_io_executor executor, client_options options, message_channel channel);
}  // namespace detail

/// A backend (a "cloud" in v1): its data and what can be done with it.
class backend {
public:
    std::string id;        ///< the id this era uses in paths (base58 in 2015, 32 hex in v1)
    std::string title;  ///< the name shown for it
    std::string provider;  ///< as the server shows it ("ec2_ap_northeast" in 2015, "ec2" in v1)
    std::string region;  ///< the provider region, when it has one
    bool enabled = false;  ///< disabled backends are skipped by client::machines

    backend() = default;
    /// Made by the client from a server answer (use client::backends).
    backend(detail::client_ref ref, std::shared_ptr<const detail::json_holder> raw) : ref_(std::move(ref)), raw_(std::move(raw)) {}
    /// The server's JSON for this backend.
    std::string info() const { return detail::json_text(raw_); }
    /// The same backend with per-call options (timeout, diagnostics).
    backend with(call_options c) const { backend b = *this; b.ref_.call = c; return b; }

    template <class Token = default_token>
    /// The images this backend offers. Completes with std::vector<image>.
    auto images(Token&& token = {}) const { return list_images({}, std::forward<Token>(token)); }
    /// Case-insensitive search over image ids and names (EC2: community images too).
    template <class Token = default_token>
    auto search_images(std::string term, Token&& token = {}) const { return list_images(std::move(term), std::forward<Token>(token)); }
    /// Toggles the image's star; completes with the new state.
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have toggled the star when its request was sent.
    template <class Token = default_token>
    auto star_image(std::string image_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::star_image{id, std::move(image_id)});
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// The sizes (plans) this backend offers. Completes with std::vector<size>.
    auto sizes(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_sizes{id});
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// The locations this backend offers. Completes with std::vector<location>.
    auto locations(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_locations{id});
    }
    /// This backend's networks. Completes with std::vector<network> (empty for providers
    /// without networks).
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto networks(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_networks{id});
    }
    /// Creates a network (v1), with its first subnet when spec.subnet is set; completes with
    /// the network. Never resent: if the connection drops after the request was written,
    /// completes with errc::outcome_unknown (list the networks before creating it again).
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have made the network when its request was sent.
    template <class Token = default_token>
    auto create_network(network_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::create_network{id, std::move(spec)});
    }
    /// Deletes a network and its subnets (v1).
    /// Cancellation: terminal, partial and total alike end it; a DELETE: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it may have deleted it.
    template <class Token = default_token>
    auto delete_network(std::string network_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::delete_network{id, std::move(network_id)});
    }
    /// A network's subnets (v1). Completes with std::vector<subnet>.
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto subnets(std::string network_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_subnets{id, std::move(network_id)});
    }
    /// Creates a subnet in a network (v1); completes with it. Never resent once written.
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have made the subnet when its request was sent.
    template <class Token = default_token>
    auto create_subnet(std::string network_id, subnet_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::create_subnet{id, std::move(network_id), std::move(spec)});
    }
    /// Deletes a subnet (v1).
    /// Cancellation: terminal, partial and total alike end it; a DELETE: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it may have deleted it.
    template <class Token = default_token>
    auto delete_subnet(std::string network_id, std::string subnet_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_,
                                 detail::ops::delete_subnet{id, std::move(network_id), std::move(subnet_id)});
    }
    /// This backend's machines. Completes with std::vector<machine>.
    template <class Token = default_token>
        requires detail::token_other_than<Token, machine_filter>
    auto machines(Token&& token = {}) const {
        return machines(machine_filter{}, std::forward<Token>(token));
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// This backend's machines, filtered. Completes with std::vector<machine>.
    auto machines(machine_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_machines{id, std::move(filter)});
    }
    /// Creates one machine and waits for the server's answer (v2: for its job to say the
    /// machine was made). Never resent: if the connection drops after the request was
    /// written, completes with errc::outcome_unknown.
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have made the machine (errc::outcome_unknown when its request was sent: look it up by name before creating it again).
    template <class Token = default_token>
    auto create_machine(machine_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::create_machine{id, std::move(spec), {}});
    }
    /// Asks the server to create `quantity` machines in the background; completes with the
    /// job id (see client::job). Names get suffixes as the server decides (-1..-N; v2:
    /// -<10 random hex digits>).
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have started the job and its machines when its request was sent.
    template <class Token = default_token>
    auto create_machines(machine_spec spec, int quantity, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::create_machines{id, std::move(spec), quantity});
    }
    /// v2: the server's plan for a machine of `spec` in this backend (what it would pick:
    /// image, size, location, key), as JSON text; nothing is made. Older eras:
    /// errc::invalid_argument.
    template <class Token = default_token>
    auto plan_machine(machine_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::plan_machine{id, std::move(spec)});
    }
    /// A handle on a machine this backend just created (no request is sent): enough to
    /// probe it, act on it or wait for it.
    machine machine_from(const created_machine& created) const;

    template <class Token = default_token>
    /// Renames the backend. Completes with no value.
    auto rename(std::string new_title, Token&& token = {}) const { return update("rename", std::move(new_title), std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Enables the backend.
    auto enable(Token&& token = {}) const { return update("state", "1", std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Disables the backend (its machines are no longer listed).
    auto disable(Token&& token = {}) const { return update("state", "0", std::forward<Token>(token)); }
    /// Deletes the backend from mist.io (the provider's machines are not touched).
    template <class Token = default_token>
    auto remove(Token&& token = {}) const { return update("delete", "", std::forward<Token>(token)); }

private:
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token>
    auto list_images(std::string term, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_images{id, std::move(term)});
    }
    /// Cancellation: terminal, partial and total alike end it; may be resent (doing it twice is doing it once); cancelled, it may have been applied when its request was sent.
    template <class Token>
    auto update(std::string what, std::string value, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::update_backend{id, std::move(what), std::move(value)});
    }
    friend struct detail::handle_access;
    detail::client_ref ref_;
    std::shared_ptr<const detail::json_holder> raw_;
};

/// A machine: its data (as of the list it came from) and its actions.
class machine {
public:
    std::string id;          ///< the provider's id: what both eras use in backend-scoped paths
    std::string uuid;        ///< 2015: libcloud uuid (40 hex); v1: mist's machine id (32 hex)
    std::string name;  ///< as the provider reports it
    std::string backend_id;  ///< the backend it belongs to
    machine_state state = machine_state::unknown;  ///< as of the list it came from
    std::string state_text;  ///< as the server wrote it
    std::string image_id;  ///< the image it was made from, when known
    std::string size_id;  ///< its size, when known
    std::vector<std::string> public_ips;  ///< public addresses
    std::vector<std::string> private_ips;  ///< private addresses
    std::vector<std::pair<std::string, std::string>> tags;  ///< key/value tags
    machine_actions actions;  ///< what it allows now

    machine() = default;
    /// Made by the client from a server answer (use backend::machines or backend::machine_from).
    machine(detail::client_ref ref, std::shared_ptr<const detail::json_holder> raw) : ref_(std::move(ref)), raw_(std::move(raw)) {}
    /// The server's JSON for this machine ("null" for handles not made from a list).
    std::string info() const { return detail::json_text(raw_); }
    /// The same machine with per-call options (timeout, diagnostics).
    machine with(call_options c) const { machine m = *this; m.ref_.call = c; return m; }
    /// The first public IPv4 address, or empty.
    std::string first_public_ipv4() const {
        for (auto& ip : public_ips)
            if (ip.find(':') == std::string::npos) return ip;
        return {};
    }

    template <class Token = default_token>
    /// Starts a stopped machine. Never resent (errc::outcome_unknown if the connection drops after sending).
    auto start(Token&& token = {}) const { return action("start", {}, std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Stops the machine. Never resent.
    auto stop(Token&& token = {}) const { return action("stop", {}, std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Reboots the machine. Never resent.
    auto reboot(Token&& token = {}) const { return action("reboot", {}, std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Destroys the machine at the provider. Never resent.
    auto destroy(Token&& token = {}) const { return action("destroy", {}, std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Renames the machine (where the provider supports it).
    auto rename(std::string new_name, Token&& token = {}) const { return action("rename", std::move(new_name), std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Moves the machine to another size (v1 servers).
    auto resize(std::string new_size_id, Token&& token = {}) const { return action("resize", std::move(new_size_id), std::forward<Token>(token)); }

    /// Runs the stored script `script_id` on this machine over SSH (the server needs a key
    /// associated with it and an address). Completes with the run's job id: follow it with
    /// client::wait_for_job, whose job::scripts holds the exit code and output.
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, the script may have started when its request was sent.
    template <class Token = default_token>
        requires detail::token_other_than<Token, script_run_options>
    auto run_script(std::string script_id, Token&& token = {}) const {
        return run_script(std::move(script_id), script_run_options{}, std::forward<Token>(token));
    }
    /// As run_script(script_id), with parameters, su and environment (the last two v1 only).
    template <class Token = default_token>
    auto run_script(std::string script_id, script_run_options options, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_,
                                 detail::ops::run_script{std::move(script_id), backend_id, id, std::move(options), uuid});
    }
    /// One probe. "Not reachable yet" is a result (reachable == false), not an error:
    /// 2015 answers 200 with ping data only, v1 answers 503 "SSH timed-out".
    template <class Token = default_token>
        requires detail::token_other_than<Token, probe_options>
    auto probe(Token&& token = {}) const {
        return probe(probe_options{}, std::forward<Token>(token));
    }
    /// One probe with a key, user or host of the caller's choosing (see probe()).
    /// Cancellation: terminal, partial and total alike end it; may be resent; cancelled, it changed nothing on the machine.
    template <class Token = default_token>
    auto probe(probe_options options, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::probe{backend_id, id, first_public_ipv4(), std::move(options), uuid});
    }
    /// Probes until SSH answers (see wait_policy): "not yet" is 200 with ping data only in
    /// 2015 and 503 "SSH timed-out" in v1; a v1 404 ends the wait at once (errc::not_found;
    /// a 2015 server answers ping data even for unknown machines, so there only the
    /// deadline ends it); a
    /// 429 waits at least its Retry-After; other failures count as "not yet" until the
    /// deadline (errc::timeout, carrying the last attempt's status and server text).
    template <class Token = default_token>
        requires detail::token_other_than<Token, wait_policy, probe_options>
    auto wait_until_probed(Token&& token = {}) const {
        return wait_until_probed(wait_policy{}, probe_options{}, std::forward<Token>(token));
    }
    /// As wait_until_probed(), waiting as `policy` says.
    template <class Token = default_token>
        requires detail::token_other_than<Token, probe_options>
    auto wait_until_probed(wait_policy policy, Token&& token = {}) const {
        return wait_until_probed(std::move(policy), probe_options{}, std::forward<Token>(token));
    }
    /// As wait_until_probed(), waiting as `policy` says and probing with `options`.
    /// Cancellation: terminal, partial and total alike end it; polls with probes until its policy ends it; cancelled, it changed nothing on the machine.
    template <class Token = default_token>
    auto wait_until_probed(wait_policy policy, probe_options options, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::wait_until_probed{backend_id, id, first_public_ipv4(), std::move(options), std::move(policy), uuid});
    }
    /// Waits until the machine is in `wanted` state; completes with the machine as last
    /// listed. Waiters on the same backend share one machine list per interval (the
    /// smallest of their policies' intervals), so waiting for thousands of machines costs
    /// one request per interval, not one per machine. A machine that reaches error or
    /// terminated instead ends the wait with errc::unexpected_state; one that disappears
    /// from the list satisfies a wait for terminated and otherwise ends it with not_found.
    template <class Token = default_token>
        requires detail::token_other_than<Token, wait_policy>
    auto wait_for_state(machine_state wanted, Token&& token = {}) const {
        return wait_for_state(wanted, wait_policy{}, std::forward<Token>(token));
    }
    /// As wait_for_state(wanted), waiting as `policy` says.
    /// Cancellation: terminal, partial and total alike end it; polls with reads until its policy ends it; cancelled, it changed nothing.
    template <class Token = default_token>
    auto wait_for_state(machine_state wanted, wait_policy policy, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::wait_for_state{backend_id, id, wanted, std::move(policy), uuid});
    }
    /// Adds or replaces tags (2015 replaces the whole set; v1 adds/updates).
    /// Cancellation: terminal, partial and total alike end it; may be resent (doing it twice is doing it once); cancelled, it may have been applied when its request was sent.
    template <class Token = default_token>
    auto set_tags(std::vector<std::pair<std::string, std::string>> new_tags, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::set_tags{backend_id, id, std::move(new_tags), uuid});
    }
    /// Cancellation: terminal, partial and total alike end it; may be resent (doing it twice is doing it once); cancelled, it may have been applied when its request was sent.
    template <class Token = default_token>
    /// Removes one tag by key.
    auto remove_tag(std::string tag, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::remove_tag{backend_id, id, std::move(tag), uuid});
    }
    /// Associates another SSH key; completes with that key's associations.
    template <class Token = default_token>
        requires detail::token_other_than<Token, association_options>
    auto associate_key(std::string key_id, Token&& token = {}) const {
        return associate_key(std::move(key_id), association_options{}, std::forward<Token>(token));
    }
    /// Associates another SSH key with a host, port or user of the caller's choosing.
    template <class Token = default_token>
    auto associate_key(std::string key_id, association_options options, Token&& token = {}) const {
        return key_association_call(std::move(key_id), std::move(options), true, std::forward<Token>(token));
    }
    /// Removes a key from the machine; completes with that key's remaining associations.
    template <class Token = default_token>
        requires detail::token_other_than<Token, association_options>
    auto disassociate_key(std::string key_id, Token&& token = {}) const {
        return disassociate_key(std::move(key_id), association_options{}, std::forward<Token>(token));
    }
    template <class Token = default_token>
    /// Removes a key from the machine (host, port or user as given).
    auto disassociate_key(std::string key_id, association_options options, Token&& token = {}) const {
        return key_association_call(std::move(key_id), std::move(options), false, std::forward<Token>(token));
    }

private:
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have acted on the machine when its request was sent (diagnostics::request_sent).
    template <class Token>
    auto action(std::string what, std::string argument, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::machine_action{backend_id, id, std::move(what), std::move(argument), uuid});
    }
    /// Cancellation: terminal, partial and total alike end it; may be resent (doing it twice is doing it once); cancelled, it may have been applied when its request was sent.
    template <class Token>
    auto key_association_call(std::string key_id, association_options options, bool associate, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::associate_key{backend_id, id, std::move(key_id), first_public_ipv4(), std::move(options), associate, uuid});
    }
    detail::client_ref ref_;
    std::shared_ptr<const detail::json_holder> raw_;
};

/// A backend whose machines could not be listed (see client::machines).
struct backend_failure {
    std::string backend_id;     ///< the backend's id
    std::string backend_title;  ///< the backend's title
    /// Why: errc::service_unavailable for 503 "Cloud unavailable", errc::backend_credentials_refused
    /// for 401 "Unauthorized cloud credentials", a timeout, a transport error...
    boost::system::error_code error;
    diagnostics details;  ///< the request, the status and the server's own text
};

/// The machines of every backend that could be listed, and the backends that could not:
/// a real account nearly always has a cloud with expired credentials or an unreachable
/// provider, and it must not hide the others. Iterates like the vector of machines.
struct machine_listing {
    std::vector<machine> machines;          ///< what the backends that answered hold
    std::vector<backend_failure> failures;  ///< the backends that did not answer, in backend order

    /// Every enabled backend was listed.
    bool complete() const noexcept { return failures.empty(); }
    /// Number of machines listed.
    std::size_t size() const noexcept { return machines.size(); }
    /// No machine was listed.
    bool empty() const noexcept { return machines.empty(); }
    /// The i-th machine; throws std::out_of_range.
    machine& at(std::size_t i) { return machines.at(i); }
    /// The i-th machine; throws std::out_of_range.
    const machine& at(std::size_t i) const { return machines.at(i); }
    /// The i-th machine (unchecked).
    machine& operator[](std::size_t i) { return machines[i]; }
    /// The i-th machine (unchecked).
    const machine& operator[](std::size_t i) const { return machines[i]; }
    /// First machine.
    auto begin() noexcept { return machines.begin(); }
    /// Past the last machine.
    auto end() noexcept { return machines.end(); }
    /// First machine.
    auto begin() const noexcept { return machines.begin(); }
    /// Past the last machine.
    auto end() const noexcept { return machines.end(); }
};

/// An SSH key stored in mist.io.
class key {
public:
    std::string id;    ///< 2015: the name; v1: 32 hex
    std::string name;  ///< the key's name
    bool is_default = false;  ///< the account's default key (used when a create names none)
    std::vector<key_association> associations;  ///< machines this key is deployed to

    key() = default;
    /// Made by the client from a server answer (use client::keys).
    key(detail::client_ref ref, std::shared_ptr<const detail::json_holder> raw) : ref_(std::move(ref)), raw_(std::move(raw)) {}
    /// The server's JSON for this key.
    std::string info() const { return detail::json_text(raw_); }
    /// The same key with per-call options (timeout, diagnostics).
    key with(call_options c) const { key k = *this; k.ref_.call = c; return k; }

    template <class Token = default_token>
    /// The private key (PEM). Completes with std::string.
    auto private_key(Token&& token = {}) const { return text(true, std::forward<Token>(token)); }
    template <class Token = default_token>
    /// The public key (OpenSSH format). Completes with std::string.
    auto public_key(Token&& token = {}) const { return text(false, std::forward<Token>(token)); }
    /// Renames the key. In 2015 the id is the name: this handle's id is then stale.
    template <class Token = default_token>
    auto rename(std::string new_name, Token&& token = {}) const { return update("rename", std::move(new_name), std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Makes this the account's default key.
    auto make_default(Token&& token = {}) const { return update("default", "", std::forward<Token>(token)); }
    template <class Token = default_token>
    /// Deletes the key from mist.io.
    auto remove(Token&& token = {}) const { return update("delete", "", std::forward<Token>(token)); }

private:
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token>
    auto text(bool private_part, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::key_text{id, private_part});
    }
    /// Cancellation: terminal, partial and total alike end it; may be resent (doing it twice is doing it once); cancelled, it may have been applied when its request was sent.
    template <class Token>
    auto update(std::string what, std::string value, Token&& token) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::update_key{id, std::move(what), std::move(value)});
    }
    detail::client_ref ref_;
    std::shared_ptr<const detail::json_holder> raw_;
};

inline machine backend::machine_from(const created_machine& created) const {
    machine m(ref_, nullptr);
    m.id = created.id;
    m.name = created.name;
    m.backend_id = id;
    m.state = machine_state::pending;
    m.state_text = "pending";
    m.public_ips = created.public_ips;
    m.private_ips = created.private_ips;
    return m;
}

/// The entry point: a cheap, copyable handle on shared state (options, TLS context,
/// connection pool, limits, login). Destroying every handle while operations run is
/// safe: they finish (or are cancelled by cancel()) and the state goes when they do.
class client {
public:
    /// A client on `executor`; nothing is sent until the first operation. Throws std::invalid_argument for a base URL that is not http(s)://host[:port][/prefix].
    client(boost::asio::any_io_executor executor, client_options options);

    /// The executor the client runs on.
    boost::asio::any_io_executor get_executor() const { return detail::executor_of(ref_); }
    /// The options it was made with.
    const client_options& options() const;
    /// The era in use: the configured one, or what automatic detection found (automatic
    /// until the first call completes).
    api_era era() const;
    /// The server, as "scheme://host[:port][/prefix]" without credentials: what a
    /// provisioning journal records, and checks a resume or a cleanup against.
    std::string server() const;
    /// The same client with per-call options (timeout, diagnostics).
    client with(call_options c) const { client copy = *this; copy.ref_.call = c; return copy; }
    /// Ends every outstanding operation of this client with operation_aborted.
    void cancel();

    /// Any API call the SDK has no operation for, with everything an operation gets: the
    /// login (and a second one on 401), the pool, the call limits, timeouts, cancellation,
    /// diagnostics. `path` is the API path as the server's documentation writes it,
    /// percent-encoded, with any "?query"; on a v1 server a path that does not start with
    /// "/api/" gets the "/api/v1" prefix ("/clouds" is "/api/v1/clouds"), so one path
    /// serves an account in either era only where both eras name it alike. Completes with
    /// raw_response for a 2xx answer; any other status fails the call as an operation's
    /// would (errc by status, the server's text in diagnostics::server_message).
    /// Resending: GET, HEAD and OPTIONS are resent after a dropped connection, a timeout,
    /// 429 or 5xx; every other method (POST, PUT, PATCH, DELETE: on mist.io a PUT adds a
    /// key and a DELETE removes one) goes once, and a failure after it was written says so
    /// (diagnostics::request_sent). Cancellation: terminal, partial and total alike end it;
    /// a cancelled POST may have been carried out.
    template <class Token = default_token>
        requires detail::token_other_than<Token, std::string>
    auto request(std::string method, std::string path, Token&& token = {}) const {
        return request(std::move(method), std::move(path), std::string(), std::forward<Token>(token));
    }
    /// As request(method, path), with a body (JSON text, sent as application/json).
    template <class Token = default_token>
    auto request(std::string method, std::string path, std::string body, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_,
                                 detail::ops::raw_request{std::move(method), std::move(path), std::move(body)});
    }

    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// The providers mist.io supports. Completes with std::vector<provider>.
    auto providers(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::providers{});
    }
    /// The account's backends (clouds). Completes with std::vector<backend>.
    template <class Token = default_token>
        requires detail::token_other_than<Token, backend_filter>
    auto backends(Token&& token = {}) const {
        return backends(backend_filter{}, std::forward<Token>(token));
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// The account's backends (clouds), filtered. Completes with std::vector<backend>.
    auto backends(backend_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_backends{std::move(filter)});
    }
    /// The one backend that `filter` matches; errc::not_found_locally ("no backend
    /// matches name 'X'", or "2 backends match …") when it matches none or several.
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto find_backend(backend_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::find_backend{std::move(filter)});
    }
    /// The one machine (of every enabled backend) that `filter` matches; errc::not_found_locally
    /// when the backends that answered hold none or several. Found in a backend that
    /// answered, it is the answer even when another backend could not be listed; not
    /// found while some could not, the call fails with that backend's error (the machine
    /// may be there).
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto find_machine(machine_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::find_machine{std::move(filter)});
    }
    /// The one key that `filter` matches; errc::not_found_locally otherwise.
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto find_key(key_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::find_key{std::move(filter)});
    }
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have added the backend when its request was sent.
    template <class Token = default_token>
    /// Adds a backend with its provider's credentials. Completes with the new backend.
    auto add_backend(backend_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::add_backend{std::move(spec)});
    }
    /// Machines of every enabled backend, listed concurrently. Completes with a
    /// machine_listing: what the backends that answered hold, and which backends could not
    /// be listed (a broken cloud does not hide the others). Fails only when no backend
    /// could be listed, or with machine_filter::all_or_nothing when any could not.
    template <class Token = default_token>
        requires detail::token_other_than<Token, machine_filter>
    auto machines(Token&& token = {}) const {
        return machines(machine_filter{}, std::forward<Token>(token));
    }
    /// Machines of every enabled backend, filtered (see machines()).
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto machines(machine_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_all_machines{std::move(filter)});
    }
    /// The account's SSH keys. Completes with std::vector<key>.
    template <class Token = default_token>
        requires detail::token_other_than<Token, key_filter>
    auto keys(Token&& token = {}) const {
        return keys(key_filter{}, std::forward<Token>(token));
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// The account's SSH keys, filtered. Completes with std::vector<key>.
    auto keys(key_filter filter, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_keys{std::move(filter)});
    }
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have added the key when its request was sent.
    template <class Token = default_token>
    /// Stores a private key (PEM) under `name`. Completes with the new key.
    auto add_key(std::string name, std::string private_key, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::add_key{std::move(name), std::move(private_key)});
    }
    /// The account's stored scripts (GET /scripts). Completes with std::vector<script>.
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto scripts(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_scripts{});
    }
    /// Stores a script: inline code, a URL or a GitHub repository; a shell script (any
    /// executable) or an ansible playbook. Completes with the stored script (its id).
    /// Cancellation: terminal, partial and total alike end it; never resent once written; cancelled, it may have stored the script when its request was sent.
    template <class Token = default_token>
    auto add_script(script_spec spec, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::add_script{std::move(spec)});
    }
    /// Deletes a stored script. Completes with no value.
    /// Cancellation: terminal, partial and total alike end it; may be resent (a second delete finds nothing); cancelled, it may have deleted the script.
    template <class Token = default_token>
    auto remove_script(std::string script_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::remove_script{std::move(script_id)});
    }
    /// A new RSA key pair made by the server (not stored until add_key).
    /// Cancellation: terminal, partial and total alike end it; resent like a read (nothing is stored); cancelled, it changed nothing.
    template <class Token = default_token>
    auto generate_key(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::generate_key{});
    }
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    /// One look at an async create's job. Completes with mistasync::job.
    auto job(std::string job_id, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::get_job{std::move(job_id)});
    }
    /// Polls an async create's job until it has finished; completes with the job (its
    /// summary and per-machine events). Errors as machine::wait_until_probed.
    template <class Token = default_token>
        requires detail::token_other_than<Token, wait_policy>
    auto wait_for_job(std::string job_id, Token&& token = {}) const {
        return wait_for_job(std::move(job_id), wait_policy{}, std::forward<Token>(token));
    }
    /// As wait_for_job(job_id), waiting as `policy` says.
    /// Cancellation: terminal, partial and total alike end it; polls with reads until its policy ends it; cancelled, it changed nothing.
    template <class Token = default_token>
    auto wait_for_job(std::string job_id, wait_policy policy, Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::wait_for_job{std::move(job_id), std::move(policy)});
    }
    /// Logs in if needed and completes with the account's email (checks credentials).
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto whoami(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::whoami{});
    }
    /// The organizations the user belongs to (v1: GET /api/v1/orgs); the id or name of one
    /// goes in client_options::organization. Completes with std::vector<organization>.
    /// Cancellation: terminal, partial and total alike end it; a read: resent after a dropped connection, a timeout, 429 or 5xx; cancelled, it changed nothing.
    template <class Token = default_token>
    auto organizations(Token&& token = {}) const {
        return detail::async_run(std::forward<Token>(token), ref_, detail::ops::list_organizations{});
    }

private:
    explicit client(detail::client_ref ref) : ref_(std::move(ref)) {}
    friend client detail::client_over_channel(boost::asio::any_io_executor, client_options, detail::message_channel);

    detail::client_ref ref_;
};

}  // namespace mistasync

