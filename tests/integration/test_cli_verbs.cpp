// The command line's verbs as the table defines them (tools/cli/verbs.cpp): each verb and
// alias has its help and example; the Python `mist` command's spellings of verbs and
// options do what ours do; the verbs that read, rename and delete one thing; exit code 3.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"
#include "cli.hpp"
#include "verbs.hpp"

#include <regex>
#include <set>

using namespace mistasync::test::cli_harness;

namespace {

std::string text_of(const json::value& v, const char* field) { return json::value_to<std::string>(v.at(field)); }

// The id of the first entry of a listing verb's JSON.
std::string first_id(const standalone_sim& sim, std::vector<std::string> args) {
    args.push_back("--json");
    return text_of(cli(sim, args).doc().at(0), "id");
}

std::size_t count_named(const json::value& list, const std::string& name, const char* field = "name") {
    std::size_t n = 0;
    for (auto& item : list.as_array()) n += item.at(field) == name.c_str();
    return n;
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_verb_and_alias_has_its_help_and_an_example) {
    auto all = cli_alone({"--help"});
    BOOST_TEST(all.status == 0);
    BOOST_TEST(all.out.find("Exit status: 0 ok, 1 API error, 2 usage, 3 not ready") != std::string::npos, all.out);
    for (const mistcli::verb_spec& verb : mistcli::verbs()) {
        BOOST_TEST(all.out.find("\n  " + verb.name) != std::string::npos, verb.name);
        std::vector<std::string> names = verb.aliases;
        names.push_back(verb.name);
        for (const std::string& name : names) {
            for (std::vector<std::string> ask : {std::vector<std::string>{"help", name}, {name, "--help"}}) {
                auto o = cli_alone(ask);
                BOOST_TEST(o.status == 0, name);
                BOOST_TEST(o.out.find("Usage: mistasync " + verb.name) != std::string::npos, name << ": " << o.out);
                BOOST_TEST(o.out.find("Example:\n  mistasync " + verb.name) != std::string::npos, name << ": " << o.out);
            }
        }
    }
    // docs/cli.md: a section per verb, with the example its help shows.
    const std::string guide = slurp(fs::path(MISTASYNC_SOURCE_DIR) / "docs" / "cli.md");
    for (const mistcli::verb_spec& verb : mistcli::verbs()) {
        BOOST_TEST(guide.find("### `" + verb.name + "`") != std::string::npos, verb.name);
        BOOST_TEST(guide.find(std::string("```sh\n") + verb.example + "\n```") != std::string::npos, verb.name);
        for (const std::string& alias : verb.aliases) BOOST_TEST(guide.find("`" + alias + "`") != std::string::npos, alias);
    }
    auto unknown = cli_alone({"help", "frobnicate"});
    BOOST_TEST(unknown.status == 2);
    BOOST_TEST(unknown.err.find("unknown command frobnicate") != std::string::npos, unknown.err);
    // An option of another verb is a usage error, and says which.
    auto misplaced = cli_alone({"--simulator", "list-keys", "--count", "3"});
    BOOST_TEST(misplaced.status == 2);
    BOOST_TEST(misplaced.err.find("--count") != std::string::npos, misplaced.err);
}

BOOST_AUTO_TEST_CASE(backend_verbs_and_their_cloud_spellings) {
    standalone_sim sim;
    auto backends = cli(sim, {"list-backends", "--json"}).doc();
    BOOST_TEST(cli(sim, {"list-clouds", "--json", "--pretty"}).doc() == backends);
    const std::string nephoscale = [&] {
        for (auto& b : backends.as_array())
            if (b.at("title") == "NephoScale") return text_of(b, "id");
        return std::string();
    }();
    BOOST_TEST_REQUIRE(!nephoscale.empty());

    // One backend, by name, by id, as an argument or an option.
    for (std::vector<std::string> ask : {std::vector<std::string>{"describe-backend", "NephoScale"},
                                         {"describe-cloud", "--id", nephoscale}, {"describe-cloud", "--name", "NephoScale"}}) {
        ask.push_back("--json");
        auto o = cli(sim, ask);
        BOOST_TEST(o.status == 0, ask[1]);
        BOOST_TEST(o.out.find(nephoscale) != std::string::npos, o.out);
    }
    BOOST_TEST(cli(sim, {"describe-backend", "NephoScale"}).out.find("nephoscale") != std::string::npos);

    // The listing verbs take --cloud-id, --cloud-name, --backend-id ... for --backend.
    auto images = cli(sim, {"list-images", "--backend", "NephoScale", "--json"}).doc();
    for (const char* flag : {"--cloud-id", "--backend-id", "--cloud"})
        BOOST_TEST(cli(sim, {"list-images", flag, nephoscale, "--json"}).doc() == images, flag);
    for (const char* flag : {"--cloud-name", "--backend-name"})
        BOOST_TEST(cli(sim, {"list-images", flag, "NephoScale", "--json"}).doc() == images, flag);
    // Python's list-images shows starred images unless --search all: --starred here.
    BOOST_TEST(cli(sim, {"list-images", "--backend", "NephoScale", "--search", "all", "--json"}).doc() == images);
    auto docker = cli(sim, {"list-images", "--backend", "Docker", "--json"}).doc().as_array();
    auto starred = cli(sim, {"list-images", "--backend", "Docker", "--starred", "--json"}).doc().as_array();
    BOOST_TEST(!starred.empty());
    BOOST_TEST(starred.size() < docker.size());
    for (auto& i : starred) BOOST_TEST(i.at("starred").as_bool());
    BOOST_TEST(cli(sim, {"list-networks", "--cloud-name", "NephoScale", "--json"}).status == 0);
    BOOST_TEST(cli(sim, {"list-networks", "--cloud-name", "NephoScale"}).out.find("NAME") != std::string::npos);

    auto providers = cli(sim, {"list-providers", "--json"}).doc().as_array();
    BOOST_TEST(providers.size() > 5u);
    BOOST_TEST(count_named(providers, "EC2", "title") >= 1u);
    auto me = cli(sim, {"user-info"});
    BOOST_TEST(me.status == 0, me.err);
    BOOST_TEST(me.out.find('@') != std::string::npos, me.out);

    auto added = cli(sim, {"add-cloud", "--name", "Docker-2", "--provider", "docker", "--field", "docker_host=10.0.0.9", "--json"});
    BOOST_TEST(added.status == 0, added.err);
    BOOST_TEST(cli(sim, {"describe-cloud", "Docker-2", "--json"}).out.find(text_of(added.doc(), "id")) != std::string::npos);
    BOOST_TEST(cli(sim, {"delete-backend", "Docker-2"}).status == 0);
    // The Python client's per-provider options are fields of the add.
    const fs::path ca = fs::temp_directory_path() / ("mistasync-ca-" + std::to_string(::getpid()) + ".pem");
    std::ofstream(ca) << "-----BEGIN CERTIFICATE-----\n";
    auto docker_added = cli(sim, {"add-cloud", "--name", "Docker-3", "--provider", "docker", "--docker-host", "10.0.0.7", "--docker-port",
                                  "2375", "--docker-ca-cert-file", ca.string()});
    BOOST_TEST(docker_added.status == 0, docker_added.err);
    auto docker_info = cli(sim, {"--api", "v1", "describe-cloud", "Docker-3", "--json"}).doc();
    BOOST_TEST(docker_info.at("host") == "10.0.0.7");
    BOOST_TEST(docker_info.at("port") == "2375");
    BOOST_TEST(cli(sim, {"delete-cloud", "Docker-3"}).status == 0);
    fs::remove(ca);
    auto refused = cli(sim, {"add-cloud", "--name", "E", "--provider", "ec2", "--ec2-api-key", "AK", "--ec2-api-secret",
                             "T0PSECRET", "--ec2-region", "ap-northeast-1", "--ec2-bogus"});
    BOOST_TEST(refused.status == 2);
    BOOST_TEST(refused.err.find("T0PSECRET") == std::string::npos, refused.err);
    BOOST_TEST(cli(sim, {"whoami"}).out == me.out);
    BOOST_TEST(cli(sim, {"rename-cloud", "NephoScale", "--new-name", "Nepho-2"}).status == 0);
    auto renamed = cli(sim, {"list-backends", "--json"}).doc();
    BOOST_TEST(count_named(renamed, "Nepho-2", "title") == 1u);
    BOOST_TEST(count_named(renamed, "NephoScale", "title") == 0u);
    BOOST_TEST(cli(sim, {"delete-cloud", "--id", nephoscale}).status == 0);
    BOOST_TEST(cli(sim, {"list-backends", "--json"}).doc().as_array().size() == backends.as_array().size() - 1);
    BOOST_TEST(cli(sim, {"rename-backend", "Nepho-2"}).status == 2);  // --new-name missing
}

BOOST_AUTO_TEST_CASE(machine_verbs_with_the_python_spellings) {
    standalone_sim sim({"--boot-delay", "0.2", "--ssh-delay", "0.2", "--action-delay", "0.1", "--provider-lag-ms", "0"});
    const std::string image = first_id(sim, {"list-images", "--cloud-name", "NephoScale"});
    const std::string size = first_id(sim, {"list-sizes", "--cloud-name", "NephoScale"});
    const std::string location = first_id(sim, {"list-locations", "--cloud-name", "NephoScale"});
    const std::string key = first_id(sim, {"list-keys"});
    auto created = cli(sim, {"create-machine", "--cloud-name", "NephoScale", "--machine-name", "py-box", "--image-id", image,
                             "--size-id", size, "--location-id", location, "--key-id", key, "--json"});
    BOOST_TEST_REQUIRE(created.status == 0, created.err);
    const std::string id = text_of(created.doc(), "id");

    auto described = cli(sim, {"describe-machine", "--machine-name", "py-box", "--json"});
    BOOST_TEST(described.status == 0, described.err);
    BOOST_TEST(described.out.find(id) != std::string::npos, described.out);
    BOOST_TEST(cli(sim, {"describe-machine", "py-box"}).out.find("state") != std::string::npos);

    BOOST_TEST(cli(sim, {"probe", "--machine-id", id, "--wait", "--deadline", "20"}).status == 0);
    BOOST_TEST(cli(sim, {"tag", "py-box", "--tag", "env=test"}).status == 0);
    BOOST_TEST(cli(sim, {"tag", "--machine", "py-box", "--new-tag", "blue"}).status == 0);  // the 2015 spelling
    BOOST_TEST(cli(sim, {"add-tag", "--machine-name", "py-box", "--key", "team", "--value", "web"}).status == 0);
    auto tags = cli(sim, {"describe-machine", "py-box"}).out;
    BOOST_TEST(tags.find("team=web") != std::string::npos, tags);
    BOOST_TEST(tags.find("env=test") != std::string::npos, tags);  // add-tag keeps the others
    BOOST_TEST(cli(sim, {"remove-tag", "py-box", "--key", "team", "--value", "web"}).status == 0);
    tags = cli(sim, {"describe-machine", "py-box"}).out;
    BOOST_TEST(tags.find("team=web") == std::string::npos, tags);

    BOOST_TEST(cli(sim, {"add-key", "--name", "second", "--auto-generate"}).status == 0);
    BOOST_TEST(cli(sim, {"associate-key", "--machine-id", id, "--key-id", "second"}).status == 0);
    auto off = cli(sim, {"disassociate-key", "py-box", "--key", "second", "--json"});
    BOOST_TEST(off.status == 0, off.err);
    BOOST_TEST(off.doc().at("associations").as_int64() == 0);

    BOOST_TEST(cli(sim, {"stop", "--machine-name", "py-box"}).status == 0);
    std::this_thread::sleep_for(400ms);  // stopped
    BOOST_TEST(cli(sim, {"start", "py-box"}).status == 0);
    std::this_thread::sleep_for(400ms);  // running again
    BOOST_TEST(cli(sim, {"reboot", "--machine-name", "py-box"}).status == 0);
    BOOST_TEST(cli(sim, {"reboot", "py-box", "--machine-id", id}).status == 2);  // one machine, given once
    BOOST_TEST(cli(sim, {"destroy", "--machine-id", id}).status == 0);
}

BOOST_AUTO_TEST_CASE(script_verbs_with_the_python_spellings) {
    standalone_sim sim;
    const fs::path file = fs::temp_directory_path() / ("mistasync-script-" + std::to_string(::getpid()) + ".sh");
    std::ofstream(file) << "#!/bin/sh\necho hello\n";
    BOOST_TEST(cli(sim, {"add-script", "--name", "hello", "--script-file", file.string()}).status == 0);
    auto ran = cli(sim, {"run-script", "--id", "hello", "--machine-name", "dbserver1", "--json"});
    BOOST_TEST(ran.status == 0, ran.err);
    BOOST_TEST(cli(sim, {"remove-script", "--id", "hello"}).status == 0);
    BOOST_TEST(cli(sim, {"list-scripts", "--json"}).doc().as_array().empty());
    fs::remove(file);
}

BOOST_AUTO_TEST_CASE(key_verbs) {
    standalone_sim sim;
    BOOST_TEST(cli(sim, {"add-key", "--name", "deploy"}).status == 0);
    auto described = cli(sim, {"describe-key", "deploy", "--json"}).doc();
    BOOST_TEST(text_of(described, "public_key").starts_with("ssh-rsa "));
    BOOST_TEST(!described.as_object().contains("private_key"));
    auto with_private = cli(sim, {"describe-key", "--id", "deploy", "--private"});
    BOOST_TEST(with_private.out.find("PRIVATE KEY-----") != std::string::npos);
    BOOST_TEST(cli(sim, {"rename-key", "deploy", "--new-name", "deploy-old"}).status == 0);
    BOOST_TEST(count_named(cli(sim, {"list-keys", "--json"}).doc(), "deploy-old") == 1u);
    BOOST_TEST(cli(sim, {"delete-key", "deploy-old"}).status == 0);
    BOOST_TEST(count_named(cli(sim, {"list-keys", "--json"}).doc(), "deploy-old") == 0u);
}

// Exit 3: the machine is there and fine, it only does not answer SSH yet.
BOOST_AUTO_TEST_CASE(a_machine_that_does_not_answer_yet_is_exit_code_3) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "600"});
    const std::string image = first_id(sim, {"list-images", "--backend", "NephoScale"});
    const std::string size = first_id(sim, {"list-sizes", "--backend", "NephoScale"});
    auto created = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "slow", "--image", image, "--size", size});
    BOOST_TEST_REQUIRE(created.status == 0, created.err);
    std::this_thread::sleep_for(500ms);  // running, with an address
    auto probed = cli(sim, {"probe", "slow"});
    BOOST_TEST(probed.status == 3, probed.out << probed.err);
    BOOST_TEST(probed.out.find("not reachable") != std::string::npos, probed.out);
    auto waited = cli(sim, {"probe", "slow", "--wait", "--deadline", "1"});
    BOOST_TEST(waited.status == 3, waited.err);  // its deadline passed: not ready, not an API error
}

