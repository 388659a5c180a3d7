// What the API returns, normalised across both eras (the 2015 "/backends" API and
// "/api/v1"): plain value types. The handles that can act (backend, machine, key) are in
// client.hpp and build on these.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace mistasync {

namespace detail {
struct json_holder;  // the raw JSON a model was read from (opaque: no Boost.JSON here)
std::string json_text(const std::shared_ptr<const json_holder>& raw);
}  // namespace detail

/// A machine's state, from either era's text (libcloud's states; "unknown" for anything else).
enum class machine_state { pending, starting, running, rebooting, stopping, stopped, suspended, paused, error, terminated, unknown };

/// The state named by a server's text ("running", "stopped", ...); unknown text gives machine_state::unknown.
machine_state parse_machine_state(std::string_view text) noexcept;
/// The state's name, as the API writes it.
std::string_view to_string(machine_state s) noexcept;

/// A region of a provider (the 2015 provider list names regions as providers).
struct region {
    std::string id;        ///< ec2_ap_northeast (2015) or ap-northeast-1 (v1), dfw, ...
    std::string location;  ///< Tokyo, Dallas, ...
};

/// A cloud provider mist.io supports (client::providers).
struct provider {
    std::string id;     ///< "ec2", "nephoscale" (v2 list) or "ec2_ap_northeast" (v1 list)
    std::string title;  ///< human-readable name ("EC2", "NephoScale", ...)
    std::vector<region> regions;  ///< its regions (empty when the provider has none)
};

/// An OS image a backend offers (backend::images).
struct image {
    std::string id;  ///< the provider's image id (what machine_spec::image takes)
    std::string name;  ///< human-readable name
    bool starred = false;  ///< starred by the user (backend::star_image toggles it)
    std::string extra_json;  ///< the provider's "extra" object, as JSON text
};

/// A machine size (plan) a backend offers (backend::sizes).
struct size {
    std::string id;  ///< the provider's size id (what machine_spec::size takes)
    std::string name;  ///< human-readable name
    int ram_mb = 0;  ///< memory in MB (0 when the provider does not say)
    int disk_gb = 0;  ///< disk in GB (0 when the provider does not say)
    std::string driver;  ///< the libcloud driver that listed it
    std::string price_json;  ///< number, object or null as the provider gives it, as JSON text
};

/// A location (data centre) a backend offers (backend::locations).
struct location {
    std::string id;  ///< the provider's location id (what machine_spec::location takes)
    std::string name;  ///< human-readable name
    std::string country;  ///< country, when the provider says
};

/// One of the user's organizations (client::organizations).
struct organization {
    std::string id;    ///< 32 hex
    std::string name;  ///< what client_options::organization also takes
};

/// A subnet of a network.
struct subnet {
    std::string id;                 ///< v1: mist's id (what delete_subnet takes); 2015: the provider's
    std::string name;               ///< its name, when it has one
    std::string cidr;               ///< "10.0.0.0/24" (2015 EC2 lists carry it as the name)
    std::string network_id;         ///< the network it belongs to
    std::string availability_zone;  ///< EC2, Alibaba
};

/// A network of a backend, from either era's list: 2015's {public, private, routers}
/// (OpenStack, NephoScale) and v1's records (EC2, GCE, OpenStack, Azure ARM, ...).
struct network {
    std::string id;           ///< what machine_spec::networks and delete_network take (v1: mist's id)
    std::string external_id;  ///< the provider's id (2015: the same as id)
    std::string name;         ///< its name
    std::string cidr;         ///< empty where the provider keeps none on the network (OpenStack, GCE)
    std::string description;  ///< v1: what its creator wrote
    bool is_public = false;   ///< 2015: listed under "public"; v1: OpenStack's router_external
    std::vector<subnet> subnets;  ///< its subnets (v1: from the record; 2015: as the provider lists them)
    std::string raw_json;     ///< the server's document, for provider-specific fields
};

/// A subnet to create (network_spec::subnet, backend::create_subnet).
struct subnet_spec {
    std::string cidr;               ///< required: "10.1.0.0/24"
    std::string name;               ///< GCE: lowercase letters, digits and hyphens
    std::string availability_zone;  ///< required on EC2 ("ap-northeast-1a")
};

/// A network to create (backend::create_network).
struct network_spec {
    std::string name;          ///< GCE: lowercase letters, digits and hyphens
    std::string cidr;          ///< required on EC2 and Azure; refused on GCE
    std::string description;   ///< free text
    std::optional<subnet_spec> subnet;  ///< made with the network in the same request
};

