#include "world.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <stdexcept>

namespace mistasync::sim {

std::string_view state_name(machine_state s, era e) {
    switch (s) {
    case machine_state::pending: return "pending";
    case machine_state::starting: return e != era::legacy ? "starting" : "pending";
    case machine_state::running: return "running";
    case machine_state::rebooting: return "rebooting";
    case machine_state::stopping: return e != era::legacy ? "stopping" : "pending";
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

}  // namespace mistasync::sim
