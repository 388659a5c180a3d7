// Providers that need more than a name, an image and a size. A Linode create on a 2015
// server needs the image's `extra` back and the disk size; an OpenStack tenant with
// several networks needs one named; anything the SDK has no field or operation for goes
// through machine_spec::extra or client::request.
//
// It adds two backends with made-up credentials, so it runs against the embedded
// simulator only (a real account would refuse them).
#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <iostream>
#include <stdexcept>

namespace asio = boost::asio;

// The id of the tenant's first private network.
std::string private_network(const std::vector<mistasync::network>& networks) {
    for (auto& n : networks)
        if (!n.is_public) return n.id;
    throw std::runtime_error("the tenant has no private network");
}

asio::awaitable<void> linode(mistasync::client mist) {
    mistasync::backend_spec linode_account{.title = "Linode", .provider = "linode", .fields = {{"api_key", "made-up"}}};
    mistasync::backend b = co_await mist.add_backend(linode_account);
    auto images = co_await b.images();
    auto sizes = co_await b.sizes();
    //[linode_create
    mistasync::machine_spec spec{.name = "linode-web", .image = images.at(0).id, .size = sizes.at(0).id};
    spec.image_extra = images.at(0).extra_json;  // {"64bit": 1, "pvops": 1}, as the image list gave it
    spec.disk = sizes.at(0).disk_gb;             // Linode takes the disk size from the client
    mistasync::created_machine made = co_await b.create_machine(spec);
    //]
    std::cout << "Linode: created " << made.name << " (" << made.id << ")\n";
}

asio::awaitable<void> openstack(mistasync::client mist) {
    mistasync::backend_spec tenant{.title = "OpenStack",
                                   .provider = "openstack",
                                   .fields = {{"username", "demo"}, {"password", "made-up"},
                                              {"auth_url", "https://keystone.example.com:5000"}, {"tenant_name", "demo"}}};
    mistasync::backend b = co_await mist.add_backend(tenant);
    auto images = co_await b.images();
    auto sizes = co_await b.sizes();
    mistasync::machine_spec spec{.name = "os-web", .image = images.at(0).id, .size = sizes.at(0).id};

    // Without a network, a tenant with several refuses the create (the provider's 409).
    mistasync::diagnostics d;
    auto [ec, ignored] = co_await b.create_machine(spec, mistasync::with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
    std::cout << "OpenStack without a network: " << ec.message() << ": " << d.server_message << "\n";

    //[openstack_create
    std::vector<mistasync::network> networks = co_await b.networks();
    spec.networks = {private_network(networks)};
    spec.associate_floating_ip = true;                         // and a public address
    spec.extra = R"({"security_groups": ["default", "web"]})";  // a field machine_spec has no name for
    mistasync::created_machine made = co_await b.create_machine(spec);
    //]
    std::cout << "OpenStack: created " << made.name << " on network " << spec.networks.at(0) << "\n";
}

asio::awaitable<void> raw_call(mistasync::client mist) {
    //[raw_request
    // Any API call, with the client's login, pool, limits, timeouts and diagnostics.
    mistasync::raw_response r = co_await mist.request("GET", "/providers");
    std::cout << "GET /providers: " << r.status << ", " << r.body.size() << " bytes\n";
    //]
}

asio::awaitable<void> run(mistasync::client mist) {
    co_await linode(mist);
    co_await openstack(mist);
    co_await raw_call(mist);
}

int main() {
    asio::io_context io;
    mistasync::testing::simulator sim(io.get_executor());
    sim.start();
    mistasync::client_options options;
    options.base_url = sim.base_url();
    options.email = sim.options().email;
    options.password = sim.options().password;
    options.era = mistasync::api_era::legacy;  // the 2015 API, whose Linode create needs image_extra
    int status = 1;
    asio::co_spawn(io, run(mistasync::client(io.get_executor(), options)), [&](std::exception_ptr e) {
        if (e) {
            try {
                std::rethrow_exception(e);
            } catch (const std::exception& ex) {
                std::cerr << "error: " << ex.what() << "\n";
            }
        } else {
            status = 0;
        }
        sim.stop();
    });
    io.run();
    return status;
}
