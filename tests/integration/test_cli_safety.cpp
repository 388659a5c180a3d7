// The command line where it meets people's accounts, files and fingers: a batch killed at
// any moment and resumed makes exactly the names asked for; cleanup destroys only what
// its journal proves is the batch's; busy and full journals; secrets never echoed;
// numbers parsed strictly; server names that cannot rewrite the terminal.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <set>
#include <sys/stat.h>

using namespace mistasync::test::cli_harness;

namespace {

fs::path temp_path(const std::string& tag) {
    auto p = fs::temp_directory_path() / ("mistasync-clisafe-" + tag + "-" + std::to_string(::getpid()));
    fs::remove_all(p);
    return p;
}

}  // namespace

// kill -9 while creates of half a second are in flight, at three different moments (the
// batch takes about three seconds); the same command again then ends with exactly one
// machine per requested name.
BOOST_AUTO_TEST_CASE(kill_9_at_any_moment_then_resume_makes_exactly_the_names) {
    for (auto moment : {300ms, 1200ms, 2500ms}) {
        BOOST_TEST_CONTEXT("killed after " << moment.count() << " ms") {
            standalone_sim sim({"--create-latency-ms", "500", "--boot-delay", "0.2", "--ssh-delay", "0.2"});
            auto journal = temp_path("kill.jsonl");
            std::vector<std::string> args{"provision", "--name", "k", "--count", "50", "--concurrency", "10", "--journal",
                                          journal.string(), "--reconcile-window", "2", "--json"};
            {
                process p(with_credentials(sim, args));
                std::this_thread::sleep_for(moment);
                p.signal(SIGKILL);
                BOOST_TEST(p.wait().status == 128 + SIGKILL);
            }
            auto resumed = cli(sim, args);
            BOOST_TEST(resumed.status == 0, resumed.err);
            auto doc = resumed.doc();
            BOOST_TEST(doc.at("probed").as_int64() == 50);
            auto machines = live(sim, "k-");
            BOOST_TEST(machines.size() == 50u);
            for (auto& [name, ids] : machines) BOOST_TEST(ids.size() == 1u, name);
            fs::remove(journal);
        }
    }
}

// The user has two machines named web-1; a batch allowed to share that name is killed with
// creates in flight; cleanup destroys the batch's machines and neither of the user's.
BOOST_AUTO_TEST_CASE(cleanup_never_destroys_what_was_there_before_the_batch) {
    standalone_sim sim({"--create-latency-ms", "1000", "--boot-delay", "0.2", "--ssh-delay", "0.2"});
    for (int i = 0; i < 2; ++i)
        BOOST_TEST(cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "web-1", "--image", "51", "--size", "221"}).status == 0);
    auto users = live(sim, "web-1")["web-1"];
    BOOST_TEST_REQUIRE(users.size() == 2u);

    auto journal = temp_path("owned.jsonl");
    auto refused = cli(sim, {"provision", "--backend", "NephoScale", "--name", "web", "--count", "3", "--journal", journal.string()});
    BOOST_TEST(refused.status == 1);
    BOOST_TEST(refused.err.find("already exist") != std::string::npos, refused.err);

    {
        process p(with_credentials(sim, {"provision", "--backend", "NephoScale", "--name", "web", "--count", "3",
                                         "--allow-existing-names", "--journal", journal.string()}));
        std::this_thread::sleep_for(500ms);  // all three creates sent, none answered
        p.signal(SIGKILL);
        p.wait();
    }
    std::this_thread::sleep_for(1500ms);  // the server finishes them
    auto before = live(sim, "web-");
    BOOST_TEST(before["web-1"].size() == 3u);
    auto cleaned = cli(sim, {"cleanup", "--journal", journal.string(), "--json"});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(cleaned.doc().at("destroyed").as_int64() == 3);
    auto after = live(sim, "web-");
    BOOST_TEST(after.size() == 1u);
    std::set<std::string> left(after["web-1"].begin(), after["web-1"].end());
    BOOST_TEST(left == std::set<std::string>(users.begin(), users.end()));
    fs::remove(journal);
}

