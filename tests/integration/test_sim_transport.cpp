// The simulator as a network peer: keep-alive, limits, malformed requests, every
// injected fault kind, rate limiting, TLS, stop(), and the standalone mistsim binary.
#include <boost/test/unit_test.hpp>

#include "api_helpers.hpp"
#include "sim_fixture.hpp"
#include "test_ca.hpp"

#include <csignal>
#include <cstdio>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

using namespace mistasync::test;
namespace json = boost::json;

namespace {

mistasync::testing::simulator_options with_fault(double mistasync::testing::fault_mix::*kind) {
    auto o = fast_options();
    o.fault_rate = 1;
    o.faults = {0, 0, 0, 0, 0, 0, 0, 0, 0};
    o.faults.*kind = 1;
    o.stall_duration = std::chrono::milliseconds(300);
    return o;
}

std::string create_request(const sim_fixture& sim, const std::string& backend, const std::string& name) {
    std::string body = R"({"name": ")" + name + R"(", "image": "51", "size": "221"})";
    return "POST /backends/" + backend + "/machines HTTP/1.1\r\nHost: x\r\nAuthorization: " + sim.token() +
           "\r\nContent-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
}

}  // namespace

BOOST_AUTO_TEST_CASE(keep_alive_reuses_one_connection) {
    sim_fixture sim;
    auto c = sim.client();
    for (int i = 0; i < 20; ++i) BOOST_TEST(c.get("/backends").status == 200);
    BOOST_TEST(c.connections_opened() == 1);
    BOOST_TEST(sim.on_sim([](auto& s) { return s.stats().connections_accepted; }) == 1u);
}

BOOST_AUTO_TEST_CASE(oversized_body_gets_413) {
    auto o = fast_options();
    o.max_body_bytes = 1024;
    sim_fixture sim(o);
    auto c = sim.client();
    auto r = c.post("/api/v1/clouds", std::string(4096, 'x'));
    BOOST_TEST(r.status == 413);
    BOOST_TEST(c.get("/api/v1/clouds").status == 200);  // a new connection serves on
}

BOOST_AUTO_TEST_CASE(garbage_request_gets_400_and_close) {
    sim_fixture sim;
    auto c = sim.client();
    std::string reply = c.raw_exchange("THIS IS NOT HTTP\r\n\r\n");
    BOOST_TEST(reply.starts_with("HTTP/1.1 400 Bad Request"));
    BOOST_TEST(reply.find("Connection: close") != std::string::npos);
    std::string huge_header = "GET /backends HTTP/1.1\r\nX-Big: " + std::string(100000, 'a') + "\r\n\r\n";
    BOOST_TEST(c.raw_exchange(huge_header).starts_with("HTTP/1.1 431"));
    BOOST_TEST(c.get("/backends").status == 200);  // the server is still fine
}

BOOST_AUTO_TEST_CASE(no_auth_mode_like_the_standalone_server) {
    auto o = fast_options();
    o.no_auth = true;
    sim_fixture sim(o);
    auto anon = sim.anonymous_client();
    BOOST_TEST(anon.get("/backends").status == 200);
    BOOST_TEST(anon.post("/keys").status == 200);
}

BOOST_AUTO_TEST_CASE(fault_500_503_429_do_not_process) {
    for (auto kind : {&mistasync::testing::fault_mix::http_500, &mistasync::testing::fault_mix::http_503,
                      &mistasync::testing::fault_mix::http_429}) {
        sim_fixture sim(fast_options());
        auto c = sim.client();
        std::string backend = first_backend(c, "/backends");
        sim.on_sim([&](auto& s) { s.set_fault_rate(1); s.set_faults(with_fault(kind).faults); return 0; });
        auto r = c.post("/backends/" + backend + "/machines", R"({"name": "f", "image": "51", "size": "221"})");
        BOOST_TEST((r.status == 500 || r.status == 503 || r.status == 429));
        if (r.status == 429) BOOST_TEST(r.headers["retry-after"] == "1");
        if (r.status == 503) BOOST_TEST(r.body == "Service unavailable");
        BOOST_TEST(sim.on_sim([](auto& s) { return s.machines_named("f"); }) == 0u);
    }
}

