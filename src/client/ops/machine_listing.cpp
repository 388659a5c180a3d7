// Listing machines: one backend's (filtered, or only the machines waited for), every
// backend's at once, and find_machine.
#include "ops/operation_entry.hpp"
#include "call/list_pages.hpp"
#include "call/operation_support.hpp"

#include <boost/asio/deferred.hpp>
#include <boost/asio/experimental/parallel_group.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json.hpp>

#include <algorithm>
#include <cctype>

namespace mistasync::detail {
namespace json = boost::json;
using asio::awaitable;

namespace {

// A v2 search that finds at least the machines `f` keeps (the filter still applies to the
// answer): the caller's own, and an exact name or a tag when they are plain enough to
// write in the grammar (letters, digits, '.', '_', '-'; anything else lists more).
std::string v2_search_of(const machine_filter& f) {
    auto plain = [](std::string_view s) {
        return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) {
            return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
        });
    };
    std::string out = f.server_search;
    auto add = [&](std::string term) { out += (out.empty() ? "" : " ") + term; };
    if (plain(f.name)) add("name:\"" + f.name + "\"");
    if (!f.tag.empty()) {
        const auto eq = f.tag.find('=');
        const std::string key = f.tag.substr(0, eq);
        const std::string value = eq == std::string::npos ? std::string() : f.tag.substr(eq + 1);
        if (plain(key) && (value.empty() || plain(value))) add("tag:" + key + "," + value);
    }
    return out;
}

// machine_filter::tag: "key=value" matches that pair, "key" any value of the key.
bool has_tag(const machine& m, const std::string& tag) {
    if (tag.empty()) return true;
    const auto eq = tag.find('=');
    const std::string_view key = std::string_view(tag).substr(0, eq);
    return std::any_of(m.tags.begin(), m.tags.end(), [&](const auto& kv) {
        return kv.first == key && (eq == std::string::npos || kv.second == std::string_view(tag).substr(eq + 1));
    });
}

// Memory is bounded by the body: each machine costs its model (~sizeof(machine)) and a
// parsed object, whatever its JSON weighs, so a list of tiny objects ("[{},{},…]": 3
// bytes each) would cost hundreds of times its size. Real machine documents are hundreds
// of bytes; a list whose objects are too small to be machines is refused before parsing.
void refuse_if_too_dense(const answer& a) {
    constexpr std::size_t cost_per_object = sizeof(machine) + 128;  // the model, and the parsed object
    constexpr std::size_t allowed_multiple = 8;
    const std::string& body = a.response.body;
    std::size_t objects = static_cast<std::size_t>(std::count(body.begin(), body.end(), '{'));
    if (objects * cost_per_object > allowed_multiple * body.size())
        bad_shape(a, "the machine list holds " + std::to_string(objects) + " objects in " + std::to_string(body.size()) +
                         " bytes: too small to be machines (refused: decoding it would cost over " +
                         std::to_string(allowed_multiple) + " times its size in memory)");
}

awaitable<std::vector<machine>> do_list_machines(op_context op, std::string backend_id, machine_filter f) {
    const api_era era = co_await ready_era(op);
    client_ref ref = op.ref();
    std::vector<machine> all;
    auto decode = [&](json_holder v) { return decode_machine(ref, std::move(v), backend_id, era); };
    if (era == api_era::v2) {  // pages of at most their limit
        list_result list = co_await list_elements(op, route_id::list_machines, {backend_id}, {}, {.search = v2_search_of(f), .only = f.only});
        all = decode_elements<machine>(list, decode);
    } else {
        answer a = co_await call(op, route_id::list_machines, {backend_id});
        refuse_if_too_dense(a);  // before parsing: what parsing would cost is the point
        all = decode_list<machine>(a, decode);
    }
    std::erase_if(all, [&](const machine& m) { return !matches(m.id, m.name, f.id, f.name, f.search, f.id_or_name, m.uuid) || !has_tag(m, f.tag); });
    co_return all;
}

