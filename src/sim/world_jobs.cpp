// world: jobs (a create's story, async creates made when due), stored scripts and their runs.
#include "world.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <stdexcept>

namespace mistasync::sim {

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
        // v2 creates reach the provider from the job: a broken one fails the machine.
        if (job->created_by == era::v2 && fault_of(*b) != backend_fault::none) {
            job->errors[c.index] = std::string("Machine creation failed with exception: ") +
                                   (fault_of(*b) == backend_fault::unavailable ? "ConnectionError('provider unreachable')"
                                                                                 : "InvalidCredsError('Invalid credentials')");
            job->created_wall[c.index] = wall(n);
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
