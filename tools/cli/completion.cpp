// mistasync completion bash|zsh|fish: a completion script written from the verb table.
// Verbs and options complete from the table; backend, machine and key names from the
// server, when credentials are configured (MIST_* or ~/.mist), within three seconds.
#include "cli.hpp"
#include "verbs.hpp"

#include <cstdio>
#include <map>
#include <set>

namespace mistcli {

namespace {

// Which listing names an option's (or a subject's) values: "" for none.
std::string names_from(const std::string& value_kind) {
    if (value_kind == "BACKEND") return "list-backends";
    if (value_kind == "MACHINE") return "list-machines";
    if (value_kind == "KEY") return "list-keys";
    return {};
}

std::string joined(const std::vector<std::string>& words) {
    std::string out;
    for (auto& w : words) out += (out.empty() ? "" : " ") + w;
    return out;
}

std::vector<std::string> all_spellings(const std::vector<option_spec>& options) {
    std::vector<std::string> out;
    for (auto& o : options)
        for (auto& s : spellings(o.names)) out.push_back(s);
    return out;
}

// The server's names are data, never code: they arrive NUL-separated (-o names0, so a
// newline cannot split one), are compared with the word being completed as plain text,
// and go into COMPREPLY quoted by printf %q. compgen -W would expand $(...), backticks,
// $((...)) and ${...} in them: a machine named $(rm -rf ~) would run on TAB.
const char* bash_names_helper =
    "_mistasync_names() {\n"
    "  local name quoted\n"
    "  COMPREPLY=()\n"
    "  while IFS= read -r -d '' name; do\n"
    "    printf -v quoted '%q' \"$name\"\n"
    "    if [[ \"$name\" == \"$3\"* || \"$quoted\" == \"$3\"* ]]; then COMPREPLY+=(\"$quoted\"); fi\n"
    "  done < <(timeout 3 \"$1\" \"$2\" --output names0 --timeout 3 2>/dev/null)\n"
    "}\n";

std::string bash_script() {
    std::string verb_words;
    for (auto& v : verbs()) {
        verb_words += " " + v.name;
        for (auto& a : v.aliases) verb_words += " " + a;
    }
    std::string s = "# mistasync completion for bash (mistasync completion bash > /etc/bash_completion.d/mistasync)\n";
    s += bash_names_helper;
    s += "_mistasync() {\n"
         "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" verb=\"\" w i\n"
         "  local verbs=\"" + verb_words.substr(1) + "\"\n"
         "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
         "    w=\"${COMP_WORDS[i]}\"\n"
         "    if [[ \" $verbs \" == *\" $w \"* ]]; then verb=\"$w\"; break; fi\n"
         "  done\n"
         "  case \"$prev\" in\n";
    // Options whose values are names on the server, or a fixed set.
    std::map<std::string, std::vector<std::string>> by_kind;
    auto note = [&](const std::vector<option_spec>& options) {
        for (auto& o : options)
            if (o.value && !names_from(o.value).empty())
                for (auto& name : spellings(o.names)) by_kind[o.value].push_back(name);
    };
    note(global_options());
    for (auto& v : verbs()) note(v.options);
    for (auto& [kind, names] : by_kind) {
        std::set<std::string> unique(names.begin(), names.end());
        std::string pattern;
        for (auto& n : unique) pattern += (pattern.empty() ? "" : "|") + n;
        s += "    " + pattern + ") _mistasync_names \"${COMP_WORDS[0]}\" " + names_from(kind) + " \"$cur\"; return ;;\n";
    }
    s += "    -o|--output) COMPREPLY=( $(compgen -W \"table json yaml csv ids names0\" -- \"$cur\") ); return ;;\n"
         "    --api) COMPREPLY=( $(compgen -W \"legacy v1 auto\" -- \"$cur\") ); return ;;\n"
         "    --spec|--journal|--file|--key-path|--cloud-init|--script|--script-file|--ca-file|--inventory|--events)\n"
         "      COMPREPLY=( $(compgen -f -- \"$cur\") ); return ;;\n"
         "  esac\n"
         "  local global=\"" + joined(all_spellings(global_options())) + "\"\n"
         "  if [[ -z \"$verb\" ]]; then\n"
         "    COMPREPLY=( $(compgen -W \"$verbs $global\" -- \"$cur\") ); return\n"
         "  fi\n"
         "  local options=\"\" subject=\"\"\n"
         "  case \"$verb\" in\n";
    for (auto& v : verbs()) {
        std::string pattern = v.name;
        for (auto& a : v.aliases) pattern += "|" + a;
        s += "    " + pattern + ") options=\"" + joined(all_spellings(v.options)) + "\"; subject=\"" +
             (v.subject ? names_from(v.subject) : "") + "\" ;;\n";
    }
    s += "  esac\n"
         "  if [[ \"$cur\" == -* || -z \"$subject\" ]]; then\n"
         "    COMPREPLY=( $(compgen -W \"$options $global\" -- \"$cur\") )\n"
         "  else\n"
         "    _mistasync_names \"${COMP_WORDS[0]}\" \"$subject\" \"$cur\"\n"
         "  fi\n"
         "}\n"
         "complete -F _mistasync mistasync\n";
    return s;
}

std::string zsh_script() {
    // zsh runs the bash function through its bash completion layer.
    return "#compdef mistasync\n"
           "# mistasync completion for zsh (mistasync completion zsh > \"${fpath[1]}/_mistasync\", or source it)\n"
           "autoload -U +X compinit && compinit\n"
           "autoload -U +X bashcompinit && bashcompinit\n" +
           bash_script();
}

std::string fish_quoted(const std::string& text) {
    std::string out = "'";
    for (char c : text) out += c == '\'' ? std::string("\\'") : c == '\\' ? std::string("\\\\") : std::string(1, c);
    return out + "'";
}

// fish takes what a command substitution prints as candidates, never as code; the names
// come NUL-separated and are split there, so a newline stays inside its name.
std::string fish_names(const std::string& listing) {
    return "'(mistasync " + listing + " --output names0 --timeout 3 2>/dev/null | string split0)'";
}

std::string fish_script() {
    std::string s = "# mistasync completion for fish (mistasync completion fish > ~/.config/fish/completions/mistasync.fish)\n"
                    "complete -c mistasync -f\n";
    auto option_lines = [&](const std::vector<option_spec>& options, const std::string& condition) {
        for (auto& o : options)
            for (auto& name : spellings(o.names)) {
                s += "complete -c mistasync" + condition + (name.starts_with("--") ? " -l " + name.substr(2) : " -s " + name.substr(1));
                if (o.value) {
                    s += " -r";
                    if (auto listing = names_from(o.value); !listing.empty())
                        s += " -a " + fish_names(listing);
                }
                s += " -d " + fish_quoted(o.help) + "\n";
            }
    };
    option_lines(global_options(), "");
    for (auto& v : verbs()) {
        std::vector<std::string> names = v.aliases;
        names.insert(names.begin(), v.name);
        for (auto& name : names) s += "complete -c mistasync -n __fish_use_subcommand -a " + name + " -d " + fish_quoted(v.summary) + "\n";
        const std::string condition = " -n '__fish_seen_subcommand_from " + joined(names) + "'";
        option_lines(v.options, condition);
        if (v.subject)
            if (auto listing = names_from(v.subject); !listing.empty())
                s += "complete -c mistasync" + condition + " -a " + fish_names(listing) + "\n";
    }
    return s;
}

}  // namespace

int print_completion(const arguments& args) {
    const std::string shell = args.subject("SHELL");
    if (shell == "bash") std::fputs(bash_script().c_str(), stdout);
    else if (shell == "zsh") std::fputs(zsh_script().c_str(), stdout);
    else if (shell == "fish") std::fputs(fish_script().c_str(), stdout);
    else throw usage_failure("completion takes bash, zsh or fish, not '" + shell + "'");
    return ok;
}

}  // namespace mistcli
