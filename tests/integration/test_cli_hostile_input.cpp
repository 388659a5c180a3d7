// What the command line reads, shown to be unable to turn against its user: names from the
// server (completion, terminal lines, CSV, YAML, inventories), secrets on the command line
// and in the environment, files that are FIFOs, devices or hostile YAML. Each case is named
// after what it protects, and fails on a command line that lacks the protection.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <sys/resource.h>
#include <sys/stat.h>

#include <set>

using namespace mistasync::test::cli_harness;

namespace {

std::string tools_dir() { return fs::path(binary("MISTASYNC_CLI_BINARY")).parent_path().string(); }

// A shell command with the command line on PATH and the simulator's address and token set.
outcome shell(const standalone_sim& sim, const std::string& program, const std::string& script) {
    process p({program, "-c", script},
              {{"PATH", tools_dir() + ":/usr/bin:/bin"}, {"MIST_URL", sim.url}, {"MIST_TOKEN", sim.token}, {"HOME", "/nonexistent"}});
    return p.wait(60s);
}

bool make_machine(const standalone_sim& sim, const std::string& name) {
    return cli(sim, {"create-machine", "--backend", "NephoScale", "--name", name, "--image", "3", "--size", "219"}).status == 0;
}

// Splits on NUL bytes.
std::vector<std::string> split0(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t at; (at = text.find('\0', start)) != std::string::npos; start = at + 1) out.push_back(text.substr(start, at - start));
    return out;
}

std::string python3() { return fs::exists("/usr/bin/python3") ? "/usr/bin/python3" : "python3"; }

}  // namespace

// A machine named $(touch FILE) (or with backticks, quotes, spaces, a newline) completes as
// itself, quoted, in bash, zsh and fish; nothing it says is run.
BOOST_AUTO_TEST_CASE(completion_never_runs_a_server_name_as_code) {
    standalone_sim sim;
    scratch_dir scratch;
    const std::string pwned = (scratch.dir / "PWNED").string();
    const std::vector<std::string> hostile = {"$(touch " + pwned + "-1)", "`touch " + pwned + "-2`", "$((6*7))", "${HOME}x",
                                              "it's \"quoted\"", "two words", "line1\nline2"};
    for (auto& name : hostile) BOOST_TEST_REQUIRE(make_machine(sim, name), name);
    const auto bash_script = scratch.write("c.bash", cli_alone({"completion", "bash"}).out);
    const auto zsh_script = scratch.write("c.zsh", cli_alone({"completion", "zsh"}).out);
    const auto fish_script = scratch.write("c.fish", cli_alone({"completion", "fish"}).out);

    // bash: COMPREPLY holds each name as printf %q quotes it.
    auto bash = shell(sim, "/bin/bash",
                      "source " + bash_script.string() +
                          "; COMP_WORDS=(mistasync reboot ''); COMP_CWORD=2; _mistasync; printf '%s\\0' \"${COMPREPLY[@]}\"");
    BOOST_TEST(bash.status == 0, bash.err);
    const auto bash_words = split0(bash.out);
    std::set<std::string> bash_set(bash_words.begin(), bash_words.end());
    BOOST_TEST(bash_set.contains("\\$\\(touch\\ " + pwned + "-1\\)"));
    BOOST_TEST(bash_set.contains("\\`touch\\ " + pwned + "-2\\`"));
    BOOST_TEST(bash_set.contains("two\\ words"));
    BOOST_TEST(bash_set.contains("$'line1\\nline2'"));
    BOOST_TEST(bash_set.contains("\\$\\(\\(6\\*7\\)\\)"));
    // A prefix completes the one name it starts.
    auto one = shell(sim, "/bin/bash",
                     "source " + bash_script.string() + "; COMP_WORDS=(mistasync reboot two); COMP_CWORD=2; _mistasync; "
                                                        "printf '%s\\0' \"${COMPREPLY[@]}\"");
    BOOST_TEST((split0(one.out) == std::vector<std::string>{"two\\ words"}));

    // zsh, through its bash completion layer (which sets ksharrays, as here).
    auto zsh = shell(sim, "/usr/bin/zsh",
                     "source " + zsh_script.string() +
                         "; setopt ksharrays; COMP_WORDS=(mistasync reboot ''); COMP_CWORD=2; _mistasync; printf '%s\\0' \"${COMPREPLY[@]}\"");
    BOOST_TEST(zsh.status == 0, zsh.err);
    std::set<std::string> zsh_set;
    for (auto& w : split0(zsh.out)) zsh_set.insert(w);
    BOOST_TEST(zsh_set.contains("\\$\\(touch\\ " + pwned + "-1\\)"));
    BOOST_TEST(zsh_set.contains("two\\ words"));
    BOOST_TEST(zsh_set.contains("line1$'\\n'line2"));

    // fish: candidates are never code; the names reach it whole (a newline stays inside).
    auto fish = shell(sim, "/usr/bin/fish", "source " + fish_script.string() + "; complete -C 'mistasync reboot '");
    BOOST_TEST(fish.status == 0, fish.err);
    BOOST_TEST(fish.out.find("$(touch " + pwned + "-1)\n") != std::string::npos, fish.out);
    BOOST_TEST(fish.out.find("it's \"quoted\"\n") != std::string::npos, fish.out);
    auto whole = shell(sim, "/usr/bin/fish",
                       "for n in (mistasync list-machines --output names0 --timeout 3 | string split0); string escape -- $n; end");
    BOOST_TEST(whole.out.find("line1\\nline2") != std::string::npos, whole.out);

    for (int i : {1, 2}) BOOST_TEST(!fs::exists(pwned + "-" + std::to_string(i)), "a name ran as code in a completion");
}

