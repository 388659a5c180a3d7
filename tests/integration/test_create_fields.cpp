// Complete create specs: every machine_spec field reaches the server under the name and
// with the type the server reads (read back from what the simulator received), the
// `extra` escape hatch, and the providers that need more than name, image and size.
#include <boost/test/unit_test.hpp>

#include "in_process_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
namespace json = boost::json;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr api_era eras[] = {api_era::legacy, api_era::v1};

// What the server received for the create that made `name`.
json::object received(in_process_env& env, const std::string& name) {
    std::string text = env.sim.create_request_of(name);
    BOOST_TEST_REQUIRE(!text.empty(), "no create made " << name);
    return json::parse(text).as_object();
}

json::array strings(std::initializer_list<const char*> items) {
    json::array out;
    for (auto* i : items) out.emplace_back(i);
    return out;
}

machine_spec base_spec(std::string name) { return {.name = std::move(name), .image = "51", .size = "221"}; }

// A create refused before anything was sent: its error, and no machine of that name.
void refused_locally(in_process_env& env, client& mist, machine_spec spec, const std::string& message_part) {
    const std::string name = spec.name;
    auto before = env.sim.stats().requests;
    env.run([&]() -> asio::awaitable<void> {
        backend b = co_await mist.find_backend({.name = "NephoScale"});
        before = env.sim.stats().requests;
        diagnostics d;
        auto [ec, m] = co_await b.create_machine(std::move(spec), with_diagnostics(d, use_tuple));
        BOOST_TEST(ec == errc::invalid_argument);
        BOOST_TEST(!d.request_sent);
        BOOST_TEST(d.client_message.find(message_part) != std::string::npos, d.client_message);
    });
    BOOST_TEST(env.sim.stats().requests == before);  // nothing reached the server
    BOOST_TEST(env.sim.machines_named(name) == 0u);
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_field_reaches_the_server_with_its_name_and_type) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            machine_spec spec = base_spec(std::string("full-") + era_name(era));
            spec.script = "#!/bin/sh\necho hi";
            spec.monitoring = true;
            spec.image_extra = "projects/debian-cloud";
            spec.disk = 2048;
            spec.image_name = "Ubuntu";
            spec.size_name = "CS1";
            spec.location_name = "San Jose";
            spec.ips = {"10.0.0.5", "10.0.0.6"};
            spec.networks = {"net-a", "net-b"};
            spec.associate_floating_ip = true;
            spec.attach_floating_ip_subnet = "pub";
            spec.docker_command = "sleep 1000";
            spec.docker_env = {"A=1", "B=two"};
            spec.hostname = "web.example.com";
            spec.plugins = {"cpu", "mem"};
            spec.provider = "nephoscale";
            spec.script_id = "s1";
            spec.script_params = "-v";
            spec.post_script_id = "s2";
            spec.post_script_params = "--fast";
            if (era == api_era::v1) {
                spec.tags = {{"env", "prod"}};
                spec.cloud_init = "#cloud-config\n";
                spec.subnet_id = "subnet-1";
            }
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                spec.location = (co_await b.locations()).at(0).id;
                co_await b.create_machine(spec);
            });
            json::object body = received(env, spec.name);
            BOOST_TEST(body.at("name").as_string() == spec.name);
            BOOST_TEST(body.at("image").as_string() == "51");
            BOOST_TEST(body.at("size").as_string() == "221");
            BOOST_TEST(body.at("location").as_string() == spec.location);
            BOOST_TEST(body.at("script").as_string() == spec.script);
            BOOST_TEST(body.at("monitoring").as_bool());
            BOOST_TEST(body.at("image_extra").as_string() == "projects/debian-cloud");
            BOOST_TEST(body.at("disk").as_int64() == 2048);
            BOOST_TEST(body.at("image_name").as_string() == "Ubuntu");
            BOOST_TEST(body.at("size_name").as_string() == "CS1");
            BOOST_TEST(body.at("location_name").as_string() == "San Jose");
            BOOST_TEST(body.at("ips") == json::value(strings({"10.0.0.5", "10.0.0.6"})));
            BOOST_TEST(body.at("networks") == json::value(strings({"net-a", "net-b"})));
            BOOST_TEST(body.at("associate_floating_ip").as_bool());
            BOOST_TEST(body.at("attach_floating_ip_subnet").as_string() == "pub");
            BOOST_TEST(body.at("docker_command").as_string() == "sleep 1000");
            BOOST_TEST(body.at("docker_env") == json::value(strings({"A=1", "B=two"})));
            BOOST_TEST(body.at("hostname").as_string() == "web.example.com");
            BOOST_TEST(body.at("plugins") == json::value(strings({"cpu", "mem"})));
            BOOST_TEST(body.at("provider").as_string() == "nephoscale");
            BOOST_TEST(body.at("script_id").as_string() == "s1");
            BOOST_TEST(body.at("script_params").as_string() == "-v");
            BOOST_TEST(body.at("post_script_id").as_string() == "s2");
            BOOST_TEST(body.at("post_script_params").as_string() == "--fast");
            BOOST_TEST(!body.contains("async"));
            BOOST_TEST(!body.contains("persist"));
            if (era == api_era::v1) {
                BOOST_TEST(body.at("tags") == json::value(json::object{{"env", "prod"}}));
                BOOST_TEST(body.at("cloud_init").as_string() == "#cloud-config\n");
                BOOST_TEST(body.at("subnet_id").as_string() == "subnet-1");
            }
            BOOST_TEST(body.size() == (era == api_era::v1 ? 27u : 24u));  // nothing else
        }
    }
}

BOOST_AUTO_TEST_CASE(unset_fields_are_not_sent) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            machine_spec spec = base_spec(std::string("bare-") + era_name(era));
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                co_await b.create_machine(spec);
            });
            json::object body = received(env, spec.name);
            BOOST_TEST(body.size() == 3u);  // name, image, size
        }
    }
}

