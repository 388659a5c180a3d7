// What the simulator's test hooks ask of a world (simulator::machine_count, add_machine,
// ...): counts, the newest machine by name, machines made without a request.
#pragma once

#include "world.hpp"

#include <string>
#include <string_view>

namespace mistasync::sim {

std::size_t count_machines(world& w, bool include_terminated);
/// Machines not terminated with exactly this name.
std::size_t count_named(world& w, std::string_view name);
/// The body of the create that made the newest machine of this name ("" if none).
std::string create_request_of(world& w, std::string_view name);
std::size_t approximate_bytes_per_machine(const world& w);
/// Puts the newest live machine of this name in the error state; false if there is none.
bool break_newest_named(world& w, std::string_view name);
/// A running machine on the backend with this title or id; its provider id.
std::string add_running_machine(world& w, std::string_view backend_title_or_id, std::string_view name);
/// `count` running machines "<prefix>-1".. on the first backend.
void add_running_machines(world& w, std::size_t count, std::string_view name_prefix);

}  // namespace mistasync::sim
