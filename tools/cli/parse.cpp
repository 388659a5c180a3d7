// The command line, parsed with CLI11 from the verb table (verbs.hpp) into `arguments`:
// options under their canonical names (the first of their spellings), the verb under its
// canonical name, a subject given as an option (--machine-id X) as the positional one.
#include "cli.hpp"
#include "verbs.hpp"

#include <CLI/CLI.hpp>

#include <cctype>
#include <algorithm>
#include <cstdio>
#include <set>

namespace mistcli {

namespace {

// Flags whose value is a secret (--password, --token, --nepho-password, --ec2-api-key ...):
// never echoed, and a word after them is never echoed either.
bool is_secret(const std::string& flag) {
    for (const char* word : {"password", "token", "secret", "api-key", "private-key"})
        if (flag.starts_with("--") && flag.find(word) != std::string::npos) return true;
    return false;
}

// Every spelling of every option of any verb, and those of options that take a value.
struct option_spellings {
    std::set<std::string> all, valued;
    option_spellings() {
        auto add = [&](const std::vector<option_spec>& options) {
            for (const option_spec& o : options)
                for (auto& name : spellings(o.names)) {
                    all.insert(name);
                    if (o.value) valued.insert(name);
                }
        };
        add(global_options());
        for (const verb_spec& v : verbs()) add(v.options);
        all.insert("--help");
        all.insert("-h");
    }
};
const option_spellings& known() {
    static const option_spellings spellings;
    return spellings;
}
const std::set<std::string>& valued_spellings() { return known().valued; }
const std::set<std::string>& known_spellings() { return known().all; }

// Levenshtein distance, for "did you mean".
std::size_t distance(const std::string& a, const std::string& b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            std::size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

// An option no verb declares is refused before anything else is read, and the words after
// it are never echoed: "--pasword S" must not print S (it may be the password), as an
// unknown command or in CLI11's "not expected" list. The closest spelling is suggested.
void check_options_known(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) {
        const std::string word = argv[i];
        if (word == "--") return;  // the rest is positional
        if (word.size() < 2 || word[0] != '-' || (word[1] >= '0' && word[1] <= '9')) continue;
        const std::string name = word.substr(0, word.find('='));
        // A short option with its value attached (-ojson).
        if (word[1] != '-' && word.size() > 2 && valued_spellings().contains(word.substr(0, 2))) continue;
        if (known_spellings().contains(name)) {
            if (name == word && valued_spellings().contains(name)) ++i;  // its value
            continue;
        }
        std::string closest;
        std::size_t best = 3;  // at most two edits away
        for (const std::string& known : known_spellings())
            if (std::size_t d = distance(name, known); d < best && known.size() > 2) best = d, closest = known;
        std::string shown = name.size() <= 40 && name.find_first_not_of("-abcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos
                                ? name
                                : std::string("an option");
        throw usage_failure("unknown option " + shown + (closest.empty() ? "" : " (did you mean " + closest + "?)") +
                            "; the words after it are not shown, in case they are secrets");
    }
}

using parsed_options = std::vector<std::pair<CLI::Option*, const option_spec*>>;

void add_options(CLI::App& app, const std::vector<option_spec>& options, parsed_options& out) {
    for (const option_spec& o : options) {
        CLI::Option* added = nullptr;
        if (o.value) {
            added = app.add_option(o.names, o.help)->type_name(o.value);
            if (o.repeatable) added->take_all();
            else added->take_last();
        } else {
            added = app.add_flag(o.names, o.help);
        }
        out.emplace_back(added, &o);
    }
}

// "MACHINE" -> "the machine, by name or id", unless the verb says what its subject is.
std::string subject_help(const verb_spec& v) {
    if (v.subject_help) return v.subject_help;
    std::string subject = v.subject;
    for (char& ch : subject) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    return "the " + subject + ", by name or id";
}

const char* footer =
    "Backends, keys, machines and scripts are given by name or id; the Python mist command's\n"
    "spellings of verbs and options work too (list-clouds, --cloud-id, --machine-name ...).\n"
    "The server: --url, or MIST_URL, or mist_uri under [mist.io] in ~/.mist; credentials: --token,\n"
    "or --email and --password, or MIST_TOKEN / MIST_EMAIL / MIST_PASSWORD, or [mist.credentials]\n"
    "in ~/.mist. With no server given at all, a command exits 2 and says how to connect.\n"
    "`mistasync help VERB` (or VERB --help) tells more of one verb.\n"
    "\n"
    "Exit status: 0 ok, 1 API error, 2 usage, 3 not ready (a machine that does not answer SSH\n"
    "yet, a --wait whose deadline passed), 130 interrupted.";

// The whole command line as CLI11 sees it; `globals` and `per_verb` say which option is
// which spec.
struct command_line {
    CLI::App app{"mistasync: the mist.io command line", "mistasync"};
    parsed_options globals;
    std::map<std::string, parsed_options> per_verb;
    std::map<std::string, CLI::Option*> subjects;

    command_line() {
        app.footer(footer);
        app.set_help_flag();  // help is answered before parsing (print_help)
        add_options(app, global_options(), globals);
        for (const verb_spec& v : verbs()) {
            CLI::App* sub = app.add_subcommand(v.name, v.summary);  // its help lists its aliases
            for (auto& alias : v.aliases) sub->alias(alias);
            sub->fallthrough();  // the global options after the verb, too
            sub->set_help_flag();
            if (v.subject) {
                const std::string help = subject_help(v);
                subjects[v.name] = sub->add_option(v.subject, help);
            }
            add_options(*sub, v.options, per_verb[v.name]);
            if (v.example) sub->footer(std::string("Example:\n  ") + v.example + "\n\nThe options every verb takes: mistasync --help");
        }
    }
};

// The verb word of a command line (the first word that is not an option or an option's
// value), and where it is; argc when there is none.
int verb_position(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) {
        std::string_view s = argv[i];
        if (s.starts_with("-")) {
            if (s.find('=') == std::string_view::npos && valued_spellings().contains(std::string(s)) && i + 1 < argc &&
                !std::string_view(argv[i + 1]).starts_with("--"))
                ++i;
            continue;
        }
        return i;
    }
    return argc;
}

// A flag never takes another flag as its value: "--url $UNSET --token T" must not make
// "--token" the URL and then echo T as an unknown command.
void check_values_present(int argc, char** argv) {
    for (int i = 0; i < argc; ++i) {
        std::string s = argv[i];
        if (!s.starts_with("--") || s.find('=') != std::string::npos || !valued_spellings().contains(s)) continue;
        if (i + 1 >= argc || std::string_view(argv[i + 1]).starts_with("--"))
            throw usage_failure(s + " needs a value" + (is_secret(s) ? "" : " (write " + s + "=VALUE for one that starts with --)"));
        ++i;
    }
}

// The text with every secret of the command line blanked out.
std::string without_secrets(const std::string& text, int argc, char** argv) {
    std::vector<std::string> secrets;
    for (int i = 0; i < argc; ++i) {
        std::string s = argv[i];
        if (auto eq = s.find('='); eq != std::string::npos && is_secret(s.substr(0, eq))) secrets.push_back(s.substr(eq + 1));
        else if (is_secret(s) && i + 1 < argc) secrets.push_back(argv[i + 1]);
    }
    return redacted(text, secrets);
}

void collect(const parsed_options& options, arguments& into) {
    for (auto [option, spec] : options) {
        if (option->count() == 0) continue;
        const std::string name = canonical_name(*spec);
        if (!spec->value) {
            for (std::size_t i = 0; i < option->count(); ++i) into.flags.emplace(name, "");
            continue;
        }
        for (const std::string& value : option->results()) {
            if (spec->names_subject) into.positional.push_back(value);
            else into.flags.emplace(name, value);
        }
    }
}

}  // namespace

arguments parse_arguments(int argc, char** argv) {
    arguments a;
    int at = verb_position(argc, argv);
    std::string word = at < argc ? argv[at] : "";
    bool help = false;
    for (int i = 0; i < argc; ++i) help = help || std::string_view(argv[i]) == "--help" || std::string_view(argv[i]) == "-h";
    if (word == "help") {  // mistasync help [VERB]
        help = true;
        word = at + 1 < argc ? argv[at + 1] : "";
    }
    if (!help) {  // before any word is echoed
        check_options_known(argc, argv);
        check_values_present(argc, argv);
    }
    if (!word.empty() && canonical_verb(word).empty()) throw usage_failure("unknown command " + without_secrets(word, argc, argv));
    a.verb = canonical_verb(word);
    a.declared = declared_options(a.verb);
    if (help) {
        a.flags.emplace("--help", "");
        return a;
    }
    command_line line;
    std::vector<std::string> words;  // CLI11 wants them in reverse
    for (int i = argc - 1; i >= 0; --i) words.emplace_back(argv[i]);
    try {
        line.app.parse(words);
    } catch (const CLI::ParseError& e) {
        throw usage_failure(without_secrets(e.what(), argc, argv));
    }
    collect(line.globals, a);
    if (!a.verb.empty()) {
        if (auto it = line.subjects.find(a.verb); it != line.subjects.end())
            for (const std::string& value : it->second->results()) a.positional.push_back(value);
        collect(line.per_verb[a.verb], a);
    }
    return a;
}

void print_help(const std::string& verb, std::FILE* to) {
    command_line line;
    std::string text = verb.empty() ? line.app.help() : line.app.get_subcommand(verb)->help("mistasync");
    std::fputs(text.c_str(), to);
}

}  // namespace mistcli
