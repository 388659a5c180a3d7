// Networks and subnets of a backend: list (both eras), create and delete (v1; the 2015
// routes are refused as having no equivalent before a request is made).
#include "codec/decode.hpp"
#include "codec/encode.hpp"
#include "ops/operation_entry.hpp"
#include "call/operation_support.hpp"

namespace mistasync::detail {
using asio::awaitable;

awaitable<std::vector<network>> run(op_context op, ops::list_networks o) {
    answer a = co_await call(op, route_id::list_networks, {o.backend_id});
    co_return decode_answer(a, [](json_holder v) { return decode_networks(v.value); });
}
template void start_operation(const client_ref&, ops::list_networks, handler<ops::list_networks::result>);

awaitable<network> run(op_context op, ops::create_network o) {
    check_id("backend id", o.backend_id);
    std::string body = network_body(o.spec);  // a bad spec is refused before anything is sent
    answer a = co_await call(op, route_id::create_network, {o.backend_id}, std::move(body));
    co_return decode_answer(a, [](json_holder v) { return decode_network(v.value); });
}
template void start_operation(const client_ref&, ops::create_network, handler<ops::create_network::result>);

awaitable<void> run(op_context op, ops::delete_network o) {
    co_await call(op, route_id::delete_network, {o.backend_id, o.network_id});
}
template void start_operation(const client_ref&, ops::delete_network, handler<ops::delete_network::result>);

awaitable<std::vector<subnet>> run(op_context op, ops::list_subnets o) {
    answer a = co_await call(op, route_id::list_subnets, {o.backend_id, o.network_id});
    co_return decode_list<subnet>(a, [](json_holder v) { return decode_subnet(v.value); });
}
template void start_operation(const client_ref&, ops::list_subnets, handler<ops::list_subnets::result>);

awaitable<subnet> run(op_context op, ops::create_subnet o) {
    std::string body = subnet_body(o.spec);
    answer a = co_await call(op, route_id::create_subnet, {o.backend_id, o.network_id}, std::move(body));
    co_return decode_answer(a, [](json_holder v) { return decode_subnet(v.value); });
}
template void start_operation(const client_ref&, ops::create_subnet, handler<ops::create_subnet::result>);

awaitable<void> run(op_context op, ops::delete_subnet o) {
    co_await call(op, route_id::delete_subnet, {o.backend_id, o.network_id, o.subnet_id});
}
template void start_operation(const client_ref&, ops::delete_subnet, handler<ops::delete_subnet::result>);

}  // namespace mistasync::detail
