// Times as mist.api's documents write them: Python's str(datetime) in UTC.
#pragma once

#include <string>

namespace mistasync::sim {

/// "2017-12-21 10:00:00.123456" (micro) or "2017-12-21 10:00:00".
std::string format_datetime(double unix_seconds, bool micro);

}  // namespace mistasync::sim
