// The code blocks of README.md and docs/*.md that are not whole programs, quoted from
// here (between //[name and //] markers; tests check that they match) and run against
// the simulator by the test suite.
#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <stdexcept>

namespace asio = boost::asio;
using namespace std::chrono_literals;
using namespace mistasync;

// README.md, "Waiting and bulk provisioning".
asio::awaitable<void> readme_waiting(client mist, machine m, std::string job_id, backend backend, std::vector<machine_spec> specs) {
    //[readme_waiting
    // One machine: probe until SSH answers (jittered backoff, deadline, cancellable).
    mistasync::wait_policy p;
    p.deadline = 10min;
    probe_result r = co_await m.wait_until_probed(p);
    machine up = co_await m.wait_for_state(mistasync::machine_state::running, p);
    job j = co_await mist.wait_for_job(job_id, p);

    // Many: at most 50 creates at a time, each then waited for apart (one timer each).
    mistasync::provision_options o;
    o.concurrency = 50;
    o.journal_path = "batch.jsonl";   // every create recorded as it is sent and when answered
    o.rollback = true;                // all or nothing: any failure or a cancel destroys every machine it made
    auto [ec, report] = co_await mistasync::provision(backend, specs, o, asio::as_tuple(asio::use_awaitable));
    //]
    std::filesystem::remove("batch.jsonl");
    if (ec || !r.reachable || up.state != machine_state::running || !j.finished_at || report.counts.probed != specs.size())
        throw std::runtime_error("readme_waiting: " + ec.message());
}

// docs/cancellation.md
asio::awaitable<void> cancellation(machine machine) {
    bool completed = false;
    auto handler = [&](boost::system::error_code ec, probe_result) { completed = ec == asio::error::operation_aborted; };
    {
        //[cancellation_signal
        asio::cancellation_signal stop;
        machine.wait_until_probed({}, {}, asio::bind_cancellation_slot(stop.slot(), handler));
        stop.emit(asio::cancellation_type::terminal);  // completes promptly with operation_aborted
        //]
        asio::steady_timer settle(co_await asio::this_coro::executor, 100ms);
        co_await settle.async_wait(asio::use_awaitable);
    }
    if (!completed) throw std::runtime_error("cancellation: the wait did not end with operation_aborted");

    //[cancellation_policy
    mistasync::wait_policy p;
    p.initial_delay = 10s;        // a new machine needs a while
    p.interval = 2s;              // then every 2 s, growing 1.5x up to 10 s, jittered
    p.max_interval = 10s;
    p.attempt_timeout = 30s;      // a slow attempt counts as "not yet"
    p.deadline = 10min;           // then errc::timeout with the last status and server text
    p.max_attempts = 0;           // unlimited
    p.on_attempt = [](const mistasync::wait_event& /*attempt*/) { /* progress, metrics */ };
    //]
    p.initial_delay = 0ms;  // the demo machine is up already
    p.interval = 100ms;
    //[cancellation_wait
    auto up = co_await machine.wait_until_probed(p);
    //]
    if (!up.reachable) throw std::runtime_error("cancellation: not reachable");
}

// docs/errors.md
asio::awaitable<void> errors(backend backend) {
    machine_spec spec;  // no image or size: the server refuses it
    spec.name = "refused";
    //[errors_exception
    try {
        co_await backend.create_machine(spec);
    } catch (const mistasync::error& e) {
        // "POST /backends/4b1d.../machines -> 400: Required parameter not provided: image: Bad request"
        std::printf("%s\n", e.what());
        if (e.code() == mistasync::errc::not_found) { /* ... */ }
        int status = e.http_status();
        const std::string& text = e.server_message();
        std::printf("%d %s\n", status, text.c_str());
    }
    //]

    //[errors_codes
    mistasync::diagnostics d;
    auto [ec, created] = co_await backend.create_machine(
        spec, mistasync::with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
    if (ec) std::printf("%s: %s\n", ec.message().c_str(), d.to_string().c_str());
    //]
    if (!ec || d.http_status < 400) throw std::runtime_error("errors: no error code");
}

// docs/tls.md (options only: nothing listens there)
client_options tls_example() {
    //[tls_options
    mistasync::client_options o;
    o.base_url = "https://mist.internal:8443";
    o.tls.ca_file = "/etc/ssl/mist-ca.pem";   // trust this CA (instead of the system store)
    // o.tls.verify = false;                  // explicit, and logged as a warning
    //]
    return o;
}

// docs/bulk-provisioning.md
asio::awaitable<void> bulk(backend backend, std::vector<machine_spec> names) {
    //[bulk_provision
    std::vector<mistasync::machine_spec> specs;  // one per machine, each with a unique name
    //]
    specs = std::move(names);
    //[bulk_options
    mistasync::provision_options o;
    o.concurrency = 50;                 // creates in flight; waiting machines do not count
    o.journal_path = "web.jsonl";       // append-only record of every create
    o.rollback = false;                 // true: all or nothing (any failure destroys every machine it made)
    o.on_change = [](const mistasync::provisioned_machine& /*machine*/, const mistasync::provision_counts& c) {
        std::fprintf(stderr, "\r%zu created, %zu probed, %zu failed of %zu", c.created, c.probed, c.failed, c.requested);
    };
    auto [ec, report] = co_await mistasync::provision(backend, specs, o,
                                                      asio::as_tuple(asio::use_awaitable));
    for (auto& m : report.machines)
        if (m.stage == mistasync::provision_stage::failed) std::printf("%s: %s\n", m.name.c_str(), m.details.to_string().c_str());
    //]
    std::filesystem::remove("web.jsonl");
    if (ec || report.counts.probed != specs.size()) throw std::runtime_error("bulk: " + ec.message());
}

asio::awaitable<void> all_of_them(client mist) {
    backend_filter nephoscale{.name = "NephoScale"};
    backend b = co_await mist.find_backend(nephoscale);
    auto image = (co_await b.images()).at(0).id;
    auto size = (co_await b.sizes()).at(0).id;
    std::vector<machine_spec> specs;
    for (int i = 1; i <= 5; ++i) specs.push_back(machine_spec{.name = "snip-" + std::to_string(i), .image = image, .size = size});
    machine_spec one{.name = "waited", .image = image, .size = size};
    auto created = co_await b.create_machine(one);
    std::string job_id = co_await b.create_machines(one, 2);
    co_await readme_waiting(mist, b.machine_from(created), job_id, b, specs);
    co_await cancellation(b.machine_from(created));
    co_await errors(b);
    if (tls_example().tls.ca_file.empty()) throw std::runtime_error("tls");
    for (auto& s : specs) s.name = "bulk-" + s.name;
    co_await bulk(b, specs);
}

int main() {
    asio::io_context io;
    mistasync::testing::simulator_options so;
    so.boot_delay = 200ms;
    so.ssh_delay = 200ms;
    mistasync::testing::simulator sim(io.get_executor(), so);
    sim.start();
    client_options o;
    o.base_url = sim.base_url();
    o.token = sim.api_token();
    client mist(io.get_executor(), o);
    int status = 1;
    asio::co_spawn(io, all_of_them(mist), [&](std::exception_ptr e) {
        status = 0;
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& x) {
                std::fprintf(stderr, "docs_snippets: %s\n", x.what());
                status = 1;
            }
        }
        sim.stop();
    });
    io.run();
    return status;
}
