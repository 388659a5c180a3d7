// What the simulated world is made of: machines with their state timelines, backends,
// keys and their associations, tokens, jobs, scripts and their runs. Plain data; class
// world (world.hpp) keeps and changes them.
#pragma once

#include "catalogue.hpp"
#include "network_records.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mistasync::sim {

using sim_clock = std::chrono::steady_clock;

/// Which route family a request came through: 2015 "/backends", "/api/v1/clouds" or
/// "/api/v2/machines".
enum class era { legacy, v1, v2 };

enum class machine_state { pending, starting, running, rebooting, stopping, stopped, terminated, error };

/// The state string each era shows (2015 had no starting/stopping: those read "pending").
std::string_view state_name(machine_state s, era e);

/// When a new machine's addresses become known (contract §10.5).
enum class address_rule {
    per_provider,  ///< EC2, GCE, OpenStack, Azure, DigitalOcean, ...: once running; Linode, NephoScale, SoftLayer: at creation
    at_creation,   ///< every provider knows them at creation
    when_running,  ///< no provider knows them before the machine runs
};

/// How a backend's provider is broken (contract §10.2): its lists and actions fail.
enum class backend_fault { none, unavailable, bad_credentials };

struct state_change {
    sim_clock::time_point at;
    machine_state state;
};

struct backend;

/// What a v2 edit sets: the machine is stopped or destroyed at `date` (PUT /api/v2/machines/{m}).
struct machine_expiration {
    std::string id;      ///< the schedule's id (32 hex)
    std::string action;  ///< stop, destroy
    std::string date;    ///< ISO, as the schedule's entry writes it
    int notify = 0;      ///< seconds of warning before
};

struct machine {
    std::string provider_id;   ///< the provider's node id (2015 "id"; v1 "machine_id")
    std::string libcloud_uuid; ///< 40 hex (2015 "uuid")
    std::string mist_id;       ///< 32 hex (v1 "id")
    backend* owner = nullptr;
    std::string name;
    std::string image_id;
    std::string size_id;
    std::string location_id;
    std::vector<std::string> public_ips;
    std::vector<std::string> private_ips;
    std::vector<std::pair<std::string, std::string>> tags;
    std::shared_ptr<const std::string> create_request;  ///< the create's body as received (none: not made by a create)
    std::vector<state_change> timeline;  ///< sorted by time; the last due entry is the state
    sim_clock::time_point addresses_at;  ///< public/private IPs are shown from then on
    sim_clock::time_point recorded_at;   ///< the server's record was made then (refreshed by lists and the poller)
    sim_clock::duration ssh_delay{};     ///< running -> answers SSH, for this machine
    double created_wall = 0;             ///< unix time
    std::string created_text;            ///< created_wall as "YYYY-MM-DD HH:MM:SS", rendered once
    std::string job_id;
    bool probed = false;                 ///< a successful probe was served (v1 "probe" field)
    std::optional<machine_expiration> expiration;
    double last_probe_wall = 0;

    /// Bumped when a request that may change the machine looks it up (world::find_machine):
    /// its cached documents are rendered again, the other machines' are not.
    std::uint64_t revision = 0;

    /// This machine's document as last rendered, per era, and what it depended on.
    struct rendered {
        std::string text;
        std::size_t last_seen_at = std::string::npos;  ///< v1: where "last_seen"'s value starts in text
        std::size_t last_seen_size = 0;                ///< ... and its length (the time is put in per list)
        std::uint64_t world_version = ~0ull;
        std::uint64_t revision = ~0ull;
        machine_state state = machine_state::pending;
        bool reachable = false;
        bool addresses = false;
        bool record = false;
    };
    rendered cache[2];
};

struct backend {
    std::string legacy_id;   ///< base58 SHA-1 of the credentials (2015 id)
    std::string uuid;        ///< 32 hex (v1 id)
    std::string title;
    std::string provider;    ///< family: "ec2", "rackspace", "nephoscale", ...
    std::string legacy_provider; ///< what 2015 shows: "ec2_eu_west" for EC2, else the family
    std::string region;      ///< legacy region id ("ec2_eu_west", "dfw", ...) or empty
    std::string apikey;      ///< non-secret identifier shown in lists
    std::string tenant_name;
    std::vector<std::pair<std::string, std::string>> public_fields; ///< docker_port, host, ...
    bool enabled = true;
    int index = 0;
    std::vector<std::pair<std::string, std::string>> tags;  ///< v2 tags (POST /api/v2/tags)
    std::map<std::string, bool> star_overrides;
    sim_clock::time_point listed_at;  ///< the last fresh list of the provider (refreshes the records)
    std::vector<std::unique_ptr<machine>> machines;  ///< creation order
    std::unordered_map<std::string, machine*> by_provider_id;
    network_store networks;  ///< v1's networks and subnets (network_handlers.cpp)
};

struct key_association {
    std::string backend_legacy_id;
    std::string backend_uuid;
    std::string machine_provider_id;
    double last_used = 0;
    std::optional<std::string> ssh_user;
    bool sudo = false;
    int port = 22;
};

