// The simulated mist.io world: one user, their backends (clouds), machines, keys, tokens
// and jobs. Both route families read and change this one state, as a late-2016 server
// did. No HTTP and no JSON here: handlers validate requests, views render responses.
//
// Time: machine states are not driven by timers. Each machine keeps a timeline of state
// changes with their due times, and every read asks "what is the state now?". A world
// of 100,000 booting machines costs no timers and no work until somebody looks.
#pragma once

#include "world_records.hpp"

#include <chrono>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <queue>
#include <random>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace mistasync::sim {

class world {
public:
    explicit world(world_options options);

    const world_options& options() const { return options_; }
    sim_clock::time_point now() const { return options_.clock ? options_.clock() : sim_clock::now(); }
    /// Unix seconds of a steady-clock instant.
    double wall(sim_clock::time_point t) const;
    double wall_now() const { return wall(now()); }

    /// Materialises async creations that are due. Handlers call it before reading.
    void advance();

    // --- identifiers ---------------------------------------------------------------
    std::string random_hex(std::size_t chars);
    static std::string secret_hex(std::size_t chars);
    double uniform(double lo, double hi);

    // --- tokens --------------------------------------------------------------------
    const std::string& legacy_token() const { return legacy_token_; }
    api_token& issue_token(std::string name, long ttl);
    api_token* find_token(std::string_view token);
    void expire_tokens();  ///< those with a lifetime: it has passed
    std::vector<api_token>& tokens() { return tokens_; }

    // --- backends ------------------------------------------------------------------
    std::vector<std::unique_ptr<backend>>& backends() { return backends_; }
    const std::vector<std::unique_ptr<backend>>& backends() const { return backends_; }
    /// By 2015 id or v1 id.
    backend* find_backend(std::string_view id);
    backend* find_backend_by_title(std::string_view title);
    backend& add_backend(backend b);
    void remove_backend(backend& b);

    // --- machines ------------------------------------------------------------------
    std::size_t machine_total() const { return machine_total_; }
    /// Creates a machine now. Throws std::length_error when the world is full.
    machine& create_machine(backend& b, const machine_spec& spec, std::string job_id);
    machine* find_machine(backend& b, std::string_view provider_id);
    machine* find_machine_by_mist_id(std::string_view mist_id);
    machine_state state_of(const machine& m) const;
    /// The provider's state of the machine at `t` (not after now).
    machine_state state_at(const machine& m, sim_clock::time_point t) const;
    /// The provider knows the machine's addresses now.
    bool addresses_known(const machine& m) const { return now() >= m.addresses_at; }
    /// When the server's record of the machine was last refreshed: its creation, the
    /// last fresh list of its backend, or the poller's last round, whichever came last.
    sim_clock::time_point record_time(const machine& m) const;
    /// The state the server's record holds (the live one when records are off).
    machine_state recorded_state(const machine& m) const;
    /// A fresh list of the backend's provider: every record is refreshed now.
    void refresh_records(backend& b) { b.listed_at = now(); }
    /// True when the machine answers SSH: running for at least its SSH delay.
    bool reachable(const machine& m) const;
    /// True when the machine answers ping (running or rebooting).
    bool pingable(const machine& m) const;
    machine_actions actions_of(const machine& m) const { return actions_in(m, state_of(m)); }
    /// Which actions the machine allows in state `s` (contract §4).
    machine_actions actions_in(const machine& m, machine_state s) const;
    /// Draws whether this create fails after its machine was made (post_create_failure_rate).
    bool post_create_fails() { return options_.post_create_failure_rate > 0 && uniform(0, 1) < options_.post_create_failure_rate; }
    /// Applies start/stop/reboot/destroy. Returns false for unknown actions.
    bool apply_action(machine& m, std::string_view action);
    /// The provider puts the machine in state error now (a failed boot); it stays there
    /// until destroyed.
    void break_machine(machine& m);
    /// When the machine first became (or will become) reachable after creation.
    sim_clock::time_point first_reachable(const machine& m) const;

    /// A backend's provider breaks (or heals with backend_fault::none). By title or id;
    /// backends added later with that title are broken too.
    void set_backend_fault(std::string title_or_id, backend_fault f);
    backend_fault fault_of(const backend& b) const;