BOOST_AUTO_TEST_CASE(fault_drop_before_and_after_processing) {
    for (bool after : {false, true}) {
        sim_fixture sim(fast_options());
        auto c = sim.client();
        std::string backend = first_backend(c, "/backends");
        auto kind = after ? &mistasync::testing::fault_mix::drop_after : &mistasync::testing::fault_mix::drop_before;
        sim.on_sim([&](auto& s) { s.set_fault_rate(1); s.set_faults(with_fault(kind).faults); return 0; });
        std::string reply = c.raw_exchange(create_request(sim, backend, "dropped"));
        BOOST_TEST(reply.empty());  // closed without a response byte
        BOOST_TEST(sim.on_sim([](auto& s) { return s.machines_named("dropped"); }) == (after ? 1u : 0u));
    }
}

BOOST_AUTO_TEST_CASE(fault_stall_holds_then_closes) {
    auto o = with_fault(&mistasync::testing::fault_mix::stall);  // stalls 300 ms
    o.fault_rate = 0;
    sim_fixture sim(o);
    auto c = sim.client();
    std::string backend = first_backend(c, "/backends");
    sim.on_sim([&](auto& s) { s.set_fault_rate(1); return 0; });
    auto start = std::chrono::steady_clock::now();
    std::string reply = c.raw_exchange(create_request(sim, backend, "stalled"), 10000);
    auto waited_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(reply.empty());
    BOOST_TEST(waited_ms >= 250);
    BOOST_TEST(waited_ms < 5000);  // closed by the server, not by our timeout
    BOOST_TEST(sim.on_sim([](auto& s) { return s.machines_named("stalled"); }) == 0u);
}

BOOST_AUTO_TEST_CASE(fault_truncated_slow_and_malformed_bodies) {
    sim_fixture sim(fast_options());
    auto c = sim.client();
    std::string backend = first_backend(c, "/backends");
    using fm = mistasync::testing::fault_mix;

    sim.on_sim([&](auto& s) { s.set_fault_rate(1); s.set_faults(with_fault(&fm::truncated).faults); return 0; });
    std::string reply = c.raw_exchange(create_request(sim, backend, "cut"));
    auto header_end = reply.find("\r\n\r\n");
    BOOST_REQUIRE(header_end != std::string::npos);
    auto cl = reply.find("Content-Length: ");
    std::size_t promised = std::stoul(reply.substr(cl + 16));
    BOOST_TEST(reply.size() - header_end - 4 < promised);
    BOOST_TEST(sim.on_sim([](auto& s) { return s.machines_named("cut"); }) == 1u);  // it was processed

    sim.on_sim([&](auto& s) { s.set_faults(with_fault(&fm::slow_body).faults); return 0; });
    auto slow = c.get("/backends/" + backend + "/machines");
    BOOST_TEST(slow.status == 200);
    BOOST_TEST(slow.json().as_array().size() == 3u);

    sim.on_sim([&](auto& s) { s.set_faults(with_fault(&fm::malformed_json).faults); return 0; });
    auto bad = c.get("/backends");
    BOOST_TEST(bad.status == 200);
    BOOST_CHECK_THROW(bad.json(), std::exception);
    BOOST_TEST(sim.on_sim([](auto& s) { return s.stats().faults_injected; }) >= 3u);
}

BOOST_AUTO_TEST_CASE(latency_is_added_before_responses) {
    sim_fixture sim;
    auto c = sim.client();
    sim.on_sim([](auto& s) { s.set_latency(std::chrono::milliseconds(120)); return 0; });
    auto start = std::chrono::steady_clock::now();
    BOOST_TEST(c.get("/backends").status == 200);
    auto took_ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count();
    BOOST_TEST(took_ms >= 120);
}

BOOST_AUTO_TEST_CASE(per_token_rate_limit_answers_429_with_retry_after) {
    auto o = fast_options();
    o.rate_limit_per_token = 5;
    o.retry_after_seconds = 2;
    sim_fixture sim(o);
    auto c = sim.client();
    int limited = 0;
    std::string retry_after;
    for (int i = 0; i < 30; ++i) {
        auto r = c.get("/backends");
        if (r.status == 429) {
            ++limited;
            retry_after = r.headers["retry-after"];
            BOOST_TEST(r.body == "Rate Limit Error");
        }
    }
    BOOST_TEST(limited >= 20);
    BOOST_TEST(retry_after == "2");
    BOOST_TEST(sim.legacy_client().get("/backends").status == 200);  // another token has its own bucket
}

