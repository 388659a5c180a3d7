// How the command line prints and where it connects: every output format read back by a
// parser (YAML by yaml-cpp, CSV by an RFC 4180 reader), --columns, --no-header, --quiet in
// a pipe, tables that fit, colour only on a terminal, --debug without secrets, completion
// scripts that load, the man page, and profiles in ~/.mist.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"
#include "verbs.hpp"

#include <yaml-cpp/yaml.h>

#include <sys/stat.h>

using namespace mistasync::test::cli_harness;

namespace {

// RFC 4180: fields split at commas, quoted fields may hold commas, CR/LF and "" for ".
std::vector<std::vector<std::string>> read_csv(const std::string& text) {
    std::vector<std::vector<std::string>> rows(1);
    std::string field;
    bool quoted = false, was_quoted = false;
    for (std::size_t i = 0; i < text.size(); ++i) {
        char c = text[i];
        if (quoted) {
            if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') field += text[++i];
            else if (c == '"') quoted = false;
            else field += c;
        } else if (c == '"') {
            quoted = was_quoted = true;
        } else if (c == ',') {
            rows.back().push_back(std::exchange(field, {}));
            was_quoted = false;
        } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
            rows.back().push_back(std::exchange(field, {}));
            was_quoted = false;
            rows.emplace_back();
            ++i;
        } else {
            field += c;
        }
    }
    BOOST_TEST(!quoted, "CSV ends outside quotes");
    if (!field.empty() || was_quoted) rows.back().push_back(field);
    if (rows.back().empty()) rows.pop_back();
    return rows;
}

// YAML read back as JSON's shapes: maps, sequences, and scalars compared as text.
void same_data(const YAML::Node& y, const json::value& j, const std::string& where) {
    switch (j.kind()) {
    case json::kind::object:
        BOOST_TEST_REQUIRE(y.IsMap(), where);
        BOOST_TEST(y.size() == j.as_object().size(), where);
        for (auto& [k, v] : j.as_object()) same_data(y[std::string(k)], v, where + "." + std::string(k));
        break;
    case json::kind::array:
        BOOST_TEST_REQUIRE(y.IsSequence(), where);
        BOOST_TEST_REQUIRE(y.size() == j.as_array().size(), where);
        for (std::size_t i = 0; i < y.size(); ++i) same_data(y[i], j.as_array()[i], where + "[" + std::to_string(i) + "]");
        break;
    case json::kind::string:
        BOOST_TEST(y.as<std::string>() == std::string(j.as_string()), where);
        break;
    case json::kind::bool_: BOOST_TEST(y.as<bool>() == j.as_bool(), where); break;
    case json::kind::null: BOOST_TEST(y.IsNull(), where); break;
    default: BOOST_TEST(y.as<double>() == j.to_number<double>(), where);
    }
}

// A YAML string that a reader could take for a number or boolean must be quoted ("!" tag).
void strings_stay_strings(const YAML::Node& y, const json::value& j) {
    if (j.is_object())
        for (auto& [k, v] : j.as_object()) strings_stay_strings(y[std::string(k)], v);
    else if (j.is_array())
        for (std::size_t i = 0; i < j.as_array().size(); ++i) strings_stay_strings(y[i], j.as_array()[i]);
    else if (j.is_string() && !j.as_string().empty() && std::isdigit(static_cast<unsigned char>(j.as_string()[0])))
        BOOST_TEST(y.Tag() == "!", std::string(j.as_string()) << " is quoted");
}

std::map<std::string, std::string> server_env(const standalone_sim& sim) {
    return {{"MIST_URL", sim.url}, {"MIST_TOKEN", sim.token}};
}

}  // namespace

