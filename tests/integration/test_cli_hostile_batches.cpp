// Batches that cannot be talked into orphans or duplicates: a cleanup while the batch runs,
// a closed terminal, kill -9 with no reconcile window, two runs of the same names, a dry
// run that must see what the run would meet, journals that are not journals. Each case is
// named after what it protects, against a standalone mistsim with creates of seconds.
#include <boost/test/unit_test.hpp>

#include "cli_harness.hpp"

#include <sys/stat.h>

#include <set>

using namespace mistasync::test::cli_harness;

namespace {

// Waits until the process has written `text` on stderr.
bool wait_for_stderr(process& p, const std::string& text, std::chrono::seconds limit = 30s) {
    for (auto until = std::chrono::steady_clock::now() + limit; std::chrono::steady_clock::now() < until;) {
        if (p.err_so_far().find(text) != std::string::npos) return true;
        std::this_thread::sleep_for(20ms);
    }
    return false;
}

std::vector<std::string> batch(std::vector<std::string> more) {
    std::vector<std::string> args{"provision", "--backend", "NephoScale", "--image", "3", "--size", "219"};
    args.insert(args.end(), more.begin(), more.end());
    return args;
}

}  // namespace

// cleanup --batch refuses while the batch runs (it would make again what cleanup destroys)
// and works once the batch is over.
BOOST_AUTO_TEST_CASE(cleanup_by_batch_refuses_while_the_batch_runs) {
    standalone_sim sim({"--create-latency-ms", "1000", "--boot-delay", "0.5", "--ssh-delay", "0.5"});
    process run(with_credentials(sim, batch({"--name", "live", "--count", "12", "--concurrency", "3", "--batch-id", "livebatch1"})));
    BOOST_TEST_REQUIRE(wait_for_stderr(run, "batch livebatch1 started"), run.err_so_far());
    std::this_thread::sleep_for(1500ms);  // some machines made
    auto refused = cli(sim, {"cleanup", "--batch", "livebatch1"});
    BOOST_TEST(refused.status == 1);
    BOOST_TEST(refused.err.find("still running") != std::string::npos, refused.err);
    auto done = run.wait();
    BOOST_TEST(done.status == 0, done.err);
    BOOST_TEST(live(sim, "live-").size() == 12u);  // nothing was destroyed under it
    auto cleaned = cli(sim, {"cleanup", "--batch", "livebatch1"});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(live(sim, "live-").empty());
}

// A closed terminal (SIGHUP) stops the batch like Ctrl-C: with --rollback what it made is
// destroyed. The batch id was printed when it started, with the cleanup command.
BOOST_AUTO_TEST_CASE(sighup_rolls_back_and_the_batch_id_is_printed_at_once) {
    standalone_sim sim({"--create-latency-ms", "1000", "--boot-delay", "1", "--ssh-delay", "1"});
    process run(with_credentials(sim, batch({"--name", "hup", "--count", "20", "--concurrency", "4", "--rollback"})));
    BOOST_TEST_REQUIRE(wait_for_stderr(run, "; to destroy what it makes: mistasync cleanup --batch "), run.err_so_far());
    std::this_thread::sleep_for(1500ms);
    run.signal(SIGHUP);
    auto o = run.wait();
    BOOST_TEST(o.status == 130, o.err);
    BOOST_TEST(live(sim, "hup-").empty());
    process terminated(with_credentials(sim, batch({"--name", "term", "--count", "20", "--concurrency", "4", "--rollback"})));
    BOOST_TEST_REQUIRE(wait_for_stderr(terminated, "started"));
    std::this_thread::sleep_for(1500ms);
    terminated.signal(SIGTERM);
    BOOST_TEST(terminated.wait().status == 130);
    BOOST_TEST(live(sim, "term-").empty());
}

