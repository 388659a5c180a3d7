// Stored scripts: list, add, remove, and run one on a machine (its run is a job; see
// client::wait_for_job and job::scripts).
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/list_pages.hpp"
#include "call/operation_support.hpp"
#include "ops/v2_machines.hpp"

#include <boost/json.hpp>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

awaitable<std::vector<script>> run(op_context op, ops::list_scripts) {
    list_result list = co_await list_elements(op, route_id::list_scripts, {});
    co_return decode_elements<script>(list, [](json_holder v) { return decode_script(v.value); });
}
template void start_operation(const client_ref&, ops::list_scripts, handler<ops::list_scripts::result>);

awaitable<script> run(op_context op, ops::add_script o) {
    answer a = co_await call(op, route_id::add_script, {}, add_script_body(o.spec));
    co_return decode_answer(a, [](json_holder doc) { return decode_script(doc.value); });
}
template void start_operation(const client_ref&, ops::add_script, handler<ops::add_script::result>);

awaitable<void> run(op_context op, ops::remove_script o) { co_await call(op, route_id::delete_script, {o.script_id}); }
template void start_operation(const client_ref&, ops::remove_script, handler<ops::remove_script::result>);

// A run is never resent: a second POST is a second run.
awaitable<std::string> run(op_context op, ops::run_script o) {
    const api_era era = co_await ready_era(op);
    check_id("machine id", o.machine_id);
    std::string body;
    if (era == api_era::v2) body = run_script_body_v2(co_await machine_uuid(op, o.backend_id, o.machine_id, o.uuid), o.options);
    else body = run_script_body(era, o.backend_id, o.machine_id, o.options);
    answer a = co_await call(op, route_id::run_script, {o.script_id}, std::move(body));
    const json_holder parsed = parse_json(a.response, a.request);
    const json::value& doc = parsed.value;
    std::string job_id = text_of(doc.is_object() ? doc.get_object().if_contains("job_id") : nullptr);
    if (job_id.empty()) bad_shape(a, "no job_id in the answer");
    co_return job_id;
}
template void start_operation(const client_ref&, ops::run_script, handler<ops::run_script::result>);

}  // namespace mistasync::detail
