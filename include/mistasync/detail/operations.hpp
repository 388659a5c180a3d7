// Every operation the SDK starts, as one parameter struct each, and the one compiled entry
// that starts any of them: the public templates build the struct and call
// start_operation, whose definitions (one explicit instantiation per struct) live in src/.
// So Beast, OpenSSL and Boost.JSON are compiled once, and adding an operation is a struct
// here and a coroutine there.
#pragma once

#include <mistasync/detail/async.hpp>
#include <mistasync/models.hpp>
#include <mistasync/wait.hpp>

#include <string>
#include <utility>
#include <vector>

namespace mistasync {

class backend;
class machine;
class key;
struct machine_listing;

namespace detail {

/// The parameters of each operation; `result` is what it completes with.
namespace ops {

/// Any API call, as the caller writes it (client::request).
struct raw_request {
    using result = raw_response;
    std::string method;  ///< "GET", "POST", ...
    std::string path;    ///< the API path (with its v1 prefix or without), percent-encoded, may carry "?query"
    std::string body;    ///< JSON text or empty
};
/// GET /providers.
struct providers {
    using result = std::vector<provider>;
};
/// The account's email (logs in first).
/// The organizations the user belongs to (v1).
struct list_organizations {
    using result = std::vector<organization>;
};
struct whoami {
    using result = std::string;
};
/// The backends that match `filter`.
struct list_backends {
    using result = std::vector<backend>;
    backend_filter filter;  ///< which backends
};
/// Exactly one backend matching `filter`.
struct find_backend {
    using result = backend;
    backend_filter filter;  ///< which backend
};
/// Adds a backend.
struct add_backend {
    using result = backend;
    backend_spec spec;  ///< title, provider, credentials
};
/// Renames, enables or disables, or deletes a backend.
struct update_backend {
    using result = void;
    std::string backend_id;  ///< which backend
    std::string what;        ///< "rename", "state" or "delete"
    std::string value;       ///< the new title, or "1"/"0" for the state
};
/// A backend's images, optionally searched.
struct list_images {
    using result = std::vector<image>;
    std::string backend_id;  ///< which backend
    std::string search;      ///< empty: all
};
/// Toggles an image's star.
struct star_image {
    using result = bool;
    std::string backend_id;  ///< which backend
    std::string image_id;    ///< which image
};
/// A backend's sizes.
struct list_sizes {
    using result = std::vector<size>;
    std::string backend_id;  ///< which backend
};
/// A backend's locations.
struct list_locations {
    using result = std::vector<location>;
    std::string backend_id;  ///< which backend
};
/// A backend's networks.
struct list_networks {
    using result = std::vector<network>;
    std::string backend_id;  ///< which backend
};
/// Creates a network (and, with spec.subnet, its first subnet).
struct create_network {
    using result = network;
    std::string backend_id;  ///< which backend
    network_spec spec;       ///< what to create
};
/// Deletes a network and its subnets.
struct delete_network {
    using result = void;
    std::string backend_id;  ///< which backend
    std::string network_id;  ///< network::id
};
/// A network's subnets.
struct list_subnets {
    using result = std::vector<subnet>;
    std::string backend_id;  ///< which backend
    std::string network_id;  ///< network::id
};
/// Creates a subnet in a network.
struct create_subnet {
    using result = subnet;
    std::string backend_id;  ///< which backend
    std::string network_id;  ///< network::id
    subnet_spec spec;        ///< what to create
};
/// Deletes a subnet.
struct delete_subnet {
    using result = void;
    std::string backend_id;  ///< which backend
    std::string network_id;  ///< network::id
    std::string subnet_id;   ///< subnet::id
};
/// A backend's machines that match `filter`.
struct list_machines {
    using result = std::vector<machine>;
    std::string backend_id;  ///< which backend
    machine_filter filter;   ///< which machines
};
/// Every enabled backend's machines that match `filter`, and the backends that failed.
struct list_all_machines {
    using result = machine_listing;
    machine_filter filter;  ///< which machines
};
/// Exactly one machine matching `filter`, in any enabled backend.
struct find_machine {
    using result = machine;
    machine_filter filter;  ///< which machine
};
/// One machine, created synchronously (never resent).
struct create_machine {
    using result = created_machine;
    std::string backend_id;  ///< where
    machine_spec spec;       ///< what
    /// v1 only: the job id the server files the create under (a new 32-hex id the caller
    /// chose, so it can later ask whether the server started this create); empty: the
    /// server picks one. Ignored by 2015 servers, which do not read it.
    std::string job_id;
};
/// `quantity` machines, created in the background by a job (never resent); the job id.
struct create_machines {
    using result = std::string;
    std::string backend_id;  ///< where
    machine_spec spec;       ///< what
    int quantity = 1;        ///< how many
};
/// v2: the server's plan for a machine (a dry run of the create), as JSON text.
struct plan_machine {
    using result = std::string;
    std::string backend_id;  ///< where
    machine_spec spec;       ///< what
};
/// start, stop, reboot, destroy, rename or resize (never resent).
struct machine_action {
    using result = void;
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< which machine
    std::string action;      ///< what to do
    std::string argument;    ///< the new name or size, when the action takes one
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// One probe of a machine.
struct probe {
    using result = probe_result;
    std::string backend_id;    ///< the machine's backend
    std::string machine_id;    ///< which machine
    std::string default_host;  ///< its address, when options.host is empty
    probe_options options;     ///< host, key, user
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// Sets a machine's tags.
struct set_tags {
    using result = void;
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< which machine
    std::vector<std::pair<std::string, std::string>> tags;  ///< key, value
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// Removes one tag of a machine.
struct remove_tag {
    using result = void;
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< which machine
    std::string tag;         ///< the tag's key
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// Associates a key with a machine, or removes the association.
struct associate_key {
    using result = std::vector<key_association>;
    std::string backend_id;       ///< the machine's backend
    std::string machine_id;       ///< which machine
    std::string key_id;           ///< which key
    std::string default_host;     ///< the machine's address, when options.host is empty
    association_options options;  ///< host, user, port
    bool associate = true;        ///< false: disassociate
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// One look at a job.
struct get_job {
    using result = job;
    std::string job_id;  ///< which job
};
/// The account's stored scripts.
struct list_scripts {
    using result = std::vector<script>;
};
/// Stores a script.
struct add_script {
    using result = script;
    script_spec spec;  ///< what to store
};
/// Deletes a stored script.
struct remove_script {
    using result = void;
    std::string script_id;  ///< which script
};
/// Runs a stored script on a machine; the run's job id.
struct run_script {
    using result = std::string;
    std::string script_id;   ///< which script
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< the provider's machine id
    script_run_options options;  ///< parameters, su, environment
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// The keys that match `filter`.
struct list_keys {
    using result = std::vector<key>;
    key_filter filter;  ///< which keys
};
/// Exactly one key matching `filter`.
struct find_key {
    using result = key;
    key_filter filter;  ///< which key
};
/// Adds a key from its private part.
struct add_key {
    using result = key;
    std::string name;         ///< its name
    std::string private_key;  ///< PEM
};
/// A key pair the server generates (not stored).
struct generate_key {
    using result = generated_key;
};
/// A key's private or public part.
struct key_text {
    using result = std::string;
    std::string key_id;         ///< which key
    bool private_part = false;  ///< the private part, else the public one
};
/// Renames a key, makes it the default, or deletes it.
struct update_key {
    using result = void;
    std::string key_id;  ///< which key
    std::string what;    ///< "rename", "default" or "delete"
    std::string value;   ///< the new name
};
/// Probes until the machine answers.
struct wait_until_probed {
    using result = probe_result;
    std::string backend_id;    ///< the machine's backend
    std::string machine_id;    ///< which machine
    std::string default_host;  ///< its address, when options.host is empty
    probe_options options;     ///< host, key, user
    wait_policy policy;        ///< how to wait
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// Lists until the machine is in state `wanted`.
struct wait_for_state {
    using result = machine;
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< which machine
    machine_state wanted = machine_state::running;  ///< the state
    wait_policy policy;      ///< how to wait
    std::string uuid;        ///< mist's machine id: what /api/v2 addresses it by (empty: looked up by machine_id)
};
/// Looks at a job until it finishes.
struct wait_for_job {
    using result = job;
    std::string job_id;  ///< which job
    wait_policy policy;  ///< how to wait
};

}  // namespace ops

/// Starts operation `op`; completes `h` exactly once (compiled in src/ for each ops struct).
template <class Op>
void start_operation(const client_ref& ref, Op op, handler<typename Op::result> h);

/// Starts `op` for any completion token (see initiate).
template <class Op, class Token>
auto async_run(Token&& token, client_ref ref, Op op) {
    return initiate<typename Op::result>(std::forward<Token>(token), std::move(ref), [op = std::move(op)](auto r, auto h) mutable {
        start_operation(r, std::move(op), std::move(h));
    });
}

}  // namespace detail
}  // namespace mistasync