BOOST_AUTO_TEST_CASE(stop_closes_open_connections) {
    sim_fixture sim;
    auto c = sim.client();
    BOOST_TEST(c.get("/backends").status == 200);
    BOOST_TEST(sim.on_sim([](auto& s) { return s.stats().open_connections; }) == 1u);
    sim.on_sim([](auto& s) { s.stop(); return 0; });
    BOOST_CHECK_THROW(c.get("/backends"), std::exception);
}

BOOST_AUTO_TEST_CASE(tls_serving_and_peer_verification) {
    test_ca ca = make_test_ca();
    auto o = fast_options();
    o.tls_cert_file = ca.server_cert;
    o.tls_key_file = ca.server_key;
    sim_fixture sim(o);
    BOOST_TEST(sim.on_sim([](auto& s) { return s.base_url(); }).starts_with("https://127.0.0.1:"));

    http_client trusted("127.0.0.1", sim.port(), tls_settings{ca.ca_cert, "localhost", true});
    trusted.authorization(sim.token());
    BOOST_TEST(trusted.get("/backends").status == 200);
    BOOST_TEST(trusted.get("/api/v1/clouds").status == 200);

    http_client unknown_ca("127.0.0.1", sim.port(), tls_settings{ca.other_ca_cert, "localhost", true});
    BOOST_CHECK_THROW(unknown_ca.get("/backends"), std::exception);
    http_client wrong_name("127.0.0.1", sim.port(), tls_settings{ca.ca_cert, "mist.example.com", true});
    BOOST_CHECK_THROW(wrong_name.get("/backends"), std::exception);
    http_client insecure("127.0.0.1", sim.port(), tls_settings{"", "localhost", false});
    BOOST_TEST(insecure.get("/providers").status == 200);
    // Plain HTTP to the TLS port is not served.
    http_client plain("127.0.0.1", sim.port());
    BOOST_CHECK_THROW(plain.get("/providers"), std::exception);
}

BOOST_AUTO_TEST_CASE(many_concurrent_connections) {
    sim_fixture sim;
    std::vector<std::thread> threads;
    std::atomic<int> ok{0};
    for (int t = 0; t < 16; ++t)
        threads.emplace_back([&] {
            auto c = sim.client();
            for (int i = 0; i < 25; ++i)
                if (c.get("/api/v1/clouds").status == 200) ++ok;
        });
    for (auto& t : threads) t.join();
    BOOST_TEST(ok.load() == 400);
}

BOOST_AUTO_TEST_CASE(standalone_binary_prints_address_serves_and_exits_on_sigterm) {
    const char* binary = std::getenv("MISTSIM_BINARY");
    BOOST_REQUIRE_MESSAGE(binary, "MISTSIM_BINARY is set by CTest");
    int out[2];
    BOOST_REQUIRE(pipe(out) == 0);
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, out[1], 1);
    posix_spawn_file_actions_addclose(&actions, out[0]);
    const char* argv[] = {binary, "--listen", "127.0.0.1:0", "--email", "e@x.io", "--password", "pw", "--boot-delay", "0.1",
                          "--ssh-delay", "0.1", "--seed", "5", nullptr};
    pid_t pid;
    BOOST_REQUIRE(posix_spawn(&pid, binary, &actions, nullptr, const_cast<char**>(argv), environ) == 0);
    close(out[1]);
    FILE* f = fdopen(out[0], "r");
    char line[256] = {};
    BOOST_REQUIRE(std::fgets(line, sizeof line, f));
    std::string first(line);
    BOOST_TEST(first.starts_with("listening on http://127.0.0.1:"));
    unsigned short port = static_cast<unsigned short>(std::stoi(first.substr(first.rfind(':') + 1)));
    BOOST_REQUIRE(std::fgets(line, sizeof line, f));
    std::string token_line(line);
    BOOST_TEST(token_line.starts_with("api token: "));

    http_client anon("127.0.0.1", port);
    auto login = anon.post("/api/v1/tokens", R"({"email": "e@x.io", "password": "pw"})");
    BOOST_TEST(login.status == 200);
    http_client c("127.0.0.1", port);
    c.authorization(str(login.json(), "token"));
    BOOST_TEST(c.get("/api/v1/clouds").json().as_array().size() == 3u);

    kill(pid, SIGTERM);
    int status = 0;
    waitpid(pid, &status, 0);
    BOOST_TEST(WIFEXITED(status));
    BOOST_TEST(WEXITSTATUS(status) == 0);
    std::fclose(f);
    posix_spawn_file_actions_destroy(&actions);
}
