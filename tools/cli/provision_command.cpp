// `mistasync provision`: a bulk provision with live progress, a summary and --json; and
// `mistasync cleanup`, which destroys what a provision journal says exists.
#include "cli.hpp"
#include "files.hpp"

#include <algorithm>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <functional>
#include <set>

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
    bool scripts = false;  ///< the batch has a script stage: show it

    void show(bool final) {
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
};

json::value error_json(const provisioned_machine& m) {
    if (!m.error) return nullptr;
    std::string message = m.details.server_message.empty() ? m.details.to_string() : m.details.server_message;
    if (message.empty()) message = m.error.message();
    return json::object{{"status", m.details.http_status ? json::value(m.details.http_status) : json::value(nullptr)},
                        {"message", message}};
}

void print_report(const provision_report& r, bool as_json, const std::vector<journal_record>& earlier_runs) {
    if (as_json) {
        json::array earlier;
        for (auto& m : earlier_runs)
            earlier.push_back(json::object{{"name", m.name}, {"id", m.id.empty() ? json::value(nullptr) : json::value(m.id)},
                                           {"last_event", m.last_event}});
        json::array machines;
        for (auto& m : r.machines)
            machines.push_back(json::object{{"name", m.name},
                                            {"id", m.id.empty() ? json::value(nullptr) : json::value(m.id)},
                                            {"state", to_string(m.stage)},
                                            {"probe", m.probe ? to_json(*m.probe) : json::value(nullptr)},
                                            {"script", m.script ? to_json(*m.script) : json::value(nullptr)},
                                            {"error", error_json(m)},
                                            {"attempts", m.attempts},
                                            {"replaced", json::value_from(m.replaced)},
                                            {"may_exist", m.may_exist()}});
        print_json(json::object{{"batch_id", r.batch_id},
                                {"requested", r.counts.requested},
                                {"created", r.counts.created},
                                {"probed", r.counts.probed},
                                {"scripted", r.counts.scripted},
                                {"finished", r.counts.finished},
                                {"failed", r.counts.failed},
                                {"destroyed", r.counts.destroyed},
                                {"replaced", r.counts.replaced},
                                {"cancelled", r.cancelled},
                                {"stop_reason", r.stop_reason.empty() ? json::value(nullptr) : json::value(r.stop_reason)},
                                {"elapsed_s", static_cast<double>(r.elapsed.count()) / 1000},
                                {"machines", machines},
                                {"journal_only", std::move(earlier)}});
        return;
    }
    print_table({"REQUESTED", "CREATED", "RUNNING", "PROBED", "SCRIPTED", "FAILED", "DESTROYED", "ELAPSED"},
                {{std::to_string(r.counts.requested), std::to_string(r.counts.created), std::to_string(r.counts.running),
                  std::to_string(r.counts.probed), std::to_string(r.counts.scripted), std::to_string(r.counts.failed),
                  std::to_string(r.counts.destroyed),
                  std::to_string(r.elapsed.count() / 1000) + "." + std::to_string(r.elapsed.count() % 1000 / 100) + " s"}});
    // Every machine for small batches; otherwise those that did not get through.
    bool everyone = r.machines.size() <= 30;
    const bool scripts = std::any_of(r.machines.begin(), r.machines.end(), [](auto& m) { return m.script.has_value(); });
    std::vector<std::vector<std::string>> rows;
    std::size_t left_out = 0;
    for (auto& m : r.machines) {
        if (!everyone && !m.error && (m.stage == provision_stage::probed || m.stage == provision_stage::scripted)) continue;
        if (rows.size() >= 30) {
            ++left_out;
            continue;
        }
        std::string error = m.error ? (m.details.to_string().empty() ? m.error.message() : m.details.to_string()) : "";
        std::vector<std::string> row{m.name, m.id, std::string(to_string(m.stage)), m.probe ? "reachable" : ""};
        if (scripts) row.push_back(!m.script ? "" : m.script->succeeded() ? "exit 0" : "exit " + std::to_string(m.script->exit_code));
        row.push_back(error);
        rows.push_back(std::move(row));
    }
    if (!rows.empty()) {
        std::printf("\n");
        if (scripts) print_table({"NAME", "ID", "STATE", "PROBE", "SCRIPT", "ERROR"}, rows);
        else print_table({"NAME", "ID", "STATE", "PROBE", "ERROR"}, rows);
    }
    if (left_out) std::printf("(%zu more; --json lists every machine)\n", left_out);
}