// kill -9 with creates in flight and no reconcile window, then the same command at once:
// the killed run's creates land after the resume sent its own; still one machine per name.
BOOST_AUTO_TEST_CASE(resume_with_no_reconcile_window_never_doubles_a_name) {
    standalone_sim sim({"--create-latency-ms", "1500", "--boot-delay", "1", "--ssh-delay", "1"});
    scratch_dir dir;
    const auto journal = (dir.dir / "k.jsonl").string();
    const auto args = batch({"--name", "zero", "--count", "8", "--concurrency", "8", "--journal", journal, "--reconcile-window", "0", "--json"});
    {
        process p(with_credentials(sim, args));
        BOOST_TEST_REQUIRE(wait_for_stderr(p, "provisioning 8 machines"));
        std::this_thread::sleep_for(500ms);  // every create sent, none answered
        p.signal(SIGKILL);
        p.wait();
    }
    auto resumed = cli(sim, args);
    BOOST_TEST(resumed.status == 0, resumed.err);
    std::this_thread::sleep_for(2s);  // anything still on its way has landed
    auto machines = live(sim, "zero-");
    BOOST_TEST(machines.size() == 8u);
    for (auto& [name, ids] : machines) BOOST_TEST(ids.size() == 1u, name << " is held by " << ids.size() << " machines");
}

// Two runs of the same names with different journals, started together: they see each
// other through the batch tags, and neither exits 0 as if it had made its names alone.
BOOST_AUTO_TEST_CASE(two_batches_of_the_same_names_say_so) {
    standalone_sim sim({"--create-latency-ms", "1000", "--boot-delay", "1", "--ssh-delay", "1"});
    scratch_dir dir;
    process first(with_credentials(sim, batch({"--name", "twin", "--count", "10", "--concurrency", "1", "--journal", (dir.dir / "a").string()})));
    process second(with_credentials(sim, batch({"--name", "twin", "--count", "10", "--concurrency", "1", "--journal", (dir.dir / "b").string()})));
    auto a = first.wait();
    auto b = second.wait();
    const auto machines = live(sim, "twin-");
    std::size_t made = 0;
    for (auto& [name, ids] : machines) made += ids.size();
    BOOST_TEST(!(a.status == 0 && b.status == 0), "both batches exited 0 as if each had made its names alone");
    if (a.status == 0 || b.status == 0) {
        // On a slow machine the second may start after the first's machines appeared: it is
        // refused at its start, and the first makes each name once.
        const outcome& refused = a.status == 0 ? b : a;
        BOOST_TEST(refused.err.find("already exist") != std::string::npos, refused.err);
        BOOST_TEST(machines.size() == 10u);
        BOOST_TEST(made == 10u);
    } else {
        // Started together: each sees the other's machines, stops early and says so — far
        // from 20 machines for 10 names.
        BOOST_TEST((a.err + b.err).find("another batch is creating machines of this batch's names") != std::string::npos, a.err << b.err);
        BOOST_TEST(made <= 12u);
    }
}

// A dry run checks what the run would meet before its first create: an --extra the SDK
// refuses, a --run-script that does not exist, an inventory of no known kind.
BOOST_AUTO_TEST_CASE(a_dry_run_checks_what_the_run_would) {
    standalone_sim sim;
    for (auto [flags, status, why] : {std::tuple{std::vector<std::string>{"--extra", "not json"}, 1, "JSON object"},
                                      std::tuple{std::vector<std::string>{"--extra", "{\"name\": \"x\"}"}, 1, "the spec sets too"},
                                      std::tuple{std::vector<std::string>{"--run-script", "no-such-script"}, 1, "no-such-script"},
                                      std::tuple{std::vector<std::string>{"--inventory", "hosts.txt"}, 2, ".ini"}}) {
        for (bool dry : {true, false}) {
            BOOST_TEST_CONTEXT(flags[0] << (dry ? " --dry-run" : "")) {
                auto args = batch({"--name", "dry", "--count", "3"});
                args.insert(args.end(), flags.begin(), flags.end());
                if (dry) args.push_back("--dry-run");
                auto o = cli(sim, args);
                BOOST_TEST(o.status == status, o.err);
                BOOST_TEST(o.err.find(why) != std::string::npos, o.err);
                BOOST_TEST(o.err.find("the plan can run") == std::string::npos);
            }
        }
    }
    BOOST_TEST(live(sim, "dry-").empty());
}

