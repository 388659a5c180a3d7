#include "world.hpp"

#include "crypto.hpp"
#include "views.hpp"

#include <algorithm>
#include <stdexcept>

namespace mistasync::sim {

std::string_view state_name(machine_state s, era e) {
    switch (s) {
    case machine_state::pending: return "pending";
    case machine_state::starting: return e == era::v1 ? "starting" : "pending";
    case machine_state::running: return "running";
    case machine_state::rebooting: return "rebooting";
    case machine_state::stopping: return e == era::v1 ? "stopping" : "pending";
    case machine_state::stopped: return "stopped";
    case machine_state::terminated: return "terminated";
    case machine_state::error: return "error";
    }
    return "unknown";
}

world::world(world_options options)
    : options_(std::move(options)),
      rng_(options_.seed),
      start_steady_(now()),
      start_wall_(std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count()) {
    legacy_token_ = secret_hex(64);
}

// Tokens are secrets: never derived from the seed (every run of a seeded world would
// hand out the same ones).
std::string world::secret_hex(std::size_t chars) {
    static constexpr char digits[] = "0123456789abcdef";
    std::random_device device;
    std::string out(chars, '0');
    for (std::size_t i = 0; i < chars; i += 8) {
        std::uint32_t bits = device();
        for (std::size_t j = i; j < std::min(chars, i + 8); ++j, bits >>= 4) out[j] = digits[bits & 15];
    }
    return out;
}

double world::wall(sim_clock::time_point t) const {
    return start_wall_ + std::chrono::duration<double>(t - start_steady_).count();
}

std::string world::random_hex(std::size_t chars) {
    static constexpr char digits[] = "0123456789abcdef";
    std::string out(chars, '0');
    std::uint64_t bits = 0;
    for (std::size_t i = 0; i < chars; ++i) {
        if (i % 16 == 0) bits = rng_();
        out[i] = digits[bits & 15];
        bits >>= 4;
    }
    return out;
}

double world::uniform(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(rng_); }

sim_clock::duration world::jittered(sim_clock::duration d) {
    if (options_.jitter <= 0 || d.count() == 0) return d;
    double f = uniform(1 - options_.jitter, 1 + options_.jitter);
    return std::chrono::duration_cast<sim_clock::duration>(d * f);
}

// --- tokens --------------------------------------------------------------------------

api_token& world::issue_token(std::string name, long ttl) {
    api_token t;
    t.id = random_hex(32);
    t.name = std::move(name);
    t.token = secret_hex(64);
    t.ttl = ttl;
    t.created_wall = wall_now();
    if (ttl > 0) t.expires = now() + std::chrono::seconds(ttl);
    tokens_.push_back(std::move(t));
    return tokens_.back();
}

void world::expire_tokens() {
    for (auto& t : tokens_)
        if (t.expires) t.expires = now();
}

api_token* world::find_token(std::string_view token) {
    auto n = now();
    for (auto& t : tokens_)
        if (!t.revoked && t.token == token && (!t.expires || *t.expires > n)) return &t;
    return nullptr;
}

// --- backends ------------------------------------------------------------------------

backend* world::find_backend(std::string_view id) {
    for (auto& b : backends_)
        if (b->legacy_id == id || b->uuid == id) return b.get();
    return nullptr;
}

backend* world::find_backend_by_title(std::string_view title) {
    for (auto& b : backends_)
        if (b->title == title) return b.get();
    return nullptr;
}

backend& world::add_backend(backend b) {
    b.uuid = random_hex(32);
    b.index = backend_index_++;
    backends_.push_back(std::make_unique<backend>(std::move(b)));
    return *backends_.back();
}

void world::remove_backend(backend& b) {
    for (auto& m : b.machines) {
        machines_by_mist_id_.erase(m->mist_id);
        --machine_total_;
    }
    std::erase_if(backends_, [&](const auto& p) { return p.get() == &b; });
}

// --- machines ------------------------------------------------------------------------

std::string world::next_public_ip() {
    std::uint32_t n = ++ip_counter_;
    return "45." + std::to_string(16 + (n >> 16) % 200) + "." + std::to_string((n >> 8) & 255) + "." +
           std::to_string(n & 255);
}

std::string world::next_private_ip() {
    std::uint32_t n = ip_counter_;
    return "10." + std::to_string((n >> 16) & 255) + "." + std::to_string((n >> 8) & 255) + "." +
           std::to_string(n & 255);
}

std::string world::new_provider_id(const backend& b) {
    const provider_info* p = find_provider(b.provider);
    switch (p ? p->ids : machine_id_style::uuid) {
    case machine_id_style::ec2: return "i-" + random_hex(8);
    case machine_id_style::numeric: return std::to_string(3'000'000 + ++numeric_id_counter_);
    case machine_id_style::docker: return random_hex(64);
    case machine_id_style::gce: return std::to_string(1'000'000'000'000'000'000ULL + rng_() % 1'000'000'000'000'000'000ULL);
    case machine_id_style::host: return next_public_ip();
    case machine_id_style::uuid: {
        std::string h = random_hex(32);
        return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) + "-" +
               h.substr(20);
    }
    }
    return random_hex(16);
}

