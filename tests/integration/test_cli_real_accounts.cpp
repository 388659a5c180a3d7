// The command line on a real account: a Python-written ~/.mist, no silent simulator,
// clouds that are down or refuse their credentials, machines without an address.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <sys/stat.h>

using namespace mistasync::test::cli_harness;

namespace {

// A HOME of its own for one test, removed afterwards.
struct temporary_home {
    fs::path dir = fs::temp_directory_path() / ("mistasync-home-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    temporary_home() { fs::create_directories(dir); }
    ~temporary_home() { fs::remove_all(dir); }
    void write_mist_file(const std::string& text, mode_t mode = 0600) {
        std::ofstream(dir / ".mist") << text;
        ::chmod((dir / ".mist").c_str(), mode);
    }
    static inline int count = 0;
};

}  // namespace

BOOST_AUTO_TEST_CASE(a_mist_file_written_by_the_python_client) {
    standalone_sim sim({"--email", "me@example.com", "--password", "pw"});
    temporary_home home;
    // As the Python `mist` command writes it: URL under [mist.io], credentials below.
    home.write_mist_file("[mist.io]\nmist_uri=" + sim.url + "\n[mist.credentials]\nemail=me@example.com\npassword=pw\norg_name=\napi_token=\n");
    auto listed = cli_alone({"list-backends", "--json"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(listed.status == 0, listed.err);
    BOOST_TEST(listed.doc().as_array().size() == 3u);
    BOOST_TEST(listed.err.find("simulator") == std::string::npos);

    // api_token is used as the token.
    home.write_mist_file("[mist.io]\nmist_uri=" + sim.url + "\n[mist.credentials]\napi_token=" + sim.token + "\n");
    auto by_token = cli_alone({"list-keys", "--json"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(by_token.status == 0, by_token.err);

    // It holds a password: readable by others, a warning.
    home.write_mist_file("[mist.io]\nmist_uri=" + sim.url + "\n[mist.credentials]\nemail=me@example.com\npassword=pw\n", 0644);
    auto warned = cli_alone({"list-backends"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(warned.status == 0);
    BOOST_TEST(warned.err.find("readable by other users") != std::string::npos);
    BOOST_TEST(warned.err.find("pw") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_server_anywhere_is_a_usage_error_not_the_simulator) {
    temporary_home home;
    for (const char* verb : {"list-backends", "provision"}) {
        auto o = cli_alone({verb}, {{"HOME", home.dir.string()}});
        BOOST_TEST(o.status == 2, verb);
        BOOST_TEST(o.out.empty());
        BOOST_TEST(o.err.find("no mist.io server given") != std::string::npos);
        BOOST_TEST(o.err.find("--url") != std::string::npos);
        BOOST_TEST(o.err.find("--simulator") != std::string::npos);
    }
    // Credentials but no URL (a ~/.mist with [mist.credentials] only): still no server.
    home.write_mist_file("[mist.credentials]\nemail=me@example.com\npassword=pw\n");
    BOOST_TEST(cli_alone({"list-backends"}, {{"HOME", home.dir.string()}}).status == 2);

    // Asked for: the simulator, and it says so.
    auto flagged = cli_alone({"--simulator", "list-backends"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(flagged.status == 0);
    BOOST_TEST(flagged.out.find("NephoScale") != std::string::npos);
    BOOST_TEST(flagged.err.find("embedded simulator") != std::string::npos);
    auto by_variable = cli_alone({"list-backends"}, {{"HOME", home.dir.string()}, {"MIST_URL", "simulator"}});
    BOOST_TEST(by_variable.status == 0);
    BOOST_TEST(cli_alone({"--simulator", "--url", "https://mist.example.com", "list-backends"}, {{"HOME", home.dir.string()}}).status == 2);
}

BOOST_AUTO_TEST_CASE(broken_clouds_in_lists_and_lookups_in_both_eras) {
    standalone_sim sim({"--broken-backend", "EC2 AP NORTHEAST=unavailable", "--broken-backend", "Docker=bad-credentials"});
    for (const char* api : {"legacy", "v1"}) {
        BOOST_TEST_CONTEXT(api) {
            // The machines it got, each failing backend named on stderr, exit 1: incomplete.
            auto listed = cli(sim, {"--api", api, "list-machines"});
            BOOST_TEST(listed.status == 1);
            BOOST_TEST(listed.out.find("dbserver1") != std::string::npos);
            BOOST_TEST(listed.err.find("backend 'EC2 AP NORTHEAST' could not be listed: 503") != std::string::npos);
            BOOST_TEST(listed.err.find("backend 'Docker' could not be listed: 401") != std::string::npos);
            auto as_json = cli(sim, {"--api", api, "list-machines", "--json"});
            BOOST_TEST(as_json.status == 1);
            BOOST_TEST(as_json.doc().as_array().size() == 2u);
            // A healthy backend's list is complete.
            BOOST_TEST(cli(sim, {"--api", api, "list-machines", "--backend", "NephoScale"}).status == 0);

            // Found in a healthy backend: done (the broken ones are still named).
            // (A machine per era: the first reboot is still under way when the second era asks.)
            auto rebooted = cli(sim, {"--api", api, "reboot", std::string(api) == "v1" ? "dev-web-1" : "dbserver1"});
            BOOST_TEST(rebooted.status == 0, rebooted.err);
            BOOST_TEST(rebooted.err.find("'Docker'") != std::string::npos);
            // Not found: it may be in a backend that could not be listed.
            auto missing = cli(sim, {"--api", api, "stop", "web-elsewhere"});
            BOOST_TEST(missing.status == 1);
            BOOST_TEST(missing.err.find("may be in 'EC2 AP NORTHEAST'") != std::string::npos);
        }
    }
}

BOOST_AUTO_TEST_CASE(probe_wait_on_a_machine_that_has_no_address_yet) {
    standalone_sim sim({"--addresses", "when-running", "--boot-delay", "1", "--ssh-delay", "0.3"});
    for (const char* api : {"legacy", "v1"}) {
        BOOST_TEST_CONTEXT(api) {
            std::string name = std::string("web-") + api;
            auto created = cli(sim, {"--api", api, "create-machine", "--backend", "NephoScale", "--name", name, "--image", "51",
                                     "--size", "221", "--json"});
            BOOST_TEST(created.status == 0, created.err);
            BOOST_TEST(created.doc().at("public_ips").as_array().empty());
            auto probed = cli(sim, {"--api", api, "probe", name, "--wait", "--deadline", "20", "--json"});
            BOOST_TEST(probed.status == 0, probed.err);
            BOOST_TEST(probed.doc().at("reachable").as_bool());
        }
    }
}

// A user in two organizations: --org by name or id, org_name in ~/.mist as the 2022 Python
// client writes it, a profile's org; a wrong one is a clear error; --org beside a token is
// a usage error.
BOOST_AUTO_TEST_CASE(organizations_from_the_command_line_the_mist_file_and_profiles) {
    standalone_sim sim({"--email", "me@example.com", "--password", "pw"});
    temporary_home home;
    const std::map<std::string, std::string> env{{"HOME", home.dir.string()}};
    const std::vector<std::string> login{"--url", sim.url, "--email", "me@example.com", "--password", "pw"};
    auto with_login = [&](std::vector<std::string> args) {
        args.insert(args.begin(), login.begin(), login.end());
        return args;
    };
    auto orgs = cli_alone(with_login({"list-orgs", "--json"}), env);
    BOOST_TEST_REQUIRE(orgs.status == 0, orgs.err);
    BOOST_TEST_REQUIRE(orgs.doc().as_array().size() == 2u);
    const std::string lab_id(orgs.doc().at(1).at("id").as_string());

    auto titles = [&](const outcome& o) {
        std::string all;
        const auto doc = o.doc();
        for (auto& b : doc.as_array()) all += std::string(b.at("title").as_string()) + ";";
        return all;
    };
    auto by_name = cli_alone(with_login({"--org", "Lab", "list-backends", "--json"}), env);
    BOOST_TEST(by_name.status == 0, by_name.err);
    BOOST_TEST(titles(by_name) == "Lab NephoScale;");
    auto by_id = cli_alone(with_login({"--org", lab_id, "list-machines", "--json"}), env);
    BOOST_TEST(by_id.status == 0, by_id.err);
    BOOST_TEST(by_id.out.find("lab-box") != std::string::npos, by_id.out);
    BOOST_TEST(by_id.out.find("dbserver1") == std::string::npos, by_id.out);
    BOOST_TEST(titles(cli_alone(with_login({"list-backends", "--json"}), env)) == "NephoScale;EC2 AP NORTHEAST;Docker;");

    // ~/.mist as the 2022 Python client writes it.
    home.write_mist_file("[mist.io]\nmist_uri=" + sim.url + "\n[mist.credentials]\nemail=me@example.com\npassword=pw\norg_name=Lab\napi_token=\n");
    auto from_file = cli_alone({"list-backends", "--json"}, env);
    BOOST_TEST(from_file.status == 0, from_file.err);
    BOOST_TEST(titles(from_file) == "Lab NephoScale;");
    // A profile's org.
    home.write_mist_file("[profile lab]\nurl=" + sim.url + "\nemail=me@example.com\npassword=pw\norg=" + lab_id + "\n");
    auto from_profile = cli_alone({"--profile", "lab", "list-backends", "--json"}, env);
    BOOST_TEST(from_profile.status == 0, from_profile.err);
    BOOST_TEST(titles(from_profile) == "Lab NephoScale;");

    // A wrong organization: the login fails and says what the server gave.
    auto wrong = cli_alone(with_login({"--org", "Nope", "list-backends"}), env);
    BOOST_TEST(wrong.status == 1);
    BOOST_TEST(wrong.err.find("not 'Nope'") != std::string::npos, wrong.err);
    auto foreign = cli_alone(with_login({"--org", "Elsewhere", "list-backends"}), env);
    BOOST_TEST(foreign.status == 1);
    BOOST_TEST(foreign.err.find("403") != std::string::npos, foreign.err);
    // A token belongs to its organization.
    auto token_and_org = cli_alone({"--url", sim.url, "--token", sim.token, "--org", "Lab", "list-backends"}, env);
    BOOST_TEST(token_and_org.status == 2);
    BOOST_TEST(token_and_org.err.find("a token belongs to the organization it was made for") != std::string::npos, token_and_org.err);
}