struct key_record {
    std::string uuid;  ///< v1 id; 2015 uses the name as id
    std::string name;
    std::string private_pem;
    std::string public_ssh;
    bool is_default = false;
    std::vector<std::pair<std::string, std::string>> tags;  ///< v2 tags (POST /api/v2/tags)
    /// In the order they were made; changed only through world::associate, disassociate
    /// and apply_action("destroy"), which keep `where` in step.
    std::vector<key_association> machines;
    /// "backend uuid/provider id" -> its place in `machines`: a key on 100,000 machines
    /// finds one in O(1) (every create, probe and rendered machine asks).
    std::unordered_map<std::string, std::size_t> where;

    key_association* find(const std::string& backend_uuid, const std::string& provider_id) {
        auto it = where.find(backend_uuid + "/" + provider_id);
        return it == where.end() ? nullptr : &machines[it->second];
    }
    void reindex() {
        where.clear();
        for (std::size_t i = 0; i < machines.size(); ++i) where[machines[i].backend_uuid + "/" + machines[i].machine_provider_id] = i;
    }
};

struct api_token {
    std::string id;
    std::string name;
    std::string token;  ///< 64 lowercase hex
    long ttl = 3600;    ///< seconds, 0: never expires
    double created_wall = 0;
    std::optional<sim_clock::time_point> expires;
    double last_accessed_wall = 0;
    bool revoked = false;
};

/// A create call's story: what it asked for and which machines it made, when.
struct job_record {
    std::string id;
    std::string backend_legacy_id;
    std::string backend_uuid;
    era created_by = era::legacy;
    bool async = false;
    bool has_script = false;
    std::string script_command;  ///< the post-deploy script's text (inline or stored), when has_script
    bool has_monitoring = false;
    int quantity = 1;
    double started_wall = 0;
    std::vector<std::string> names;
    std::vector<std::string> created_mist_ids;  ///< empty string: not created (yet)
    std::vector<double> created_wall;
    std::vector<std::string> errors;            ///< per machine, empty when fine
};

/// Which actions a machine allows now (contract §4).
struct machine_actions {
    bool start = false, stop = false, reboot = false, destroy = false;
    bool rename = false, tag = false, resize = false;
};

struct world_options {
    std::string email;
    std::string password;
    sim_clock::duration boot_delay;
    sim_clock::duration ssh_delay;
    sim_clock::duration action_delay;
    sim_clock::duration async_create_delay;
    double jitter = 0.2;
    std::uint64_t seed = 1;
    std::size_t max_machines = 1'000'000;
    address_rule addresses = address_rule::per_provider;
    bool stored_records = true;              ///< v1 actions are checked against the record
    sim_clock::duration poll_interval = std::chrono::seconds(10);
    sim_clock::duration provider_lag{};      ///< an action shows at the provider this much later
    double post_create_failure_rate = 0;     ///< share of sync creates answered 500 after the machine was made
    std::function<sim_clock::time_point()> clock;  ///< the world's time; empty: sim_clock::now()
    sim_clock::duration script_duration = std::chrono::seconds(1);  ///< how long a script runs
    double script_failure_rate = 0;          ///< share of machines whose scripts fail (by name)
    std::vector<std::string> failing_scripts; ///< machines whose scripts always fail
    int script_failure_exit_code = 1;
    /// How long the provider takes to make a machine once a v2 create's worker asks (v2
    /// answers the create at once; the machine appears after this and async_create_delay).
    sim_clock::duration provider_create_time{};
    std::string org_id;    ///< the organization this world is (32 hex)
    std::string org_name;
};

class world;

/// One of the user's organizations: its own world (clouds, keys, machines, tokens).
struct organization_entry {
    std::string id;
    std::string name;
    world* w = nullptr;
};

/// A stored script (POST /scripts).
struct script_record {
    std::string id;             ///< 32 hex
    std::string name;
    std::string description;
    std::string location_type;  ///< inline, url, github
    std::string exec_type;      ///< executable, ansible
    std::string source;         ///< the code, the URL or the repository
    std::string entrypoint;
    std::vector<std::pair<std::string, std::string>> tags;  ///< v2 tags (POST /api/v2/tags)
};

/// How a script run on a machine ends.
struct script_outcome {
    int exit_code = 0;
    std::string stdout_text;
};

/// One run of a stored script on one machine (POST /scripts/{id}): a job of its own.
struct script_run {
    std::string job_id;
    std::string script_id;
    std::string machine_mist_id;
    std::string machine_provider_id;
    std::string backend_legacy_id;
    std::string backend_uuid;
    std::string params;
    double started_wall = 0;
    double finished_wall = 0;   ///< when the script ends (may be in the future)
    std::string error;          ///< set at the start when the script could not run at all
    script_outcome outcome;
};

/// Parameters of one machine creation, already validated by the handler.
struct machine_spec {
    std::string name;
    std::string image_id;
    std::string size_id;
    std::string location_id;
    key_record* key = nullptr;
    std::string provider_id;      ///< set: use this node id (bare metal servers are their host)
    bool already_running = false; ///< servers that exist before mist.io knows them
    std::vector<std::pair<std::string, std::string>> tags;
    std::shared_ptr<const std::string> create_request;  ///< the create's body as received (shared by a job's machines)
};

}  // namespace mistasync::sim