// Secrets typed after a misspelled flag, or in a malformed --field, are never printed.
BOOST_AUTO_TEST_CASE(a_mistyped_secret_flag_never_echoes_the_secret) {
    const std::string secret = "S3CRET-value-42";
    for (std::vector<std::string> args : {std::vector<std::string>{"--pasword", secret, "list-machines"},
                                          {"--tokne", secret, "list-machines"},
                                          {"-p", secret, "list-machines"},
                                          {"list-machines", "--passwrd=" + secret}}) {
        auto o = cli_alone(args);
        BOOST_TEST(o.status == 2, args[0]);
        BOOST_TEST(o.err.find(secret) == std::string::npos, o.err);
        BOOST_TEST(o.out.find(secret) == std::string::npos);
    }
    auto typo = cli_alone({"--pasword", secret, "list-machines"});
    BOOST_TEST(typo.err.find("did you mean --password?") != std::string::npos, typo.err);
    auto field = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "add-backend", "--title", "x", "--provider", "ec2",
                            "--field", "api_secret:" + secret});
    BOOST_TEST(field.status == 2);
    BOOST_TEST(field.err.find(secret) == std::string::npos, field.err);
}

// A token or password is never sent over plain http to a host that is not this machine,
// and "127.evil.example" is not this machine.
BOOST_AUTO_TEST_CASE(tokens_never_go_over_plain_http_to_another_host) {
    for (const char* url : {"http://127.evil.example", "http://mist.example.com", "http://10.1.2.3:8080", "http://127.0.0.1.nip.io"}) {
        auto o = cli_alone({"--url", url, "--token", "tok", "list-backends"});
        BOOST_TEST(o.status == 2, url);
        BOOST_TEST(o.err.find("plain http://") != std::string::npos, o.err);
        BOOST_TEST(o.err.find("tok ") == std::string::npos);
    }
    standalone_sim sim;  // on 127.0.0.1: this machine
    BOOST_TEST(cli(sim, {"list-backends"}).status == 0);
}

