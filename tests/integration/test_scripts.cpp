// Stored scripts in both eras: list, add, remove, run on a machine as a job, and the
// script results a job reports per machine (a run's, and a create's post-deploy script).
#include <boost/test/unit_test.hpp>

#include "in_process_env.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

using namespace mistasync;
using namespace mistasync::test;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using boost::system::error_code;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
constexpr api_era eras[] = {api_era::legacy, api_era::v1};

testing::simulator_options script_options() {
    auto so = fast_options();
    so.script_duration = 200ms;
    so.failing_scripts = {"fails-legacy", "fails-v1", "deploy-legacy-2", "deploy-v1-2"};
    so.script_failure_exit_code = 3;
    return so;
}

wait_policy quick_wait() {
    wait_policy p;
    p.interval = 50ms;
    p.max_interval = 100ms;
    p.deadline = 20s;
    return p;
}

// A machine named `name` that answers SSH.
asio::awaitable<machine> reachable_machine(client& mist, const std::string& name) {
    backend b = co_await mist.find_backend({.name = "NephoScale"});
    machine_spec spec{.name = name, .image = "51", .size = "221"};
    created_machine made = co_await b.create_machine(spec);
    machine m = co_await b.machine_from(made).wait_for_state(machine_state::running, quick_wait());
    co_await m.wait_until_probed(quick_wait());
    co_return m;
}

}  // namespace

BOOST_AUTO_TEST_CASE(scripts_are_added_listed_and_removed) {
    in_process_env env(script_options());
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                script_spec inline_spec{.name = "hello", .script = "#!/bin/sh\necho hello", .description = "says hello"};
                script_spec url_spec{.name = "remote", .script = "https://example.com/setup.sh", .location_type = "url"};
                script_spec playbook{.name = "site", .script = "acme/playbooks", .location_type = "github", .exec_type = "ansible",
                                     .entrypoint = "site.yml"};
                script hello = co_await mist.add_script(inline_spec);
                BOOST_TEST(!hello.id.empty());
                BOOST_TEST(hello.name == "hello");
                co_await mist.add_script(url_spec);
                co_await mist.add_script(playbook);
                auto all = co_await mist.scripts();
                BOOST_TEST_REQUIRE(all.size() == 3u);
                BOOST_TEST(all[0].id == hello.id);
                BOOST_TEST(all[0].source == "#!/bin/sh\necho hello");
                BOOST_TEST(all[0].description == "says hello");
                BOOST_TEST(all[0].location_type == "inline");
                BOOST_TEST(all[0].exec_type == "executable");
                BOOST_TEST(all[1].source == "https://example.com/setup.sh");
                BOOST_TEST(all[1].location_type == "url");
                BOOST_TEST(all[2].exec_type == "ansible");
                BOOST_TEST(all[2].source == "acme/playbooks");
                BOOST_TEST(all[2].entrypoint == "site.yml");

                for (auto& s : all) co_await mist.remove_script(s.id);
                BOOST_TEST((co_await mist.scripts()).empty());
                diagnostics d;
                auto [ec] = co_await mist.remove_script(hello.id, with_diagnostics(d, use_tuple));
                BOOST_TEST(ec == errc::not_found);
                BOOST_TEST(d.server_message.find("Script id not found") != std::string::npos, d.server_message);

                script_spec bad{.name = "bad", .script = "x", .exec_type = "python"};
                auto [bad_ec, ignored] = co_await mist.add_script(bad, use_tuple);
                BOOST_TEST(bad_ec == errc::bad_request);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(a_run_is_a_job_that_reports_the_exit_code_and_output) {
    in_process_env env(script_options());
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                // One world for both eras: a script's name is unique per owner (409 in v1).
                script s = co_await mist.add_script({.name = std::string("setup-") + era_name(era), .script = "#!/bin/sh\napt-get install -y nginx"});
                machine good = co_await reachable_machine(mist, std::string("works-") + era_name(era));
                machine bad = co_await reachable_machine(mist, std::string("fails-") + era_name(era));

                std::string good_job = co_await good.run_script(s.id);
                BOOST_TEST(!good_job.empty());
                job done = co_await mist.wait_for_job(good_job, quick_wait());
                BOOST_TEST(done.finished());
                BOOST_TEST_REQUIRE(done.scripts.size() == 1u);
                BOOST_TEST(done.scripts[0].machine_id == good.id);
                BOOST_TEST(done.scripts[0].succeeded());
                BOOST_TEST(done.scripts[0].exit_code == 0);
                BOOST_TEST(done.scripts[0].output_tail.find("apt-get install") != std::string::npos);
                BOOST_TEST(done.scripts[0].finished_at >= done.scripts[0].started_at);
                BOOST_TEST(done.scripted.success == 1);

                script_run_options o{.params = "--fast"};
                std::string bad_job = co_await bad.run_script(s.id, o);
                job failed = co_await mist.wait_for_job(bad_job, quick_wait());
                BOOST_TEST_REQUIRE(failed.scripts.size() == 1u);
                BOOST_TEST(!failed.scripts[0].succeeded());
                BOOST_TEST(failed.scripts[0].exit_code == 3);
                BOOST_TEST(failed.scripts[0].error.find("3") != std::string::npos, failed.scripts[0].error);
                BOOST_TEST(failed.scripted.error == 1);
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(a_machine_without_ssh_ends_the_run_at_once_with_an_error) {
    auto so = script_options();
    so.boot_delay = 30s;  // never running within the test
    in_process_env env(so);
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                script s = co_await mist.add_script({.name = std::string("setup-") + era_name(era), .script = "#!/bin/sh\ntrue"});
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                machine_spec spec{.name = std::string("booting-") + era_name(era), .image = "51", .size = "221"};
                machine m = b.machine_from(co_await b.create_machine(spec));
                job j = co_await mist.wait_for_job(co_await m.run_script(s.id), quick_wait());
                BOOST_TEST_REQUIRE(j.scripts.size() == 1u);
                BOOST_TEST(j.scripts[0].finished);
                BOOST_TEST(j.scripts[0].exit_code == -255);
                BOOST_TEST(!j.scripts[0].error.empty());
            });
        }
    }
}

