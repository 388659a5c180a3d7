// Reading job stories (an async create's, a create's post-deploy, a script's run) and
// stored scripts, in both eras' shapes (contract §3.9, §3.10).
#include "codec/decode.hpp"
#include "codec/decode_fields.hpp"

#include <boost/json.hpp>

#include <algorithm>

namespace mistasync::detail {
using namespace lenient;

script decode_script(const json::value& doc) {
    if (!doc.is_object()) throw std::runtime_error("script is not an object");
    script s;
    s.id = text(doc, "id");
    if (s.id.empty()) s.id = text(doc, "script_id");
    s.name = text(doc, "name");
    s.description = text(doc, "description");
    s.exec_type = text(doc, "exec_type");
    if (const json::value* loc = field(doc, "location"); loc && loc->is_object()) {
        s.location_type = text(*loc, "type");
        s.source = text(*loc, "source_code");
        if (s.location_type == "url" && !text(*loc, "url").empty()) s.source = text(*loc, "url");
        if (s.location_type == "github") s.source = text(*loc, "repo");
        s.entrypoint = text(*loc, "entrypoint");
    } else {  // flat, as some servers show it
        s.location_type = text(doc, "location_type");
        s.source = text(doc, "script");
        s.entrypoint = text(doc, "entrypoint");
    }
    return s;
}

namespace {

// A job's script events, per machine: a stored script's run (script_started/finished,
// "exit_code") or a create's post-deploy (deployment_script_*, "return_value"). An error
// is a message or, as some servers log it, `true`.
void read_script_event(const json::value& l, const std::string& action, double time, std::vector<script_result>& out) {
    const bool started = action == "script_started" || action == "deployment_script_started";
    const bool finished = action == "script_finished" || action == "deployment_script_finished";
    if (!started && !finished) return;
    std::string machine_id = text(l, "external_id");
    if (machine_id.empty()) machine_id = text(l, "machine_id");
    auto it = std::find_if(out.begin(), out.end(), [&](const script_result& r) { return r.machine_id == machine_id; });
    if (it == out.end()) it = out.insert(out.end(), script_result{.machine_id = machine_id});
    if (started) {
        it->started_at = time;
        return;
    }
    it->finished = true;
    it->finished_at = time;
    const json::value* code = field(l, "exit_code");
    if (!code || code->is_null()) code = field(l, "return_value");
    it->exit_code = whole(number(code));
    std::string output = text(l, "stdout");
    constexpr std::size_t tail = 4096;
    it->output_tail = output.size() > tail ? output.substr(output.size() - tail) : std::move(output);
    const json::value* e = field(l, "error");
    if (e && e->is_string() && !e->get_string().empty()) it->error = std::string(e->get_string());
    else if ((e && e->is_bool() && e->get_bool()) || it->exit_code != 0)
        it->error = "the script exited with code " + std::to_string(it->exit_code);
}

}  // namespace

job decode_job(const json::value& answer) {
    if (!answer.is_object()) throw std::runtime_error("job is not an object");
    // v2 wraps the story: {data: {...}, meta}.
    const json::value* data = field(answer, "data");
    const json::value& doc = data && data->is_object() && field(answer, "meta") ? *data : answer;
    job j;
    j.id = text(doc, "job_id");
    if (j.id.empty()) j.id = text(doc, "story_id");
    j.started_at = number(field(doc, "started_at"));
    if (double f = number(field(doc, "finished_at")); f > 0) j.finished_at = f;
    if (auto* e = field(doc, "error"); e && e->is_string()) j.error = std::string(e->get_string());
    j.quantity = whole(number(field(doc, "quantity")));
    if (auto* logs = field(doc, "logs"); logs && logs->is_array()) {
        for (auto& l : logs->get_array()) {
            // The provider's id: v2 logs it as external_id (its machine_id is mist's).
            std::string machine_id = text(l, "external_id");
            if (machine_id.empty()) machine_id = text(l, "machine_id");
            job_event ev{text(l, "action"), text(l, "machine_name"), std::move(machine_id), {}, number(field(l, "time"))};
            if (auto* e = field(l, "error"); e && e->is_string()) ev.error = std::string(e->get_string());
            else if (e && e->is_bool() && e->get_bool()) ev.error = "failed";
            read_script_event(l, ev.action, ev.time, j.scripts);
            if (ev.action == "async_machine_creation_started" && j.quantity == 0)
                j.quantity = whole(number(field(l, "quantity")));
            j.events.push_back(std::move(ev));
        }
    }
    auto counts = [](const json::value* c) {
        return job_counts{whole(number(field(*c, "success"))), whole(number(field(*c, "error"))),
                          whole(number(field(*c, "skipped"))), whole(number(field(*c, "pending")))};
    };
    // Names of the machines the scripts ran on, where the story says (a create's job).
    for (auto& r : j.scripts)
        for (auto& ev : j.events)
            if (ev.action == "machine_creation_finished" && ev.machine_id == r.machine_id) r.machine_name = ev.machine_name;
    const json::value* summary = field(doc, "summary");
    if (const json::value* s = summary ? field(*summary, "script") : nullptr) {
        j.scripted = {whole(number(field(*s, "success"))), whole(number(field(*s, "error"))), whole(number(field(*s, "skipped"))),
                      whole(number(field(*s, "pending")))};
    } else {
        for (auto& r : j.scripts) ++(r.finished ? (r.succeeded() ? j.scripted.success : j.scripted.error) : j.scripted.pending);
    }
    if (summary && field(*summary, "create") && field(*summary, "probe")) {
        j.created = counts(field(*summary, "create"));
        j.probed = counts(field(*summary, "probe"));
        if (j.quantity == 0) j.quantity = j.created.success + j.created.error + j.created.skipped + j.created.pending;
    } else {
        // v1 stories have no summary: count the events.
        for (auto& ev : j.events) {
            if (ev.action == "machine_creation_finished") ++(ev.error.empty() ? j.created.success : j.created.error);
            if (ev.action == "probe") ++(ev.error.empty() ? j.probed.success : j.probed.error);
        }
        if (j.quantity == 0) j.quantity = std::max(1, j.created.success + j.created.error);
        j.created.pending = std::max(0, j.quantity - j.created.success - j.created.error);
        j.probed.skipped = j.created.error;
        j.probed.pending = std::max(0, j.quantity - j.probed.success - j.probed.error - j.probed.skipped);
    }
    return j;
}

}  // namespace mistasync::detail
