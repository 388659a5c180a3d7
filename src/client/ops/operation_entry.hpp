// The one compiled entry of the public operations (include/mistasync/detail/operations.hpp):
// start_operation launches run(op_context, Op), the operation's coroutine, found by
// argument-dependent lookup. Each operation's file defines its run() and instantiates
// start_operation for its struct:
//
//     awaitable<std::vector<size>> run(op_context op, ops::list_sizes o) { ... }
//     template void start_operation(const client_ref&, ops::list_sizes, handler<ops::list_sizes::result>);
#pragma once

#include "call/operation_runner.hpp"
#include "wait/wait_support.hpp"

#include <mistasync/detail/operations.hpp>

namespace mistasync::detail {

template <class Op>
void start_operation(const client_ref& ref, Op o, handler<typename Op::result> h) {
    // A wait's whole-call deadline follows its policy (wait_support.hpp).
    client_ref call = ref;
    if constexpr (requires { o.policy; }) call = wait_ref(ref, o.policy);
    launch<typename Op::result>(call, std::move(h), [&](op_context op) { return run(std::move(op), std::move(o)); });
}

// Each is instantiated once, in its operation's file; elsewhere (a wait starting probes)
// the call links to that one.
extern template void start_operation(const client_ref&, ops::raw_request, handler<ops::raw_request::result>);
extern template void start_operation(const client_ref&, ops::providers, handler<ops::providers::result>);
extern template void start_operation(const client_ref&, ops::whoami, handler<ops::whoami::result>);
extern template void start_operation(const client_ref&, ops::list_organizations, handler<ops::list_organizations::result>);
extern template void start_operation(const client_ref&, ops::list_backends, handler<ops::list_backends::result>);
extern template void start_operation(const client_ref&, ops::find_backend, handler<ops::find_backend::result>);
extern template void start_operation(const client_ref&, ops::add_backend, handler<ops::add_backend::result>);
extern template void start_operation(const client_ref&, ops::update_backend, handler<ops::update_backend::result>);
extern template void start_operation(const client_ref&, ops::list_images, handler<ops::list_images::result>);
extern template void start_operation(const client_ref&, ops::star_image, handler<ops::star_image::result>);
extern template void start_operation(const client_ref&, ops::list_sizes, handler<ops::list_sizes::result>);
extern template void start_operation(const client_ref&, ops::list_locations, handler<ops::list_locations::result>);
extern template void start_operation(const client_ref&, ops::list_networks, handler<ops::list_networks::result>);
extern template void start_operation(const client_ref&, ops::create_network, handler<ops::create_network::result>);
extern template void start_operation(const client_ref&, ops::delete_network, handler<ops::delete_network::result>);
extern template void start_operation(const client_ref&, ops::list_subnets, handler<ops::list_subnets::result>);
extern template void start_operation(const client_ref&, ops::create_subnet, handler<ops::create_subnet::result>);
extern template void start_operation(const client_ref&, ops::delete_subnet, handler<ops::delete_subnet::result>);
extern template void start_operation(const client_ref&, ops::list_machines, handler<ops::list_machines::result>);
extern template void start_operation(const client_ref&, ops::list_all_machines, handler<ops::list_all_machines::result>);
extern template void start_operation(const client_ref&, ops::find_machine, handler<ops::find_machine::result>);
extern template void start_operation(const client_ref&, ops::create_machine, handler<ops::create_machine::result>);
extern template void start_operation(const client_ref&, ops::create_machines, handler<ops::create_machines::result>);
extern template void start_operation(const client_ref&, ops::plan_machine, handler<ops::plan_machine::result>);
extern template void start_operation(const client_ref&, ops::machine_action, handler<ops::machine_action::result>);
extern template void start_operation(const client_ref&, ops::probe, handler<ops::probe::result>);
extern template void start_operation(const client_ref&, ops::set_tags, handler<ops::set_tags::result>);
extern template void start_operation(const client_ref&, ops::remove_tag, handler<ops::remove_tag::result>);
extern template void start_operation(const client_ref&, ops::associate_key, handler<ops::associate_key::result>);
extern template void start_operation(const client_ref&, ops::get_job, handler<ops::get_job::result>);
extern template void start_operation(const client_ref&, ops::list_scripts, handler<ops::list_scripts::result>);
extern template void start_operation(const client_ref&, ops::add_script, handler<ops::add_script::result>);
extern template void start_operation(const client_ref&, ops::remove_script, handler<ops::remove_script::result>);
extern template void start_operation(const client_ref&, ops::run_script, handler<ops::run_script::result>);
extern template void start_operation(const client_ref&, ops::list_keys, handler<ops::list_keys::result>);
extern template void start_operation(const client_ref&, ops::find_key, handler<ops::find_key::result>);
extern template void start_operation(const client_ref&, ops::add_key, handler<ops::add_key::result>);
extern template void start_operation(const client_ref&, ops::generate_key, handler<ops::generate_key::result>);
extern template void start_operation(const client_ref&, ops::key_text, handler<ops::key_text::result>);
extern template void start_operation(const client_ref&, ops::update_key, handler<ops::update_key::result>);
extern template void start_operation(const client_ref&, ops::wait_until_probed, handler<ops::wait_until_probed::result>);
extern template void start_operation(const client_ref&, ops::wait_for_state, handler<ops::wait_for_state::result>);
extern template void start_operation(const client_ref&, ops::wait_for_job, handler<ops::wait_for_job::result>);

}  // namespace mistasync::detail