// Credentials go only to the server configured beside them: MIST_TOKEN does not follow
// --url or a profile's url elsewhere, ~/.mist's credentials do not follow --url, and
// --email/--password typed on the command line win over MIST_TOKEN.
BOOST_AUTO_TEST_CASE(credentials_stay_with_the_server_they_were_given_for) {
    standalone_sim sim({"--email", "me@example.com", "--password", "pw"});
    standalone_sim staging;
    scratch_dir home;
    home.write(".mist", "[profile staging]\nurl = " + staging.url + "\n");
    const std::string production_token = sim.token;
    auto crossed = cli_alone({"--profile", "staging", "list-backends"}, {{"HOME", home.dir.string()}, {"MIST_TOKEN", production_token}});
    BOOST_TEST(crossed.status == 2);
    BOOST_TEST(crossed.err.find("not sent to another server") != std::string::npos, crossed.err);
    BOOST_TEST(crossed.err.find(production_token) == std::string::npos);
    auto by_url = cli_alone({"--url", staging.url, "list-backends"}, {{"HOME", home.dir.string()}, {"MIST_TOKEN", production_token}});
    BOOST_TEST(by_url.status == 2, by_url.err);

    scratch_dir python_home;
    python_home.write(".mist", "[mist.io]\nmist_uri = " + sim.url + "\n[mist.credentials]\napi_token = " + production_token + "\n");
    auto file_to_other = cli_alone({"--url", staging.url, "list-backends"}, {{"HOME", python_home.dir.string()}});
    BOOST_TEST(file_to_other.status == 2, file_to_other.err);
    BOOST_TEST(cli_alone({"list-backends"}, {{"HOME", python_home.dir.string()}}).status == 0);  // its own server

    // Typed on the command line: they replace MIST_TOKEN (a wrong one here).
    auto typed = cli_alone({"--email", "me@example.com", "--password", "pw", "list-backends", "--json"},
                           {{"HOME", home.dir.string()}, {"MIST_URL", sim.url}, {"MIST_TOKEN", "stale-token"}});
    BOOST_TEST(typed.status == 0, typed.err);
}

// Names from the server never reach the terminal raw: no escape sequence in confirmation
// lines; CSV cells cannot start a formula; a NUL does not cut a CSV row.
BOOST_AUTO_TEST_CASE(server_names_cannot_rewrite_the_terminal_or_a_spreadsheet) {
    standalone_sim sim;
    const std::string escape = "evil\x1b]0;owned\x07\x1b[2J\xc2\x9b" "31m";
    BOOST_TEST_REQUIRE(make_machine(sim, escape));
    for (const char* verb : {"reboot", "probe", "describe-machine", "destroy"}) {
        auto o = cli(sim, {verb, escape});
        BOOST_TEST(o.out.find('\x1b') == std::string::npos, verb);
        BOOST_TEST(o.err.find('\x1b') == std::string::npos, verb);
        BOOST_TEST(o.out.find("\xc2\x9b") == std::string::npos, verb);
    }
    auto created = cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "\x1b[31mred", "--image", "3", "--size", "219"});
    BOOST_TEST(created.status == 0);
    BOOST_TEST(created.out.find('\x1b') == std::string::npos);

    BOOST_TEST_REQUIRE(make_machine(sim, "=HYPERLINK(\"http://evil.example\",\"x\")"));
    scratch_dir dir;  // a name with a NUL cannot be typed: it comes from a spec file
    const auto spec = dir.write("nul.json", "{\"names\": [\"nul\\u0000name\"]}");
    BOOST_TEST_REQUIRE(cli(sim, {"provision", "--backend", "NephoScale", "--image", "3", "--size", "219", "--spec", spec.string(),
                                 "--no-probe"}).status == 0);
    auto csv = cli(sim, {"list-machines", "-o", "csv", "--columns", "NAME,STATE"});
    BOOST_TEST(csv.status == 0);
    BOOST_TEST(csv.out.find("\n=") == std::string::npos, csv.out);
    BOOST_TEST(csv.out.find("\"'=HYPERLINK(") != std::string::npos, csv.out);
    const auto nul_row = csv.out.find(std::string("nul\0name", 8));
    BOOST_TEST_REQUIRE(nul_row != std::string::npos);
    BOOST_TEST(csv.out.substr(nul_row, 20).find(",") != std::string::npos);  // the row goes on after the name
}

