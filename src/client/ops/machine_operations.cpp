// Operations on machines: create (one, or several through a job), actions, probe, tags,
// key associations, and the create's job.
#include "decide/failure_kinds.hpp"
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/operation_support.hpp"
#include "codec/request_path.hpp"
#include "decide/retry_decision.hpp"

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

awaitable<created_machine> do_create_machine(op_context op, std::string backend_id, machine_spec spec, std::string job_id) {
    const api_era era = co_await ready_era(op);
    answer a = co_await call_create(op, backend_id, create_body(era, spec, 0, era == api_era::v1 ? job_id : std::string()));
    co_return decode_answer(a, [](json_holder doc) { return decode_created(doc.value); });
}

awaitable<std::string> do_create_machines_async(op_context op, std::string backend_id, machine_spec spec, int quantity) {
    const api_era era = co_await ready_era(op);
    answer a = co_await call_create(op, backend_id, create_body(era, spec, quantity));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    std::string job_id = text_of(doc.is_object() ? doc.get_object().if_contains("job_id") : nullptr);
    if (job_id.empty()) bad_shape(a, "no job_id in the answer");
    co_return job_id;
}

awaitable<void> do_machine_action(op_context op, std::string backend_id, std::string machine_id, std::string action,
                                  std::string argument) {
    // Actions change state; reboot twice is not reboot once: never resent. The answer
    // (the whole machine list) is not needed.
    co_await call(op, route_id::machine_action, {backend_id, machine_id}, action_body(action, argument));
    op.state->actions_sent.note(backend_id, machine_id, action);
}

awaitable<probe_result> do_probe(op_context op, std::string backend_id, std::string machine_id, std::string default_host,
                                 probe_options o) {
    const api_era era = co_await ready_era(op);
    std::string host = o.host.empty() ? default_host : o.host;
    api_request req = make_request(route_id::probe, era, {backend_id, machine_id}, probe_body(host, o));
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

awaitable<void> do_set_tags(op_context op, std::string backend_id, std::string machine_id, tag_list tags) {
    const api_era era = co_await ready_era(op);
    co_await call(op, route_id::set_tags, {backend_id, machine_id}, tags_body(era, tags));
}

awaitable<void> do_remove_tag(op_context op, std::string backend_id, std::string machine_id, std::string tag) {
    co_await call(op, route_id::delete_tag, {backend_id, machine_id, tag}, remove_tag_body(tag));
}

awaitable<std::vector<key_association>> do_associate_key(op_context op, std::string backend_id, std::string machine_id,
                                                         std::string key_id, std::string default_host,
                                                         association_options o, bool associate) {
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
awaitable<void> run(op_context op, ops::machine_action o) {
    return do_machine_action(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.action), std::move(o.argument));
}
template void start_operation(const client_ref&, ops::machine_action, handler<ops::machine_action::result>);
awaitable<probe_result> run(op_context op, ops::probe o) {
    return do_probe(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.default_host), std::move(o.options));
}
template void start_operation(const client_ref&, ops::probe, handler<ops::probe::result>);
awaitable<void> run(op_context op, ops::set_tags o) {
    return do_set_tags(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.tags));
}
template void start_operation(const client_ref&, ops::set_tags, handler<ops::set_tags::result>);
awaitable<void> run(op_context op, ops::remove_tag o) {
    return do_remove_tag(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.tag));
}
template void start_operation(const client_ref&, ops::remove_tag, handler<ops::remove_tag::result>);
awaitable<std::vector<key_association>> run(op_context op, ops::associate_key o) {
    return do_associate_key(std::move(op), std::move(o.backend_id), std::move(o.machine_id), std::move(o.key_id), std::move(o.default_host), std::move(o.options), o.associate);
}
template void start_operation(const client_ref&, ops::associate_key, handler<ops::associate_key::result>);
awaitable<job> run(op_context op, ops::get_job o) { return do_get_job(std::move(op), std::move(o.job_id)); }
template void start_operation(const client_ref&, ops::get_job, handler<ops::get_job::result>);

}  // namespace mistasync::detail
