#include "provision_report.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>

namespace mistcli {

namespace json = boost::json;
using namespace mistasync;

namespace {

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

int report_provision(const context& c, const provision_request& request, const provision_report& report) {
    const provision_options& o = request.options;
    const std::vector<journal_record> earlier_runs = journal_only(o.journal_path, request.specs);
    print_report(report, c.json, earlier_runs);
    int status = ok;
    if (!request.inventory.empty()) {
        // Checked before the batch; should it fail now all the same, the rest is still said.
        try {
            std::size_t n = write_inventory(request.inventory, report, o.wait_probed);
            std::fprintf(stderr, "inventory: %zu machine(s) in %s\n", n, request.inventory.c_str());
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
                 o.tag_batch && c.mist.era() != api_era::legacy ? " (its machines are tagged mistasync.batch=<id>: cleanup --batch finds them)" : "");
    if (report.journal_error)
        std::fprintf(stderr, "the journal %s could not be written (%s): the batch stopped early; the report above is complete, "
                             "the journal lacks what happened after the failure\n",
                     o.journal_path.c_str(), report.journal_error.message().c_str());
    if (report.cancelled || report.journal_error) {
        std::fprintf(stderr, "%zu machine(s) exist%s%s\n", exist,
                     unknown ? (", " + std::to_string(unknown) + " more may exist").c_str() : "",
                     o.journal_path.empty() ? "" : "; the journal lists them");
        return report.journal_error ? api_failure : interrupted;
    }
    // A batch that stopped early on its own did not make what was asked, even with no failure
    // (another batch making the same names).
    return report.counts.failed || !report.stop_reason.empty() ? api_failure : status;
}

}  // namespace mistcli