// A ~/.mist that another user owns is not read (it could send the credentials elsewhere).
BOOST_AUTO_TEST_CASE(a_mist_file_of_another_user_is_refused) {
    if (::geteuid() != 0) return;  // only root can give a file away
    scratch_dir home;
    auto file = home.write(".mist", "[mist.io]\nmist_uri = https://evil.example\n[mist.credentials]\napi_token = t\n");
    BOOST_TEST_REQUIRE(::chown(file.c_str(), 12345, 12345) == 0);
    auto o = cli_alone({"list-backends"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(o.status == 2);
    BOOST_TEST(o.err.find("belongs to another user") != std::string::npos, o.err);
}

// Spec files: a cyclic alias and "billion laughs" are refused at once (no crash, no
// gigabytes); a key given twice, a second document, names beside --count, and an inline
// script beside --script-id are refused; JSON numbers keep their spelling.
BOOST_AUTO_TEST_CASE(hostile_spec_files_are_refused_at_once) {
    scratch_dir dir;
    const std::string laughs =
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
        "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
        "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\nf: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\ng: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
        "h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]\nnames: [*h]\n";
    struct refused {
        std::string file, text, why;
    };
    for (const refused& r : {refused{"cycle.yaml", "names: &r [a, *r]\n", "aliases"},
                             refused{"laughs.yaml", laughs, "aliases"},
                             refused{"twice.yaml", "count: 3\nname: web\ncount: 500\n", "\"count\" is given twice"},
                             refused{"twice.json", "{\"count\": 3, \"count\": 500}", "\"count\" is given twice"},
                             refused{"two.yaml", "count: 3\n---\ncount: 500\n", "more than one YAML document"},
                             refused{"deep.json", std::string(100, '[') + std::string(100, ']'), "not valid JSON"}}) {
        BOOST_TEST_CONTEXT(r.file) {
            const auto path = dir.write(r.file, r.text);
            const auto started = std::chrono::steady_clock::now();
            auto o = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "provision", "--spec", path.string()});
            BOOST_TEST(o.status == 2, o.err);
            BOOST_TEST(o.err.find(r.why) != std::string::npos, o.err);
            BOOST_TEST((std::chrono::steady_clock::now() - started < 10s));
        }
    }
    const auto names = dir.write("names.yaml", "names: [a, b]\n");
    auto with_count = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "provision", "--spec", names.string(), "--count", "5"});
    BOOST_TEST(with_count.status == 2);
    BOOST_TEST(with_count.err.find("--count") != std::string::npos, with_count.err);
    const auto script = dir.write("script.yaml", "names: [a]\nscript: \"echo hi\"\n");
    auto both = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "provision", "--spec", script.string(), "--script-id", "s1"});
    BOOST_TEST(both.status == 2);
    BOOST_TEST(both.err.find("give one") != std::string::npos, both.err);

    standalone_sim sim;
    const auto decimal = dir.write("decimal.json", "{\"backend\": \"NephoScale\", \"image\": \"3\", \"size\": \"219\", \"count\": 2, "
                                                   "\"name\": \"dec\", \"probe_deadline\": 1.5, \"reconcile_window\": 3.0}");
    auto dry = cli(sim, {"provision", "--spec", decimal.string(), "--dry-run"});
    BOOST_TEST(dry.status == 0, dry.err);
}

