// `mistasync provision`: the batch the request describes (provision_request.cpp), given
// the server's defaults, run with live progress; Ctrl-C, SIGTERM and SIGHUP stop it as the
// SDK does; what it did is said by provision_report.cpp.
#include "cli.hpp"
#include "commands.hpp"
#include "files.hpp"
#include "provision_progress.hpp"
#include "provision_report.hpp"
#include "provision_request.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <functional>

namespace mistcli {

namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
}  // namespace

awaitable<int> provision_command(context& c) {
    // Every argument and file is checked before the first request: a usage error must not
    // wait for (or hide behind) an unreachable server.
    std::optional<batch_spec_file> file;
    if (c.args.has(opt::spec)) file = read_batch_spec(c.args.get(opt::spec));
    provision_request request = read_provision_request(c.args, file ? &*file : nullptr, c.args.get(opt::spec));
    check_inventory_path(request.inventory);
    if (!request.events.empty() && request.events != "-") check_output_path(request.events, "--events");
    provision_options& o = request.options;
    machine_spec& base = request.base;
    std::vector<machine_spec>& specs = request.specs;

    // The server: what the batch names must exist there (the same checks as --dry-run).
    // What is omitted takes a default: the first enabled backend, its first image, size and
    // location, the default key.
    backend b;
    if (!request.backend.empty()) {
        b = co_await find_backend(c.mist, request.backend);
    } else {
        auto all = co_await c.mist.backends();
        for (auto& candidate : all)
            if (candidate.enabled) { b = candidate; break; }
        if (b.id.empty()) no_match("no enabled backend to provision on");
    }
    if (base.image.empty()) {
        auto images = co_await b.images();
        if (images.empty()) no_match("backend " + b.title + " lists no images");
        base.image = images.front().id;
    }
    if (base.size.empty()) {
        auto sizes = co_await b.sizes();
        if (sizes.empty()) no_match("backend " + b.title + " lists no sizes");
        base.size = sizes.front().id;
    }
    if (base.location.empty()) {
        auto locations = co_await b.locations();
        if (!locations.empty()) base.location = locations.front().id;
    }
    if (!request.key.empty()) base.key = (co_await find_key(c.mist, request.key)).id;
    else
        for (auto& k : co_await c.mist.keys())
            if (k.is_default) base.key = k.id;
    for (auto& s : specs)
        for (auto [field, value] : {std::pair{&s.image, &base.image}, {&s.size, &base.size}, {&s.location, &base.location}, {&s.key, &base.key}})
            if (field->empty()) *field = *value;
    const bool tagged = std::any_of(specs.begin(), specs.end(), [](auto& s) { return !s.tags.empty(); });
    if (tagged && c.mist.era() == api_era::legacy) throw usage_failure("--tag (or tags in --spec): 2015 servers read no tags on create");
    if (!request.run_script.empty()) o.run_script_id = (co_await find_script(c, request.run_script)).id;
    if (request.dry_run) co_return co_await print_plan(c, b, specs, o);
    if (co_await preflight_problems(c, b, specs, o) > 0) {
        std::fprintf(stderr, "the batch cannot run as it is (--dry-run shows the plan); nothing was created\n");
        co_return api_failure;
    }

    progress_view view;
    view.scripts = request.has_scripts();
    view.tty = isatty(STDERR_FILENO);
    view.counts.requested = specs.size();
    event_log events(request.events);
    o.on_change = [&](const provisioned_machine& m, const provision_counts& counts) {
        view.counts = counts;
        events.write(m);
    };
    // The batch's id as soon as it has one: if this process dies (a closed terminal, kill -9),
    // the user can still clean up by it. A lock in the user's runtime directory says the
    // batch is alive, so that `cleanup --batch` refuses to destroy what it is still making.
    std::optional<batch_liveness> alive;
    o.on_start = [&](const std::string& id) {
        alive.emplace(id);
        std::string how;
        if (o.tag_batch && c.mist.era() != api_era::legacy) how = "mistasync cleanup --batch " + id;
        if (!o.journal_path.empty()) how += (how.empty() ? "" : ", or ") + std::string("mistasync cleanup --journal ") + o.journal_path;
        std::fprintf(stderr, "batch %s started%s%s\n", terminal_safe_line(id).c_str(), how.empty() ? "" : "; to destroy what it makes: ", how.c_str());
    };
    std::fprintf(stderr, "provisioning %zu machines on %s (image %s, size %s), %zu creates at a time%s\n", specs.size(),
                 terminal_safe(b.title).c_str(), terminal_safe(base.image).c_str(), terminal_safe(base.size).c_str(), o.concurrency,
                 o.journal_path.empty() ? "" : (", journal " + o.journal_path).c_str());

    // The batch runs apart; this coroutine draws progress and turns Ctrl-C into cancellation.
    auto ex = co_await asio::this_coro::executor;
    asio::cancellation_signal stop;
    bool finished = false;
    error_code batch_error;
    provision_report report;
    asio::steady_timer tick(ex);
    diagnostics start_details;
    provision(b.with({.details = &start_details}), specs, o,
              asio::bind_cancellation_slot(stop.slot(), [&](error_code ec, provision_report r) {
                  batch_error = ec;
                  report = std::move(r);
                  finished = true;
                  tick.cancel();
              }));
    // The first Ctrl-C stops gently (no new creates; those already sent are waited for,
    // and with --rollback destroyed); the second stops at once.
    // SIGHUP (a closed terminal or ssh session) and SIGTERM stop it as Ctrl-C does: with
    // --rollback, what was made is destroyed.
    asio::signal_set signals(ex, SIGINT, SIGTERM, SIGHUP);
    int interrupts = 0;
    std::function<void(error_code, int)> on_signal = [&](error_code ec, int) {
        if (ec) return;
        c.interrupted = true;
        if (++interrupts == 1)
            std::fprintf(stderr, "\ninterrupted: no new creates; waiting for those already sent%s (Ctrl-C again to stop at once)\n",
                         o.rollback ? ", then destroying what the batch created" : "");
        else
            std::fprintf(stderr, "\ninterrupted again: stopping at once; creates still in flight may leave machines (listed below)\n");
        stop.emit(asio::cancellation_type::terminal);
        signals.async_wait(on_signal);
    };
    signals.async_wait(on_signal);
    while (!finished) {
        view.show(false);
        tick.expires_after(view.tty ? 200ms : 500ms);
        co_await tick.async_wait(use_tuple);
    }
    signals.cancel();
    view.counts = report.counts;
    view.show(true);
    if (batch_error && !report.cancelled && !report.journal_error) {
        start_details.client_message = "the batch could not start: " + start_details.client_message;
        throw mistasync::error(batch_error, start_details);
    }
    co_return report_provision(c, request, report);
}

}  // namespace mistcli
