// Every SDK operation against the in-process simulator over real sockets, in both eras:
// the 2015 "/backends" API (email + password through /auth) and "/api/v1" (API token).
#include <boost/test/unit_test.hpp>

#include "client_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/deferred.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/steady_timer.hpp>

using namespace mistasync;
using namespace mistasync::test;
namespace asio = boost::asio;
using namespace std::chrono_literals;

namespace {

constexpr api_era every_era[] = {api_era::legacy, api_era::v1, api_era::v2};

// Runs the test body once per era, each with its own client.
template <class Body>
void for_each_era(client_env& env, Body body) {
    for (api_era era : every_era) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> { co_await body(mist, era); });
        }
    }
}

// The simulator's defaults, with the server's record polled often: v2 reads the record,
// which only the poller refreshes (10 s by default, as mist.api polls a new machine's cloud).
testing::simulator_options quick_records() {
    auto o = fast_options();
    o.poll_interval = 100ms;
    return o;
}

asio::awaitable<void> pause(std::chrono::milliseconds d) {
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::use_awaitable);
}

asio::awaitable<backend> nephoscale(client& mist) {
    auto list = co_await mist.backends({.name = "NephoScale"});
    co_return list.at(0);
}

// NephoScale's Debian 6 on a CS1 in SJC-1, by the ids of the session's era (v2's are mist's
// own, not the provider's "51", "221" and "86945").
asio::awaitable<machine_spec> debian(backend& b, std::string name, bool with_location = true) {
    machine_spec spec{.name = std::move(name)};
    for (auto& i : co_await b.images())
        if (i.name == "Linux Debian Server 6.0.3 64-bit") spec.image = i.id;
    for (auto& z : co_await b.sizes())
        if (z.name.starts_with("CS1-SSD")) spec.size = z.id;
    if (with_location)
        for (auto& l : co_await b.locations())
            if (l.name == "SJC-1") spec.location = l.id;
    if (spec.image.empty() || spec.size.empty() || (with_location && spec.location.empty()))
        throw std::runtime_error("the demo world's NephoScale has no Debian 6 on CS1 in SJC-1");
    co_return spec;
}

asio::awaitable<machine> find_machine(backend& b, std::string name) {
    auto list = co_await b.machines({.name = name});
    co_return list.at(0);
}

asio::awaitable<machine> wait_for_state(backend& b, std::string name, machine_state want) {
    for (int i = 0; i < 200; ++i) {
        machine m = co_await find_machine(b, name);
        if (m.state == want) co_return m;
        co_await pause(20ms);
    }
    throw std::runtime_error("machine " + name + " never reached " + std::string(to_string(want)));
}

}  // namespace

BOOST_AUTO_TEST_CASE(era_detection) {
    client_env env{quick_records()};
    auto v1 = env.make(api_era::automatic);
    BOOST_TEST(env.run([&]() -> asio::awaitable<std::string> { co_return co_await v1.whoami(); }) == "user@example.com");
    BOOST_TEST(static_cast<int>(v1.era()) == static_cast<int>(api_era::v1));

    // A 2015 server has no /api/v1: email + password falls back to /auth.
    auto o = fast_options();
    o.serve_v1 = false;
    o.serve_v2 = false;
    client_env old(o);
    auto opts = old.options(api_era::automatic);
    opts.token.clear();
    opts.email = "user@example.com";
    opts.password = "secret";
    auto legacy = old.make(opts);
    auto backends = old.run([&]() -> asio::awaitable<std::vector<backend>> { co_return co_await legacy.backends(); });
    BOOST_TEST(backends.size() == 3u);
    BOOST_TEST(static_cast<int>(legacy.era()) == static_cast<int>(api_era::legacy));

    // With a token and no password, detection asks /api/v1/ping.
    auto by_token = old.options(api_era::automatic);
    by_token.token = "mist_1 user@example.com:" + old.sim.on_sim([](auto& s) { return s.legacy_token(); });
    auto legacy2 = old.make(by_token);
    BOOST_TEST(old.run([&]() -> asio::awaitable<std::size_t> { co_return (co_await legacy2.keys()).size(); }) == 1u);
    BOOST_TEST(static_cast<int>(legacy2.era()) == static_cast<int>(api_era::legacy));
}

BOOST_AUTO_TEST_CASE(login_failure_is_login_failed) {
    client_env env{quick_records()};
    for (api_era era : every_era) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto o = env.options(era);
            o.token.clear();
            o.email = "user@example.com";
            o.password = "wrong";
            auto mist = env.make(o);
            auto [ec, list] = env.run([&]() -> asio::awaitable<std::tuple<boost::system::error_code, std::vector<backend>>> {
                co_return co_await mist.backends({}, asio::as_tuple(asio::use_awaitable));
            });
            BOOST_TEST(ec == errc::login_failed);
        }
    }
}