machine& world::create_machine(backend& b, const machine_spec& spec, std::string job_id) {
    if (machine_total_ >= options_.max_machines) throw std::length_error("machine limit reached");
    auto m = std::make_unique<machine>();
    m->owner = &b;
    m->provider_id = spec.provider_id.empty() ? new_provider_id(b) : spec.provider_id;
    while (b.by_provider_id.count(m->provider_id)) m->provider_id = new_provider_id(b);
    m->libcloud_uuid = sha1_hex(m->provider_id + ":" + b.provider);
    m->mist_id = random_hex(32);
    m->name = spec.name;
    m->image_id = spec.image_id;
    m->size_id = spec.size_id;
    m->location_id = spec.location_id;
    m->tags = spec.tags;
    m->create_request = spec.create_request;
    if (b.provider == "docker") {
        next_public_ip();
        m->private_ips.push_back("172.17." + std::to_string((ip_counter_ >> 8) & 255) + "." +
                                 std::to_string(ip_counter_ & 255));
    } else {
        m->public_ips.push_back(next_public_ip());
        m->private_ips.push_back(next_private_ip());
    }
    auto t = now();
    if (spec.already_running) {
        m->timeline.push_back({t, machine_state::pending});
        m->timeline.push_back({t, machine_state::running});
        m->ssh_delay = {};
    } else {
        // A container runs when Docker's create-and-start answers; a VM boots.
        m->timeline.push_back({t, machine_state::pending});
        m->timeline.push_back({b.provider == "docker" ? t : t + jittered(options_.boot_delay), machine_state::running});
        m->ssh_delay = jittered(options_.ssh_delay);
    }
    m->recorded_at = t;
    m->addresses_at = knows_addresses_at_creation(b.provider) ? t : m->timeline[1].at;
    m->created_wall = wall(t);
    m->created_text = format_datetime(m->created_wall, false);
    m->job_id = std::move(job_id);
    if (spec.key) associate(*spec.key, b, *m, std::nullopt, 22, 0);
    machine& ref = *m;
    b.by_provider_id.emplace(ref.provider_id, &ref);
    machines_by_mist_id_.emplace(ref.mist_id, &ref);
    b.machines.push_back(std::move(m));
    ++machine_total_;
    ++machines_created_;
    return ref;
}

// Contract §10.5: most providers give a node its addresses only once it runs; a few
// (Linode, NephoScale, SoftLayer, and servers that already exist) know them at creation.
bool world::knows_addresses_at_creation(std::string_view provider) const {
    switch (options_.addresses) {
    case address_rule::at_creation: return true;
    case address_rule::when_running: return false;
    case address_rule::per_provider: break;
    }
    return provider == "linode" || provider == "nephoscale" || provider == "softlayer" || provider == "bare_metal" ||
           provider == "coreos" || provider == "docker";
}

machine* world::find_machine(backend& b, std::string_view provider_id) {
    auto it = b.by_provider_id.find(std::string(provider_id));
    if (it == b.by_provider_id.end()) return nullptr;
    if (request_may_change_) ++it->second->revision;
    return it->second;
}

