// Actions this client sent lately, per backend and machine: a wait for a state that an
// action leaves and comes back to (reboot, then running) must not take what the provider
// still reports from before the action for the result (contract §10.1).
#pragma once

#include <chrono>
#include <string>
#include <unordered_map>

namespace mistasync::detail {

class recent_actions {
public:
    struct sent {
        std::string action;
        std::chrono::steady_clock::time_point at;
    };
    /// One backend's machines: what was last sent to each.
    using of_backend = std::unordered_map<std::string, sent>;

    void note(const std::string& backend_id, const std::string& machine_id, std::string action) {
        const auto now = std::chrono::steady_clock::now();
        of_backend& machines = by_backend_[backend_id];
        if (machines.size() >= 4096)  // keeps the table small: old actions no longer matter
            std::erase_if(machines, [&](const auto& entry) { return now - entry.second.at > std::chrono::minutes(10); });
        machines[machine_id] = {std::move(action), now};
    }
    /// The backend's actions, nullptr when none was sent (looked up once per list).
    const of_backend* of(const std::string& backend_id) const {
        auto it = by_backend_.find(backend_id);
        return it == by_backend_.end() ? nullptr : &it->second;
    }
    /// The last action sent to the machine, or nullptr.
    const sent* last(const std::string& backend_id, const std::string& machine_id) const {
        const of_backend* machines = of(backend_id);
        if (!machines) return nullptr;
        auto it = machines->find(machine_id);
        return it == machines->end() ? nullptr : &it->second;
    }

private:
    std::unordered_map<std::string, of_backend> by_backend_;
};

}  // namespace mistasync::detail