BOOST_AUTO_TEST_CASE(providers_and_backends_with_filters) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto providers = co_await mist.providers();
        auto ec2 = std::find_if(providers.begin(), providers.end(), [](auto& p) { return p.id == "ec2"; });
        BOOST_REQUIRE(ec2 != providers.end());
        BOOST_TEST(ec2->regions.size() == 9u);

        auto all = co_await mist.backends();
        BOOST_TEST(all.size() == 3u);
        BOOST_TEST((co_await mist.backends({.id = all[1].id})).size() == 1u);
        BOOST_TEST((co_await mist.backends({.name = "Docker"})).at(0).provider == "docker");
        BOOST_TEST((co_await mist.backends({.search = "EC2"})).size() == 1u);
        BOOST_TEST((co_await mist.backends({.provider = "nephoscale"})).size() == 1u);
        // The server's own document: v1 and 2015 title a backend, v2 names a cloud.
        BOOST_TEST(all[0].info().find(era == api_era::v2 ? "\"name\":\"NephoScale\"" : "\"title\":\"NephoScale\"") != std::string::npos);
    });
}

BOOST_AUTO_TEST_CASE(add_rename_toggle_remove_backend) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        std::string title = std::string("Linode ") + era_name(era);
        auto added = co_await mist.add_backend({.title = title, .provider = "linode",
                                                .fields = {{"api_key", std::string("key-") + era_name(era)}}});
        BOOST_TEST(added.title == title);
        BOOST_TEST(added.enabled);
        co_await added.rename(title + " renamed");
        BOOST_TEST((co_await mist.backends({.id = added.id})).at(0).title == title + " renamed");
        co_await added.disable();
        if (era == api_era::v2) {
            BOOST_TEST((co_await mist.backends({.id = added.id})).empty());  // v2 lists enabled clouds only
        } else {
            auto found = (co_await mist.backends({.id = added.id})).at(0);
            BOOST_TEST(!found.enabled);
        }
        co_await added.enable();
        BOOST_TEST((co_await mist.backends({.id = added.id})).at(0).enabled);
        co_await added.remove();
        BOOST_TEST((co_await mist.backends({.id = added.id})).empty());
    });
}

BOOST_AUTO_TEST_CASE(images_sizes_locations_networks) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        auto images = co_await b.images();
        BOOST_TEST(images.size() == (era == api_era::legacy ? 8u : 9u));
        BOOST_TEST(images.at(0).extra_json.find("architecture") != std::string::npos);
        auto debian = co_await b.search_images("Debian");
        BOOST_TEST(debian.size() == 3u);
        if (era != api_era::v2) {  // v2 has no stars (test_client_v2 checks the refusal)
            BOOST_TEST(co_await b.star_image("5") == false);
            BOOST_TEST(co_await b.star_image("5") == true);
        }
        auto sizes = co_await b.sizes();
        BOOST_TEST(sizes.at(0).ram_mb == 512);
        BOOST_TEST(sizes.at(0).price_json == "null");
        auto locations = co_await b.locations();
        BOOST_TEST(locations.at(1).name == "RIC-1");
        auto networks = co_await b.networks();
        if (era == api_era::legacy) {  // the provider's {public, private}
            BOOST_TEST_REQUIRE(networks.size() == 2u);
            BOOST_TEST(networks.at(0).is_public);
            BOOST_TEST(!networks.at(1).is_public);
        } else {
            BOOST_TEST(networks.empty());  // mist.api has no network controller for NephoScale
        }
    });
}

BOOST_AUTO_TEST_CASE(machines_create_list_filter_all_backends) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        std::string name = std::string("web-") + era_name(era);
        const machine_spec spec = co_await debian(b, name);
        auto created = co_await b.create_machine(spec);
        BOOST_TEST(created.name == name);
        BOOST_TEST(!created.id.empty());
        BOOST_TEST(created.job_id.size() == 32u);
        auto m = co_await find_machine(b, name);
        BOOST_TEST(m.id == created.id);
        BOOST_TEST(m.backend_id == b.id);
        BOOST_TEST(m.image_id == spec.image);
        if (era != api_era::v2) BOOST_TEST(m.public_ips == created.public_ips);  // v2's job tells no addresses
        BOOST_TEST((m.state == machine_state::pending || m.state == machine_state::running));
        BOOST_TEST(m.actions.destroy);
        BOOST_TEST(m.uuid.size() == (era == api_era::legacy ? 40u : 32u));
        // Across all backends, concurrently; and the seed's filters.
        auto everywhere = co_await mist.machines();
        BOOST_TEST(everywhere.size() >= 3u);
        BOOST_TEST((co_await mist.machines({.name = "dbserver1"})).size() == 1u);
        BOOST_TEST((co_await mist.machines({.search = "dev"})).size() == 1u);
        BOOST_TEST((co_await mist.machines({.id = created.id})).size() == 1u);
    });
}