machine* world::find_machine_by_mist_id(std::string_view mist_id) {
    auto it = machines_by_mist_id_.find(std::string(mist_id));
    if (it == machines_by_mist_id_.end()) return nullptr;
    if (request_may_change_) ++it->second->revision;
    return it->second;
}

machine_state world::state_of(const machine& m) const { return state_at(m, now()); }

machine_state world::state_at(const machine& m, sim_clock::time_point n) const {
    machine_state s = m.timeline.front().state;
    for (auto& c : m.timeline) {
        if (c.at > n) break;
        s = c.state;
    }
    return s;
}

bool world::reachable(const machine& m) const {
    auto n = now();
    std::optional<sim_clock::time_point> running_since;
    for (auto& c : m.timeline) {
        if (c.at > n) break;
        if (c.state != machine_state::running) running_since.reset();
        else if (!running_since) running_since = c.at;
    }
    return running_since && n >= *running_since + m.ssh_delay;
}

bool world::pingable(const machine& m) const {
    auto s = state_of(m);
    return s == machine_state::running || s == machine_state::stopping;
}

sim_clock::time_point world::first_reachable(const machine& m) const {
    return m.timeline.at(1).at + m.ssh_delay;
}

sim_clock::time_point world::record_time(const machine& m) const {
    auto n = now();
    auto t = std::max(m.recorded_at, m.owner->listed_at);
    if (options_.poll_interval.count() > 0 && fault_of(*m.owner) == backend_fault::none)
        t = std::max(t, n - (n - start_steady_) % options_.poll_interval);  // the poller's last round
    return std::min(t, n);
}

machine_state world::recorded_state(const machine& m) const {
    return options_.stored_records ? state_at(m, record_time(m)) : state_of(m);
}

void world::set_backend_fault(std::string title_or_id, backend_fault f) {
    if (f == backend_fault::none) faults_.erase(title_or_id);
    else faults_[std::move(title_or_id)] = f;
}

backend_fault world::fault_of(const backend& b) const {
    if (faults_.empty()) return backend_fault::none;
    for (const std::string* key : {&b.title, &b.uuid, &b.legacy_id})
        if (auto it = faults_.find(*key); it != faults_.end()) return it->second;
    return backend_fault::none;
}

machine_actions world::actions_in(const machine& m, machine_state s) const {
    machine_actions a;
    const std::string& p = m.owner->provider;
    switch (s) {
    case machine_state::running: a.stop = a.reboot = a.destroy = true; break;
    case machine_state::stopped: a.start = a.destroy = true; break;
    case machine_state::terminated: break;
    default: a.destroy = true; break;
    }
    if (p == "linode" && s == machine_state::pending) a.start = true;
    if (p == "libvirt" && s == machine_state::terminated) a.start = true;
    if (p == "bare_metal" || p == "coreos") {
        bool has_key = false;
        for (auto& k : keys_)
            if (k->find(m.owner->uuid, m.provider_id)) has_key = true;
        a = machine_actions{};
        a.reboot = has_key;
    }
    const provider_info* info = find_provider(p);
    bool alive = s != machine_state::terminated;
    a.rename = alive && info && info->can_rename;
    a.tag = alive && info && info->can_tag;
    a.resize = alive && (p == "ec2" || p == "digitalocean" || p == "linode" || p == "openstack" || p == "rackspace");
    return a;
}

void world::break_machine(machine& m) {
    const auto now_ = now();
    std::erase_if(m.timeline, [&](const state_change& c) { return c.at > now_; });
    m.timeline.push_back({now_, machine_state::error});
    ++version_;
}