// A journal whose ids are another batch's machines (ids are deterministic in the
// simulator, and some providers reuse them) destroys nothing: id and name must match.
// One of another server is refused outright.
BOOST_AUTO_TEST_CASE(cleanup_matches_id_and_name_and_refuses_another_server) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2"});
    auto made = cli(sim, {"provision", "--backend", "NephoScale", "--name", "cj", "--count", "3", "--no-probe", "--json"});
    BOOST_TEST_REQUIRE(made.status == 0, made.err);
    std::string backend_id;
    auto backends = cli(sim, {"list-backends", "--json"}).doc();
    for (auto& b : backends.as_array())
        if (b.at("title") == "NephoScale") backend_id = json::value_to<std::string>(b.at("id"));
    auto journal = temp_path("stale.jsonl");
    {
        std::ofstream out(journal);
        out << json::serialize(json::object{{"event", "batch"}, {"server", sim.url}, {"backend", backend_id}, {"preexisting", json::array()}}) << "\n";
        int i = 1;
        auto made_doc = made.doc();
        for (auto& m : made_doc.at("machines").as_array())
            out << json::serialize(json::object{{"event", "created"}, {"name", "jt-" + std::to_string(i++)}, {"backend", backend_id}, {"id", m.at("id")}})
                << "\n";
    }
    auto cleaned = cli(sim, {"cleanup", "--journal", journal.string(), "--json"});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(cleaned.doc().at("destroyed").as_int64() == 0);
    BOOST_TEST(live(sim, "cj-").size() == 3u);

    standalone_sim other;
    auto foreign = cli(other, {"cleanup", "--journal", journal.string()});
    BOOST_TEST(foreign.status == 1);
    BOOST_TEST(foreign.err.find("records a batch on " + sim.url) != std::string::npos, foreign.err);

    auto missing = cli(sim, {"cleanup", "--journal", (journal.string() + ".nope")});
    BOOST_TEST(missing.status == 2);
    BOOST_TEST(missing.err.find(journal.string() + ".nope") != std::string::npos);
    fs::remove(journal);
}

// A second run on a journal in use exits at once; a journal that hits a file-size limit
// stops the batch, which still prints its full report.
BOOST_AUTO_TEST_CASE(busy_and_full_journals) {
    standalone_sim sim({"--create-latency-ms", "300", "--boot-delay", "0.2", "--ssh-delay", "0.2"});
    auto journal = temp_path("busy.jsonl");
    std::vector<std::string> args{"provision", "--name", "b", "--count", "10", "--concurrency", "5", "--no-probe", "--journal",
                                  journal.string(), "--json"};
    process first(with_credentials(sim, args));
    std::this_thread::sleep_for(400ms);
    auto t0 = std::chrono::steady_clock::now();
    auto second = cli(sim, args);
    BOOST_TEST((std::chrono::steady_clock::now() - t0 < 2s));
    BOOST_TEST(second.status == 1);
    BOOST_TEST(second.err.find("in use by another run") != std::string::npos, second.err);
    BOOST_TEST(first.wait().status == 0);
    for (auto& [name, ids] : live(sim, "b-")) BOOST_TEST(ids.size() == 1u, name);
    struct stat st {};
    ::stat(journal.c_str(), &st);
    BOOST_TEST((st.st_mode & 0777) == 0600u);
    fs::remove(journal);

    // ulimit -f 3: 3 KB of journal, then EFBIG (SIGXFSZ is ignored by the CLI). The limit
    // holds for the captured stdout too: 20 machines' report fits.
    auto full = temp_path("full.jsonl");
    std::string command = "ulimit -f 3; exec " + binary("MISTASYNC_CLI_BINARY") + " --url " + sim.url + " --token " + sim.token +
                          " provision --name f --count 20 --concurrency 4 --no-probe --json --journal " + full.string();
    process limited({"/bin/bash", "-c", command});
    auto o = limited.wait();
    BOOST_TEST(o.status == 1, o.err);
    BOOST_TEST(o.err.find("could not be written") != std::string::npos, o.err);
    auto doc = o.doc();
    auto created = doc.at("created").as_int64();
    BOOST_TEST(created > 0);
    BOOST_TEST(created < 20);
    BOOST_TEST(live(sim, "f-").size() == static_cast<std::size_t>(created));
    fs::remove(full);
}

