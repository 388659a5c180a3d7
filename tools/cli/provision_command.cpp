// `mistasync provision`: a bulk provision with live progress, a summary and --json; and
// `mistasync cleanup`, which destroys what a provision journal says exists.
#include "cli.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <unistd.h>

#include <cstdio>
#include <map>

namespace mistcli {

namespace json = boost::json;
namespace asio = boost::asio;
using asio::awaitable;
using namespace mistasync;
using namespace std::chrono_literals;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

struct progress_view {
    bool tty = false;
    std::chrono::steady_clock::time_point started = std::chrono::steady_clock::now();
    std::chrono::steady_clock::time_point last_line{};
    provision_counts counts;

    void show(bool final) {
        double t = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        std::size_t done = counts.probed + counts.failed;
        double rate = t > 0 ? static_cast<double>(done) / t : 0;
        double eta = rate > 0 ? static_cast<double>(counts.requested - done) / rate : 0;
        if (tty) {
            constexpr int width = 24;
            int filled = counts.requested ? static_cast<int>(width * done / counts.requested) : 0;
            std::string bar(static_cast<std::size_t>(filled), '#');
            bar += std::string(static_cast<std::size_t>(width - filled), '.');
            std::fprintf(stderr, "\r[%s] %6.1fs  created %zu/%zu  running %zu  probed %zu  failed %zu  %.1f/s  ETA %.0fs   ",
                         bar.c_str(), t, counts.created, counts.requested, counts.running, counts.probed, counts.failed, rate, eta);
            if (final) std::fputc('\n', stderr);
        } else {
            auto now = std::chrono::steady_clock::now();
            if (!final && now - last_line < 2s) return;
            last_line = now;
            std::fprintf(stderr, "[%6.1fs] created %zu/%zu running %zu probed %zu failed %zu (%.1f machines/s)\n", t,
                         counts.created, counts.requested, counts.running, counts.probed, counts.failed, rate);
        }
        std::fflush(stderr);
    }
};

json::value error_json(const provisioned_machine& m) {
    if (!m.error) return nullptr;
    std::string message = m.details.server_message.empty() ? m.details.to_string() : m.details.server_message;
    if (message.empty()) message = m.error.message();
    return json::object{{"status", m.details.http_status ? json::value(m.details.http_status) : json::value(nullptr)},
                        {"message", message}};
}

void print_report(const provision_report& r, bool as_json) {
    if (as_json) {
        json::array machines;
        for (auto& m : r.machines)
            machines.push_back(json::object{{"name", m.name},
                                            {"id", m.id.empty() ? json::value(nullptr) : json::value(m.id)},
                                            {"state", to_string(m.stage)},
                                            {"probe", m.probe ? to_json(*m.probe) : json::value(nullptr)},
                                            {"error", error_json(m)},
                                            {"may_exist", m.may_exist()}});
        print_json(json::object{{"requested", r.counts.requested},
                                {"created", r.counts.created},
                                {"probed", r.counts.probed},
                                {"failed", r.counts.failed},
                                {"destroyed", r.counts.destroyed},
                                {"cancelled", r.cancelled},
                                {"elapsed_s", static_cast<double>(r.elapsed.count()) / 1000},
                                {"machines", machines}});
        return;
    }
    print_table({"REQUESTED", "CREATED", "RUNNING", "PROBED", "FAILED", "DESTROYED", "ELAPSED"},
                {{std::to_string(r.counts.requested), std::to_string(r.counts.created), std::to_string(r.counts.running),
                  std::to_string(r.counts.probed), std::to_string(r.counts.failed), std::to_string(r.counts.destroyed),
                  std::to_string(r.elapsed.count() / 1000) + "." + std::to_string(r.elapsed.count() % 1000 / 100) + " s"}});
    // Every machine for small batches; otherwise those that did not end probed.
    bool everyone = r.machines.size() <= 30;
    std::vector<std::vector<std::string>> rows;
    std::size_t left_out = 0;
    for (auto& m : r.machines) {
        if (!everyone && m.stage == provision_stage::probed) continue;
        if (rows.size() >= 30) {
            ++left_out;
            continue;
        }
        std::string error = m.error ? (m.details.to_string().empty() ? m.error.message() : m.details.to_string()) : "";
        rows.push_back({m.name, m.id, std::string(to_string(m.stage)), m.probe ? "reachable" : "", error});
    }
    if (!rows.empty()) {
        std::printf("\n");
        print_table({"NAME", "ID", "STATE", "PROBE", "ERROR"}, rows);
    }
    if (left_out) std::printf("(%zu more; --json lists every machine)\n", left_out);
}

}  // namespace

