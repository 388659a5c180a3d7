// provision's progress on stderr: a bar redrawn in place on a terminal, a line every 2 s
// otherwise.
#pragma once

#include <mistasync/provision.hpp>

#include <chrono>

namespace mistcli {

struct progress_view {
    bool tty = false;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_line{};
    mistasync::provision_counts counts;
    bool scripts = false;  ///< the batch has a script stage: show it

    /// Draws the counts (`final`: the last time, ending the line).
    void show(bool final);
};

}  // namespace mistcli