// A value missing after a flag never swallows the next flag, and no word after a secret
// flag reaches the screen.
BOOST_AUTO_TEST_CASE(secrets_are_never_echoed) {
    for (std::vector<std::string> args : {std::vector<std::string>{"--url", "--token", "T0PSECRET", "list-machines"},
                                          {"--url", "--password", "T0PSECRET", "list-machines"},
                                          {"--token", "--url", "T0PSECRET", "list-machines"},
                                          {"--url", "http://127.0.0.1:9", "--email", "a@b", "--password"}}) {
        auto o = cli_alone(args);
        BOOST_TEST(o.status == 2);
        BOOST_TEST(o.err.find("T0PSECRET") == std::string::npos, o.err);
        BOOST_TEST(o.err.find("needs a value") != std::string::npos, o.err);
    }
    auto userinfo = cli_alone({"--url", "https://me:T0PSECRET@mist.example.com", "list-backends"});
    BOOST_TEST(userinfo.status == 2);
    BOOST_TEST(userinfo.err.find("T0PSECRET") == std::string::npos, userinfo.err);
    auto bad_url = cli_alone({"--url", "ftp://x", "--token", "t", "list-backends"});
    BOOST_TEST(bad_url.status == 2);
    BOOST_TEST(bad_url.err.find("mistasync: mistasync:") == std::string::npos, bad_url.err);
    // A password in clear over the network is refused; to this machine it is allowed.
    auto plain = cli_alone({"--url", "http://mist.example.com", "--email", "a@b", "--password", "pw", "list-backends"});
    BOOST_TEST(plain.status == 2);
    BOOST_TEST(plain.err.find("plain http") != std::string::npos, plain.err);
    // --insecure says so.
    auto insecure = cli_alone({"--url", "https://127.0.0.1:9", "--insecure", "--token", "t", "list-backends", "--timeout", "2"});
    BOOST_TEST(insecure.err.find("TLS verification is OFF") != std::string::npos, insecure.err);
}

BOOST_AUTO_TEST_CASE(mist_file_permissions) {
    auto home = temp_path("home");
    fs::create_directories(home);
    auto file = home / ".mist";
    std::ofstream(file) << "[mist.credentials]\nemail = a@b\npassword = pw\n";
    ::chmod(file.c_str(), 0666);
    auto refused = cli_alone({"--url", "http://127.0.0.1:9", "list-backends"}, {{"HOME", home.string()}});
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(refused.err.find("writable by other users") != std::string::npos, refused.err);
    ::chmod(file.c_str(), 0644);
    auto warned = cli_alone({"--url", "http://127.0.0.1:9", "list-backends", "--timeout", "2"}, {{"HOME", home.string()}});
    BOOST_TEST(warned.err.find("readable by other users") != std::string::npos, warned.err);
    ::chmod(file.c_str(), 0600);
    auto quiet = cli_alone({"--url", "http://127.0.0.1:9", "list-backends", "--timeout", "2"}, {{"HOME", home.string()}});
    BOOST_TEST(quiet.err.find("other users") == std::string::npos, quiet.err);
    fs::remove_all(home);
}

BOOST_AUTO_TEST_CASE(numbers_are_parsed_strictly) {
    standalone_sim sim;
    for (std::string bad : {"nan", "inf", "1e30", "1.7", "0x2", "-1", "0", "", "99999999999999999999"}) {
        auto o = cli(sim, {"provision", "--count", bad});
        BOOST_TEST(o.status == 2, "--count " << bad);
        BOOST_TEST(o.err.find("takes a whole number") != std::string::npos, o.err);
    }
    for (std::string flag : {"--concurrency", "--probe-deadline", "--reconcile-window"})
        for (std::string bad : {"inf", "nan", "-3", "1e3"}) BOOST_TEST(cli(sim, {"provision", flag, bad}).status == 2, flag << " " << bad);
    BOOST_TEST(cli(sim, {"--timeout", "nan", "list-backends"}).status == 2);
    BOOST_TEST(cli(sim, {"--timeout", "0", "list-backends"}).status == 2);

    for (std::vector<std::string> bad : {std::vector<std::string>{"--boot-delay", "abc"}, {"--max-body", "-1"}, {"--fault-rate", "nan"},
                                         {"--latency-ms", "1e9"}, {"--listen", "127.0.0.1:99999"}}) {
        bad.insert(bad.begin(), binary("MISTSIM_BINARY"));
        process p(bad);
        auto o = p.wait();
        BOOST_TEST(o.status == 2, bad[1]);
        BOOST_TEST(o.err.find("stod") == std::string::npos, o.err);
        BOOST_TEST(o.err.find("takes") != std::string::npos, o.err);
    }
}

// Names are the server's (or any account member's) to choose: a table shows them without
// their control characters, and cuts very long ones.
BOOST_AUTO_TEST_CASE(tables_do_not_pass_escape_sequences_to_the_terminal) {
    standalone_sim sim;
    std::string evil = "evil\x1b]0;pwned\x07\x1b[2J" + std::string(300, 'x');
    BOOST_TEST(cli(sim, {"create-machine", "--backend", "NephoScale", "--name", evil, "--image", "51", "--size", "221"}).status == 0);
    auto table = cli(sim, {"list-machines"});
    BOOST_TEST(table.status == 0);
    BOOST_TEST(table.out.find('\x1b') == std::string::npos);
    BOOST_TEST(table.out.find('\x07') == std::string::npos);
    BOOST_TEST(table.out.find(std::string(200, 'x')) == std::string::npos);
    BOOST_TEST(table.out.find("evil?]0;pwned??[2J") != std::string::npos);
}

