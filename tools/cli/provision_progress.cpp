#include "provision_progress.hpp"

#include <cstdio>
#include <string>

namespace mistcli {

using namespace std::chrono_literals;

void progress_view::show(bool final) {
    double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    std::size_t done = counts.finished + counts.failed;
    std::string script_part = scripts ? std::string(tty ? "  " : " ") + "scripted " + std::to_string(counts.scripted) : "";
    double rate = t > 0 ? static_cast<double>(done) / t : 0;
    double eta = rate > 0 ? static_cast<double>(counts.requested - done) / rate : 0;
    if (tty) {
        constexpr int width = 24;
        int filled = counts.requested ? static_cast<int>(width * done / counts.requested) : 0;
        std::string bar(static_cast<std::size_t>(filled), '#');
        bar += std::string(static_cast<std::size_t>(width - filled), '.');
        std::fprintf(stderr, "\r[%s] %6.1fs  created %zu/%zu  running %zu  probed %zu%s  failed %zu  %.1f/s  ETA %.0fs   ",
                     bar.c_str(), t, counts.created, counts.requested, counts.running, counts.probed, script_part.c_str(),
                     counts.failed, rate, eta);
        if (final) std::fputc('\n', stderr);
    } else {
        auto now = std::chrono::steady_clock::now();
        if (!final && now - last_line < 2s) return;
        last_line = now;
        std::fprintf(stderr, "[%6.1fs] created %zu/%zu running %zu probed %zu%s failed %zu (%.1f machines/s)\n", t,
                     counts.created, counts.requested, counts.running, counts.probed, script_part.c_str(), counts.failed, rate);
    }
    std::fflush(stderr);
}

}  // namespace mistcli