bool world::apply_action(machine& m, std::string_view action) {
    auto now_ = now();
    // Future transitions are replaced by the new action's, which the provider shows
    // `provider_lag` later (its API accepted the call; the node has not changed yet).
    std::erase_if(m.timeline, [&](const state_change& c) { return c.at > now_; });
    auto t = now_ + options_.provider_lag;
    auto d = jittered(options_.action_delay);
    // Docker's API answers a stop or start once the container has stopped or started.
    if (m.owner->provider == "docker") t = now_, d = {};
    if (action == "start") {
        m.timeline.push_back({t, machine_state::starting});
        m.timeline.push_back({t + d, machine_state::running});
    } else if (action == "stop") {
        m.timeline.push_back({t, machine_state::stopping});
        m.timeline.push_back({t + d, machine_state::stopped});
    } else if (action == "reboot") {
        // EC2 reports a rebooting instance as running throughout.
        if (m.owner->provider != "ec2") m.timeline.push_back({t, machine_state::rebooting});
        m.timeline.push_back({t + d, machine_state::running});
    } else if (action == "destroy") {
        // mist.api writes `terminated` to its record as soon as the provider accepts.
        m.timeline.push_back({now_, machine_state::terminated});
        m.recorded_at = now_;
        for (auto& k : keys_)
            if (k->find(m.owner->uuid, m.provider_id)) disassociate(*k, *m.owner, m);
    } else {
        return false;
    }
    return true;
}

// --- keys ----------------------------------------------------------------------------

key_record* world::find_key_by_name(std::string_view name) {
    for (auto& k : keys_)
        if (k->name == name) return k.get();
    return nullptr;
}

key_record* world::find_key_by_uuid(std::string_view uuid) {
    for (auto& k : keys_)
        if (k->uuid == uuid) return k.get();
    return nullptr;
}

key_record* world::default_key() {
    for (auto& k : keys_)
        if (k->is_default) return k.get();
    return nullptr;
}

key_record& world::add_key(std::string name, std::string private_pem, std::string public_ssh) {
    auto k = std::make_unique<key_record>();
    k->uuid = random_hex(32);
    k->name = std::move(name);
    k->private_pem = std::move(private_pem);
    k->public_ssh = std::move(public_ssh);
    k->is_default = keys_.empty();  // the user's first key becomes the default
    keys_.push_back(std::move(k));
    return *keys_.back();
}

void world::remove_key(key_record& k) {
    bool was_default = k.is_default;
    std::erase_if(keys_, [&](const auto& p) { return p.get() == &k; });
    if (was_default && !keys_.empty()) keys_.front()->is_default = true;
}

void world::set_default_key(key_record& k) {
    for (auto& other : keys_) other->is_default = false;
    k.is_default = true;
}

key_association* world::find_association(key_record& k, const backend& b, const machine& m) {
    return k.find(b.uuid, m.provider_id);
}

void world::associate(key_record& k, const backend& b, const machine& m, std::optional<std::string> user,
                      int port, double last_used) {
    key_association* a = find_association(k, b, m);
    if (!a) {
        k.machines.push_back({b.legacy_id, b.uuid, m.provider_id, 0, std::nullopt, false, 22});
        k.where[b.uuid + "/" + m.provider_id] = k.machines.size() - 1;
        a = &k.machines.back();
    }
    if (user) a->ssh_user = std::move(user);
    a->port = port;
    if (last_used > 0) a->last_used = last_used;
}

bool world::disassociate(key_record& k, const backend& b, const machine& m) {
    const bool removed = std::erase_if(k.machines, [&](const key_association& a) {
                             return a.backend_uuid == b.uuid && a.machine_provider_id == m.provider_id;
                         }) > 0;
    if (removed) k.reindex();  // O(associations): destroys and disassociations are rare beside creates
    return removed;
}

// --- jobs ----------------------------------------------------------------------------

job_record& world::start_job(backend& b, era e, int quantity, bool async, bool script, bool monitoring, std::string id) {
    auto j = std::make_unique<job_record>();
    j->id = !id.empty() && !jobs_.contains(id) ? std::move(id) : random_hex(32);
    j->backend_legacy_id = b.legacy_id;
    j->backend_uuid = b.uuid;
    j->created_by = e;
    j->async = async;
    j->has_script = script;
    j->has_monitoring = monitoring;
    j->quantity = quantity;
    j->started_wall = wall_now();
    j->names.resize(quantity);
    j->created_mist_ids.resize(quantity);
    j->created_wall.resize(quantity);
    j->errors.resize(quantity);
    auto& ref = *j;
    jobs_.emplace(ref.id, std::move(j));
    return ref;
}

job_record* world::find_job(std::string_view id) {
    auto it = jobs_.find(std::string(id));
    return it == jobs_.end() ? nullptr : it->second.get();
}

