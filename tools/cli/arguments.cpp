// The parsed command line's accessors, and where to connect (flags, MIST_* variables,
// ~/.mist). The parsing itself is in parse.cpp.
#include "cli.hpp"

#include "../strict_number.hpp"
#include "files.hpp"

#include <boost/asio/ip/address.hpp>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

namespace mistcli {

namespace {

// ~/.mist as the Python client reads it: an INI file with [mist.credentials] email and
// password (and, here, an optional [mist.instance] url).
std::map<std::string, std::string> read_mist_file() {
    std::map<std::string, std::string> out;
    const char* home = std::getenv("HOME");
    if (!home) return out;
    const std::string path = std::string(home) + "/.mist";
    struct stat st {};
    if (::lstat(path.c_str(), &st) != 0) return out;
    std::string text = read_input_file(path, "~/.mist", 1024 * 1024, &st);
    // It holds a password: like ssh with its keys, refuse a file another user owns or may
    // change (they could point us at their server) and warn about one others may read.
    if (st.st_uid != ::geteuid())
        throw usage_failure(path + " belongs to another user, so it was not read (it could send your credentials to their server)");
    if (st.st_mode & (S_IWGRP | S_IWOTH))
        throw usage_failure(path + " is writable by other users, so it was not read (chmod 600 " + path + ")");
    if (st.st_mode & (S_IRGRP | S_IROTH))
        std::fprintf(stderr, "mistasync: warning: %s is readable by other users and may hold a password (chmod 600 %s)\n",
                     path.c_str(), path.c_str());
    return parse_ini(text);
}

std::string env(const char* name) {
    const char* v = std::getenv(name);
    return v ? v : "";
}

// The host of an http(s) URL ("" when it has none).
std::string host_of(const std::string& url) {
    auto start = url.find("://");
    if (start == std::string::npos) return {};
    std::string rest = url.substr(start + 3);
    rest = rest.substr(0, rest.find_first_of("/?#"));
    if (rest.starts_with("[")) return rest.substr(0, rest.find(']') + 1);
    return rest.substr(0, rest.find(':'));
}

// A host on this machine: "localhost", or an address literal in 127.0.0.0/8 or ::1 (not
// any name that starts with "127.", such as 127.evil.example).
bool loopback(const std::string& url) {
    std::string host = host_of(url);
    if (host == "localhost") return true;
    if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
    boost::system::error_code ec;
    auto address = boost::asio::ip::make_address(host, ec);
    return !ec && address.is_loopback();
}

// A URL the SDK can use, without credentials in it (they would be echoed in messages and
// logs): checked here so that a mistake is a usage error, said once, without the URL.
void check_url(const std::string& url) {
    bool scheme = url.starts_with("http://") || url.starts_with("https://");
    if (!scheme || host_of(url).empty())
        throw usage_failure("--url (or MIST_URL) must be an http:// or https:// URL with a host");
    std::string authority = url.substr(url.find("://") + 3);
    authority = authority.substr(0, authority.find_first_of("/?#"));
    if (authority.find('@') != std::string::npos)
        throw usage_failure("--url (or MIST_URL) holds credentials (user@host): give them with --email/--password or --token");
}

}  // namespace

std::string arguments::key(option_name f) const {
    if (!declared.empty() && !declared.contains(f.text))
        throw std::logic_error("the command " + verb + " reads " + std::string(f.text) + ", which it does not declare (verbs.cpp)");
    return std::string(f.text);
}

std::string arguments::required(option_name f) const {
    auto v = get(f);
    if (v.empty()) throw usage_failure(verb + " needs " + std::string(f.text));
    return v;
}

std::vector<std::string> arguments::all(option_name f) const {
    std::vector<std::string> out;
    for (auto [it, end] = flags.equal_range(key(f)); it != end; ++it) out.push_back(it->second);
    return out;
}

std::size_t arguments::count(option_name f, std::size_t fallback, std::size_t max) const {
    auto v = get(f);
    if (v.empty() && !has(f)) return fallback;
    if (!mistasync::tools::plain_decimal(v, false) || std::stoull(v) < 1 || std::stoull(v) > max)
        throw usage_failure(std::string(f.text) + " takes a whole number from 1 to " + std::to_string(max) + ", not '" + v + "'");
    return static_cast<std::size_t>(std::stoull(v));
}

std::chrono::milliseconds arguments::seconds(option_name f, double fallback, double max) const {
    auto v = get(f);
    double d = fallback;
    if (!v.empty() || has(f)) {
        if (!mistasync::tools::plain_decimal(v, true) || (d = std::stod(v)) > max)
            throw usage_failure(std::string(f.text) + " takes seconds (a number from 0 to " +
                                std::to_string(static_cast<long long>(max)) + "), not '" + v + "'");
    }
    return std::chrono::milliseconds(static_cast<long long>(d * 1000));
}

std::string arguments::subject(const char* what) const {
    if (positional.size() != 1) throw usage_failure(verb + " takes one " + what);
    return positional[0];
}

namespace {

// Where a server and its credentials were configured together. Credentials are scoped to
// the server of their own source: a token in MIST_TOKEN, a profile or ~/.mist goes only to
// the URL that source names, never to a URL given elsewhere. Only credentials typed on the
// command line go to whichever server is in effect, and they replace all others. (The
// Python client would send ~/.mist's credentials to https://mist.io when it names no
// server; here such a file names none, and a command without a server is a usage error.)
struct credential_source {
    std::string name;  ///< how the user calls it: "the command line", "MIST_TOKEN", ...
    std::string url;
    std::string email, password, token;
    std::string organization;  ///< what a password login asks its token for (--org, MIST_ORG, org, org_name)
    bool has_credentials() const { return !token.empty() || !email.empty() || !password.empty(); }
};

std::string without_trailing_slash(std::string url) {
    while (url.size() > 1 && url.back() == '/') url.pop_back();
    return url;
}

}  // namespace

connection resolve_connection(const arguments& args) {
    connection c;
    auto file = read_mist_file();
    // --profile NAME (or MIST_PROFILE): a [profile NAME] section of ~/.mist, with url,
    // token or email/password, api and ca_file; it stands before the Python sections.
    const std::string profile = args.get(opt::profile, env("MIST_PROFILE"));
    const std::string section = "profile " + profile + ".";
    if (!profile.empty() && std::none_of(file.begin(), file.end(), [&](auto& entry) { return entry.first.starts_with(section); }))
        throw usage_failure("no [profile " + profile + "] section in ~/.mist");
    auto from_file = [&](const std::string& key) {
        auto it = file.find(key);
        return it == file.end() ? std::string() : it->second;
    };
    auto from_profile = [&](const char* key) { return profile.empty() ? std::string() : from_file(section + key); };

    std::vector<credential_source> sources;
    sources.push_back({"the command line", args.get(opt::url), args.get(opt::email), args.get(opt::password), args.get(opt::token),
                       args.get(opt::org)});
    sources.push_back({"the MIST_* variables", env("MIST_URL"), env("MIST_EMAIL"), env("MIST_PASSWORD"), env("MIST_TOKEN"), env("MIST_ORG")});
    if (!profile.empty())
        sources.push_back({"[profile " + profile + "] of ~/.mist", from_profile("url"), from_profile("email"), from_profile("password"),
                           from_profile("token"), from_profile("org")});
    else {
        // ~/.mist as the Python `mist` command writes it ([mist.io] mist_uri, [mist.credentials]
        // email, password, org_name, api_token), and the keys earlier versions of this tool read.
        credential_source python{"~/.mist", from_file("mist.io.mist_uri"), from_file("mist.credentials.email"),
                                 from_file("mist.credentials.password"), from_file("mist.credentials.api_token"),
                                 from_file("mist.credentials.org_name")};
        if (python.organization == "None") python.organization.clear();
        if (python.url.empty()) python.url = from_file("mist.instance.url");
        if (python.token.empty()) python.token = from_file("mist.credentials.token");
        if (python.token == "None") python.token.clear();  // Python writes its None
        sources.push_back(std::move(python));
    }
    const credential_source* server = nullptr;
    const credential_source* credentials = nullptr;
    for (auto& s : sources) {
        if (!server && !s.url.empty()) server = &s;
        if (!credentials && s.has_credentials()) credentials = &s;
    }
    const std::string url = server ? server->url : std::string();

    // The simulator only when asked for: a user who forgot the URL must not believe that
    // machines were made.
    if (args.has(opt::simulator) && args.has(opt::url))
        throw usage_failure("--simulator and --url name different servers: give one");
    c.embedded = args.has(opt::simulator) || (url == "simulator" && !args.has(opt::url));
    if (c.embedded) return c;
    if (url.empty())
        throw usage_failure(
            "no mist.io server given. Connect with --url https://mist.example.com and --token T (or --email E "
            "--password P), or MIST_URL and MIST_TOKEN, or mist_uri under [mist.io] in ~/.mist with [mist.credentials]; "
            "or try the commands against an embedded simulator with --simulator (or MIST_URL=simulator)");
    check_url(url);
    if (credentials && credentials != &sources.front() && without_trailing_slash(credentials->url) != without_trailing_slash(url))
        throw usage_failure("the credentials of " + credentials->name + " are for " +
                            (credentials->url.empty() ? std::string("no server named there") : credentials->url) +
                            ", and the server in effect is " + url + " (from " + server->name +
                            "): they are not sent to another server. Give --token (or --email and --password) on the "
                            "command line, or name the server beside them");
    if (credentials) {
        c.options.token = credentials->token;
        c.options.email = credentials->email;
        c.options.password = credentials->password;
        // The organization travels with its credentials; --org on the command line applies
        // to whichever login is in effect. A token already belongs to one (as the Python
        // client, a file's org_name beside a token is not used).
        c.options.organization = args.has(opt::org) ? args.get(opt::org) : credentials->organization;
        if (!c.options.token.empty()) {
            if (args.has(opt::org))
                throw usage_failure("--org chooses the organization of an --email/--password login; a token belongs to the "
                                    "organization it was made for (mistasync list-orgs shows the user's)");
            c.options.organization.clear();
        }
    }
    c.options.base_url = url;
    std::string api = args.get(opt::api, from_profile("api").empty() ? "auto" : from_profile("api"));
    if (api == "legacy") c.options.era = mistasync::api_era::legacy;
    else if (api == "v1") c.options.era = mistasync::api_era::v1;
    else if (api == "v2") c.options.era = mistasync::api_era::v2;
    else if (api != "auto") throw usage_failure("--api takes legacy, v1, v2 or auto");
    c.options.tls.ca_file = args.get(opt::ca_file, from_profile("ca_file"));
    if (!c.options.tls.ca_file.empty()) (void)read_input_file(c.options.tls.ca_file, "--ca-file", 4 * 1024 * 1024);
    if (args.has(opt::insecure)) c.options.tls.verify = false;
    if (args.has(opt::timeout)) {
        c.options.timeouts.total = args.seconds(opt::timeout, 120);
        if (c.options.timeouts.total.count() == 0) throw usage_failure("--timeout takes more than 0 seconds");
    }
    if (c.options.token.empty() && (c.options.email.empty() || c.options.password.empty()))
        throw usage_failure("credentials needed for " + url + ": --token (or MIST_TOKEN), or --email and --password "
                            "(or MIST_EMAIL/MIST_PASSWORD, or [mist.credentials] in ~/.mist)");
    // Over plain http anyone on the path reads a token as well as a password.
    if (url.starts_with("http://") && !loopback(url) && !args.has(opt::allow_plain_http))
        throw usage_failure(std::string("refusing to send ") + (c.options.token.empty() ? "a password" : "a token") +
                            " over plain http:// to " + url + " (anyone on the path could read it and use it): use https://, "
                            "or --allow-plain-http if the network is yours");
    return c;
}

embedded_server::embedded_server(boost::asio::io_context& io, const arguments& args, connection& conn) {
    if (!conn.embedded) return;
    mistasync::testing::simulator_options o;
    o.boot_delay = args.seconds(opt::sim_boot_delay, 2, 3600);
    o.ssh_delay = args.seconds(opt::sim_ssh_delay, 2, 3600);
    sim.emplace(io.get_executor(), o);
    sim->start();
    conn.options.base_url = sim->base_url();
    conn.options.token = sim->api_token();
    conn.options.email.clear();
    conn.options.password.clear();
    std::fprintf(stderr, "(the embedded simulator at %s, as asked: nothing is made on a real server)\n", conn.options.base_url.c_str());
}

}  // namespace mistcli
