// What the command line accepts, as data: each verb's names, arguments, options and an
// example. The parser, `--help`, `mistasync help VERB` and the documentation tests read
// this one table, so that a verb and its help cannot disagree.
#pragma once

#include <boost/asio/awaitable.hpp>

#include <set>
#include <string>
#include <vector>

namespace mistcli {

/// One option. `names` is CLI11's spelling: ours first (the name commands read), then
/// the aliases, e.g. "--backend,--backend-id,--cloud-id".
struct option_spec {
    const char* names;
    const char* value;  ///< what the value is ("NAME", "SECONDS"); nullptr for a switch
    const char* help;
    bool repeatable = false;    ///< given once per value (--tag k=v --tag k=v)
    bool names_subject = false; ///< another way to give the verb's positional argument
};

struct context;
/// What a verb runs: a coroutine over the command's context; its exit status.
using command = boost::asio::awaitable<int> (*)(context&);

/// One verb. Its aliases are the Python `mist` command's spellings (list-clouds ...).
struct verb_spec {
    std::string name;
    command run;  ///< nullptr: answered before any server is reached (completion, man-page)
    std::vector<std::string> aliases;
    const char* summary;
    const char* subject;  ///< the positional argument ("MACHINE"), or nullptr
    std::vector<option_spec> options;
    const char* example;
    const char* subject_help = nullptr;  ///< what the subject is, when not a name or id
};

/// Every verb, in the order `mistasync --help` lists them.
const std::vector<verb_spec>& verbs();
/// The options every verb takes (the server, credentials, output).
const std::vector<option_spec>& global_options();
/// The canonical names of the options a verb may read: its own, the global ones, --help
/// ("" for none: the global ones).
std::set<std::string, std::less<>> declared_options(const std::string& verb);
/// The command of a verb (by its canonical name), or nullptr.
command find_command(const std::string& verb);
/// The canonical name of a verb given by any of its names, or "" for none.
std::string canonical_verb(const std::string& name);
/// One of add-backend's options in the Python client's per-provider spellings
/// (--docker-host): the field of the add it sets, as the server names it.
struct provider_flag {
    const char* flag;
    const char* field;
    const char* value;
    bool from_file = false;  ///< the value is a file whose text is sent
};
/// Every such option (provider_flags.cpp).
const std::vector<provider_flag>& provider_flags();
/// The same, as add-backend's option specs.
std::vector<option_spec> provider_flag_options();
/// An option's spellings ("--backend,--cloud-id" -> {"--backend", "--cloud-id"}).
std::vector<std::string> spellings(const char* names);
/// The name commands read an option by: its first long spelling ("-o,--output": --output).
std::string canonical_name(const option_spec& option);

}  // namespace mistcli