void world::schedule_creation(job_record& job, std::size_t index, sim_clock::time_point when, machine_spec spec) {
    creations_.push({when, job.id, index, std::move(spec)});
}

void world::advance() {
    auto n = now();
    while (!creations_.empty() && creations_.top().when <= n) {
        pending_creation c = creations_.top();
        creations_.pop();
        job_record* job = find_job(c.job_id);
        if (!job) continue;
        backend* b = find_backend(job->backend_uuid);
        if (!b) {
            job->errors[c.index] = "Backend not found";
            continue;
        }
        // The key may have been deleted while the job waited.
        if (c.spec.key && std::none_of(keys_.begin(), keys_.end(), [&](auto& k) { return k.get() == c.spec.key; }))
            c.spec.key = nullptr;
        try {
            machine& m = create_machine(*b, c.spec, job->id);
            job->created_mist_ids[c.index] = m.mist_id;
            job->created_wall[c.index] = m.created_wall;
        } catch (const std::length_error&) {
            job->errors[c.index] = "Machine creation failed: machine limit reached";
            job->created_wall[c.index] = wall(n);
        }
    }
}

// --- scripts -----------------------------------------------------------------------

script_record* world::find_script(std::string_view id) {
    for (auto& s : scripts_)
        if (s->id == id) return s.get();
    return nullptr;
}

script_record& world::add_script(script_record s) {
    s.id = random_hex(32);
    scripts_.push_back(std::make_unique<script_record>(std::move(s)));
    touch();
    return *scripts_.back();
}

std::vector<std::string> world::script_run_jobs(std::string_view script_id) const {
    std::vector<std::pair<double, std::string>> runs;
    for (auto& [job, run] : script_runs_)
        if (run->script_id == script_id) runs.emplace_back(run->started_wall, job);
    std::sort(runs.begin(), runs.end());
    std::vector<std::string> out;
    for (auto& r : runs) out.push_back(r.second);
    return out;
}

void world::remove_script(const script_record& s) {
    std::erase_if(scripts_, [&](auto& p) { return p.get() == &s; });
    touch();
}

script_outcome world::script_outcome_for(std::string_view name, std::string_view command) const {
    bool fails = std::find(options_.failing_scripts.begin(), options_.failing_scripts.end(), name) != options_.failing_scripts.end();
    if (!fails && options_.script_failure_rate > 0) {
        // FNV-1a of the name and the seed: the same machine draws the same outcome every run.
        std::uint64_t h = 14695981039346656037ull ^ options_.seed;
        for (char c : name) h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ull;
        fails = static_cast<double>(h % 1'000'000) / 1'000'000.0 < options_.script_failure_rate;
    }
    script_outcome out;
    out.exit_code = fails ? options_.script_failure_exit_code : 0;
    out.stdout_text = "+ " + std::string(command.substr(0, 200)) + "\n";
    out.stdout_text += fails ? "step 3 of 3 failed\n" : "done\n";
    return out;
}

script_run& world::start_script_run(const script_record& s, const backend& b, const machine& m, std::string params) {
    auto run = std::make_unique<script_run>();
    run->job_id = random_hex(32);
    run->script_id = s.id;
    run->machine_mist_id = m.mist_id;
    run->machine_provider_id = m.provider_id;
    run->backend_legacy_id = b.legacy_id;
    run->backend_uuid = b.uuid;
    run->params = std::move(params);
    run->started_wall = wall_now();
    if (!reachable(m)) {
        // The server needs SSH to run it: it ends at once.
        run->error = "No host provided and none could be discovered.";
        run->finished_wall = run->started_wall;
        run->outcome.exit_code = -255;
    } else {
        run->outcome = script_outcome_for(m.name, s.source);
        run->finished_wall = run->started_wall + std::chrono::duration<double>(options_.script_duration).count();
    }
    auto& ref = *run;
    script_runs_.emplace(ref.job_id, std::move(run));
    touch();
    return ref;
}

script_run* world::find_script_run(std::string_view job_id) {
    auto it = script_runs_.find(std::string(job_id));
    return it == script_runs_.end() ? nullptr : it->second.get();
}

}  // namespace mistasync::sim
