// world: machines, their timelines and the actions that change them.
#include "world.hpp"

#include "crypto.hpp"
#include "datetime_text.hpp"

#include <algorithm>
#include <stdexcept>

namespace mistasync::sim {

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

}  // namespace mistasync::sim