// v2: the backend's pages with only the fields a machine model reads.
awaitable<machine_subset> list_machines_subset_v2(op_context& op, const std::string& backend_id,
                                                  const std::unordered_set<std::string>& ids, const std::string& search) {
    const auto sent = std::chrono::steady_clock::now();
    list_result list = co_await list_elements(op, route_id::list_machines, {backend_id}, {},
                                              {.search = search, .only = "id,external_id,name,cloud,state,public_ips,private_ips,tags,actions,image,size"});
    machine_subset out;
    out.answer_time = std::chrono::steady_clock::now() - sent;
    client_ref ref = op.ref();
    for (auto& item : list.items)
        if (ids.contains(machine_id_of(item.value, api_era::v2)))
            out.machines.push_back(decode_machine(ref, std::move(item), backend_id, api_era::v2));
    co_return out;
}

awaitable<machine_subset> do_list_machines_subset(op_context op, std::string backend_id,
                                                  std::shared_ptr<const std::unordered_set<std::string>> ids, std::string search) {
    if (co_await ready_era(op) == api_era::v2) co_return co_await list_machines_subset_v2(op, backend_id, *ids, search);
    const auto sent = std::chrono::steady_clock::now();
    answer a = co_await call(op, route_id::list_machines, {backend_id});
    machine_subset out;
    out.answer_time = std::chrono::steady_clock::now() - sent;
    const api_era era = op.state->session.era;
    client_ref ref = op.ref();
    // A backend's list may be tens of MB: parse it one machine at a time in a small
    // arena that is reset after each, and keep (copy out) only the machines waited for.
    unsigned char first_block[16384];
    json::monotonic_resource arena(first_block, sizeof first_block);
    bool bad = false;
    bool array = for_each_array_element(a.response.body, [&](std::string_view element) {
        if (bad) return;
        {
            boost::system::error_code ec;
            json::value doc = json::parse(element, ec, &arena);
            if (ec || !doc.is_object()) {
                bad = true;
            } else if (ids->contains(machine_id_of(doc, era))) {
                out.machines.push_back(decode_machine(ref, json_holder{nullptr, json::value(doc, json::storage_ptr())}, backend_id, era));
            }
        }
        arena.release();
    });
    if (!array || bad) bad_shape(a, "expected a JSON array of machine objects");
    co_return out;
}

// The failure that ended an all-or-nothing listing: the first to complete with an error,
// not one of the lists it cancelled (which report operation_aborted).
void rethrow_first_failure(const std::vector<std::size_t>& order, const std::vector<std::exception_ptr>& errors) {
    std::exception_ptr cancelled;
    for (std::size_t i : order) {
        if (!errors[i]) continue;
        error_code ec;
        try {
            std::rethrow_exception(errors[i]);
        } catch (const op_failure& e) {
            ec = e.ec;
        } catch (const boost::system::system_error& e) {
            ec = e.code();
        } catch (...) {
        }
        if (ec != asio::error::operation_aborted) std::rethrow_exception(errors[i]);
        if (!cancelled) cancelled = errors[i];
    }
    if (cancelled) std::rethrow_exception(cancelled);
}

