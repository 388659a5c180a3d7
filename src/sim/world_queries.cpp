#include "world_queries.hpp"

#include <stdexcept>

namespace mistasync::sim {

namespace {

// The newest machine of this name that `keep` accepts, or nullptr.
template <class Keep>
machine* newest_named(world& w, std::string_view name, Keep keep) {
    machine* newest = nullptr;
    for (auto& b : w.backends())
        for (auto& m : b->machines)
            if (m->name == name && keep(*m) && (!newest || m->created_wall >= newest->created_wall)) newest = m.get();
    return newest;
}

}  // namespace

std::size_t count_machines(world& w, bool include_terminated) {
    w.advance();
    std::size_t n = 0;
    for (auto& b : w.backends())
        for (auto& m : b->machines)
            if (include_terminated || w.state_of(*m) != machine_state::terminated) ++n;
    return n;
}

std::size_t count_named(world& w, std::string_view name) {
    w.advance();
    std::size_t n = 0;
    for (auto& b : w.backends())
        for (auto& m : b->machines)
            if (m->name == name && w.state_of(*m) != machine_state::terminated) ++n;
    return n;
}

std::string create_request_of(world& w, std::string_view name) {
    w.advance();
    const machine* newest = newest_named(w, name, [](const machine& m) { return m.create_request != nullptr; });
    return newest ? *newest->create_request : std::string();
}

std::size_t approximate_bytes_per_machine(const world& w) {
    std::size_t total = 0, count = 0;
    auto str = [](const std::string& s) { return s.capacity() > 15 ? s.capacity() + 1 : 0; };
    for (auto& b : w.backends())
        for (auto& m : b->machines) {
            ++count;
            total += sizeof(machine) + str(m->provider_id) + str(m->libcloud_uuid) + str(m->mist_id) + str(m->name) +
                     str(m->image_id) + str(m->size_id) + str(m->location_id) + str(m->job_id);
            for (auto& ip : m->public_ips) total += sizeof(std::string) + str(ip);
            for (auto& ip : m->private_ips) total += sizeof(std::string) + str(ip);
            total += m->timeline.capacity() * sizeof(state_change);
            total += 2 * (sizeof(void*) * 4 + 32);  // two hash-map nodes and their buckets
        }
    return count ? total / count : 0;
}

bool break_newest_named(world& w, std::string_view name) {
    w.advance();
    machine* newest = newest_named(w, name, [&](const machine& m) { return w.state_of(m) != machine_state::terminated; });
    if (newest) w.break_machine(*newest);
    return newest != nullptr;
}

std::string add_running_machine(world& w, std::string_view backend_title_or_id, std::string_view name) {
    for (auto& b : w.backends())
        if (b->title == backend_title_or_id || b->uuid == backend_title_or_id || b->legacy_id == backend_title_or_id) {
            machine_spec spec{.name = std::string(name), .image_id = "51", .size_id = "221", .location_id = "86945",
                              .already_running = true};
            return w.create_machine(*b, spec, "").provider_id;
        }
    throw std::invalid_argument("no backend " + std::string(backend_title_or_id));
}

void add_running_machines(world& w, std::size_t count, std::string_view name_prefix) {
    backend& b = *w.backends().front();
    for (std::size_t k = 0; k < count; ++k) {
        machine_spec spec{.name = std::string(name_prefix) + "-" + std::to_string(k + 1), .image_id = "51", .size_id = "221",
                          .location_id = "86945", .already_running = true};
        w.create_machine(b, spec, "");
    }
}

}  // namespace mistasync::sim