/// One key-machine association: the contract's positional 6-tuple, named.
struct key_association {
    std::string backend_id;  ///< the machine's backend
    std::string machine_id;  ///< the provider's machine id (v2: known for the machine just (dis)associated; empty for the others)
    std::string machine_uuid;  ///< mist's machine id, where the server gives it (v2)
    double last_used = 0;    ///< unix time, 0: never
    std::optional<std::string> ssh_user;  ///< the user the key logs in as, when known
    bool sudo = false;  ///< that user can sudo
    int port = 22;  ///< SSH port
};

/// Which actions the machine allows now (2015 can_* flags, v1 "actions").
struct machine_actions {
    bool start = false;    ///< can be started now
    bool stop = false;     ///< can be stopped now
    bool reboot = false;   ///< can be rebooted now
    bool destroy = false;  ///< can be destroyed now
    bool rename = false;   ///< the provider supports renaming
    bool tag = false;      ///< the provider supports tags
    bool resize = false;   ///< the provider supports resizing (v1 only)
};

/// A probe, normalised: 2015 raw strings and v1 typed values both land here.
struct probe_result {
    bool reachable = false;  ///< SSH answered: the machine is up and the key works
    bool pingable = false;   ///< ping answered
    double uptime_seconds = 0;  ///< seconds since boot
    std::vector<double> loadavg;  ///< 1, 5 and 15 minute load averages
    int cores = 0;  ///< CPU cores
    int users = 0;  ///< logged-in users
    std::vector<std::string> public_ips;  ///< addresses the machine reports
    std::vector<std::string> private_ips;  ///< private addresses the machine reports
    int packets_tx = 0;  ///< ping packets sent
    int packets_rx = 0;  ///< ping packets received
    double packet_loss = 0;  ///< fraction 0..1
    double rtt_avg_ms = 0;  ///< average ping round trip
    std::string raw_json;    ///< the server's document
};

/// How many machines of a job are at each outcome of one step.
struct job_counts {
    int success = 0;  ///< the step succeeded
    int error = 0;    ///< the step failed
    int skipped = 0;  ///< not attempted: an earlier step failed
    int pending = 0;  ///< not done yet
};

/// How a script ended on one machine, from a job's story: a stored script's run
/// (machine::run_script) or a create's post-deploy script (machine_spec::script, script_id).
struct script_result {
    std::string machine_id;    ///< the provider's machine id
    std::string machine_name;  ///< when the story names it (a create's job does)
    bool finished = false;     ///< the script has ended (or could not start)
    int exit_code = 0;         ///< its exit code, once finished (-255: it never ran)
    std::string output_tail;   ///< the last 4 KB of its output
    std::string error;         ///< why it failed (a non-zero exit included); empty when it succeeded
    double started_at = 0;     ///< unix time; 0 when the story does not say
    double finished_at = 0;    ///< unix time, once finished

    /// Finished with exit code 0 and no error.
    bool succeeded() const noexcept { return finished && exit_code == 0 && error.empty(); }
};

/// One step of one machine in a job's story.
struct job_event {
    std::string action;        ///< machine_creation_finished, probe, post_deploy_finished, ...
    std::string machine_name;  ///< the machine's name
    std::string machine_id;  ///< the provider's machine id
    std::string error;         ///< empty when the step succeeded
    double time = 0;  ///< unix time of the event
};

/// An async create's story (GET /jobs/{id}). `summary` exists on 2015 servers only; the
/// counts below are computed from the events when it is missing.
struct job {
    std::string id;  ///< the job id (from backend::create_machines)
    double started_at = 0;  ///< unix time
    std::optional<double> finished_at;  ///< unix time; empty while the job runs
    std::string error;  ///< first error, empty when none
    int quantity = 0;   ///< 0 when the server does not say
    job_counts created;  ///< the create step of its machines
    job_counts probed;  ///< the probe step of its machines
    job_counts scripted;  ///< the script step (a run, or a create's post-deploy script)
    std::vector<job_event> events;  ///< every step of every machine, in order
    std::vector<script_result> scripts;  ///< per machine, once its script started

    /// True once the server has marked the job finished.
    bool finished() const noexcept { return finished_at.has_value(); }
    /// The script result of the machine with this provider id; a result that names no
    /// machine (some servers' run jobs) counts when it is the only one. nullptr: none.
    const script_result* script_of(std::string_view machine_id) const noexcept {
        for (const script_result& r : scripts)
            if (r.machine_id == machine_id) return &r;
        return scripts.size() == 1 && scripts.front().machine_id.empty() ? &scripts.front() : nullptr;
    }
};

