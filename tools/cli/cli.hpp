// The mistasync command line: shared pieces of its commands.
#pragma once

#include "options.hpp"

#include <mistasync/mistasync.hpp>
#include <mistasync/testing/simulator.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <vector>

namespace mistcli {

/// Exit codes: 0 ok, 1 API error, 2 usage, 3 not ready (a machine that does not answer
/// SSH yet, a --wait whose deadline passed), 130 interrupted.
enum exit_code { ok = 0, api_failure = 1, usage_error = 2, not_ready = 3, interrupted = 130 };

/// A mistake on the command line (exit 2).
struct usage_failure : std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// The command line, split: the verb, its positional arguments, and --flags. Commands read
/// options by their typed names (options.hpp); a read of an option the verb does not
/// declare is a bug of ours, refused with std::logic_error (a test that runs the verb
/// finds it).
struct arguments {
    std::string verb;
    std::vector<std::string> positional;
    std::multimap<std::string, std::string> flags;  ///< boolean flags map to ""
    /// The options the verb declares (and the global ones); empty: not checked (built by hand).
    std::set<std::string, std::less<>> declared;

    bool has(option_name f) const { return flags.count(key(f)) > 0; }
    /// True when the verb declares the option (a reader shared by every verb asks first).
    bool declares(option_name f) const { return declared.empty() || declared.contains(f.text); }
    /// The flag's value; given twice, the last one wins.
    std::string get(option_name f, const std::string& fallback = {}) const {
        auto [first, last] = flags.equal_range(key(f));
        return first == last ? fallback : std::prev(last)->second;
    }
    std::string required(option_name f) const;
    std::vector<std::string> all(option_name f) const;
    /// A whole number in [1, max] (digits only); `fallback` when the flag is absent.
    std::size_t count(option_name f, std::size_t fallback, std::size_t max) const;
    /// Seconds in [0, max] (digits and an optional fraction; no nan, inf, sign or exponent).
    std::chrono::milliseconds seconds(option_name f, double fallback, double max = 10'000'000) const;
    /// The single positional argument (MACHINE, JOB_ID ...).
    std::string subject(const char* what) const;

private:
    /// The flags' key of an option the verb declares.
    std::string key(option_name f) const;
};

/// Parses argv (after the program name) against the verb table (verbs.hpp): options under
/// their canonical names, the verb under its canonical name; a request for help comes
/// back as the verb (or none) with --help. Throws usage_failure.
arguments parse_arguments(int argc, char** argv);
/// The help of one verb, or of the whole command line for "".
void print_help(const std::string& verb, std::FILE* to);

/// An INI text as ~/.mist holds it: "section.key" -> value (# and ; start comment lines).
std::map<std::string, std::string> parse_ini(const std::string& text);

/// Where to connect: flags, then MIST_* variables, then ~/.mist; the embedded simulator
/// only with --simulator or MIST_URL=simulator; no server at all is a usage error.
struct connection {
    mistasync::client_options options;
    bool embedded = false;
};
connection resolve_connection(const arguments& args);

/// mistasync completion SHELL: prints the script (no server needed).
int print_completion(const arguments& args);
/// mistasync man-page: prints the manual page (no server needed).
int print_man_page();

/// The text with every occurrence of each secret replaced by "***".
std::string redacted(std::string text, const std::vector<std::string>& secrets);
/// --debug: each HTTP exchange on stderr, secrets blanked out.
void trace_exchanges(mistasync::client_options& options);

/// The simulator started in-process when asked for (demo backends and a key).
struct embedded_server {
    embedded_server(boost::asio::io_context& io, const arguments& args, connection& conn);
    std::optional<mistasync::testing::simulator> sim;
};

/// What a command needs.
struct context {
    boost::asio::io_context& io;
    mistasync::client& mist;
    const arguments& args;
    bool json = false;
    bool interrupted = false;  ///< set by SIGINT/SIGTERM
};


// Lookups by name or id, with clear errors (errc::not_found_locally) when nothing or
// more than one thing matches.
boost::asio::awaitable<mistasync::backend> find_backend(mistasync::client& mist, const std::string& ref);
boost::asio::awaitable<mistasync::machine> find_machine(context& c, const std::string& ref);
boost::asio::awaitable<mistasync::key> find_key(mistasync::client& mist, const std::string& ref);
boost::asio::awaitable<mistasync::script> find_script(context& c, const std::string& ref);
[[noreturn]] void no_match(const std::string& what);

/// A batch alive on this machine: provision holds a lock named after the batch id in the
/// user's runtime directory ($XDG_RUNTIME_DIR/mistasync, else /tmp/mistasync-UID, 0700)
/// while it runs, so that `cleanup --batch` can refuse to destroy what it is still making.
class batch_liveness {
public:
    explicit batch_liveness(const std::string& batch_id);  ///< best effort: says on stderr when it cannot
    ~batch_liveness();
    batch_liveness(const batch_liveness&) = delete;
    batch_liveness& operator=(const batch_liveness&) = delete;
    /// True when a process of this machine runs the batch; its pid in `pid` when known.
    static bool running(const std::string& batch_id, long& pid);
    /// A batch id as it may be typed and used in a file name: 1-64 of [A-Za-z0-9_.-].
    static bool plain_id(const std::string& id);

private:
    int fd_ = -1;
    std::string path_;
};

// Output (output_formats.cpp): a verb prints its result as a document (print_json) or a
// table (print_table); -o/--output, --columns, --no-header and --quiet decide how they look.
enum class output_format { table, json, yaml, csv, ids, names0 };
/// Reads the output options (and NO_COLOR, the terminal's width). Throws usage_failure.
void configure_output(const arguments& args);
output_format current_output();
/// True when verbs should hand over documents (json, yaml, ids) rather than tables.
inline bool structured_output() {
    auto f = current_output();
    return f == output_format::json || f == output_format::yaml || f == output_format::ids;
}
/// A table (or CSV), with the columns --columns chose.
void print_table(const std::vector<std::string>& header, const std::vector<std::vector<std::string>>& rows);
/// A document as JSON, YAML, or the ids it holds.
void print_json(const boost::json::value& v);
/// What a verb did to one thing: {"id", "name", "done"} as a document, or "<what> <name>
/// (<id>)" for people. Returns the verb's exit status (ok).
int print_done(const context& c, const std::string& what, const std::string& name, const std::string& id);
/// -o yaml's document (yaml_output.cpp): block YAML that YAML 1.1 and 1.2 readers read back
/// as `v` (strings that could be read as anything else double-quoted and escaped).
std::string yaml_document(const boost::json::value& v);
/// A double as the shortest decimal that reads back to it, always with a '.' ("2.0", "0.02").
std::string shortest_decimal(double d);
/// A CSV field (RFC 4180 quoting) that a spreadsheet shows as text: one that starts like a
/// formula (=, +, -, @, a tab or CR) gets a leading apostrophe, so =HYPERLINK(...) is not run.
std::string csv_field(const std::string& s);
/// What a table shows of a server's text: no control characters (escape sequences could
/// rewrite the terminal) and at most 80 bytes, cut at a character boundary.
std::string terminal_safe(const std::string& text);
/// The same rule for a whole line of a message (not cut): every name, id or text from a
/// server or a file that a message shows on the terminal goes through one of these two.
std::string terminal_safe_line(const std::string& text);
boost::json::value to_json(const mistasync::machine& m);
boost::json::value to_json(const mistasync::probe_result& p);
boost::json::value to_json(const mistasync::job& j);

boost::json::value to_json(const mistasync::script_result& r);
/// A script's end for people: exit code, error, and its output's last lines.
void print_script_result(const mistasync::script_result& r);
/// A failed script's exit code as ours (1..125; 1 when it never ran or exited out of range).
int script_exit_status(const mistasync::script_result& r);

/// --deadline S (600 s by default), polling every 2-10 s, attempts on stderr.
mistasync::wait_policy cli_wait_policy(context& c);
/// The create flags beyond name, image, size, location and key: --network, --image-extra,
/// --disk, --cloud-init FILE, --script FILE, --script-id ID, --script-params P,
/// --docker-command C, --extra JSON. Throws usage_failure.
void apply_create_flags(const arguments& args, mistasync::machine_spec& spec);
/// A file's whole text (a script, a cloud-init document). Throws usage_failure.
std::string read_text_file(const std::string& path, const char* flag);

/// provision --events FILE|-: one JSON line per change of a machine (time, event, name,
/// id, error, exit_code), flushed as it happens; appended to FILE, or written to stdout.
class event_log {
public:
    explicit event_log(const std::string& path);  ///< empty: writes nothing
    ~event_log();
    event_log(const event_log&) = delete;
    event_log& operator=(const event_log&) = delete;
    void write(const mistasync::provisioned_machine& m);

private:
    std::string path_;
    std::FILE* out_ = nullptr;
    bool owned_ = false;
    bool failed_ = false;
};
/// provision --inventory FILE: the machines the batch delivered (probed, or through their
/// script; with `probed` false, running), by extension as JSON, CSV or an Ansible INI
/// inventory, written 0600 and never through a symbolic link. Returns how many.
std::size_t write_inventory(const std::string& path, const mistasync::provision_report& report, bool probed);
/// Throws usage_failure for an --inventory path of no known kind, or one that cannot be
/// written (checked before the batch starts).
void check_inventory_path(const std::string& path);

/// One machine of a spec file's "machines": what differs from the batch's defaults.
struct machine_override {
    std::string name, image, size, location, key;
    std::vector<std::pair<std::string, std::string>> tags;
};
/// provision --spec FILE (JSON, or YAML by its .yaml/.yml extension).
struct batch_spec_file {
    std::multimap<std::string, std::string> flags;  ///< settings, as the flags they stand for
    std::vector<std::string> names;                ///< explicit machine names (instead of --name/--count)
    std::vector<machine_override> machines;        ///< per-machine overrides (and machines added by name)
    std::vector<std::pair<std::string, std::string>> tags;  ///< on every machine (v1 servers)
    std::string script;                            ///< an inline post-deploy script
};
/// Reads a spec file. Throws usage_failure naming the file and what is wrong.
batch_spec_file read_batch_spec(const std::string& path);
/// The same from a file's text (`yaml`, else JSON); `path` names it in errors.
batch_spec_file parse_batch_spec(const std::string& text, bool yaml, const std::string& path);
/// The command line with the file's settings added where the command line has none.
arguments with_spec_file(const arguments& command_line, const batch_spec_file& file);
/// provision --dry-run: checks the batch against the server (backend, images, sizes,
/// locations, keys, names already taken), prints the plan; 0 when it can run, 1 if not.
/// The same checks for a real run, before its first create: each problem on stderr; how many.
boost::asio::awaitable<std::size_t> preflight_problems(context& c, const mistasync::backend& b,
                                                       const std::vector<mistasync::machine_spec>& specs,
                                                       const mistasync::provision_options& o);
boost::asio::awaitable<int> print_plan(context& c, const mistasync::backend& b, const std::vector<mistasync::machine_spec>& specs,
                                       const mistasync::provision_options& o);


}  // namespace mistcli
