// The least an Asio+Beast program can do to GET a URL over keep-alive connections:
// C coroutines on one thread, each with its own connection, request after request.
// Used as the load generator for the simulator and as the baseline the SDK is held to.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace mistasync::bench {

struct load_result {
    std::uint64_t requests = 0;
    std::uint64_t failures = 0;
    double seconds = 0;
    std::vector<double> latencies_us;  ///< per request, unsorted
    double cpu_seconds = 0;  ///< CPU time of the client thread (its thread CPU clock)
    double per_second() const { return seconds > 0 ? requests / seconds : 0; }
    double cpu_us_per_request() const { return requests ? cpu_seconds * 1e6 / requests : 0; }
};

/// CPU time the calling thread has used, in seconds.
double thread_cpu_seconds();

/// Runs `concurrency` keep-alive loops against 127.0.0.1:port for `duration`, each
/// sending GET `target` and parsing the JSON body (as a client must). `reserve_bytes`
/// 0 leaves Beast's read buffer as it is (it reads 512 bytes at a time, since the parser
/// empties it as it goes); otherwise each connection reserves that much up front.
load_result raw_get_load(unsigned short port, const std::string& target, const std::string& authorization,
                         int concurrency, std::chrono::milliseconds duration, std::size_t reserve_bytes = 0);

double percentile(std::vector<double> values, double p);
double median(std::vector<double> values);
/// Resident set size of this process, in bytes (from /proc/self/statm).
std::size_t resident_bytes();

}  // namespace mistasync::bench
