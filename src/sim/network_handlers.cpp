// Networks and subnets of a cloud (mist.api networks/views.py at dcf483f). 2015 lists are
// the provider's {public, private, routers}; v1 keeps Network and Subnet records that
// its views list, create and delete, checking in the views' order: the request's
// parameters, then the cloud (CloudNotFoundError, a KeyError: its text is quoted), then
// the network and the subnet, then the provider's own rules.
#include "handlers.hpp"
#include "network_support.hpp"
#include "views.hpp"

#include <boost/json.hpp>

#include <algorithm>
#include <array>

namespace mistasync::sim::handlers {
namespace json = boost::json;

namespace {

// The fields each provider's Network and Subnet documents accept beyond the common ones
// (`_network_specific_fields`): anything else is 400 "Bad Request: <key>".
bool network_field_known(std::string_view provider, std::string_view key) {
    static constexpr std::array common{"name", "cidr", "description", "id", "location"};
    if (std::find(common.begin(), common.end(), key) != common.end()) return true;
    if (provider == "ec2") return key == "instance_tenancy";
    if (provider == "openstack") return key == "shared" || key == "admin_state_up" || key == "router_external";
    if (provider == "gce") return key == "mode";
    return false;
}

bool subnet_field_known(std::string_view provider, std::string_view key) {
    static constexpr std::array common{"name", "cidr", "description", "id"};
    if (std::find(common.begin(), common.end(), key) != common.end()) return true;
    if (provider == "ec2") return key == "availability_zone";
    if (provider == "openstack")
        return key == "gateway_ip" || key == "ip_version" || key == "enable_dhcp" || key == "dns_nameservers" ||
               key == "allocation_pools";
    if (provider == "gce") return key == "region";
    return false;
}

std::string text_field(const json::object& o, std::string_view key) {
    auto* v = o.if_contains(key);
    return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

// The controller's early validation: mongoengine's ValidationError, raised again as
// BadRequestError(err), whose text is the error's repr.
api_error validation_error(std::string_view message) {
    return bad_request("ValidationError(" + std::string(message) + ",)");
}

backend& cloud_or_404(request_context& ctx, const std::string& id) {
    backend* b = ctx.w.find_backend(id);
    if (!b) throw keyerror_error(404, "Cloud not found");
    return *b;
}

network_record& network_or_404(request_context& ctx, backend& b, const std::string& id) {
    for (auto& n : cloud_networks(ctx.w, b))
        if (n.id == id) return n;
    throw keyerror_error(404, "Network not found");
}

json::array networks_array(request_context& ctx, backend& b) {
    json::array out;
    if (!has_network_support(b.provider)) return out;
    for (auto& n : cloud_networks(ctx.w, b)) out.push_back(network_json(b, n));
    return out;
}

}  // namespace

sim_response list_networks(request_context& ctx) {
    if (ctx.e == era::legacy) {
        backend& b = backend_or_404(ctx, ctx.args[0]);
        call_provider(ctx, b);
        return json_response(networks_of(b.provider));
    }
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    call_provider(ctx, b);
    return json_response(networks_array(ctx, b));
}

sim_response list_all_networks(request_context& ctx) {
    json::array out;
    for (auto& b : ctx.w.backends()) {
        if (!b->enabled || ctx.w.fault_of(*b) != backend_fault::none) continue;  // skipped, as the view does
        for (auto& n : networks_array(ctx, *b)) out.push_back(std::move(n));
    }
    return json_response(out);
}

sim_response create_network(request_context& ctx) {
    const auto& p = ctx.params();
    const json::value* net = p.if_contains("network");
    if (!net || net->is_null() || (net->is_object() && net->get_object().empty()) || (net->is_string() && net->get_string().empty()))
        throw required_parameter("network");
    if (!net->is_object()) throw bad_request("network must be an object");
    const json::value* sub = p.if_contains("subnet");
    const bool with_subnet = sub && sub->is_object() && !sub->get_object().empty();
    if (with_subnet && text_field(sub->get_object(), "cidr").empty()) throw required_parameter("cidr");
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    if (!has_network_support(b.provider)) throw internal_server_error();  // NotImplementedError
    const json::object& fields = net->get_object();
    for (auto& [key, value] : fields)
        if (!network_field_known(b.provider, key)) throw bad_request(key);
    network_record n;
    n.name = text_field(fields, "name");
    n.cidr = text_field(fields, "cidr");
    n.description = text_field(fields, "description");
    if (auto* r = fields.if_contains("router_external"); r && r->is_bool()) n.router_external = r->get_bool();
    if (auto problem = network_problem(b.provider, n)) throw validation_error(*problem);
    std::optional<subnet_record> s;
    if (with_subnet) {
        const json::object& sf = sub->get_object();
        for (auto& [key, value] : sf)
            if (!subnet_field_known(b.provider, key)) throw bad_request(key);
        s = subnet_record{.name = text_field(sf, "name"), .cidr = text_field(sf, "cidr"),
                          .description = text_field(sf, "description"), .availability_zone = text_field(sf, "availability_zone")};
        if (auto problem = subnet_problem(b.provider, n, *s)) throw validation_error(*problem);
    }
    call_provider(ctx, b);
    network_record& made = add_network(ctx.w, b, std::move(n));
    if (s) add_subnet(ctx.w, made, std::move(*s));
    return json_response(network_json(b, made));
}

sim_response delete_network(request_context& ctx) {
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    network_record& n = network_or_404(ctx, b, ctx.args[1]);
    call_provider(ctx, b);
    std::erase_if(cloud_networks(ctx.w, b), [&](const network_record& r) { return &r == &n; });
    return ok_text();
}

sim_response list_subnets(request_context& ctx) {
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    network_record& n = network_or_404(ctx, b, ctx.args[1]);
    call_provider(ctx, b);
    json::array out;
    for (auto& s : n.subnets) out.push_back(subnet_json(b, n, s));
    return json_response(out);
}

sim_response create_subnet(request_context& ctx) {
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    network_record& n = network_or_404(ctx, b, ctx.args[1]);
    const auto& p = ctx.params();
    // The view passes the whole body as the subnet's fields: cidr first, then the rest.
    if (text_field(p, "cidr").empty()) throw required_parameter("cidr");
    for (auto& [key, value] : p)
        if (!subnet_field_known(b.provider, key)) throw bad_request(key);
    subnet_record s{.name = text_field(p, "name"), .cidr = text_field(p, "cidr"), .description = text_field(p, "description"),
                    .availability_zone = text_field(p, "availability_zone")};
    if (auto problem = subnet_problem(b.provider, n, s)) throw validation_error(*problem);
    call_provider(ctx, b);
    return json_response(subnet_json(b, n, add_subnet(ctx.w, n, std::move(s))));
}

sim_response delete_subnet(request_context& ctx) {
    backend& b = cloud_or_404(ctx, ctx.args[0]);
    network_record& n = network_or_404(ctx, b, ctx.args[1]);
    auto it = std::find_if(n.subnets.begin(), n.subnets.end(), [&](const subnet_record& s) { return s.id == ctx.args[2]; });
    if (it == n.subnets.end()) throw keyerror_error(404, "Subnet not found");
    call_provider(ctx, b);
    n.subnets.erase(it);
    return ok_text();
}

}  // namespace mistasync::sim::handlers
