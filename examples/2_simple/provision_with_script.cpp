// Provisioning with a post-deploy script: create 20 machines whose create carries a
// bootstrap script; the server runs it once each machine answers SSH, and the batch waits
// for every script's end and reports its exit code and output per machine. A failed
// script fails its machine only (here, the simulator makes one fail on purpose). Then a
// second batch runs a stored script on each of its machines instead.
//
// Against the embedded simulator by default; against a server with MIST_URL and
// MIST_TOKEN (or MIST_EMAIL + MIST_PASSWORD).
#include <mistasync/mistasync.hpp>
#include "../common/server_from_environment.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <cstdio>

namespace asio = boost::asio;
using namespace std::chrono_literals;

asio::awaitable<int> run(mistasync::client mist, bool simulated) {
    auto backends = co_await mist.backends();
    mistasync::backend b = backends.at(0);
    mistasync::machine_spec base;
    base.image = (co_await b.images()).at(0).id;
    base.size = (co_await b.sizes()).at(0).id;

    //[post_deploy
    base.script = "#!/bin/sh\nset -e\napt-get install -y nginx\nsystemctl enable --now nginx\n";
    std::vector<mistasync::machine_spec> specs;
    for (int i = 1; i <= 20; ++i) {
        mistasync::machine_spec s = base;
        s.name = "web-" + std::to_string(i);
        specs.push_back(s);
    }
    mistasync::provision_options options;
    options.concurrency = 10;
    options.script_policy.interval = 500ms;  // how often each machine's job is read
    mistasync::provision_report report = co_await mistasync::provision(b, specs, options);
    for (auto& m : report.machines) {
        if (!m.script) continue;  // failed before its script (see m.error)
        if (m.script->succeeded()) std::printf("%-8s script exited 0\n", m.name.c_str());
        else std::printf("%-8s script failed (%s); last output: %s", m.name.c_str(), m.script->error.c_str(), m.script->output_tail.c_str());
    }
    //]
    std::printf("%zu of %zu machines went through; %zu failed\n", report.counts.finished, report.counts.requested, report.counts.failed);

    // The other way: a stored script the batch runs on each machine once it answers SSH.
    mistasync::script_spec bootstrap{.name = "bootstrap", .script = "#!/bin/sh\necho ready > /etc/motd\n"};
    mistasync::script stored = co_await mist.add_script(bootstrap);
    base.script.clear();
    std::vector<mistasync::machine_spec> workers;
    for (int i = 1; i <= 5; ++i) {
        mistasync::machine_spec s = base;
        s.name = "worker-" + std::to_string(i);
        workers.push_back(s);
    }
    options.run_script_id = stored.id;
    options.run_script_options.params = "--role worker";
    mistasync::provision_report second = co_await mistasync::provision(b, workers, options);
    std::printf("workers: %zu scripted, %zu failed\n", second.counts.scripted, second.counts.failed);
    if (!simulated) co_return 0;
    co_return report.counts.failed == 1 && second.counts.failed == 0 ? 0 : 1;  // web-7, and nothing else
}

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = 500ms;
    so.ssh_delay = 500ms;
    so.script_duration = 500ms;
    so.failing_scripts = {"web-7"};  // the simulator's script fails on this machine
    server_from_environment server(io.get_executor(), so);
    int status = 1;
    const bool simulated = server.simulator.has_value();
    asio::co_spawn(io, run(mistasync::client(io.get_executor(), server.options), simulated), [&](std::exception_ptr e, int result) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::fprintf(stderr, "error: %s\n", ex.what());
            }
        } else {
            status = result;
        }
        server.stop();
    });
    io.run();
    return status;
}