// "N%" with N a whole number from 1 to 100 (--max-failures 10%).
std::size_t whole_percent(const std::string& text) {
    const std::string digits = text.substr(0, text.size() - 1);
    const bool number = !digits.empty() && digits.size() <= 3 && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::size_t n = number ? std::stoul(digits) : 0;
    if (n < 1 || n > 100) throw usage_failure("--max-failures takes a count or a share from 1% to 100%, not " + text);
    return n;
}

// "k=v" (--tag) as a pair; usage_failure otherwise.
std::pair<std::string, std::string> tag_arg(const std::string& text) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw usage_failure("--tag takes key=value, not " + text);
    return {text.substr(0, eq), text.substr(eq + 1)};
}

// The batch's specs: --name PREFIX-1..N, or the spec file's names; then its per-machine
// overrides (a name not in the batch yet is added).
std::vector<machine_spec> batch_specs(const arguments& a, const machine_spec& base, const batch_spec_file* file) {
    std::vector<machine_spec> specs;
    if (file && !file->names.empty()) {
        for (auto& name : file->names) {
            machine_spec s = base;
            s.name = name;
            specs.push_back(std::move(s));
        }
    } else if (!file || file->machines.empty() || a.has("--count")) {
        std::size_t count = a.count("--count", 10, 1'000'000);
        std::string prefix = a.get("--name", "node");
        for (std::size_t i = 1; i <= count; ++i) {
            machine_spec s = base;
            s.name = prefix + "-" + std::to_string(i);
            specs.push_back(std::move(s));
        }
    }
    if (!file) return specs;
    for (auto& o : file->machines) {
        auto it = std::find_if(specs.begin(), specs.end(), [&](auto& s) { return s.name == o.name; });
        if (it == specs.end()) {
            specs.push_back(base);
            specs.back().name = o.name;
            it = std::prev(specs.end());
        }
        for (auto [field, value] : {std::pair{&it->image, &o.image}, {&it->size, &o.size}, {&it->location, &o.location}, {&it->key, &o.key}})
            if (!value->empty()) *field = *value;
        for (auto& tag : o.tags) it->tags.push_back(tag);
    }
    return specs;
}

// What a spec file and the command line say together, refused where they disagree: "a flag
// wins over the file" cannot hold for a list of names, and an inline script with a stored
// script id would send both.
void check_spec_against_flags(const arguments& command_line, const batch_spec_file& file, const std::string& path) {
    if (!file.names.empty()) {
        for (const char* flag : {"--count", "--name"})
            if (command_line.has(flag) || file.flags.count(flag))
                throw usage_failure("--spec " + path + " lists \"names\": " + flag +
                                    " (or its key in the file) does not apply to them; give one or the other");
    }
    const bool inline_script = !file.script.empty() || command_line.has("--script");
    const bool stored_script = file.flags.count("--script-id") || command_line.has("--script-id");
    if (inline_script && stored_script)
        throw usage_failure("the batch has an inline script (\"script\" in --spec, or --script) and a stored one (--script-id): give one");
}

// The journal's machines that this run's specs do not name (a resume with a smaller
// --count, or another --name): they exist all the same.
std::vector<journal_record> journal_only(const std::string& path, const std::vector<machine_spec>& specs) {
    std::vector<journal_record> out;
    if (path.empty()) return out;
    std::set<std::string> names;
    for (auto& s : specs) names.insert(s.name);
    try {
        for (auto& r : read_journal(path))
            if (!names.contains(r.name) && r.may_exist()) out.push_back(r);
    } catch (const std::exception&) {
        // The batch read this journal when it started; a failure now adds nothing to say.
    }
    return out;
}

}  // namespace