BOOST_AUTO_TEST_CASE(every_format_reads_back) {
    standalone_sim sim;
    // Titles that CSV and YAML must quote.
    BOOST_TEST(cli(sim, {"add-backend", "--title", "docker, \"second\"", "--provider", "docker", "--field", "docker_host=10.0.0.2"}).status == 0);
    BOOST_TEST(cli(sim, {"add-backend", "--title", "2024", "--provider", "docker", "--field", "docker_host=10.0.0.3"}).status == 0);
    for (std::vector<std::string> verb : {std::vector<std::string>{"list-backends"}, {"list-machines"}, {"list-keys"},
                                          {"list-sizes", "--backend", "NephoScale"}}) {
        const std::string what = verb[0];
        auto with = [&](std::vector<std::string> more) {
            auto args = verb;
            args.insert(args.end(), more.begin(), more.end());
            auto o = cli(sim, args);
            BOOST_TEST_REQUIRE(o.status == 0, what << ": " << o.err);
            return o;
        };
        json::value doc = with({"--output", "json"}).doc();
        BOOST_TEST(with({"--json"}).doc() == doc, what);
        YAML::Node yaml = YAML::Load(with({"-o", "yaml"}).out);
        same_data(yaml, doc, what);
        strings_stay_strings(yaml, doc);

        // CSV: the table's columns, a row per item; ids: the document's ids, a line each.
        auto csv = read_csv(with({"-o", "csv"}).out);
        BOOST_TEST_REQUIRE(csv.size() == doc.as_array().size() + 1, what);
        auto id_column = std::find(csv[0].begin(), csv[0].end(), "ID") - csv[0].begin();
        BOOST_TEST_REQUIRE(static_cast<std::size_t>(id_column) < csv[0].size(), what);
        std::istringstream ids(with({"--quiet"}).out);
        std::size_t row = 1;
        for (std::string id; std::getline(ids, id); ++row) {
            BOOST_TEST(id == json::value_to<std::string>(doc.as_array()[row - 1].at("id")), what);
            BOOST_TEST(csv.at(row).at(id_column) == id, what);
        }
        BOOST_TEST(row == csv.size(), what);
        BOOST_TEST(with({"-o", "ids"}).out == with({"-q"}).out);
    }
    auto titles = read_csv(cli(sim, {"list-backends", "-o", "csv", "--columns", "id,name", "--no-header"}).out);
    std::set<std::string> names;
    for (auto& r : titles) {
        BOOST_TEST_REQUIRE(r.size() == 2u);
        names.insert(r[1]);
    }
    BOOST_TEST(names.contains("docker, \"second\""));
    BOOST_TEST(names.contains("2024"));

    auto table = cli(sim, {"list-backends", "--columns", "provider,name"}).out;
    BOOST_TEST(table.starts_with("PROVIDER"), table);
    BOOST_TEST(cli(sim, {"list-backends", "--columns", "name", "--no-header"}).out.find("NAME") == std::string::npos);
    BOOST_TEST(cli(sim, {"list-backends", "--columns", "colour"}).status == 2);
    BOOST_TEST(cli(sim, {"list-backends", "-o", "xml"}).status == 2);
    BOOST_TEST(cli(sim, {"list-backends", "--json", "-o", "yaml"}).status == 2);
}

BOOST_AUTO_TEST_CASE(quiet_ids_go_through_a_pipe) {
    standalone_sim sim;
    const std::string cli_binary = binary("MISTASYNC_CLI_BINARY");
    // Every machine's id, each described by a second mistasync: as many documents as ids.
    auto piped = process({"/bin/sh", "-c", "\"$0\" list-machines --quiet | xargs -n 1 \"$0\" describe-machine --json", cli_binary},
                         server_env(sim)).wait();
    BOOST_TEST(piped.status == 0, piped.err);
    auto ids = cli(sim, {"list-machines", "-q"}).out;
    const auto machines = static_cast<std::size_t>(std::count(ids.begin(), ids.end(), '\n'));
    BOOST_TEST(machines >= 2u);
    std::size_t documents = 0;
    std::istringstream lines(piped.out);
    for (std::string line; std::getline(lines, line);) documents += json::parse(line).is_object();
    BOOST_TEST(documents == machines);
}

BOOST_AUTO_TEST_CASE(tables_fit_and_colour_only_on_a_terminal) {
    standalone_sim sim;
    auto narrow = cli(sim, {"list-machines"}, {{"COLUMNS", "50"}});
    std::istringstream lines(narrow.out);
    for (std::string line; std::getline(lines, line);) {
        std::size_t shown = 0;
        for (unsigned char c : line) shown += (c & 0xC0) != 0x80;
        BOOST_TEST(shown <= 50u, line);
    }
    BOOST_TEST(narrow.out.find('\033') == std::string::npos);  // not a terminal: no colour
    // On a terminal (script(1) gives one): a bold header, unless NO_COLOR.
    if (::access("/usr/bin/script", X_OK) == 0) {
        const std::string command = "\"" + binary("MISTASYNC_CLI_BINARY") + "\" list-backends";
        auto coloured = process({"/usr/bin/script", "-qec", command, "/dev/null"}, server_env(sim)).wait();
        BOOST_TEST(coloured.out.find("\033[1m") != std::string::npos, coloured.out);
        auto env = server_env(sim);
        env["NO_COLOR"] = "1";
        auto plain = process({"/usr/bin/script", "-qec", command, "/dev/null"}, env).wait();
        BOOST_TEST(plain.out.find("NephoScale") != std::string::npos, plain.out);
        BOOST_TEST(plain.out.find('\033') == std::string::npos, plain.out);
    }
}

BOOST_AUTO_TEST_CASE(debug_shows_each_exchange_and_no_secret) {
    standalone_sim sim({"--email", "ops@example.com", "--password", "S3cr3t-pw"});
    auto with_token = cli(sim, {"--debug", "list-machines", "--timeout", "10"});
    BOOST_TEST(with_token.status == 0, with_token.err);
    BOOST_TEST(with_token.err.find("debug: -> GET ") != std::string::npos, with_token.err);
    BOOST_TEST(with_token.err.find("debug: <- 200 GET ") != std::string::npos, with_token.err);
    BOOST_TEST(with_token.err.find(sim.token) == std::string::npos);
    for (const char* era : {"legacy", "v1"}) {
        auto login = cli_alone({"--url", sim.url, "--email", "ops@example.com", "--password", "S3cr3t-pw", "--api", era, "--debug",
                          "list-keys"});
        BOOST_TEST(login.status == 0, era << ": " << login.err);
        BOOST_TEST(login.err.find("debug: ") != std::string::npos, era);
        for (const std::string secret : {"S3cr3t-pw", "Cookie", "Authorization", "session", sim.token.c_str()})
            BOOST_TEST(login.err.find(secret) == std::string::npos, era << ": " << secret << " in " << login.err);
    }
}