BOOST_AUTO_TEST_CASE(network_verbs_make_list_and_remove_networks_and_subnets) {
    standalone_sim sim;
    const std::vector<std::string> ec2{"--backend", "EC2 AP NORTHEAST"};
    auto with_backend = [&](std::vector<std::string> args) {
        args.insert(args.end(), ec2.begin(), ec2.end());
        return args;
    };
    auto made = cli(sim, with_backend({"create-network", "--name", "lab", "--cidr", "10.1.0.0/16", "--subnet-cidr", "10.1.0.0/24",
                                       "--availability-zone", "ap-northeast-1a", "--json"}));
    BOOST_TEST_REQUIRE(made.status == 0, made.err);
    BOOST_TEST(made.doc().at("subnets").as_array().size() == 1u);
    auto listed = cli(sim, with_backend({"list-networks"}));
    BOOST_TEST(listed.out.find("lab") != std::string::npos, listed.out);
    BOOST_TEST(listed.out.find("10.1.0.0/16") != std::string::npos, listed.out);
    BOOST_TEST(cli(sim, with_backend({"create-subnet", "lab", "--cidr", "10.1.1.0/24", "--availability-zone", "ap-northeast-1c"})).status == 0);
    auto subnets = cli(sim, with_backend({"list-subnets", "--network", "lab", "--json"}));
    BOOST_TEST(subnets.status == 0, subnets.err);
    BOOST_TEST(subnets.doc().as_array().size() == 2u);
    BOOST_TEST(cli(sim, with_backend({"delete-subnet", "10.1.1.0/24", "--network", "lab"})).status == 0);
    BOOST_TEST(cli(sim, with_backend({"list-subnets", "lab", "--json"})).doc().as_array().size() == 1u);
    // The provider's refusal, with the server's words.
    auto no_zone = cli(sim, with_backend({"create-subnet", "lab", "--cidr", "10.1.2.0/24"}));
    BOOST_TEST(no_zone.status == 1);
    BOOST_TEST(no_zone.err.find("availability_zone") != std::string::npos, no_zone.err);
    // Usage errors before any request; an unknown network by name.
    BOOST_TEST(cli(sim, with_backend({"create-network"})).status == 2);
    BOOST_TEST(cli(sim, with_backend({"create-subnet", "lab"})).status == 2);
    auto unknown = cli(sim, with_backend({"delete-network", "nope"}));
    BOOST_TEST(unknown.status != 0);
    BOOST_TEST(unknown.err.find("no network named") != std::string::npos, unknown.err);
    BOOST_TEST(cli(sim, with_backend({"delete-network", "lab"})).status == 0);
    BOOST_TEST(cli(sim, with_backend({"list-networks"})).out.find("lab") == std::string::npos);
}