// A resume with a smaller --count still reports the journal's other machines.
BOOST_AUTO_TEST_CASE(a_resume_reports_the_journals_other_machines) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    scratch_dir dir;
    const auto journal = (dir.dir / "j").string();
    BOOST_TEST(cli(sim, batch({"--name", "rs", "--count", "5", "--journal", journal})).status == 0);
    auto smaller = cli(sim, batch({"--name", "rs", "--count", "3", "--journal", journal, "--json"}));
    BOOST_TEST(smaller.status == 0, smaller.err);
    auto doc = smaller.doc();
    BOOST_TEST(doc.at("machines").as_array().size() == 3u);
    BOOST_TEST_REQUIRE(doc.at("journal_only").as_array().size() == 2u);
    std::set<std::string> others;
    for (auto& m : doc.at("journal_only").as_array()) others.insert(json::value_to<std::string>(m.at("name")));
    BOOST_TEST((others == std::set<std::string>{"rs-4", "rs-5"}));
    auto people = cli(sim, batch({"--name", "rs", "--count", "3", "--journal", journal}));
    BOOST_TEST(people.err.find("the journal also holds 2 machine(s)") != std::string::npos, people.err);
}

// --inventory with --no-probe lists the machines that run; an inventory is written 0600,
// never through a symbolic link, and names that would add Ansible variables or CSV cells
// cannot.
BOOST_AUTO_TEST_CASE(inventories_cannot_be_turned_into_ansible_options) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    scratch_dir dir;
    const auto ini = (dir.dir / "hosts.ini").string();
    BOOST_TEST(cli(sim, batch({"--name", "np", "--count", "2", "--no-probe", "--inventory", ini})).status == 0);
    BOOST_TEST(slurp(ini).find("np-1 ansible_host=") != std::string::npos, slurp(ini));
    BOOST_TEST(((fs::status(ini).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));

    const auto spec = dir.write("names.json", "{\"names\": [\"evil ansible_ssh_common_args=-o ProxyCommand=touch\", "
                                              "\"x\\n[all:vars]\\nansible_become=yes\", \"a,b\", \"=cmd|' /C calc'!A0\"]}");
    const auto hosts = (dir.dir / "evil.ini").string();
    const auto table = (dir.dir / "evil.csv").string();
    for (auto& out : {hosts, table}) {
        auto o = cli(sim, batch({"--spec", spec.string(), "--inventory", out, "--probe-deadline", "30", "--allow-existing-names"}));
        BOOST_TEST(o.status == 0, o.err);
    }
    const std::string ini_text = slurp(hosts);
    BOOST_TEST(ini_text.find("ProxyCommand") == std::string::npos, ini_text);
    BOOST_TEST(ini_text.find("[all:vars]") == std::string::npos, ini_text);
    BOOST_TEST(ini_text.find("ansible_become") == std::string::npos, ini_text);
    BOOST_TEST(ini_text.find("a,b ") == std::string::npos, ini_text);
    const std::string csv_text = slurp(table);
    BOOST_TEST(csv_text.find("\"a,b\",") != std::string::npos, csv_text);
    BOOST_TEST(csv_text.find("\n=") == std::string::npos, csv_text);
    BOOST_TEST(csv_text.find("\"x\n[all:vars]\nansible_become=yes\"") != std::string::npos, csv_text);

    // A symbolic link at the path: refused before the batch, its target left as it was.
    const auto target = dir.write("precious", "keep me\n");
    const auto link = dir.dir / "link.ini";
    fs::create_symlink(target, link);
    auto linked = cli(sim, batch({"--name", "ln", "--count", "1", "--inventory", link.string()}));
    BOOST_TEST(linked.status == 2, linked.err);
    BOOST_TEST(slurp(target) == "keep me\n");
    BOOST_TEST(live(sim, "ln-").empty());
    const auto events = (dir.dir / "events.jsonl").string();
    BOOST_TEST(cli(sim, batch({"--name", "ev", "--count", "1", "--events", events, "--no-probe"})).status == 0);
    BOOST_TEST(((fs::status(events).permissions() & (fs::perms::group_all | fs::perms::others_all)) == fs::perms::none));
}