awaitable<int> provision_command(context& c) {
    // Every argument and file is checked before the first request: a usage error must not
    // wait for (or hide behind) an unreachable server.
    std::optional<batch_spec_file> file;
    if (c.args.has("--spec")) {
        file = read_batch_spec(c.args.get("--spec"));
        check_spec_against_flags(c.args, *file, c.args.get("--spec"));
    }
    const arguments merged = file ? with_spec_file(c.args, *file) : c.args;
    const auto& a = merged;
    if (!a.has("--count") && !(file && (!file->names.empty() || !file->machines.empty())))
        throw usage_failure("provision needs the batch's size: --count N (with --name PREFIX), or a --spec file with names or "
                            "machines. Nothing was created");
    provision_options o;
    o.concurrency = a.count("--concurrency", 50, 100'000);
    o.probe_policy.deadline = a.seconds("--probe-deadline", 600);
    o.running_policy.deadline = o.probe_policy.deadline;
    o.wait_probed = !a.has("--no-probe");
    o.journal_path = a.get("--journal");
    o.rollback = a.has("--rollback");
    o.allow_existing_names = a.has("--allow-existing-names");
    o.reconcile_window = a.seconds("--reconcile-window", 60);
    if (const std::string limit = a.get("--max-failures"); limit.ends_with('%')) {
        // A share of the batch: "10%".
        const std::size_t percent = whole_percent(limit);
        o.max_failure_share = static_cast<double>(percent) / 100;
    } else if (a.has("--max-failures")) {
        o.max_failures = a.count("--max-failures", 1, 1'000'000);
    }
    o.max_attempts = static_cast<unsigned>(a.count("--max-attempts", 3, 100));
    o.batch_id = a.get("--batch-id");
    o.tag_batch = !a.has("--no-batch-tag");
    o.script_failure_fails = !a.has("--keep-failed-scripts");
    o.script_policy.deadline = o.probe_policy.deadline;

    machine_spec base;
    base.image = a.get("--image");
    base.size = a.get("--size");
    base.location = a.get("--location");
    apply_create_flags(a, base);  // --script FILE, --script-id ID, --network, --extra ...
    if (file && !file->script.empty() && !a.has("--script")) base.script = file->script;
    if (file) base.tags = file->tags;
    for (auto& t : a.all("--tag")) base.tags.push_back(tag_arg(t));
    std::vector<machine_spec> specs = batch_specs(a, base, file ? &*file : nullptr);
    if (specs.empty()) throw usage_failure("the batch has no machines (--count, or names / machines in --spec)");
    {
        std::set<std::string_view> seen;
        for (auto& s : specs)
            if (!seen.insert(s.name).second) throw usage_failure("two machines of the batch are named " + terminal_safe(s.name));
    }
    const std::string inventory = a.get("--inventory");
    check_inventory_path(inventory);
    const std::string events_path = a.get("--events");
    if (!events_path.empty() && events_path != "-") check_output_path(events_path, "--events");

    // The server: what the batch names must exist there (the same checks as --dry-run).
    // What is omitted takes a default: the first enabled backend, its first image, size and
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
    if (a.has("--key")) base.key = (co_await find_key(c.mist, a.get("--key"))).id;
    else
        for (auto& k : co_await c.mist.keys())
            if (k.is_default) base.key = k.id;
    for (auto& s : specs)
        for (auto [field, value] : {std::pair{&s.image, &base.image}, {&s.size, &base.size}, {&s.location, &base.location}, {&s.key, &base.key}})
            if (field->empty()) *field = *value;
    const bool tagged = std::any_of(specs.begin(), specs.end(), [](auto& s) { return !s.tags.empty(); });
    if (tagged && c.mist.era() == api_era::legacy) throw usage_failure("--tag (or tags in --spec): 2015 servers read no tags on create");
    if (const std::string script = a.get("--run-script"); !script.empty()) o.run_script_id = (co_await find_script(c, script)).id;
    if (a.has("--dry-run")) co_return co_await print_plan(c, b, specs, o);
    if (co_await preflight_problems(c, b, specs, o) > 0) {
        std::fprintf(stderr, "the batch cannot run as it is (--dry-run shows the plan); nothing was created\n");
        co_return api_failure;
    }

    progress_view view;
    view.scripts = o.wait_probed && (!base.script.empty() || !base.script_id.empty() || !o.run_script_id.empty());
    view.tty = isatty(STDERR_FILENO);
    view.counts.requested = specs.size();
    event_log events(events_path);
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
        if (o.tag_batch && c.mist.era() == api_era::v1) how = "mistasync cleanup --batch " + id;
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
    const std::vector<journal_record> earlier_runs = journal_only(o.journal_path, specs);
    print_report(report, c.json, earlier_runs);
    int status = ok;
    if (!inventory.empty()) {
        // Checked before the batch; should it fail now all the same, the rest is still said.
        try {
            std::size_t n = write_inventory(inventory, report, o.wait_probed);
            std::fprintf(stderr, "inventory: %zu machine(s) in %s\n", n, inventory.c_str());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "mistasync: %s\n", e.what());
            status = api_failure;
        }
    }
    if (!earlier_runs.empty() && !c.json) {
        std::fprintf(stderr, "the journal also holds %zu machine(s) of earlier runs that this run does not name (they still exist):", earlier_runs.size());
        for (std::size_t i = 0; i < earlier_runs.size() && i < 10; ++i)
            std::fprintf(stderr, " %s%s", terminal_safe(earlier_runs[i].name).c_str(), earlier_runs[i].id.empty() ? " (outcome unknown)" : "");
        std::fprintf(stderr, "%s\n", earlier_runs.size() > 10 ? " …" : "");
    }
    std::size_t exist = 0, unknown = 0;
    for (auto& m : report.machines) {
        exist += m.exists();
        unknown += m.may_exist() && !m.exists();
    }
    if (unknown)
        std::fprintf(stderr, "%zu create(s) of unknown outcome: no machine of that name appeared, but the server may still make one%s\n",
                     unknown, o.journal_path.empty() ? "" : " (cleanup --journal looks for them by name)");
    if (!report.stop_reason.empty()) std::fprintf(stderr, "the batch stopped early: %s\n", terminal_safe_line(report.stop_reason).c_str());
    if (report.counts.replaced) std::fprintf(stderr, "%zu create(s) sent again for names whose earlier try failed\n", report.counts.replaced);
    std::fprintf(stderr, "batch %s%s\n", terminal_safe_line(report.batch_id).c_str(),
                 o.tag_batch && c.mist.era() == api_era::v1 ? " (its machines are tagged mistasync.batch=<id>: cleanup --batch finds them)" : "");
    if (report.journal_error)
        std::fprintf(stderr, "the journal %s could not be written (%s): the batch stopped early; the report above is complete, "
                             "the journal lacks what happened after the failure\n",
                     o.journal_path.c_str(), report.journal_error.message().c_str());
    if (report.cancelled || report.journal_error) {
        std::fprintf(stderr, "%zu machine(s) exist%s%s\n", exist,
                     unknown ? (", " + std::to_string(unknown) + " more may exist").c_str() : "",
                     o.journal_path.empty() ? "" : "; the journal lists them");
        co_return report.journal_error ? api_failure : interrupted;
    }
    // A batch that stopped early on its own did not make what was asked, even with no failure
    // (another batch making the same names).
    co_return report.counts.failed || !report.stop_reason.empty() ? api_failure : status;
}