BOOST_AUTO_TEST_CASE(su_and_environment_are_refused_on_a_2015_server) {
    in_process_env env(script_options());
    auto mist = env.make(api_era::legacy);
    env.run([&]() -> asio::awaitable<void> {
        script s = co_await mist.add_script({.name = "setup", .script = "#!/bin/sh\ntrue"});
        machine m = co_await reachable_machine(mist, "su-legacy");
        auto requests = env.sim.stats().requests;
        script_run_options o{.su = true};
        auto [ec, job_id] = co_await m.run_script(s.id, o, use_tuple);
        BOOST_TEST(ec == errc::invalid_argument);
        script_run_options with_env{.env = {{"A", "1"}}};
        auto [ec2, job_id2] = co_await m.run_script(s.id, with_env, use_tuple);
        BOOST_TEST(ec2 == errc::invalid_argument);
        BOOST_TEST(env.sim.stats().requests == requests);  // nothing sent
    });
}

BOOST_AUTO_TEST_CASE(a_create_job_reports_each_machines_post_deploy_script) {
    in_process_env env(script_options());
    for (api_era era : eras) {
        BOOST_TEST_CONTEXT(era_name(era)) {
            auto mist = env.make(era);
            env.run([&]() -> asio::awaitable<void> {
                backend b = co_await mist.find_backend({.name = "NephoScale"});
                machine_spec spec{.name = std::string("deploy-") + era_name(era), .image = "51", .size = "221",
                                  .script = "#!/bin/sh\nsystemctl enable web"};
                std::string job_id = co_await b.create_machines(spec, 3);
                job done = co_await mist.wait_for_job(job_id, quick_wait());
                BOOST_TEST(done.finished());
                BOOST_TEST_REQUIRE(done.scripts.size() == 3u);
                int failed = 0;
                for (auto& r : done.scripts) {
                    BOOST_TEST_CONTEXT(r.machine_name) {
                        BOOST_TEST(r.finished);
                        BOOST_TEST(!r.machine_name.empty());
                        bool should_fail = r.machine_name == spec.name + "-2";
                        BOOST_TEST(r.succeeded() == !should_fail);
                        if (should_fail) {
                            ++failed;
                            BOOST_TEST(r.exit_code == 3);
                        }
                        BOOST_TEST(r.output_tail.find("systemctl enable web") != std::string::npos);
                    }
                }
                BOOST_TEST(failed == 1);
                BOOST_TEST(done.scripted.success == 2);
                BOOST_TEST(done.scripted.error == 1);
            });
        }
    }
}
