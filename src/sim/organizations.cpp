#include "organizations.hpp"

#include "crypto.hpp"

#include <algorithm>
#include <mutex>

namespace mistasync::sim {

namespace {

// One RSA key per process for the demo worlds: generating one costs ~50 ms.
const rsa_key_pair& demo_key() {
    static std::once_flag once;
    static rsa_key_pair pair;
    std::call_once(once, [] { pair = generate_rsa_key(); });
    return pair;
}

world_options world_options_of(const testing::simulator_options& options) {
    world_options wo{options.email,         options.password,           options.boot_delay,
                     options.ssh_delay,     options.action_delay,       options.async_create_delay,
                     options.delay_jitter,  options.seed,               options.max_machines};
    wo.addresses = static_cast<address_rule>(options.addresses);
    wo.stored_records = options.stored_records;
    wo.poll_interval = options.poll_interval;
    wo.provider_lag = options.provider_lag;
    wo.post_create_failure_rate = options.post_create_failure_rate;
    wo.script_duration = options.script_duration;
    wo.script_failure_rate = options.script_failure_rate;
    wo.failing_scripts = options.failing_scripts;
    wo.script_failure_exit_code = options.script_failure_exit_code;
    wo.clock = options.clock;
    wo.provider_create_time = options.create_latency;
    return wo;
}

backend* add_demo_backend(world& w, std::string title, std::string provider, std::string region, std::string apikey) {
    backend b;
    b.title = std::move(title);
    b.provider = provider;
    b.legacy_provider = provider == "ec2" ? region : provider;
    b.region = std::move(region);
    b.apikey = std::move(apikey);
    b.legacy_id = base58(sha1_bytes(b.legacy_provider + b.region + b.apikey));
    if (provider == "docker") b.public_fields.emplace_back("docker_port", "4243");
    return &w.add_backend(std::move(b));
}

}  // namespace

// The internal enums mirror the public ones value for value.
static_assert(static_cast<int>(address_rule::when_running) == static_cast<int>(testing::address_rule::when_running));
static_assert(static_cast<int>(backend_fault::bad_credentials) == static_cast<int>(testing::backend_fault::bad_credentials));

organization_worlds make_organizations(const testing::simulator_options& options) {
    const world_options base = world_options_of(options);
    organization_worlds out;
    const std::size_t count = std::max<std::size_t>(1, options.organizations.size());
    for (std::size_t i = 0; i < count; ++i) {
        world_options o = base;
        o.org_name = options.organizations.empty() ? options.email : options.organizations[i];
        o.org_id = sha1_hex(i == 0 ? options.email : "organization/" + o.org_name).substr(0, 32);
        o.seed = base.seed + i * 1'000'003;
        out.push_back(std::make_unique<world>(std::move(o)));
    }
    return out;
}

std::vector<organization_entry> organization_entries(const organization_worlds& orgs) {
    std::vector<organization_entry> out;
    for (auto& w : orgs) out.push_back({w->options().org_id, w->options().org_name, w.get()});
    return out;
}

void build_demo_worlds(const organization_worlds& orgs) {
    auto& kp = demo_key();
    world& mine = *orgs.front();
    mine.add_key("MyKey", kp.private_pem, kp.public_ssh);
    backend* nepho = add_demo_backend(mine, "NephoScale", "nephoscale", "", "demo");
    add_demo_backend(mine, "EC2 AP NORTHEAST", "ec2", "ec2_ap_northeast", "AKIADEMO0000000000");
    add_demo_backend(mine, "Docker", "docker", "", "");
    for (const char* name : {"dbserver1", "dev-web-1"}) {
        machine_spec spec{.name = name, .image_id = "51", .size_id = "221", .location_id = "86945",
                          .key = mine.default_key(), .already_running = true};
        mine.create_machine(*nepho, spec, "");
    }
    for (std::size_t i = 1; i < orgs.size(); ++i) {
        world& org = *orgs[i];
        org.add_key("LabKey", kp.private_pem, kp.public_ssh);
        backend* lab = add_demo_backend(org, "Lab NephoScale", "nephoscale", "", "lab-" + org.options().org_id.substr(0, 8));
        machine_spec spec{.name = "lab-box", .image_id = "51", .size_id = "221", .location_id = "86945",
                          .key = org.default_key(), .already_running = true};
        org.create_machine(*lab, spec, "");
    }
}

}  // namespace mistasync::sim
