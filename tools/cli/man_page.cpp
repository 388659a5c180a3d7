// mistasync man-page: the manual page (roff, man(7) macros), written from the verb table
// at build time and installed as share/man/man1/mistasync.1.
#include "cli.hpp"
#include "verbs.hpp"

#include <cstdio>

namespace mistcli {

namespace {

// Text as roff reads it: backslashes escaped, a leading dot or quote neutralised, '-' as a
// hyphen-minus (options are typed, not hyphenated).
std::string roff(const std::string& text) {
    std::string out;
    for (char c : text) {
        if (c == '\\') out += "\\e";
        else if (c == '-') out += "\\-";
        else out += c;
    }
    std::string safe;
    for (std::size_t start = 0; start < out.size();) {
        std::size_t end = out.find('\n', start);
        if (end == std::string::npos) end = out.size();
        std::string line = out.substr(start, end - start);
        if (!line.empty() && (line[0] == '.' || line[0] == '\'')) line = "\\&" + line;
        safe += line + (end < out.size() ? "\n" : "");
        start = end + 1;
    }
    return safe;
}

std::string options_text(const std::vector<option_spec>& options) {
    std::string s;
    for (const option_spec& o : options) {
        std::string names;
        for (const std::string& name : spellings(o.names)) names += (names.empty() ? "" : ", ") + ("\\fB" + roff(name) + "\\fR");
        s += ".TP\n" + names + (o.value ? std::string(" \\fI") + roff(o.value) + "\\fR" : "") + "\n" + roff(o.help) + "\n";
    }
    return s;
}

}  // namespace

int print_man_page() {
    std::string s = ".TH MISTASYNC 1 \"\" \"mistasync " MISTASYNC_VERSION_STRING "\" \"User Commands\"\n"
                    ".SH NAME\nmistasync \\- the mist.io command line\n"
                    ".SH SYNOPSIS\n\\fBmistasync\\fR [\\fIOPTIONS\\fR] \\fICOMMAND\\fR [\\fIARGUMENTS\\fR]\n"
                    ".SH DESCRIPTION\n"
                    "Lists, creates and manages machines on a mist.io server, in either of its API eras, and "
                    "provisions machines in bulk with a journal that survives interruptions. Backends, keys, "
                    "machines and scripts are given by name or id. The spellings of the Python \\fBmist\\fR "
                    "command (list\\-clouds, \\-\\-cloud\\-id, \\-\\-machine\\-name ...) are accepted too.\n"
                    ".SH COMMANDS\n";
    for (const verb_spec& v : verbs()) {
        s += ".SS \\fB" + roff(v.name) + "\\fR" + (v.subject ? std::string(" \\fI") + roff(v.subject) + "\\fR" : "") + "\n";
        s += roff(v.summary) + ".\n";
        if (!v.aliases.empty()) {
            std::string aliases;
            for (auto& a : v.aliases) aliases += (aliases.empty() ? "" : ", ") + ("\\fB" + roff(a) + "\\fR");
            s += "Also: " + aliases + ".\n";
        }
        s += options_text(v.options);
        if (v.example) s += ".PP\nExample:\n.PP\n.RS\n.nf\n" + roff(v.example) + "\n.fi\n.RE\n";
    }
    s += ".SH OPTIONS\nEvery command takes these.\n" + options_text(global_options());
    s += ".SH ENVIRONMENT\n"
         ".TP\n\\fBMIST_URL\\fR, \\fBMIST_TOKEN\\fR, \\fBMIST_EMAIL\\fR, \\fBMIST_PASSWORD\\fR\n"
         "The server and the credentials, when no option gives them. MIST_URL=simulator: the embedded simulator.\n"
         ".TP\n\\fBMIST_PROFILE\\fR\nThe profile of \\fI~/.mist\\fR to use, when \\-\\-profile is not given.\n"
         ".TP\n\\fBNO_COLOR\\fR\nWhen set, nothing is coloured.\n"
         ".TP\n\\fBCOLUMNS\\fR\nThe width tables fit in (the terminal's otherwise).\n"
         ".SH FILES\n.TP\n\\fI~/.mist\\fR\n"
         "The Python client's file: \\fBmist_uri\\fR under [mist.io]; \\fBemail\\fR, \\fBpassword\\fR and "
         "\\fBapi_token\\fR under [mist.credentials]. A [profile \\fINAME\\fR] section holds \\fBurl\\fR, "
         "\\fBtoken\\fR or \\fBemail\\fR and \\fBpassword\\fR, \\fBapi\\fR and \\fBca_file\\fR. The file must not "
         "be writable by others.\n"
         ".SH EXIT STATUS\n"
         ".TP\n0\nSuccess.\n.TP\n1\nThe server refused or failed the request, or could not be reached.\n"
         ".TP\n2\nA usage error: an unknown command or option, a missing or malformed value, no server given.\n"
         ".TP\n3\nNot ready: the machine does not answer SSH yet (\\fBprobe\\fR), or a \\-\\-wait deadline passed.\n"
         ".TP\n130\nInterrupted (Ctrl\\-C).\n"
         ".SH SEE ALSO\nThe guides installed with mistasync (docs/cli.md, docs/bulk\\-provisioning.md).\n";
    std::fputs(s.c_str(), stdout);
    return ok;
}

}  // namespace mistcli
