#include "datetime_text.hpp"

#include <cmath>
#include <cstdio>
#include <ctime>

namespace mistasync::sim {

std::string format_datetime(double unix_seconds, bool micro) {
    std::time_t secs = static_cast<std::time_t>(std::floor(unix_seconds));
    std::tm tm{};
    gmtime_r(&secs, &tm);
    char buf[48];
    std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M:%S", &tm);
    std::string out(buf);
    if (micro) {
        std::snprintf(buf, sizeof buf, ".%06d", static_cast<int>((unix_seconds - std::floor(unix_seconds)) * 1e6));
        out += buf;
    }
    return out;
}

}  // namespace mistasync::sim