BOOST_AUTO_TEST_CASE(machine_actions_probe_tags) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        std::string name = std::string("act-") + era_name(era);
        co_await b.create_machine(co_await debian(b, name, false));
        auto m = co_await find_machine(b, name);
        auto first = co_await m.probe();
        BOOST_TEST(!first.reachable);  // booting: "not yet" is a result, not an error
        m = co_await wait_for_state(b, name, machine_state::running);
        probe_result p;
        for (int i = 0; i < 100 && !(p = co_await m.probe()).reachable; ++i) co_await pause(20ms);
        BOOST_TEST(p.reachable);
        BOOST_TEST(p.cores == 1);
        BOOST_TEST(p.uptime_seconds > 0);
        BOOST_TEST(p.packet_loss == 0.0);
        BOOST_TEST(p.loadavg.size() == 3u);

        co_await m.reboot();
        // v1 and 2015 list the provider now; v2 shows the record its poller keeps (§10.1).
        if (era != api_era::v2)
            BOOST_TEST(static_cast<int>((co_await find_machine(b, name)).state) == static_cast<int>(machine_state::rebooting));
        m = co_await wait_for_state(b, name, machine_state::running);
        co_await m.stop();
        m = co_await wait_for_state(b, name, machine_state::stopped);
        BOOST_TEST(m.actions.start);
        co_await m.start();
        m = co_await wait_for_state(b, name, machine_state::running);
        if (era == api_era::legacy) {  // v1 allows resize on EC2, DigitalOcean, Linode, OpenStack, Rackspace
            co_await m.resize("223");
            BOOST_TEST((co_await find_machine(b, name)).size_id == "223");
        } else {
            BOOST_TEST(!m.actions.resize);
        }

        co_await m.set_tags({{"env", "prod"}, {"team", "ops"}});
        auto tagged = co_await find_machine(b, name);
        BOOST_TEST(tagged.tags.size() == 2u);
        co_await m.remove_tag("team");
        BOOST_TEST((co_await find_machine(b, name)).tags.size() == 1u);

        co_await m.rename(name + "-renamed");
        auto renamed = co_await find_machine(b, name + "-renamed");
        co_await renamed.destroy();
        BOOST_TEST(static_cast<int>((co_await find_machine(b, name + "-renamed")).state) ==
                   static_cast<int>(machine_state::terminated));
    });
}

// find_* with id_or_name: the command line's rule (<mistasync/lookup.hpp>): an id (a
// machine's uuid too) wins, else the one exact name; a name never matches by substring.
BOOST_AUTO_TEST_CASE(find_by_id_or_name_picks_as_the_command_line_does) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        BOOST_TEST((co_await mist.find_backend({.id_or_name = "NephoScale"})).id == b.id);
        BOOST_TEST((co_await mist.find_backend({.id_or_name = b.id})).title == "NephoScale");
        BOOST_TEST((co_await mist.find_key({.id_or_name = "MyKey"})).is_default);
        const std::string prefix = std::string("twin-") + era_name(era);
        auto first = co_await b.create_machine(co_await debian(b, prefix));
        auto second = co_await b.create_machine(co_await debian(b, prefix));
        auto longer = co_await b.create_machine(co_await debian(b, prefix + "-server"));
        BOOST_TEST((co_await mist.find_machine({.id_or_name = prefix + "-server"})).id == longer.id);
        BOOST_TEST((co_await mist.find_machine({.id_or_name = second.id})).id == second.id);
        const machine listed = co_await mist.find_machine({.id_or_name = first.id});
        BOOST_TEST((co_await mist.find_machine({.id_or_name = listed.uuid})).id == first.id);
        diagnostics d;
        auto [ec, none] = co_await mist.find_machine({.id_or_name = prefix}, with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
        BOOST_TEST(ec == errc::not_found_locally);
        BOOST_TEST(d.client_message.find("2 machines are named '" + prefix + "': give the id instead") == 0u);
        BOOST_TEST(d.client_message.find(first.id) != std::string::npos);
        BOOST_TEST(d.client_message.find(second.id) != std::string::npos);
        auto [ec2, missing] = co_await mist.find_backend({.id_or_name = "Nepho"}, with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
        BOOST_TEST(ec2 == errc::not_found_locally);  // no substring match
        BOOST_TEST(d.client_message == "no backend named or with the id 'Nepho'");
        for (const created_machine& made : {first, second, longer}) co_await b.machine_from(made).destroy();
    });
}