/// The answer to a synchronous create.
struct created_machine {
    std::string id;      ///< the provider's machine id
    std::string name;  ///< the name it was given
    std::string job_id;  ///< the post-deploy job (v1; may be empty)
    std::vector<std::string> public_ips;  ///< addresses known at creation (often none yet)
    std::vector<std::string> private_ips;  ///< private addresses known at creation
};

/// A key pair the server generated (client::generate_key); not stored until client::add_key.
struct generated_key {
    std::string private_key;  ///< PEM
    std::string public_key;   ///< OpenSSH, empty on 2015 servers
};

/// What create_machine needs: the seed's name, key, image, location and size, and every
/// other field the server reads from a create (contract §3.4), named as the API names
/// them. A field is sent only when set (non-empty, true, or engaged); the server ignores
/// what a provider does not use. Fields marked "v1 only" are refused (errc::invalid_argument,
/// nothing sent) on a 2015 server, which would drop them without a word.
struct machine_spec {
    std::string name;  ///< the new machine's name (unique within a provision batch)
    std::string image;  ///< image id (see backend::images)
    std::string size;  ///< size id (see backend::sizes)
    std::string location;  ///< optional on most providers
    std::string key;       ///< key id; empty: the user's default key
    std::string script;    ///< a shell script the server runs over SSH once the machine answers (its post-deploy)
    bool monitoring = false;  ///< enable mist.io monitoring on it
    std::vector<std::pair<std::string, std::string>> tags;  ///< v1 only: sent as an object

    // Provider-specific fields.
    /// Linode, GCE, vSphere: the image's `extra`. Sent as a JSON object when the text is one
    /// (Linode's `{"64bit": 1, "pvops": 1}`, which a 2015 server needs), else as a string.
    std::string image_extra;
    std::optional<long long> disk;  ///< Linode: the disk size (the size's `disk`), sent as a number
    std::string image_name;  ///< drivers that need the image's name too
    std::string size_name;  ///< drivers that need the size's name too
    std::string location_name;  ///< drivers that need the location's name (GCE sizes)
    std::vector<std::string> ips;  ///< NephoScale: addresses to assign
    std::vector<std::string> networks;  ///< OpenStack, vCloud: network ids (required where a tenant has several)
    bool associate_floating_ip = false;  ///< OpenStack: give the machine a floating address
    std::string attach_floating_ip_subnet;  ///< OpenStack: the subnet of that address
    std::string subnet_id;  ///< v1 only: an EC2 VPC subnet
    std::string cloud_init;  ///< v1 only: a cloud-init document passed to the provider
    std::string docker_command;  ///< Docker: the container's command
    std::vector<std::string> docker_env;  ///< Docker: the container's environment, "NAME=value" each
    std::string hostname;  ///< a DNS A record to create for the machine
    std::vector<std::string> plugins;  ///< monitoring plugins to enable (with monitoring)
    std::string provider;  ///< the provider's id; sent as newer clients send it (servers ignore it)

    // A stored script (client::add_script) run by the server's post-deploy.
    std::string script_id;  ///< the script to run once the machine answers SSH
    std::string script_params;  ///< its command-line parameters
    std::string post_script_id;  ///< a second stored script, run after the first
    std::string post_script_params;  ///< its parameters

    /// Only with create_machines (an asynchronous create): sent as `persist`, which the
    /// server hands to its create worker; a synchronous create refuses it (errc::invalid_argument).
    bool persist = false;

    // v2 only (/api/v2 servers; others refuse them with errc::invalid_argument).
    /// Instead of `size`: the smallest size with at least this many cores and MB of memory,
    /// which the server picks (`size: {cpu, memory}`).
    int cpus = 0;
    int memory_mb = 0;  ///< with `cpus`, or alone
    /// The server stops or destroys the machine at this time ("YYYY-MM-DD HH:MM:SS", UTC).
    std::string expiration_date;
    std::string expiration_action;  ///< "stop" or "destroy" (with expiration_date)

    /// Any other field, as a JSON object text (e.g. `{"docker_exposed_ports": {"80/tcp": {}}}`),
    /// merged into the create's body. A key this spec also sets, or one the operation owns
    /// (`async`, `quantity`, `job_id`), is refused with errc::invalid_argument rather than
    /// silently overriding or being overridden; so is text that is not a JSON object.
    std::string extra;
};

