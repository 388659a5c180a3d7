// Running the mistasync command line and a standalone mistsim as processes, for the CLI
// tests: stdout and stderr in files, exit status or signal, a deadline.
#pragma once

#include <boost/json.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <spawn.h>
#include <sstream>
#include <string>
#include <sys/stat.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

extern char** environ;

namespace mistasync::test::cli_harness {

namespace json = boost::json;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

inline std::string slurp(const fs::path& p) {
    std::ifstream in(p);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

struct outcome {
    int status = -1;  ///< exit status, or 128 + signal
    std::string out, err;
    json::value doc() const {
        boost::system::error_code ec;
        auto v = json::parse(out, ec);
        BOOST_TEST_REQUIRE(!ec, "stdout is JSON: " << out.substr(0, 300));
        return v;
    }
};

// A child process with stdout/stderr in files.
class process {
public:
    process(std::vector<std::string> args, std::map<std::string, std::string> env_overrides = {}) {
        static int counter = 0;
        dir_ = fs::temp_directory_path() / ("mistasync-cli-" + std::to_string(::getpid()) + "-" + std::to_string(counter++));
        fs::create_directories(dir_);
        posix_spawn_file_actions_t actions;
        posix_spawn_file_actions_init(&actions);
        posix_spawn_file_actions_addopen(&actions, 1, (dir_ / "out").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        posix_spawn_file_actions_addopen(&actions, 2, (dir_ / "err").c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
        std::vector<char*> argv;
        for (auto& a : args) argv.push_back(a.data());
        argv.push_back(nullptr);
        std::vector<std::string> env_text;
        for (char** e = environ; *e; ++e) {
            std::string kv = *e;
            std::string k = kv.substr(0, kv.find('='));
            if (!env_overrides.contains(k) && !k.starts_with("MIST_")) env_text.push_back(kv);
        }
        for (auto& [k, v] : env_overrides) env_text.push_back(k + "=" + v);
        std::vector<char*> envp;
        for (auto& e : env_text) envp.push_back(e.data());
        envp.push_back(nullptr);
        int rc = posix_spawn(&pid_, argv[0], &actions, nullptr, argv.data(), envp.data());
        posix_spawn_file_actions_destroy(&actions);
        BOOST_TEST_REQUIRE(rc == 0, "spawned " << args[0]);
    }
    ~process() {
        if (pid_ > 0) {
            ::kill(pid_, SIGKILL);
            ::waitpid(pid_, nullptr, 0);
        }
        fs::remove_all(dir_);
    }
    void signal(int s) { ::kill(pid_, s); }
    pid_t pid() const { return pid_; }
    std::string err_so_far() const { return slurp(dir_ / "err"); }
    std::string out_so_far() const { return slurp(dir_ / "out"); }
    outcome wait(std::chrono::seconds limit = 120s) {
        auto until = std::chrono::steady_clock::now() + limit;
        int st = 0;
        while (::waitpid(pid_, &st, WNOHANG) == 0) {
            if (std::chrono::steady_clock::now() > until) {
                ::kill(pid_, SIGKILL);
                ::waitpid(pid_, &st, 0);
                pid_ = -1;
                BOOST_FAIL("process did not end in time");
            }
            std::this_thread::sleep_for(20ms);
        }
        pid_ = -1;
        outcome o;
        o.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
        o.out = slurp(dir_ / "out");
        o.err = slurp(dir_ / "err");
        return o;
    }

private:
    pid_t pid_ = -1;
    fs::path dir_;
};

inline std::string binary(const char* variable) {
    const char* v = std::getenv(variable);
    BOOST_TEST_REQUIRE(v != nullptr, variable << " is set by CTest");
    return v;
}

// A standalone mistsim, its address and token.
struct standalone_sim {
    explicit standalone_sim(std::vector<std::string> extra = {}) {
        std::vector<std::string> args{binary("MISTSIM_BINARY"), "--listen", "127.0.0.1:0", "--seed", "3"};
        args.insert(args.end(), extra.begin(), extra.end());
        proc.emplace(args);
        for (int i = 0; i < 500 && token.empty(); ++i) {
            std::this_thread::sleep_for(10ms);
            std::istringstream lines(proc->out_so_far());
            for (std::string line; std::getline(lines, line);) {
                if (line.starts_with("listening on ")) url = line.substr(13);
                if (line.starts_with("api token: ")) token = line.substr(11);
            }
        }
        BOOST_TEST_REQUIRE(!token.empty(), "mistsim printed its address and token");
    }
    std::optional<process> proc;
    std::string url, token;
};

// The command line with no server options of ours: what it finds in `env`, ~/.mist, or nowhere.
inline outcome cli_alone(std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    args.insert(args.begin(), binary("MISTASYNC_CLI_BINARY"));
    process p(args, env);
    return p.wait();
}

inline outcome cli(const standalone_sim& sim, std::vector<std::string> args, std::map<std::string, std::string> env = {}) {
    std::vector<std::string> full{binary("MISTASYNC_CLI_BINARY"), "--url", sim.url, "--token", sim.token};
    full.insert(full.end(), args.begin(), args.end());
    process p(full, env);
    return p.wait();
}

// A directory of the test's own, removed with it.
struct scratch_dir {
    fs::path dir = fs::temp_directory_path() / ("mistasync-scratch-" + std::to_string(::getpid()) + "-" + std::to_string(++count));
    scratch_dir() { fs::create_directories(dir); }
    ~scratch_dir() { fs::remove_all(dir); }
    scratch_dir(const scratch_dir&) = delete;
    scratch_dir& operator=(const scratch_dir&) = delete;
    /// Writes a file there (binary, as given) with `mode`; returns its path.
    fs::path write(const std::string& name, const std::string& text, mode_t mode = 0600) const {
        std::ofstream(dir / name, std::ios::binary) << text;
        ::chmod((dir / name).c_str(), mode);
        return dir / name;
    }
    static inline int count = 0;
};

// The command line's argv with the simulator's address and token first.
inline std::vector<std::string> with_credentials(const standalone_sim& sim, std::vector<std::string> args) {
    std::vector<std::string> full{binary("MISTASYNC_CLI_BINARY"), "--url", sim.url, "--token", sim.token};
    full.insert(full.end(), args.begin(), args.end());
    return full;
}

// Live (not terminated) machines per name, for names starting with `prefix`.
inline std::map<std::string, std::vector<std::string>> live(const standalone_sim& sim, const std::string& prefix) {
    std::map<std::string, std::vector<std::string>> out;
    auto listed = cli(sim, {"list-machines", "--json"});
    BOOST_TEST_REQUIRE(listed.status == 0, listed.err);
    const auto doc = listed.doc();
    for (auto& m : doc.as_array()) {
        std::string name = json::value_to<std::string>(m.at("name"));
        if (name.starts_with(prefix) && m.at("state") != "terminated") out[name].push_back(json::value_to<std::string>(m.at("id")));
    }
    return out;
}

}  // namespace mistasync::test::cli_harness