BOOST_AUTO_TEST_CASE(keys_and_associations) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto keys = co_await mist.keys();
        BOOST_REQUIRE(!keys.empty());
        auto my_key = keys.at(0);
        BOOST_TEST(my_key.name == "MyKey");
        BOOST_TEST(my_key.is_default);
        BOOST_TEST(my_key.associations.at(0).port == 22);
        BOOST_TEST((co_await my_key.public_key()).starts_with("ssh-rsa "));
        BOOST_TEST((co_await my_key.private_key()).starts_with("-----BEGIN RSA PRIVATE KEY-----"));

        auto generated = co_await mist.generate_key();
        BOOST_TEST(generated.private_key.starts_with("-----BEGIN"));
        std::string name = std::string("Extra-") + era_name(era);
        auto added = co_await mist.add_key(name, generated.private_key);
        BOOST_TEST(added.name == name);
        BOOST_TEST((co_await mist.keys({.name = name})).size() == 1u);
        co_await added.make_default();
        BOOST_TEST((co_await mist.keys({.name = name})).at(0).is_default);
        co_await my_key.make_default();

        // Associate with a machine that answers SSH (2015 deploys over SSH).
        auto b = co_await nephoscale(mist);
        auto db = co_await find_machine(b, "dbserver1");
        auto associations = co_await db.associate_key(added.id, {.user = "deploy", .port = 2222});
        BOOST_REQUIRE_EQUAL(associations.size(), 1u);
        BOOST_TEST(associations[0].machine_id == db.id);
        BOOST_TEST(associations[0].backend_id == b.id);
        BOOST_TEST(associations[0].ssh_user.value_or("") == "deploy");
        BOOST_TEST(associations[0].port == 2222);
        BOOST_TEST((co_await db.disassociate_key(added.id)).empty());

        if (era == api_era::v1) {
            co_await added.rename(name + "-2");
            BOOST_TEST((co_await mist.keys({.name = name + "-2"})).size() == 1u);
        }
        co_await added.remove();
        BOOST_TEST((co_await mist.keys({.search = "Extra"})).empty());
    });
}

BOOST_AUTO_TEST_CASE(async_create_and_job) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        std::string name = std::string("batch-") + era_name(era);
        std::string job_id = co_await b.create_machines(co_await debian(b, name, false), 3);
        BOOST_TEST(job_id.size() == 32u);
        job j;
        if (era == api_era::v2) {  // 404 until a worker logs the job's story
            for (int i = 0; i < 100; ++i) {
                auto [ec, early] = co_await mist.job(job_id, asio::as_tuple(asio::use_awaitable));
                if (!ec) break;
                BOOST_TEST(ec == errc::not_found);
                co_await pause(20ms);
            }
        }
        j = co_await mist.job(job_id);
        BOOST_TEST(!j.finished());
        for (int i = 0; i < 200 && !(j = co_await mist.job(job_id)).finished(); ++i) co_await pause(20ms);
        BOOST_TEST(j.finished());
        BOOST_TEST(j.quantity == 3);
        BOOST_TEST(j.created.success == 3);
        BOOST_TEST(j.probed.success == 3);
        BOOST_TEST(j.error.empty());
        int finished = 0;
        for (auto& ev : j.events)
            if (ev.action == "machine_creation_finished") ++finished;
        BOOST_TEST(finished == 3);
        BOOST_TEST((co_await b.machines({.search = name})).size() == 3u);
    });
}