BOOST_AUTO_TEST_CASE(completion_scripts_load_and_complete_names) {
    standalone_sim sim;
    auto bash = cli_alone({"completion", "bash"});
    BOOST_TEST_REQUIRE(bash.status == 0);
    const fs::path script = fs::temp_directory_path() / ("mistasync-completion-" + std::to_string(::getpid()));
    std::ofstream(script) << bash.out;
    BOOST_TEST(process({"/bin/bash", "-n", script.string()}).wait().status == 0);
    for (const mistcli::verb_spec& v : mistcli::verbs()) BOOST_TEST(bash.out.find(" " + v.name) != std::string::npos, v.name);
    // Completing `mistasync list-images --cloud-name <TAB>` asks the server for the names.
    const std::string complete =
        "source \"$1\"; COMP_WORDS=(\"$2\" list-images --cloud-name ''); COMP_CWORD=3; _mistasync; printf '%s\\n' \"${COMPREPLY[@]}\";"
        "COMP_WORDS=(\"$2\" reboot ''); COMP_CWORD=2; _mistasync; printf '%s\\n' \"${COMPREPLY[@]}\"";
    auto names = process({"/bin/bash", "-c", complete, "bash", script.string(), binary("MISTASYNC_CLI_BINARY")}, server_env(sim)).wait();
    BOOST_TEST(names.out.find("NephoScale\n") != std::string::npos, names.out << names.err);
    BOOST_TEST(names.out.find("dbserver1\n") != std::string::npos, names.out << names.err);

    auto zsh = cli_alone({"completion", "zsh"});
    std::ofstream(script) << zsh.out;
    if (::access("/usr/bin/zsh", X_OK) == 0) BOOST_TEST(process({"/usr/bin/zsh", "-n", script.string()}).wait().status == 0);
    auto fish = cli_alone({"completion", "fish"});
    BOOST_TEST(fish.out.find("complete -c mistasync") != std::string::npos);
    std::ofstream(script) << fish.out;
    if (::access("/usr/bin/fish", X_OK) == 0) BOOST_TEST(process({"/usr/bin/fish", "-n", script.string()}).wait().status == 0);
    BOOST_TEST(cli_alone({"completion", "tcsh"}).status == 2);
    fs::remove(script);
}

BOOST_AUTO_TEST_CASE(the_man_page_renders_without_warnings) {
    const char* page = std::getenv("MISTASYNC_MAN_PAGE");
    BOOST_TEST_REQUIRE(page != nullptr);
    BOOST_TEST(slurp(page) == cli_alone({"man-page"}).out);  // built from the same table
    // -P -cbu: plain text, without the terminal's bold and underline.
    auto rendered = process({"/usr/bin/groff", "-man", "-T", "utf8", "-ww", "-P", "-cbu", page}).wait();
    BOOST_TEST(rendered.status == 0);
    BOOST_TEST(rendered.err.empty(), rendered.err);
    for (const mistcli::verb_spec& v : mistcli::verbs()) BOOST_TEST(rendered.out.find(v.name) != std::string::npos, v.name);
    BOOST_TEST(rendered.out.find("EXIT STATUS") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(profiles_in_the_mist_file) {
    standalone_sim sim;
    const fs::path home = fs::temp_directory_path() / ("mistasync-profiles-" + std::to_string(::getpid()));
    fs::create_directories(home);
    // The Python sections point at nothing that answers; the profile at the simulator.
    std::ofstream(home / ".mist") << "[mist.io]\nmist_uri = http://127.0.0.1:9\n[mist.credentials]\napi_token = wrong\n\n"
                                  << "[profile staging]\nurl = " << sim.url << "\ntoken = " << sim.token << "\napi = v1\n";
    ::chmod((home / ".mist").c_str(), 0600);
    const std::map<std::string, std::string> env{{"HOME", home.string()}};
    auto by_flag = cli_alone({"--profile", "staging", "list-backends", "--json"}, env);
    BOOST_TEST(by_flag.status == 0, by_flag.err);
    BOOST_TEST(by_flag.doc().as_array().size() == 3u);
    auto by_variable = cli_alone({"list-backends", "--json"}, {{"HOME", home.string()}, {"MIST_PROFILE", "staging"}});
    BOOST_TEST(by_variable.status == 0, by_variable.err);
    BOOST_TEST(cli_alone({"list-backends", "--timeout", "2"}, env).status == 1);  // the Python sections
    auto missing = cli_alone({"--profile", "prod", "list-backends"}, env);
    BOOST_TEST(missing.status == 2);
    BOOST_TEST(missing.err.find("[profile prod]") != std::string::npos, missing.err);
    fs::remove_all(home);
}