// One list per enabled backend, concurrently. A backend that cannot be listed is
// reported, not fatal (contract §10.2), unless the caller asked for all or nothing.
awaitable<machine_listing> do_list_all_machines(op_context op, machine_filter f) {
    auto backends = co_await list_backends(op, {});
    std::erase_if(backends, [](const backend& b) { return !b.enabled; });
    auto ex = op.state->executor;
    using list_op = decltype(asio::co_spawn(ex, do_list_machines(op, {}, f), asio::deferred));
    std::vector<list_op> lists;
    // Each list has its own control block: its own connection to close on cancel, its own
    // phase deadlines; registered for the sweeper with what is left of the call's time.
    struct registered_lists {
        running_operations& registry;
        std::vector<std::shared_ptr<op_control>> controls;
        ~registered_lists() {
            for (auto& c : controls) registry.remove(*c);
        }
    } children{*op.state->operations, {}};
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(op.control->deadline - op_control::clock::now());
    for (auto& b : backends) {
        auto& control = children.controls.emplace_back(std::make_shared<op_control>());
        children.registry.add(*control, std::max(left, std::chrono::milliseconds(0)));
        op_context child{op.state, op.call, control};
        lists.push_back(asio::co_spawn(ex, do_list_machines(child, b.id, f), asio::deferred));
    }
    machine_listing out;
    if (lists.empty()) co_return out;
    auto group = asio::experimental::make_parallel_group(std::move(lists));
    auto [order, errors, results] = f.all_or_nothing
                                        ? co_await group.async_wait(asio::experimental::wait_for_one_error(), asio::use_awaitable)
                                        : co_await group.async_wait(asio::experimental::wait_for_all(), asio::use_awaitable);
    if (f.all_or_nothing) rethrow_first_failure(order, errors);
    for (std::size_t i = 0; i < backends.size(); ++i) {
        if (!errors[i]) {
            for (auto& m : results[i]) out.machines.push_back(std::move(m));
            continue;
        }
        backend_failure failure{backends[i].id, backends[i].title, {}, {}};
        try {
            std::rethrow_exception(errors[i]);
        } catch (const op_failure& e) {
            failure.error = e.ec;
            failure.details = e.details;
        } catch (const boost::system::system_error& e) {
            failure.error = e.code();
        }
        if (failure.error == asio::error::operation_aborted) std::rethrow_exception(errors[i]);
        failure.details.request_sent = children.controls[i]->request_written;
        out.failures.push_back(std::move(failure));
    }
    // Nothing could be listed: that is a failure (the first backend's), not an empty account.
    if (out.failures.size() == backends.size()) std::rethrow_exception(errors[0]);
    co_return out;
}

awaitable<machine> do_find_machine(op_context op, machine_filter f) {
    std::string wanted = describe({{"id or name", &f.id_or_name}, {"id", &f.id}, {"name", &f.name}, {"search", &f.search}, {"tag", &f.tag}});
    machine_listing listing = co_await do_list_all_machines(std::move(op), f);
    if (listing.machines.empty() && !listing.failures.empty()) {
        // Not in the backends that answered; it may be in one that did not.
        const backend_failure& first = listing.failures.front();
        diagnostics d = first.details;
        std::string names;
        for (auto& failed : listing.failures) names += (names.empty() ? "'" : ", '") + failed.backend_title + "'";
        d.client_message = "no machine matches " + wanted + " in the backends that answered; it may be in " + names +
                           ", which could not be listed";
        throw op_failure(first.error, std::move(d));
    }
    if (!f.id_or_name.empty())
        co_return picked_by_id_or_name(std::move(listing.machines), f.id_or_name, "machine",
                                       [&](const machine& m) { return m.id == f.id_or_name || m.uuid == f.id_or_name; },
                                       [](const machine& m) -> const std::string& { return m.name; });
    co_return exactly_one(std::move(listing.machines), "machine", wanted);
}

}  // namespace

awaitable<std::vector<machine>> run(op_context op, ops::list_machines o) {
    return do_list_machines(std::move(op), std::move(o.backend_id), std::move(o.filter));
}
template void start_operation(const client_ref&, ops::list_machines, handler<ops::list_machines::result>);
void start_list_machines_subset(const client_ref& ref, std::string id, std::shared_ptr<const std::unordered_set<std::string>> ids,
                                std::string search, handler<machine_subset> h) {
    launch<machine_subset>(ref, std::move(h), [&](op_context op) {
        return do_list_machines_subset(std::move(op), std::move(id), std::move(ids), std::move(search));
    });
}
awaitable<machine_listing> run(op_context op, ops::list_all_machines o) {
    return do_list_all_machines(std::move(op), std::move(o.filter));
}
template void start_operation(const client_ref&, ops::list_all_machines, handler<ops::list_all_machines::result>);
awaitable<machine> run(op_context op, ops::find_machine o) { return do_find_machine(std::move(op), std::move(o.filter)); }
template void start_operation(const client_ref&, ops::find_machine, handler<ops::find_machine::result>);

}  // namespace mistasync::detail