// A FIFO or a device where a file is expected fails at once instead of hanging or reading
// without end: ~/.mist, --spec, --script, --cloud-init, add-key --file, --ca-file.
BOOST_AUTO_TEST_CASE(fifos_and_devices_never_hang_the_command_line) {
    scratch_dir dir;
    const auto fifo = dir.dir / "fifo";
    BOOST_TEST_REQUIRE(::mkfifo(fifo.c_str(), 0600) == 0);
    const auto started = std::chrono::steady_clock::now();
    scratch_dir home;
    BOOST_TEST_REQUIRE(::mkfifo((home.dir / ".mist").c_str(), 0600) == 0);
    auto mist_file = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "list-backends"}, {{"HOME", home.dir.string()}});
    BOOST_TEST(mist_file.status == 2, mist_file.err);
    BOOST_TEST(mist_file.err.find("FIFO") != std::string::npos, mist_file.err);
    const std::vector<std::string> server{"--url", "http://127.0.0.1:9", "--token", "t"};
    auto with = [&](std::vector<std::string> args) {
        args.insert(args.begin(), server.begin(), server.end());
        return cli_alone(args);
    };
    for (const std::string& path : {fifo.string(), std::string("/dev/zero")}) {
        BOOST_TEST_CONTEXT(path) {
            for (auto args : {std::vector<std::string>{"provision", "--count", "1", "--script", path},
                              {"provision", "--count", "1", "--cloud-init", path},
                              {"provision", "--spec", path},
                              {"add-key", "--name", "k", "--file", path},
                              {"--ca-file", path, "list-backends"}}) {
                auto o = with(args);
                BOOST_TEST(o.status == 2, args[0] << " " << args[1] << ": " << o.err);
                BOOST_TEST(o.err.find("not a file") != std::string::npos, o.err);
            }
        }
    }
    BOOST_TEST((std::chrono::steady_clock::now() - started < 30s));
}

// Scripts that cannot run are refused before the batch: a directory, an empty file, a
// binary; a cloud-init directory is not silently dropped.
BOOST_AUTO_TEST_CASE(scripts_that_cannot_run_are_refused_before_the_batch) {
    standalone_sim sim;
    scratch_dir dir;
    const auto empty = dir.write("empty.sh", "  \n");
    const auto binary = dir.write("binary.sh", std::string("\x7f" "ELF\0\0\1", 7));
    for (auto args : {std::vector<std::string>{"--script", dir.dir.string()},
                      {"--script", empty.string()},
                      {"--script", binary.string()},
                      {"--cloud-init", dir.dir.string()}}) {
        args.insert(args.begin(), {"provision", "--backend", "NephoScale", "--image", "3", "--size", "219", "--count", "2", "--name", "sc"});
        auto o = cli(sim, args);
        BOOST_TEST(o.status == 2, args[11] << " " << args[12] << ": " << o.err);
    }
    auto listed = cli(sim, {"list-machines", "--json"});
    BOOST_TEST(listed.out.find("\"sc-") == std::string::npos);  // nothing was created
}

// -o yaml reads back, under PyYAML's safe_load, as the JSON document: names that look like
// booleans, numbers, merge keys or that hold CR, NEL, U+2028 or DEL; floats as numbers.
BOOST_AUTO_TEST_CASE(yaml_output_reads_back_as_the_json_document) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    for (const std::string& name : {"<<", "=", "yes", "on", "1", "1e3", "null", "~", "a: b", "# c", "cr\rname", "nel\xc2\x85name",
                                    "ls\xe2\x80\xa8name", "del\x7fname", "tab\tname", "quote\"name", "\xef\xbb\xbf" "bom"})
        BOOST_TEST_REQUIRE(make_machine(sim, name), name);
    scratch_dir dir;
    const auto compare = dir.write("compare.py",
                                   "import json, sys, yaml\n"
                                   "a = yaml.safe_load(open(sys.argv[1], encoding='utf-8'))\n"
                                   "b = json.load(open(sys.argv[2], encoding='utf-8'))\n"
                                   "def shape(v):\n"
                                   "    if isinstance(v, dict): return {k: shape(x) for k, x in v.items()}\n"
                                   "    if isinstance(v, list): return [shape(x) for x in v]\n"
                                   "    return type(v).__name__\n"
                                   "if len(sys.argv) > 3: a, b = shape(a), shape(b)\n"
                                   "sys.exit(0 if a == b else 1)\n");
    std::this_thread::sleep_for(500ms);
    for (std::vector<std::string> verb : {std::vector<std::string>{"list-machines"}, {"probe", "yes"}, {"list-sizes", "--backend", "NephoScale"}}) {
        BOOST_TEST_CONTEXT(verb[0]) {
            auto yaml_args = verb, json_args = verb;
            yaml_args.insert(yaml_args.end(), {"-o", "yaml"});
            json_args.insert(json_args.end(), {"-o", "json"});
            auto as_yaml = cli(sim, yaml_args);
            auto as_json = cli(sim, json_args);
            BOOST_TEST_REQUIRE(!as_json.out.empty(), as_json.err);
            const auto y = dir.write("out.yaml", as_yaml.out);
            const auto j = dir.write("out.json", as_json.out);
            // A probe's figures change between two probes: there the types must agree.
            std::vector<std::string> command{python3(), compare.string(), y.string(), j.string()};
            if (verb[0] == "probe") command.push_back("shape");
            auto same = process(command).wait();
            BOOST_TEST(same.status == 0, as_yaml.out.substr(0, 3000) << same.err);
        }
    }
}