// Every option the command line's code reads (args.get("--x"), has, required, all, count,
// seconds) is declared by a verb or by every verb under that canonical name. A misspelled
// read would compile and read nothing, ever: the parser refuses options nobody declares.
BOOST_AUTO_TEST_CASE(every_option_the_code_reads_is_declared) {
    // Commands read options only by the constants of options.hpp (a misspelled one does
    // not build: cli_misspelled_option_does_not_build); each must be declared by a verb.
    std::set<std::string> declared{"--help"};
    for (const mistcli::option_spec& o : mistcli::global_options()) declared.insert(mistcli::canonical_name(o));
    for (const mistcli::verb_spec& v : mistcli::verbs())
        for (const mistcli::option_spec& o : v.options) declared.insert(mistcli::canonical_name(o));
    std::size_t constants = 0;
    for (mistcli::option_name o : mistcli::every_option_read) {
        ++constants;
        BOOST_TEST(declared.contains(std::string(o.text)), o.text << " is read by a command and declared by no verb");
    }
    BOOST_TEST(constants > 60u);
    // No command builds an option's name from text, around the constants: only rows of the
    // verb table (provider flags) are read that way.
    const std::regex built(R"re(option_name\{")re");
    std::size_t files = 0;
    for (auto& entry : fs::directory_iterator(fs::path(MISTASYNC_SOURCE_DIR) / "tools" / "cli")) {
        if (entry.path().extension() != ".cpp") continue;
        ++files;
        const std::string code = slurp(entry.path());
        BOOST_TEST(!std::regex_search(code, built), entry.path().filename().string() << " names an option by a string");
    }
    BOOST_TEST(files > 10u);
}

BOOST_AUTO_TEST_CASE(a_verb_that_reads_an_option_it_does_not_declare_fails_at_the_read) {
    std::vector<std::string> words{"list-keys"};
    std::vector<char*> argv;
    for (auto& w : words) argv.push_back(w.data());
    const mistcli::arguments args = mistcli::parse_arguments(static_cast<int>(argv.size()), argv.data());
    BOOST_TEST(args.verb == "list-keys");
    BOOST_TEST(!args.has(mistcli::opt::output));  // a global option: every verb may read it
    BOOST_CHECK_THROW(args.get(mistcli::opt::backend), std::logic_error);  // list-keys declares no --backend
    BOOST_TEST(!args.declares(mistcli::opt::backend));
    BOOST_TEST(mistcli::find_command("list-keys") != nullptr);
    BOOST_TEST(mistcli::find_command("completion") == nullptr);  // answered before any server
}