// A journal that is not a file is refused at once (/dev/zero would be read without end,
// /dev/full would lose every record); cleanup of an empty, garbage or directory journal
// says so instead of "0 destroyed"; a line added by hand for a name the batch never had
// destroys nothing; a torn last line does not swallow the next run's first record.
BOOST_AUTO_TEST_CASE(journals_that_are_not_the_batchs_are_refused) {
    standalone_sim sim({"--boot-delay", "0.1", "--ssh-delay", "0.1"});
    for (const char* device : {"/dev/zero", "/dev/full", "/dev/null"}) {
        auto o = cli(sim, batch({"--name", "jdevice", "--count", "2", "--journal", device}));
        BOOST_TEST(o.status != 0, device);
        BOOST_TEST(o.err.find("not a regular file") != std::string::npos, o.err);
        auto cleaned = cli(sim, {"cleanup", "--journal", device});
        BOOST_TEST(cleaned.status == 2, device);
    }
    BOOST_TEST(live(sim, "jdevice-").empty());
    scratch_dir dir;
    for (auto& path : {dir.write("empty", ""), dir.write("garbage", "hello\nworld\n"), dir.dir}) {
        auto o = cli(sim, {"cleanup", "--journal", path.string()});
        BOOST_TEST(o.status == 2, path);
        BOOST_TEST(o.out.find("0 destroyed") == std::string::npos);
    }

    // A user's machine, and a journal line added by hand that names it.
    BOOST_TEST_REQUIRE(cli(sim, {"create-machine", "--backend", "NephoScale", "--name", "precious", "--image", "3", "--size", "219"}).status == 0);
    const std::string precious = live(sim, "precious")["precious"].at(0);
    const auto journal = dir.dir / "j";
    BOOST_TEST(cli(sim, batch({"--name", "own", "--count", "2", "--journal", journal.string()})).status == 0);
    const std::string backend = json::value_to<std::string>(json::parse(slurp(journal).substr(0, slurp(journal).find('\n'))).at("backend"));
    std::ofstream(journal, std::ios::app) << "{\"event\":\"created\",\"name\":\"precious\",\"backend\":\"" << backend << "\",\"id\":\""
                                          << precious << "\"}\n";
    // A torn line, as a crash leaves it; the next run appends after it.
    std::ofstream(journal, std::ios::app) << "{\"event\":\"creat";
    BOOST_TEST(cli(sim, batch({"--name", "own", "--count", "3", "--journal", journal.string()})).status == 0);
    std::size_t batch_records = 0;
    std::istringstream lines(slurp(journal));
    for (std::string line; std::getline(lines, line);) {
        boost::system::error_code ec;
        auto v = json::parse(line, ec);
        if (!ec && v.at("event") == "batch") ++batch_records;
    }
    BOOST_TEST(batch_records == 2u);  // the second run's first record survived the torn line
    auto cleaned = cli(sim, {"cleanup", "--journal", journal.string()});
    BOOST_TEST(cleaned.status == 0, cleaned.err);
    BOOST_TEST(cleaned.err.find("which no batch record lists") != std::string::npos, cleaned.err);
    BOOST_TEST(live(sim, "precious")["precious"].size() == 1u);
    BOOST_TEST(live(sim, "own-").empty());
}
