// The names of the models' enumerations, as the API and the journal write them.
#include <mistasync/models.hpp>
#include <mistasync/provision.hpp>

namespace mistasync {

machine_state parse_machine_state(std::string_view t) noexcept {
    static constexpr std::pair<std::string_view, machine_state> names[] = {
        {"pending", machine_state::pending},       {"starting", machine_state::starting},
        {"running", machine_state::running},       {"rebooting", machine_state::rebooting},
        {"stopping", machine_state::stopping},     {"stopped", machine_state::stopped},
        {"suspended", machine_state::suspended},   {"paused", machine_state::paused},
        {"error", machine_state::error},           {"terminated", machine_state::terminated},
    };
    for (auto& [name, s] : names)
        if (name == t) return s;
    return machine_state::unknown;
}

std::string_view to_string(machine_state s) noexcept {
    switch (s) {
    case machine_state::pending: return "pending";
    case machine_state::starting: return "starting";
    case machine_state::running: return "running";
    case machine_state::rebooting: return "rebooting";
    case machine_state::stopping: return "stopping";
    case machine_state::stopped: return "stopped";
    case machine_state::suspended: return "suspended";
    case machine_state::paused: return "paused";
    case machine_state::error: return "error";
    case machine_state::terminated: return "terminated";
    case machine_state::unknown: return "unknown";
    }
    return "unknown";
}

std::string_view to_string(provision_stage s) noexcept {
    switch (s) {
    case provision_stage::pending: return "pending";
    case provision_stage::creating: return "creating";
    case provision_stage::created: return "created";
    case provision_stage::running: return "running";
    case provision_stage::probed: return "probed";
    case provision_stage::scripted: return "scripted";
    case provision_stage::failed: return "failed";
    case provision_stage::destroyed: return "destroyed";
    }
    return "unknown";
}

}  // namespace mistasync