// Every argument is checked before the first request: a bad number against an unreachable
// server is a usage error (2), not "connection refused" (1); a batch needs an explicit size.
BOOST_AUTO_TEST_CASE(usage_errors_come_before_any_request) {
    const std::vector<std::string> unreachable{"--url", "http://127.0.0.1:9", "--token", "t", "--timeout", "2"};
    for (auto args : {std::vector<std::string>{"provision", "--count", "nan"},
                      {"provision", "--count", "3", "--concurrency", "-1"},
                      {"provision", "--count", "3", "--max-failures", "abc%"},
                      {"provision", "--count", "3", "--probe-deadline", "inf"},
                      {"provision", "--count", "3", "--inventory", "x.txt"},
                      {"provision", "--count", "3", "--inventory", "/nonexistent-dir/x.json"},
                      {"provision"}}) {
        args.insert(args.begin(), unreachable.begin(), unreachable.end());
        auto o = cli_alone(args);
        BOOST_TEST(o.status == 2, args.back() << ": " << o.err);
        BOOST_TEST(o.err.find("refused") == std::string::npos, o.err);
    }
    auto bare = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "provision"});
    BOOST_TEST(bare.err.find("--count N") != std::string::npos, bare.err);
}

// --debug shows the login and the era detection, and a connection that fails with its
// retries.
BOOST_AUTO_TEST_CASE(debug_shows_the_login_the_era_and_connection_failures) {
    standalone_sim sim({"--email", "me@example.com", "--password", "pw"});
    auto o = cli_alone({"--url", sim.url, "--email", "me@example.com", "--password", "pw", "--debug", "list-backends"});
    BOOST_TEST(o.status == 0, o.err);
    BOOST_TEST(o.err.find("debug: -> POST /") != std::string::npos, o.err);  // the login
    BOOST_TEST(o.err.find("logged in through") != std::string::npos, o.err);
    BOOST_TEST(o.err.find("pw") == std::string::npos);
    auto detected = cli(sim, {"--debug", "list-backends"});  // a token: the era is asked for
    BOOST_TEST(detected.err.find("debug: -> GET /api/v1/ping") != std::string::npos, detected.err);
    BOOST_TEST(detected.err.find("era detected") != std::string::npos, detected.err);
    auto refused = cli_alone({"--url", "http://127.0.0.1:9", "--token", "t", "--timeout", "3", "--debug", "list-backends"});
    BOOST_TEST(refused.status == 1);
    BOOST_TEST(refused.err.find("no answer") != std::string::npos, refused.err);
    BOOST_TEST(refused.err.find("sent again") != std::string::npos, refused.err);
}

// A write error of --events (a file-size limit here) is said once; the batch goes on.
BOOST_AUTO_TEST_CASE(events_write_errors_are_reported) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    scratch_dir dir;
    const auto events = dir.write("events.jsonl", std::string(5000, 'x') + "\n");
    std::vector<std::string> args{"/bin/sh", "-c", "ulimit -f 8; exec \"$0\" \"$@\"", binary("MISTASYNC_CLI_BINARY"), "--url", sim.url,
                                  "--token", sim.token, "provision", "--backend", "NephoScale", "--image", "3", "--size", "219",
                                  "--count", "5", "--name", "ev", "--events", events.string()};
    auto o = process(args).wait();
    BOOST_TEST(o.status == 0, o.err);
    BOOST_TEST(o.err.find("--events: cannot write") != std::string::npos, o.err);
}