// cleanup --batch ID: the machines a batch tagged (v1), found without its journal.
awaitable<int> cleanup_batch(context& c) {
    const std::string id = c.args.get("--batch");
    if (!batch_liveness::plain_id(id)) throw usage_failure("--batch takes the batch id a provision printed (letters, digits, '-', '_', '.')");
    // A batch still running would make again what this destroys: refuse while it is alive.
    if (long pid = 0; batch_liveness::running(id, pid)) {
        diagnostics d;
        d.client_message = "batch " + id + " is still running (process " + (pid ? std::to_string(pid) : std::string("?")) +
                           " on this machine): stop it first (Ctrl-C, or kill -TERM; with --rollback it destroys its own machines), "
                           "then clean up; nothing destroyed";
        throw mistasync::error(errc::conflict, d);
    }
    const machine_filter tagged{.tag = std::string(batch_tag_key) + "=" + id};
    machine_listing listing;
    if (c.args.has("--backend")) listing.machines = co_await (co_await find_backend(c.mist, c.args.get("--backend"))).machines(tagged);
    else listing = co_await c.mist.machines(tagged);
    if (listing.machines.empty() && c.mist.era() == api_era::legacy)
        throw usage_failure("2015 servers keep no tags from a create: cleanup --journal FILE finds a batch's machines there");
    std::size_t destroyed = 0, failed = 0;
    for (auto& m : listing.machines) {
        if (m.state == machine_state::terminated) continue;
        auto [ec] = co_await m.destroy(use_tuple);
        if (ec) {
            ++failed;
            std::fprintf(stderr, "%s (%s): %s\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str(), ec.message().c_str());
            continue;
        }
        ++destroyed;
        if (!c.json) std::printf("destroyed %s (%s)\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str());
    }
    for (auto& f : listing.failures)
        std::fprintf(stderr, "backend %s could not be listed (%s): its machines of the batch, if any, remain\n", terminal_safe_line(f.backend_title).c_str(),
                     f.error.message().c_str());
    if (c.json) print_json(json::object{{"destroyed", destroyed}, {"failed", failed}});
    else std::printf("%zu destroyed, %zu failed\n", destroyed, failed);
    co_return failed || !listing.failures.empty() ? api_failure : ok;
}

// Destroys what a journal says the batch made, and nothing else: a machine whose id and
// name both match a journal record (at most one per name); for a create whose outcome
// stayed unknown, the one machine of that name that was not there before the batch (none
// if several could be it). A journal of another server or backend is refused.
awaitable<int> cleanup_command(context& c) {
    if (c.args.has("--batch")) co_return co_await cleanup_batch(c);
    std::string path = c.args.required("--journal");
    if (::access(path.c_str(), F_OK) != 0) throw usage_failure("no journal at " + path);
    // A batch still running on this journal would go on creating: refuse, as it does.
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) throw usage_failure("cannot read journal " + path + ": " + std::strerror(errno));
    struct closer {
        int fd;
        ~closer() { ::close(fd); }
    } hold{fd};
    struct stat st {};
    if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) throw usage_failure("journal " + path + " is not a regular file: nothing destroyed");
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        diagnostics d;
        d.client_message = "journal " + path + " is in use by a running batch (it holds the file's lock)";
        throw mistasync::error(errc::conflict, d);
    }
    journal_batch header;
    std::vector<journal_record> records;
    try {
        header = read_journal_batch(path);
        records = read_journal(path);
    } catch (const boost::system::system_error& e) {
        throw usage_failure(std::string(e.what()) + ": nothing destroyed");
    }
    if (!header.found && records.empty())
        throw usage_failure("journal " + path + " records no batch (it is empty, or not a provision journal): nothing destroyed");
    if (header.found && header.server != c.mist.server()) {
        diagnostics d;
        d.client_message = "journal " + path + " records a batch on " + header.server + ", not on " + c.mist.server() + ": nothing destroyed";
        throw mistasync::error(errc::invalid_argument, d);
    }
    // The library decides what is the batch's (plan_cleanup); this lists and destroys.
    std::map<std::string, std::vector<machine>> listed;  // one list per backend, not one per machine
    for (const std::string& backend_id : cleanup_backends(header, records))
        listed[backend_id] = co_await (co_await find_backend(c.mist, backend_id)).machines();
    const cleanup_plan plan = plan_cleanup(header, records, listed);
    for (auto& name : plan.ignored)
        std::fprintf(stderr, "mistasync: journal %s: a line for %s, which no batch record lists: ignored\n", path.c_str(),
                     terminal_safe(name).c_str());
    for (auto& name : plan.ambiguous)
        std::fprintf(stderr, "%s: cannot tell which machine the batch's create of unknown outcome made; none destroyed\n",
                     terminal_safe_line(name).c_str());
    const std::size_t left_alone = plan.ambiguous.size();
    const std::vector<machine>& doomed = plan.destroy;
    std::size_t destroyed = 0, failed = 0;
    for (auto& m : doomed) {
        auto [ec] = co_await m.destroy(use_tuple);
        if (ec) {
            ++failed;
            std::fprintf(stderr, "%s (%s): %s\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str(), ec.message().c_str());
        } else {
            ++destroyed;
            if (!c.json) std::printf("destroyed %s (%s)\n", terminal_safe_line(m.name).c_str(), terminal_safe_line(m.id).c_str());
        }
    }
    if (c.json) print_json(json::object{{"destroyed", destroyed}, {"failed", failed}, {"left_alone", left_alone}});
    else std::printf("%zu destroyed, %zu failed\n", destroyed, failed);
    co_return failed ? api_failure : ok;
}

}  // namespace mistcli