awaitable<int> provision_command(context& c) {
    const auto& a = c.args;
    double count = a.number("--count", 10);
    double concurrency = a.number("--concurrency", 50);
    if (count < 1 || count > 1'000'000 || concurrency < 1) throw usage_failure("--count and --concurrency take positive numbers");

    // Sensible defaults for what is omitted: the first backend, its first image, size and
    // location, the default key.
    backend b;
    if (a.has("--backend")) {
        b = co_await find_backend(c.mist, a.get("--backend"));
    } else {
        auto all = co_await c.mist.backends();
        for (auto& candidate : all)
            if (candidate.enabled) { b = candidate; break; }
        if (b.id.empty()) no_match("no enabled backend to provision on");
    }
    machine_spec base;
    base.image = a.get("--image");
    if (base.image.empty()) {
        auto images = co_await b.images();
        if (images.empty()) no_match("backend " + b.title + " lists no images");
        base.image = images.front().id;
    }
    base.size = a.get("--size");
    if (base.size.empty()) {
        auto sizes = co_await b.sizes();
        if (sizes.empty()) no_match("backend " + b.title + " lists no sizes");
        base.size = sizes.front().id;
    }
    base.location = a.get("--location");
    if (base.location.empty()) {
        auto locations = co_await b.locations();
        if (!locations.empty()) base.location = locations.front().id;
    }
    if (a.has("--key")) base.key = (co_await find_key(c.mist, a.get("--key"))).id;
    else
        for (auto& k : co_await c.mist.keys())
            if (k.is_default) base.key = k.id;

    std::string prefix = a.get("--name", "node");
    std::vector<machine_spec> specs;
    for (std::size_t i = 1; i <= static_cast<std::size_t>(count); ++i) {
        machine_spec s = base;
        s.name = prefix + "-" + std::to_string(i);
        specs.push_back(std::move(s));
    }

    provision_options o;
    o.concurrency = static_cast<std::size_t>(concurrency);
    o.probe_policy.deadline = std::chrono::milliseconds(static_cast<long long>(a.number("--probe-deadline", 600) * 1000));
    o.running_policy.deadline = o.probe_policy.deadline;
    o.wait_probed = !a.has("--no-probe");
    o.journal_path = a.get("--journal");
    o.rollback = a.has("--rollback");
    progress_view view;
    view.tty = isatty(STDERR_FILENO);
    view.counts.requested = specs.size();
    o.on_change = [&](const provisioned_machine&, const provision_counts& counts) { view.counts = counts; };
    std::fprintf(stderr, "provisioning %zu machines on %s (image %s, size %s), %zu creates at a time%s\n", specs.size(),
                 b.title.c_str(), base.image.c_str(), base.size.c_str(), o.concurrency,
                 o.journal_path.empty() ? "" : (", journal " + o.journal_path).c_str());

    // The batch runs apart; this coroutine draws progress and turns Ctrl-C into cancellation.
    auto ex = co_await asio::this_coro::executor;
    asio::cancellation_signal stop;
    bool finished = false;
    error_code batch_error;
    provision_report report;
    asio::steady_timer tick(ex);
    provision(b, specs, o, asio::bind_cancellation_slot(stop.slot(), [&](error_code ec, provision_report r) {
                  batch_error = ec;
                  report = std::move(r);
                  finished = true;
                  tick.cancel();
              }));
    asio::signal_set signals(ex, SIGINT, SIGTERM);
    signals.async_wait([&](error_code ec, int) {
        if (ec) return;
        c.interrupted = true;
        std::fprintf(stderr, "\ninterrupted: stopping the batch%s\n", o.rollback ? " and destroying what it created" : "");
        stop.emit(asio::cancellation_type::terminal);
    });
    while (!finished) {
        view.show(false);
        tick.expires_after(view.tty ? 200ms : 500ms);
        co_await tick.async_wait(use_tuple);
    }
    signals.cancel();
    view.counts = report.counts;
    view.show(true);
    if (batch_error && !report.cancelled) {
        diagnostics d;
        d.client_message = "the batch could not start";
        throw mistasync::error(batch_error, d);
    }
    print_report(report, c.json);
    std::size_t exist = 0, unknown = 0;
    for (auto& m : report.machines) {
        exist += m.exists();
        unknown += m.may_exist() && !m.exists();
    }
    if (unknown)
        std::fprintf(stderr, "%zu create(s) of unknown outcome: no machine of that name appeared, but the server may still make one%s\n",
                     unknown, o.journal_path.empty() ? "" : " (cleanup --journal looks for them by name)");
    if (report.cancelled) {
        std::fprintf(stderr, "%zu machine(s) exist%s\n", exist, o.journal_path.empty() ? "" : "; the journal lists them");
        co_return interrupted;
    }
    co_return report.counts.failed ? api_failure : ok;
}

awaitable<int> cleanup_command(context& c) {
    std::string path = c.args.required("--journal");
    // One list per backend the journal names, not one per machine.
    std::map<std::string, std::vector<machine>> listed;
    std::vector<machine> doomed;
    for (auto& r : read_journal(path)) {
        if (!r.may_exist()) continue;
        auto [it, fresh] = listed.try_emplace(r.backend_id);
        if (fresh) it->second = co_await (co_await find_backend(c.mist, r.backend_id)).machines();
        for (auto& m : it->second)
            // By id; by name when its create's outcome was never known.
            if (r.id.empty() ? m.name == r.name : m.id == r.id) doomed.push_back(m);
    }
    std::size_t destroyed = 0, failed = 0;
    for (auto& m : doomed) {
        auto [ec] = co_await m.destroy(use_tuple);
        if (ec) {
            ++failed;
            std::fprintf(stderr, "%s (%s): %s\n", m.name.c_str(), m.id.c_str(), ec.message().c_str());
        } else {
            ++destroyed;
            if (!c.json) std::printf("destroyed %s (%s)\n", m.name.c_str(), m.id.c_str());
        }
    }
    if (c.json) print_json(json::object{{"destroyed", destroyed}, {"failed", failed}});
    else std::printf("%zu destroyed, %zu failed\n", destroyed, failed);
    co_return failed ? api_failure : ok;
}

}  // namespace mistcli
