#include "provision_request.hpp"

#include <algorithm>
#include <set>
#include <string_view>

namespace mistcli {

using namespace mistasync;

namespace {

// "N%" with N a whole number from 1 to 100 (--max-failures 10%).
std::size_t whole_percent(const std::string& text) {
    const std::string digits = text.substr(0, text.size() - 1);
    const bool number = !digits.empty() && digits.size() <= 3 && std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
    const std::size_t n = number ? std::stoul(digits) : 0;
    if (n < 1 || n > 100) throw usage_failure("--max-failures takes a count or a share from 1% to 100%, not " + text);
    return n;
}

// "k=v" (--tag) as a pair; usage_failure otherwise.
std::pair<std::string, std::string> tag_arg(const std::string& text) {
    auto eq = text.find('=');
    if (eq == std::string::npos || eq == 0) throw usage_failure("--tag takes key=value, not " + text);
    return {text.substr(0, eq), text.substr(eq + 1)};
}

// The batch's specs: --name PREFIX-1..N, or the spec file's names; then its per-machine
// overrides (a name not in the batch yet is added).
std::vector<machine_spec> batch_specs(const arguments& a, const machine_spec& base, const batch_spec_file* file) {
    std::vector<machine_spec> specs;
    if (file && !file->names.empty()) {
        for (auto& name : file->names) {
            machine_spec s = base;
            s.name = name;
            specs.push_back(std::move(s));
        }
    } else if (!file || file->machines.empty() || a.has(opt::count)) {
        std::size_t count = a.count(opt::count, 10, 1'000'000);
        std::string prefix = a.get(opt::name, "node");
        for (std::size_t i = 1; i <= count; ++i) {
            machine_spec s = base;
            s.name = prefix + "-" + std::to_string(i);
            specs.push_back(std::move(s));
        }
    }
    if (!file) return specs;
    for (auto& o : file->machines) {
        auto it = std::find_if(specs.begin(), specs.end(), [&](auto& s) { return s.name == o.name; });
        if (it == specs.end()) {
            specs.push_back(base);
            specs.back().name = o.name;
            it = std::prev(specs.end());
        }
        for (auto [field, value] : {std::pair{&it->image, &o.image}, {&it->size, &o.size}, {&it->location, &o.location}, {&it->key, &o.key}})
            if (!value->empty()) *field = *value;
        for (auto& tag : o.tags) it->tags.push_back(tag);
    }
    return specs;
}

// What a spec file and the command line say together, refused where they disagree: "a flag
// wins over the file" cannot hold for a list of names, and an inline script with a stored
// script id would send both.
void check_spec_against_flags(const arguments& command_line, const batch_spec_file& file, const std::string& path) {
    if (!file.names.empty()) {
        for (option_name flag : {opt::count, opt::name})
            if (command_line.has(flag) || file.flags.count(std::string(flag.text)))
                throw usage_failure("--spec " + path + " lists \"names\": " + std::string(flag.text) +
                                    " (or its key in the file) does not apply to them; give one or the other");
    }
    const bool inline_script = !file.script.empty() || command_line.has(opt::script);
    const bool stored_script = file.flags.count(std::string(opt::script_id.text)) || command_line.has(opt::script_id);
    if (inline_script && stored_script)
        throw usage_failure("the batch has an inline script (\"script\" in --spec, or --script) and a stored one (--script-id): give one");
}

}  // namespace

bool provision_request::has_scripts() const {
    return options.wait_probed && (!base.script.empty() || !base.script_id.empty() || !run_script.empty());
}

provision_request read_provision_request(const arguments& command_line, const batch_spec_file* file, const std::string& spec_path) {
    if (file) check_spec_against_flags(command_line, *file, spec_path);
    const arguments merged = file ? with_spec_file(command_line, *file) : command_line;
    const auto& a = merged;
    if (!a.has(opt::count) && !(file && (!file->names.empty() || !file->machines.empty())))
        throw usage_failure("provision needs the batch's size: --count N (with --name PREFIX), or a --spec file with names or "
                            "machines. Nothing was created");
    provision_request r;
    provision_options& o = r.options;
    o.concurrency = a.count(opt::concurrency, 50, 100'000);
    o.probe_policy.deadline = a.seconds(opt::probe_deadline, 600);
    o.running_policy.deadline = o.probe_policy.deadline;
    o.wait_probed = !a.has(opt::no_probe);
    o.journal_path = a.get(opt::journal);
    o.rollback = a.has(opt::rollback);
    o.allow_existing_names = a.has(opt::allow_existing_names);
    o.reconcile_window = a.seconds(opt::reconcile_window, 60);
    if (const std::string limit = a.get(opt::max_failures); limit.ends_with('%')) {
        // A share of the batch: "10%".
        const std::size_t percent = whole_percent(limit);
        o.max_failure_share = static_cast<double>(percent) / 100;
    } else if (a.has(opt::max_failures)) {
        o.max_failures = a.count(opt::max_failures, 1, 1'000'000);
    }
    o.max_attempts = static_cast<unsigned>(a.count(opt::max_attempts, 3, 100));
    o.batch_id = a.get(opt::batch_id);
    o.tag_batch = !a.has(opt::no_batch_tag);
    o.script_failure_fails = !a.has(opt::keep_failed_scripts);
    o.script_policy.deadline = o.probe_policy.deadline;

    machine_spec& base = r.base;
    base.image = a.get(opt::image);
    base.size = a.get(opt::size);
    base.location = a.get(opt::location);
    apply_create_flags(a, base);  // --script FILE, --script-id ID, --network, --extra ...
    if (file && !file->script.empty() && !a.has(opt::script)) base.script = file->script;
    if (file) base.tags = file->tags;
    for (auto& t : a.all(opt::tag)) base.tags.push_back(tag_arg(t));
    r.specs = batch_specs(a, base, file);
    if (r.specs.empty()) throw usage_failure("the batch has no machines (--count, or names / machines in --spec)");
    std::set<std::string_view> seen;
    for (auto& s : r.specs)
        if (!seen.insert(s.name).second) throw usage_failure("two machines of the batch are named " + terminal_safe(s.name));
    r.backend = a.get(opt::backend);
    r.key = a.get(opt::key);
    r.run_script = a.get(opt::run_script);
    r.inventory = a.get(opt::inventory);
    r.events = a.get(opt::events);
    r.dry_run = a.has(opt::dry_run);
    return r;
}

}  // namespace mistcli