BOOST_AUTO_TEST_CASE(errors_carry_status_message_method_path) {
    client_env env{quick_records()};
    for_each_era(env, [&](client& mist, api_era era) -> asio::awaitable<void> {
        auto b = co_await nephoscale(mist);
        try {
            machine_spec spec = co_await debian(b, "x", false);
            spec.key = "NoSuchKey";
            co_await b.create_machine(spec);
            BOOST_FAIL("expected an error");
        } catch (const mistasync::error& e) {
            BOOST_TEST(e.code() == errc::not_found);
            BOOST_TEST(e.http_status() == 404);
            BOOST_TEST(e.details().method == "POST");
            BOOST_TEST(e.details().path.ends_with("/machines"));
            std::string what = e.what();
            BOOST_TEST(what.find("404") != std::string::npos);
            BOOST_TEST(what.find(era == api_era::v2 ? "Key not found" : "NoSuchKey") != std::string::npos);
        }
        // The same details without exceptions: call_options::details.
        diagnostics d;
        auto with_details = mist.with({.details = &d});
        auto [ec, jobs] = co_await with_details.job("0123456789abcdef0123456789abcdef", asio::as_tuple(asio::use_awaitable));
        BOOST_TEST(ec == errc::not_found);
        BOOST_TEST(d.http_status == 404);
        BOOST_TEST(d.server_message.starts_with(era == api_era::v2 ? "Job not found" : "Not Found"));
        BOOST_TEST(d.method == "GET");
    });
}

BOOST_AUTO_TEST_CASE(other_completion_tokens) {
    client_env env{quick_records()};
    auto mist = env.make(api_era::v1);
    // A plain callback.
    std::size_t count = 0;
    boost::system::error_code seen;
    mist.backends({}, [&](boost::system::error_code ec, std::vector<backend> list) {
        seen = ec;
        count = list.size();
    });
    env.io.restart();
    env.io.run();
    BOOST_TEST(!seen);
    BOOST_TEST(count == 3u);
    // std::future.
    auto fut = mist.keys({}, asio::use_future);
    env.io.restart();
    env.io.run();
    BOOST_TEST(fut.get().size() == 1u);
    // void operations with callbacks.
    bool called = false;
    mist.backends({.name = "Docker"}, [&](boost::system::error_code, std::vector<backend> list) {
        list.at(0).disable([&](boost::system::error_code ec) { called = !ec; });
    });
    env.io.restart();
    env.io.run();
    BOOST_TEST(called);
    // with_diagnostics(token): any token, a failure as mistasync::error with its diagnostics.
    auto missing = mist.find_machine({.name = "no-such-machine"}, with_diagnostics(asio::use_future));
    env.io.restart();
    env.io.run();
    try {
        missing.get();
        BOOST_TEST(false);
    } catch (const mistasync::error& e) {
        BOOST_TEST(e.code() == errc::not_found_locally);
        BOOST_TEST(e.details().client_message.find("no-such-machine") != std::string::npos);
    }
    // ...and a plain use_future keeps the error code alone (a system_error).
    auto plain = mist.find_machine({.name = "no-such-machine"}, asio::use_future);
    env.io.restart();
    env.io.run();
    BOOST_CHECK_THROW(plain.get(), boost::system::system_error);
    // with_diagnostics(d, token): the error code to the token, this call's diagnostics to d.
    env.run([&]() -> asio::awaitable<void> {
        diagnostics d;
        auto [ec, m] = co_await mist.find_machine({.name = "no-such-machine"}, with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
        BOOST_TEST(ec == errc::not_found_locally);
        BOOST_TEST(d.client_message.find("no-such-machine") != std::string::npos);
        auto [ok_ec, b] = co_await mist.find_backend({.name = "NephoScale"}, with_diagnostics(d, asio::as_tuple(asio::use_awaitable)));
        BOOST_TEST(!ok_ec);
        BOOST_TEST(d.client_message.empty());  // cleared on success
    });
    // with_diagnostics(deferred), awaited.
    env.run([&]() -> asio::awaitable<void> {
        auto op = mist.find_backend({.name = "NephoScale"}, with_diagnostics(asio::deferred));
        backend b = co_await std::move(op)(asio::use_awaitable);
        BOOST_TEST(b.title == "NephoScale");
    });
}

// machines/views.py machine_actions (dcf483f) reads the new size from `size`.
BOOST_AUTO_TEST_CASE(a_v1_resize_sends_the_size_mist_api_reads) {
    client_env env{quick_records()};
    auto mist = env.make(api_era::v1);
    env.run([&]() -> asio::awaitable<void> {
        auto list = co_await mist.backends({.name = "EC2 AP NORTHEAST"});
        backend ec2 = list.at(0);
        auto sizes = co_await ec2.sizes();
        auto images = co_await ec2.images();
        machine_spec spec{.name = "resized", .image = images.at(0).id, .size = sizes.at(0).id};
        co_await ec2.create_machine(spec);
        machine m = co_await wait_for_state(ec2, "resized", machine_state::running);
        BOOST_TEST_REQUIRE(m.actions.resize);
        co_await m.resize(sizes.at(1).id);
        BOOST_TEST((co_await find_machine(ec2, "resized")).size_id == sizes.at(1).id);
    });
}