BOOST_AUTO_TEST_CASE(an_asynchronous_create_sends_persist_and_quantity) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            machine_spec spec = base_spec(std::string("kept-") + era_name(era));
            spec.persist = true;
            std::string job_id = env.run([&]() -> asio::awaitable<std::string> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                std::string id = co_await b.create_machines(spec, 2);
                co_await mist.wait_for_job(id);
                co_return id;
            });
            BOOST_TEST(!job_id.empty());
            json::object body = received(env, spec.name + "-1");
            BOOST_TEST(body.at("persist").as_bool());
            BOOST_TEST(body.at("async").as_bool());
            BOOST_TEST(body.at("quantity").as_int64() == 2);
        }
    }
}

BOOST_AUTO_TEST_CASE(fields_a_server_would_drop_or_misread_are_refused_before_sending) {
    in_process_env env;
    auto legacy = env.make(api_era::legacy);
    machine_spec tagged = base_spec("tagged");
    tagged.tags = {{"env", "prod"}};
    refused_locally(env, legacy, tagged, "tags is read only by v1 servers");
    machine_spec cloud_init = base_spec("cloud-init");
    cloud_init.cloud_init = "#cloud-config\n";
    refused_locally(env, legacy, cloud_init, "cloud_init is read only by v1 servers");

    auto v1 = env.make(api_era::v1);
    machine_spec persist = base_spec("persist-sync");
    persist.persist = true;
    refused_locally(env, v1, persist, "asynchronous creates");
}

BOOST_AUTO_TEST_CASE(extra_is_merged_and_never_overrides_a_field) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            machine_spec spec = base_spec(std::string("extra-") + era_name(era));
            spec.docker_command = "run";
            spec.extra = R"({"docker_exposed_ports": {"80/tcp": {}}, "security_group": "web", "libvirt_disk_size": 8})";
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                co_await b.create_machine(spec);
            });
            json::object body = received(env, spec.name);
            BOOST_TEST(body.at("docker_exposed_ports") == json::parse(R"({"80/tcp": {}})"));
            BOOST_TEST(body.at("security_group").as_string() == "web");
            BOOST_TEST(body.at("libvirt_disk_size").as_int64() == 8);
            BOOST_TEST(body.at("docker_command").as_string() == "run");

            machine_spec clash = base_spec(std::string("clash-") + era_name(era));
            clash.docker_command = "run";
            clash.extra = R"({"docker_command": "other"})";
            refused_locally(env, mist, clash, "which the spec sets too");
            machine_spec owned = base_spec(std::string("owned-") + era_name(era));
            owned.extra = R"({"async": true})";
            refused_locally(env, mist, owned, "which the operation sets itself");
            machine_spec not_object = base_spec(std::string("array-") + era_name(era));
            not_object.extra = "[1, 2]";
            refused_locally(env, mist, not_object, "must be a JSON object");
        }
    }
}

BOOST_AUTO_TEST_CASE(openstack_needs_a_network_when_the_tenant_has_several) {
    in_process_env env;
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            const std::string suffix = era_name(era);
            env.run([&]() -> asio::awaitable<void> {
                backend os = co_await mist.add_backend({.title = "OpenStack " + suffix, .provider = "openstack",
                                                        .fields = {{"username", "u"}, {"password", "p"},
                                                                   {"auth_url", "http://keystone:5000"}, {"tenant_name", "t"}}});
                auto images = co_await os.images();
                auto sizes = co_await os.sizes();
                machine_spec spec{.name = "os-" + suffix, .image = images.at(0).id, .size = sizes.at(0).id};
                diagnostics d;
                auto [ec, m] = co_await os.create_machine(spec, with_diagnostics(d, use_tuple));
                BOOST_TEST(!!ec);
                BOOST_TEST(d.http_status == 500);
                BOOST_TEST(d.server_message.find("Multiple possible networks found") != std::string::npos, d.server_message);

                spec.networks = {"9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"};
                spec.associate_floating_ip = true;
                created_machine made = co_await os.create_machine(spec);
                BOOST_TEST(made.name == spec.name);
            });
            json::object body = received(env, "os-" + suffix);
            BOOST_TEST(body.at("networks") == json::value(strings({"9c1d2e3f-4a5b-4c6d-8e7f-0a1b2c3d4e5f"})));
            BOOST_TEST(body.at("associate_floating_ip").as_bool());
        }
    }
}

BOOST_AUTO_TEST_CASE(a_2015_linode_create_needs_the_image_extra_object) {
    in_process_env env;
    auto mist = env.make(api_era::legacy);
    env.run([&]() -> asio::awaitable<void> {
        backend linode = co_await mist.add_backend({.title = "Linode", .provider = "linode", .fields = {{"api_key", "k"}}});
        auto images = co_await linode.images();
        auto sizes = co_await linode.sizes();
        machine_spec spec{.name = "linode-1", .image = images.at(0).id, .size = sizes.at(0).id};
        diagnostics d;
        auto [ec, m] = co_await linode.create_machine(spec, with_diagnostics(d, use_tuple));
        BOOST_TEST(!!ec);
        BOOST_TEST(d.server_message.find("Linode, got exception KeyError('64bit',)") != std::string::npos, d.server_message);

        spec.image_extra = images.at(0).extra_json;  // the image's own extra, as listed
        spec.disk = sizes.at(0).disk_gb;
        co_await linode.create_machine(spec);
    });
    json::object body = received(env, "linode-1");
    BOOST_TEST(body.at("image_extra") == json::parse(R"({"64bit": 1, "pvops": 1})"));
    BOOST_TEST(body.at("disk").is_int64());
}