/// A stored script (client::scripts, client::add_script).
struct script {
    std::string id;             ///< the script id (2015 "script_id", v1 "id")
    std::string name;           ///< its name
    std::string description;    ///< what it is for
    std::string location_type;  ///< "inline", "url" or "github"
    std::string exec_type;      ///< "executable" or "ansible"
    std::string source;         ///< the code (inline), the URL, or the repository
    std::string entrypoint;     ///< github: the file to run
};

/// What client::add_script stores.
struct script_spec {
    std::string name;                        ///< its name
    std::string script;                      ///< the code (inline), a URL (url) or a GitHub repository (github)
    std::string location_type = "inline";    ///< "inline", "url" or "github"
    std::string exec_type = "executable";    ///< "executable" (a shell script or any #! file) or "ansible" (a playbook)
    std::string description;                 ///< what it is for
    std::string entrypoint;                  ///< github: the file to run
};

/// How machine::run_script runs a stored script.
struct script_run_options {
    std::string params;  ///< its command-line parameters
    bool su = false;     ///< v1 only: run it as root through sudo
    std::vector<std::pair<std::string, std::string>> env;  ///< v1 only: environment variables (sent as "NAME=value" lines)
};

/// The answer to a raw call (client::request): a 2xx status, every header field as the
/// server sent it, and the body as it came (JSON text on mist.io).
struct raw_response {
    int status = 0;  ///< the HTTP status (2xx; other statuses fail the call)
    std::vector<std::pair<std::string, std::string>> headers;  ///< every header field, in order
    std::string body;  ///< the body, undecoded
};

/// POST /backends: provider plus its fields (e.g. {"api_key", ...}, {"region", ...}).
struct backend_spec {
    std::string title;  ///< the name to show
    std::string provider;  ///< provider id (see client::providers)
    std::vector<std::pair<std::string, std::string>> fields;  ///< the provider's credentials and settings, as the API names them
};

/// Filters with the Python client's meaning: exact id, exact name (title for
/// backends), exact provider, or a substring of name or id. Empty fields match all.
struct backend_filter {
    /// An id, else the one backend of that exact title (client::find_backend: an id wins
    /// over a title; several of that title are refused, naming their ids: lookup.hpp).
    std::string id_or_name;
    std::string id;        ///< exact backend id
    std::string name;      ///< exact title
    std::string provider;  ///< exact provider ("ec2", ...)
    std::string search;    ///< a substring of the title or id
};
/// Which machines to list: an id or exact name, an exact id, an exact name, or a substring
/// of name or id.
struct machine_filter {
    /// An id (the provider's, or the uuid), else the one machine of that exact name
    /// (client::find_machine: an id wins over a name; several of that name are refused,
    /// naming their ids: lookup.hpp).
    std::string id_or_name;
    std::string id;      ///< exact machine id (the provider's, or the uuid)
    std::string name;    ///< exact name
    std::string search;  ///< a substring of the name or id
    /// A tag the machine carries: "key=value", or "key" for any value (v1 servers tag
    /// machines; a 2015 server's machines match only with tags it lists).
    std::string tag;
    /// /api/v2 only: a search the server runs first (mist.io's grammar: "name:^web",
    /// "tag:team,ops", "state:running"); the fields above still apply to what it finds.
    /// Other eras list everything and apply the fields above alone.
    std::string server_search;
    /// /api/v2 only: the fields of each machine to fetch (comma-separated, e.g.
    /// "id,external_id,name,state"); empty: all. The model's fields that are not fetched
    /// stay empty, and info() shows only those fetched. Cuts a big list's bytes.
    std::string only;
    /// client::machines: fail the whole call when any backend cannot be listed, instead
    /// of reporting it in machine_listing::failures.
    bool all_or_nothing = false;
};
/// Which keys to list: an id or exact name, an exact id, an exact name, or a substring of
/// name or id.
struct key_filter {
    /// An id, else the one key of that exact name (client::find_key: an id wins over a
    /// name; several of that name are refused, naming their ids: lookup.hpp).
    std::string id_or_name;
    std::string id;      ///< exact key id
    std::string name;    ///< exact name
    std::string search;  ///< a substring of the name or id
};

/// How to probe a machine (machine::probe, machine::wait_until_probed).
struct probe_options {
    std::string host;      ///< 2015 requires it; empty: the machine's first public IPv4
    std::string key;       ///< key id to try first
    std::string ssh_user;  ///< user to log in as (default: the key's association, else root)
};

/// Where and as whom to deploy a key (machine::associate_key).
struct association_options {
    std::string host;  ///< 2015 deploys the key over SSH to this host; empty: first public IPv4
    std::string user;  ///< SSH user (default: root)
    int port = 22;  ///< SSH port
};

}  // namespace mistasync