// Two Ctrl-C: the first waits for creates already sent, the second stops at once and says
// what may remain.
BOOST_AUTO_TEST_CASE(a_second_ctrl_c_stops_at_once) {
    standalone_sim sim({"--create-latency-ms", "30000"});  // far beyond the bound below
    process p(with_credentials(sim, {"provision", "--name", "slow", "--count", "10", "--concurrency", "5", "--json"}));
    std::this_thread::sleep_for(800ms);
    p.signal(SIGINT);
    std::this_thread::sleep_for(400ms);
    auto second = std::chrono::steady_clock::now();
    p.signal(SIGINT);
    auto o = p.wait(30s);
    BOOST_TEST((std::chrono::steady_clock::now() - second < 10s));
    BOOST_TEST(o.status == 130);
    BOOST_TEST(o.err.find("Ctrl-C again") != std::string::npos, o.err);
    BOOST_TEST(o.err.find("may exist") != std::string::npos, o.err);
    std::size_t may = 0;
    auto doc = o.doc();
    for (auto& m : doc.at("machines").as_array()) may += m.at("may_exist").as_bool();
    BOOST_TEST(may == 5u);
}

// Out of file descriptors, mistsim waits instead of spinning on accept, and serves again
// once connections close.
BOOST_AUTO_TEST_CASE(mistsim_does_not_spin_when_out_of_descriptors) {
    // Under UBSan, the sanitizer itself needs a descriptor (a pipe) to check memory; out of
    // them it reports a false "invalid vptr" and, with halt_on_error, stops mistsim.
    process sim_proc({"/bin/bash", "-c", "ulimit -n 48; exec " + binary("MISTSIM_BINARY") + " --listen 127.0.0.1:0 --no-auth"},
                     {{"UBSAN_OPTIONS", "halt_on_error=0:print_stacktrace=0"}});
    std::string url;
    for (int i = 0; i < 500 && url.empty(); ++i) {
        std::this_thread::sleep_for(10ms);
        std::istringstream lines(sim_proc.out_so_far());
        for (std::string line; std::getline(lines, line);)
            if (line.starts_with("listening on ")) url = line.substr(13);
    }
    BOOST_TEST_REQUIRE(!url.empty());
    auto port = static_cast<unsigned short>(std::stoi(url.substr(url.rfind(':') + 1)));
    boost::asio::io_context io;
    std::vector<boost::asio::ip::tcp::socket> sockets;
    for (int i = 0; i < 80; ++i) {
        boost::asio::ip::tcp::socket s(io);
        boost::system::error_code ec;
        s.connect({boost::asio::ip::make_address("127.0.0.1"), port}, ec);
        if (!ec) sockets.push_back(std::move(s));
    }
    auto cpu_ticks = [&] {
        std::ifstream stat("/proc/" + std::to_string(sim_proc.pid()) + "/stat");
        std::string text((std::istreambuf_iterator<char>(stat)), {});
        std::istringstream fields(text.substr(text.rfind(')') + 2));
        std::vector<std::string> f((std::istream_iterator<std::string>(fields)), {});
        return std::stoll(f.at(11)) + std::stoll(f.at(12));  // utime + stime
    };
    std::this_thread::sleep_for(300ms);
    auto t0 = cpu_ticks();
    std::this_thread::sleep_for(1s);
    auto used = cpu_ticks() - t0;
    BOOST_TEST(used < 30, "mistsim used " << used << " ticks in 1 s");  // a spin is ~100
    sockets.clear();
    std::this_thread::sleep_for(300ms);
    auto o = cli_alone({"--url", url, "--token", "x", "list-backends", "--json", "--timeout", "10"});
    BOOST_TEST(o.status == 0, o.err);
}

// ssh-keygen's default (OpenSSH) format is not what the server reads: the CLI says how to
// convert a copy instead of sending it.
BOOST_AUTO_TEST_CASE(add_key_explains_openssh_keys) {
    standalone_sim sim;
    auto key = temp_path("openssh_key");
    std::ofstream(key) << "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n";
    auto o = cli(sim, {"add-key", "--name", "mine", "--file", key.string()});
    BOOST_TEST(o.status == 2);
    BOOST_TEST(o.err.find("ssh-keygen -p -N '' -m PEM") != std::string::npos, o.err);
    auto keys = cli(sim, {"list-keys", "--json"}).doc();
    for (auto& k : keys.as_array()) BOOST_TEST(k.at("name") != "mine");
    fs::remove(key);
}
