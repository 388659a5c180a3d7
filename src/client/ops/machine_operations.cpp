// Operations on machines: create (one, or several through a job), actions, probe, tags,
// key associations, and the create's job.
#include "decide/failure_kinds.hpp"
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/operation_support.hpp"
#include "codec/request_path.hpp"
#include "decide/retry_decision.hpp"
#include "ops/v2_machines.hpp"
#include "wait/wait_support.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

namespace {

// A create's call, never resent once written (a second machine is worse than an error):
// a 5xx that may have followed the machine's creation is an unknown outcome.
awaitable<answer> call_create(op_context& op, std::string backend_id, std::string body) {
    try {
        co_return co_await call(op, route_id::create_machine, {backend_id}, std::move(body));
    } catch (const op_failure& f) {
        if (f.details.http_status < 500 || refused_before_create(f.details)) throw;
        diagnostics d = f.details;
        d.client_message = "the server failed after it may have made the machine; look for it by name before creating it again";
        throw op_failure(errc::outcome_unknown, std::move(d));
    }
}

// v2: {jobId, plan}, the job making the machine later. The job id, or bad_response.
std::string job_id_of(const answer& a, std::string_view field) {
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    std::string job_id = text_of(doc.is_object() ? doc.get_object().if_contains(field) : nullptr);
    if (job_id.empty()) bad_shape(a, "no " + std::string(field) + " in the answer");
    return job_id;
}

// A v2 create answers before the provider is asked: its job's story says when the machine
// was made (machine_creation_finished, with the provider's id) or why not. The job may be
// 404 until a worker logs it. Polled until then, or the operation's deadline: soon at
// first (a container is made in a second), then every second at most (a provider may take
// minutes; a batch polls one job per create in flight).
awaitable<created_machine> created_by_job(op_context& op, const std::string& job_id, const std::string& name) {
    using std::chrono::milliseconds;
    asio::steady_timer timer(op.state->executor);
    const auto posted = std::chrono::steady_clock::now();
    // The first read near when the last creates' jobs were done: fewer 404s and stories
    // read for nothing (each is a kilobyte or two).
    milliseconds& typical = op.state->v2_create_time;
    if (typical.count() > 0) co_await nap_until(timer, posted + typical * 4 / 5, *op.control);
    auto pause = milliseconds(100);
    for (;;) {
        std::optional<job> j;
        try {
            answer a = co_await call(op, route_id::get_job, {job_id});
            j = decode_answer(a, [](json_holder doc) { return decode_job(doc.value); });
        } catch (const op_failure& f) {
            if (f.ec != error_code(errc::not_found)) throw;  // not logged yet
        }
        if (j) {
            for (const job_event& ev : j->events) {
                if (ev.action != "machine_creation_finished") continue;
                if (!ev.error.empty()) {
                    // What v1 answers a create the provider refused: 500 with the server's text.
                    diagnostics d;
                    d.http_status = 500;
                    d.server_message = ev.error;
                    d.method = "GET";
                    d.path = make_request(route_id::get_job, api_era::v2, {job_id}).path;
                    d.client_message = "the create's job " + job_id + " failed to make machine '" + name + "'";
                    throw op_failure(errc::server_error, std::move(d));
                }
                const auto took = std::chrono::duration_cast<milliseconds>(std::chrono::steady_clock::now() - posted);
                typical = typical.count() == 0 ? took : (typical * 7 + took) / 8;
                co_return created_machine{ev.machine_id, ev.machine_name.empty() ? name : ev.machine_name, job_id, {}, {}};
            }
        }
        co_await nap_until(timer, std::chrono::steady_clock::now() + pause, *op.control);
        pause = std::min(pause * 3 / 2, milliseconds(1'000));
    }
}

awaitable<created_machine> do_create_machine(op_context op, std::string backend_id, machine_spec spec, std::string job_id) {
    const api_era era = co_await ready_era(op);
    if (era == api_era::v2) {
        answer a = co_await call_create(op, backend_id, create_body_v2(backend_id, spec, 1, false));
        op.control->before_write = nullptr;  // the create is written: what follows are reads of its job
        co_return co_await created_by_job(op, job_id_of(a, "jobId"), spec.name);
    }
    answer a = co_await call_create(op, backend_id, create_body(era, spec, 0, era == api_era::v1 ? job_id : std::string()));
    co_return decode_answer(a, [](json_holder doc) { return decode_created(doc.value); });
}

awaitable<std::string> do_create_machines_async(op_context op, std::string backend_id, machine_spec spec, int quantity) {
    const api_era era = co_await ready_era(op);
    if (era == api_era::v2) {
        answer a = co_await call_create(op, backend_id, create_body_v2(backend_id, spec, quantity, false));
        co_return job_id_of(a, "jobId");
    }
    answer a = co_await call_create(op, backend_id, create_body(era, spec, quantity));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    std::string job_id = text_of(doc.is_object() ? doc.get_object().if_contains("job_id") : nullptr);
    if (job_id.empty()) bad_shape(a, "no job_id in the answer");
    co_return job_id;
}

awaitable<void> do_machine_action(op_context op, std::string backend_id, std::string machine_id, std::string action,
                                  std::string argument, std::string uuid) {
    // Actions change state; reboot twice is not reboot once: never resent. The answer
    // (the whole machine list) is not needed.
    if (co_await ready_era(op) == api_era::v2) {
        // One path per action, its argument in the query: …/actions/rename?name=…
        const std::string id = co_await machine_uuid(op, backend_id, machine_id, uuid);
        api_request req = route_request(op.state->session, route_id::machine_action, std::vector<std::string_view>{id, action});
        if (action == "rename") req.path = with_query(std::move(req.path), query_value("name", argument));
        if (action == "resize") req.path = with_query(std::move(req.path), query_value("size", argument));
        co_await send(op, std::move(req));
        op.state->actions_sent.note(backend_id, machine_id, action);
        co_return;
    }
    co_await call(op, route_id::machine_action, {backend_id, machine_id}, action_body(action, argument));
    op.state->actions_sent.note(backend_id, machine_id, action);
}

// v2 has no probe request: the server probes a machine itself and shows the result as its
// `probe` field. What a v2 session without v1 reads (with v1 beside it, v1's probe is sent).
awaitable<probe_result> probe_field(op_context& op, const std::string& backend_id, const std::string& machine_id, const std::string& uuid) {
    const std::string id = co_await machine_uuid(op, backend_id, machine_id, uuid);
    json_holder doc = co_await machine_document(op, id, "probe");
    const json::value* probe = doc.value.is_object() ? doc.value.get_object().if_contains("probe") : nullptr;
    if (!probe || !probe->is_object() || !probe->get_object().contains("ssh")) {
        probe_result not_yet;
        not_yet.raw_json = probe ? json::serialize(*probe) : std::string("{}");
        co_return not_yet;
    }
    co_return decode_probe(*probe);
}

awaitable<probe_result> do_probe(op_context op, std::string backend_id, std::string machine_id, std::string default_host,
                                 probe_options o, std::string uuid) {
    const api_era era = co_await ready_era(op);
    if (era == api_era::v2 && !op.state->session.v1_served) co_return co_await probe_field(op, backend_id, machine_id, uuid);
    std::string host = o.host.empty() ? default_host : o.host;
    api_request req = route_request(op.state->session, route_id::probe, std::vector<std::string_view>{backend_id, machine_id}, probe_body(host, o));
    if (host.empty() && era == api_era::legacy) {
        diagnostics d;
        d.method = req.method;
        d.path = req.path;
        d.client_message = "the machine has no public address yet and a 2015 server needs one to probe (list the machine "
                           "again once it runs, pass probe_options::host, or use wait_until_probed, which waits for one)";
        throw op_failure(errc::invalid_argument, std::move(d));
    }
    if (!o.ssh_user.empty()) req.path += "?ssh_user=" + encode_segment(o.ssh_user);  // 2015 reads it from the query
    try {
        http_response r = co_await call(op, req);
        answer a{req, std::move(r)};
        co_return decode_answer(a, [](json_holder doc) { return decode_probe(doc.value); });
    } catch (const op_failure& f) {
        // v1 says "not reachable yet" with 503 "SSH timed-out": a result, not an error.
        if (f.ec != error_code(errc::service_unavailable)) throw;
        probe_result p;
        p.raw_json = f.details.server_message;
        co_return p;
    }
}

awaitable<void> do_set_tags(op_context op, std::string backend_id, std::string machine_id, tag_list tags, std::string uuid) {
    const api_era era = co_await ready_era(op);
    if (era == api_era::v2) {  // tags in bulk: one operation on one resource
        const std::string id = co_await machine_uuid(op, backend_id, machine_id, uuid);
        co_await call(op, route_id::set_tags, {}, tag_operation_body("add", "machines", id, tags));
        co_return;
    }
    co_await call(op, route_id::set_tags, {backend_id, machine_id}, tags_body(era, tags));
}

awaitable<void> do_remove_tag(op_context op, std::string backend_id, std::string machine_id, std::string tag, std::string uuid) {
    if (co_await ready_era(op) == api_era::v2) {
        const std::string id = co_await machine_uuid(op, backend_id, machine_id, uuid);
        co_await call(op, route_id::delete_tag, {}, tag_operation_body("remove", "machines", id, {{tag, ""}}));
        co_return;
    }
    co_await call(op, route_id::delete_tag, {backend_id, machine_id, tag}, remove_tag_body(tag));
}

// v2 answers a message: the key's associations are read after, from the key.
awaitable<std::vector<key_association>> associate_v2(op_context& op, const std::string& backend_id, const std::string& machine_id,
                                                     const std::string& key_id, const association_options& o, bool associate,
                                                     const std::string& uuid) {
    check_id("key id", key_id);
    const std::string id = co_await machine_uuid(op, backend_id, machine_id, uuid);
    co_await call(op, associate ? route_id::associate_key : route_id::disassociate_key, {id}, association_body_v2(key_id, o));
    api_request req = route_request(op.state->session, route_id::get_key, std::vector<std::string_view>{key_id});
    req.path = with_query(std::move(req.path), "deref=none&only=associations");
    answer a = co_await send(op, std::move(req));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value* data = parsed.value.is_object() ? parsed.value.get_object().if_contains("data") : nullptr;
    const json::value* list = data && data->is_object() ? data->get_object().if_contains("associations") : nullptr;
    if (!list) bad_shape(a, "no data.associations in the key's answer");
    std::vector<key_association> out = decode_associations(*list);
    for (auto& assoc : out) {
        assoc.machine_uuid = std::exchange(assoc.machine_id, {});
        if (assoc.machine_uuid == id) assoc.machine_id = machine_id, assoc.backend_id = backend_id;
    }
    co_return out;
}

awaitable<std::vector<key_association>> do_associate_key(op_context op, std::string backend_id, std::string machine_id,
                                                         std::string key_id, std::string default_host,
                                                         association_options o, bool associate, std::string uuid) {
    if (co_await ready_era(op) == api_era::v2) co_return co_await associate_v2(op, backend_id, machine_id, key_id, o, associate, uuid);
    answer a = co_await call(op, associate ? route_id::associate_key : route_id::disassociate_key, {backend_id, machine_id, key_id},
                             association_body(o.host.empty() ? default_host : o.host, o));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    if (!doc.is_array() && !doc.is_object()) bad_shape(a, "expected the key's associations");
    co_return decode_associations(doc);
}

awaitable<job> do_get_job(op_context op, std::string job_id) {
    answer a = co_await call(op, route_id::get_job, {job_id});
    co_return decode_answer(a, [](json_holder doc) { return decode_job(doc.value); });
}

}  // namespace

awaitable<created_machine> run(op_context op, ops::create_machine o) {
    return do_create_machine(std::move(op), std::move(o.backend_id), std::move(o.spec), std::move(o.job_id));
}
template void start_operation(const client_ref&, ops::create_machine, handler<ops::create_machine::result>);
awaitable<std::string> run(op_context op, ops::create_machines o) {
    return do_create_machines_async(std::move(op), std::move(o.backend_id), std::move(o.spec), o.quantity);
}
template void start_operation(const client_ref&, ops::create_machines, handler<ops::create_machines::result>);
// A dry run makes nothing: it may be sent again.
awaitable<std::string> run(op_context op, ops::plan_machine o) {
    if (co_await ready_era(op) != api_era::v2) {
        diagnostics d;
        d.client_message = "a server's plan for a machine is a /api/v2 dry run; this session speaks an older API";
        throw op_failure(errc::invalid_argument, std::move(d));
    }
    api_request req = route_request(op.state->session, route_id::create_machine, {}, create_body_v2(o.backend_id, o.spec, 1, true));
    req.idempotent = true;
    answer a = co_await send(op, std::move(req));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value* plan = parsed.value.is_object() ? parsed.value.get_object().if_contains("plan") : nullptr;
    if (!plan || !plan->is_object()) bad_shape(a, "no plan in the answer");
    co_return json::serialize(*plan);
}
template void start_operation(const client_ref&, ops::plan_machine, handler<ops::plan_machine::result>);
awaitable<void> run(op_context op, ops::machine_action o) {
    return do_machine_action(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.action), std::move(o.argument),
                             std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::machine_action, handler<ops::machine_action::result>);
awaitable<probe_result> run(op_context op, ops::probe o) {
    return do_probe(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.default_host), std::move(o.options),
                    std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::probe, handler<ops::probe::result>);
awaitable<void> run(op_context op, ops::set_tags o) {
    return do_set_tags(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.tags), std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::set_tags, handler<ops::set_tags::result>);
awaitable<void> run(op_context op, ops::remove_tag o) {
    return do_remove_tag(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.tag), std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::remove_tag, handler<ops::remove_tag::result>);
awaitable<std::vector<key_association>> run(op_context op, ops::associate_key o) {
    return do_associate_key(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.key_id), std::move(o.default_host), std::move(o.options), o.associate,
                            std::move(o.uuid));
}
template void start_operation(const client_ref&, ops::associate_key, handler<ops::associate_key::result>);
awaitable<job> run(op_context op, ops::get_job o) { return do_get_job(std::move(op), std::move(o.job_id)); }
template void start_operation(const client_ref&, ops::get_job, handler<ops::get_job::result>);

}  // namespace mistasync::detail
