// What the API returns, normalised across both eras (the 2015 "/backends" API and
// "/api/v1"): plain value types. The handles that can act (backend, machine, key) are in
// client.hpp and build on these.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync {

namespace detail {
struct json_holder;  // the raw JSON a model was read from (opaque: no Boost.JSON here)
std::string json_text(const std::shared_ptr<const json_holder>& raw);
}  // namespace detail

enum class machine_state { pending, starting, running, rebooting, stopping, stopped, suspended, paused, error, terminated, unknown };

machine_state parse_machine_state(std::string_view text) noexcept;
std::string_view to_string(machine_state s) noexcept;

struct region {
    std::string id;        ///< ec2_ap_northeast (2015) or ap-northeast-1 (v1), dfw, ...
    std::string location;  ///< Tokyo, Dallas, ...
};

struct provider {
    std::string id;     ///< "ec2", "nephoscale" (v2 list) or "ec2_ap_northeast" (v1 list)
    std::string title;
    std::vector<region> regions;
};

struct image {
    std::string id;
    std::string name;
    bool starred = false;
    std::string extra_json;  ///< the provider's "extra" object, as JSON text
};

struct size {
    std::string id;
    std::string name;
    int ram_mb = 0;
    int disk_gb = 0;
    std::string driver;
    std::string price_json;  ///< number, object or null as the provider gives it, as JSON text
};

struct location {
    std::string id;
    std::string name;
    std::string country;
};

/// One key-machine association: the contract's positional 6-tuple, named.
struct key_association {
    std::string backend_id;
    std::string machine_id;  ///< the provider's machine id
    double last_used = 0;    ///< unix time, 0: never
    std::optional<std::string> ssh_user;
    bool sudo = false;
    int port = 22;
};

/// Which actions the machine allows now (2015 can_* flags, v1 "actions").
struct machine_actions {
    bool start = false, stop = false, reboot = false, destroy = false;
    bool rename = false, tag = false, resize = false;
};

/// A probe, normalised: 2015 raw strings and v1 typed values both land here.
struct probe_result {
    bool reachable = false;  ///< SSH answered: the machine is up and the key works
    bool pingable = false;   ///< ping answered
    double uptime_seconds = 0;
    std::vector<double> loadavg;
    int cores = 0;
    int users = 0;
    std::vector<std::string> public_ips;
    std::vector<std::string> private_ips;
    int packets_tx = 0;
    int packets_rx = 0;
    double packet_loss = 0;  ///< fraction 0..1
    double rtt_avg_ms = 0;
    std::string raw_json;    ///< the server's document
};

struct job_counts {
    int success = 0, error = 0, skipped = 0, pending = 0;
};

struct job_event {
    std::string action;        ///< machine_creation_finished, probe, post_deploy_finished, ...
    std::string machine_name;
    std::string machine_id;
    std::string error;         ///< empty when the step succeeded
    double time = 0;
};

/// An async create's story (GET /jobs/{id}). `summary` exists on 2015 servers only; the
/// counts below are computed from the events when it is missing.
struct job {
    std::string id;
    double started_at = 0;
    std::optional<double> finished_at;
    std::string error;  ///< first error, empty when none
    int quantity = 0;   ///< 0 when the server does not say
    job_counts created;
    job_counts probed;
    std::vector<job_event> events;
    bool finished() const noexcept { return finished_at.has_value(); }
};

/// The answer to a synchronous create.
struct created_machine {
    std::string id;      ///< the provider's machine id
    std::string name;
    std::string job_id;
    std::vector<std::string> public_ips;
    std::vector<std::string> private_ips;
};

struct generated_key {
    std::string private_key;  ///< PEM
    std::string public_key;   ///< OpenSSH, empty on 2015 servers
};

/// What create_machine needs (the seed's name, key, image, location, size).
struct machine_spec {
    std::string name;
    std::string image;
    std::string size;
    std::string location;  ///< optional on most providers
    std::string key;       ///< key id; empty: the user's default key
    std::string script;    ///< optional shell script run after boot
    bool monitoring = false;
    std::vector<std::pair<std::string, std::string>> tags;  ///< v1 only
};

/// POST /backends: provider plus its fields (e.g. {"api_key", ...}, {"region", ...}).
struct backend_spec {
    std::string title;
    std::string provider;
    std::vector<std::pair<std::string, std::string>> fields;
};

/// Filters with the Python client's meaning: exact id, exact name (title for
/// backends), exact provider, or a substring of name or id. Empty fields match all.
struct backend_filter {
    std::string id, name, provider, search;
};
struct machine_filter {
    std::string id, name, search;
};
struct key_filter {
    std::string id, name, search;
};

struct probe_options {
    std::string host;      ///< 2015 requires it; empty: the machine's first public IPv4
    std::string key;       ///< key id to try first
    std::string ssh_user;
};

struct association_options {
    std::string host;  ///< 2015 deploys the key over SSH to this host; empty: first public IPv4
    std::string user;
    int port = 22;
};

}  // namespace mistasync
