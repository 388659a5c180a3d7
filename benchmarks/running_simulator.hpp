// A simulator on its own thread (its own core), for the benchmarks' load to hit.
#pragma once

#include <mistasync/testing/simulator.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <pthread.h>
#include <time.h>

#include <string>
#include <thread>

namespace mistasync::bench {

struct running_simulator {
    boost::asio::io_context io{1};
    boost::asio::executor_work_guard<boost::asio::io_context::executor_type> guard{io.get_executor()};
    testing::simulator sim;
    std::string token;
    std::thread thread;

    explicit running_simulator(testing::simulator_options o) : sim(io.get_executor(), o) {
        sim.start();
        token = sim.api_token();
        thread = std::thread([this] { io.run(); });
    }
    ~running_simulator() {
        boost::asio::post(io, [this] { sim.stop(); });
        guard.reset();
        io.stop();
        thread.join();
    }
    /// CPU seconds the simulator's thread has used so far.
    double cpu_seconds() {
        clockid_t id;
        pthread_getcpuclockid(thread.native_handle(), &id);
        timespec ts{};
        clock_gettime(id, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
    }
};

}  // namespace mistasync::bench