    // --- keys ----------------------------------------------------------------------
    std::vector<std::unique_ptr<key_record>>& keys() { return keys_; }
    key_record* find_key_by_name(std::string_view name);
    key_record* find_key_by_uuid(std::string_view uuid);
    key_record* default_key();
    key_record& add_key(std::string name, std::string private_pem, std::string public_ssh);
    void remove_key(key_record& k);
    void set_default_key(key_record& k);
    key_association* find_association(key_record& k, const backend& b, const machine& m);
    void associate(key_record& k, const backend& b, const machine& m, std::optional<std::string> user,
                   int port, double last_used);
    bool disassociate(key_record& k, const backend& b, const machine& m);

    // --- jobs ----------------------------------------------------------------------
    /// A new job; `id`: the one the caller chose (v1 `job_id`), when free; else a new one.
    job_record& start_job(backend& b, era e, int quantity, bool async, bool script, bool monitoring, std::string id = {});
    job_record* find_job(std::string_view id);
    /// Queues the async creation of job.names[i] at `when`.
    void schedule_creation(job_record& job, std::size_t index, sim_clock::time_point when,
                           machine_spec spec);

    // --- scripts -------------------------------------------------------------------
    std::vector<std::unique_ptr<script_record>>& scripts() { return scripts_; }
    script_record* find_script(std::string_view id);
    script_record& add_script(script_record s);
    void remove_script(const script_record& s);
    /// How any script run on the machine named `name` ends (its exit code is the same every run).
    script_outcome script_outcome_for(std::string_view name, std::string_view command) const;
    /// Starts a run of `s` on `m` now: it ends after options().script_duration.
    script_run& start_script_run(const script_record& s, const backend& b, const machine& m, std::string params);
    script_run* find_script_run(std::string_view job_id);
    /// The jobs of a script's runs, oldest first (scripts/views.py show_script lists them).
    std::vector<std::string> script_run_jobs(std::string_view script_id) const;

    std::uint64_t machines_created() const { return machines_created_; }

    /// Bumped by every request that may change the world, so cached documents know
    /// when they are stale.
    std::uint64_t version() const { return version_; }
    /// Every machine's cached documents are stale (a change that any of them may show).
    void touch() { ++version_; }
    /// Set by the API for each request: a request that may change the world and does not
    /// touch() it changes only the machines it looks up (find_machine*), and new ones.
    void begin_request(bool may_change) { request_may_change_ = may_change; }

private:
    sim_clock::duration jittered(sim_clock::duration d);
    std::string new_provider_id(const backend& b);
    std::string next_public_ip();
    std::string next_private_ip();
    bool knows_addresses_at_creation(std::string_view provider) const;

    struct pending_creation {
        sim_clock::time_point when;
        std::string job_id;
        std::size_t index;
        machine_spec spec;
        bool operator>(const pending_creation& o) const { return when > o.when; }
    };

    world_options options_;
    std::mt19937_64 rng_;
    sim_clock::time_point start_steady_;
    double start_wall_;
    std::string legacy_token_;
    std::vector<api_token> tokens_;
    std::vector<std::unique_ptr<backend>> backends_;
    std::vector<std::unique_ptr<key_record>> keys_;
    std::unordered_map<std::string, machine*> machines_by_mist_id_;
    std::unordered_map<std::string, std::unique_ptr<job_record>> jobs_;
    std::vector<std::unique_ptr<script_record>> scripts_;
    std::unordered_map<std::string, std::unique_ptr<script_run>> script_runs_;
    std::priority_queue<pending_creation, std::vector<pending_creation>, std::greater<>> creations_;
    std::size_t machine_total_ = 0;
    std::uint64_t machines_created_ = 0;
    std::uint32_t ip_counter_ = 0;
    std::uint64_t numeric_id_counter_ = 0;
    int backend_index_ = 0;
    std::uint64_t version_ = 0;
    bool request_may_change_ = false;
    std::map<std::string, backend_fault, std::less<>> faults_;  ///< by title or id
};

}  // namespace mistasync::sim
