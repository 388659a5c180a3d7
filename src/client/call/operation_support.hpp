// What the operations share: reading an answer's shape, list filters with the Python
// client's meaning, and "exactly one" for the find_* operations.
#pragma once

#include <mistasync/lookup.hpp>

#include "call/call.hpp"
#include "codec/decode.hpp"

#include <boost/json/value.hpp>

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace mistasync::detail {

/// The answer is not what the route returns: errc::bad_response saying what was wrong.
[[noreturn]] void bad_shape(const answer& a, const std::string& what);

/// Decodes the answer's document with `decode`; any decoding error is bad_shape.
template <class Decode>
auto decode_answer(const answer& a, Decode decode) {
    json_holder doc = parse_json(a.response, a.request);
    try {
        return decode(std::move(doc));
    } catch (const op_failure&) {
        throw;
    } catch (const std::exception& e) {
        bad_shape(a, e.what());
    }
}

/// Reads a JSON array answer, element by element, into models.
template <class T, class Decode>
std::vector<T> decode_list(const answer& a, Decode decode) {
    json_holder doc = parse_json(a.response, a.request);
    if (!doc.value.is_array()) bad_shape(a, "expected a JSON array");
    std::vector<T> out;
    out.reserve(doc.value.get_array().size());
    try {
        for (auto& e : doc.value.get_array()) out.push_back(decode(json_holder{doc.arena, std::move(e)}));
    } catch (const std::exception& e) {
        bad_shape(a, e.what());
    }
    return out;
}

/// Exact id, else exact name, else a substring of name or id; all empty: everything. With
/// `id_or_name`, only things whose id, `other_id` (a machine's uuid) or exact name it is.
bool matches(const std::string& id, const std::string& name, const std::string& want_id, const std::string& want_name,
             const std::string& search, const std::string& id_or_name = {}, const std::string& other_id = {});

/// "id 'x', name 'y'": the filter's set fields, for messages.
std::string describe(std::initializer_list<std::pair<const char*, const std::string*>> fields);

/// Exactly one of `found`, or errc::not_found_locally saying what was looked for.
template <class T>
T exactly_one(std::vector<T> found, const char* kind, const std::string& wanted) {
    if (found.size() == 1) return std::move(found.front());
    diagnostics d;
    d.client_message = found.empty() ? std::string("no ") + kind + " matches " + wanted
                                     : std::to_string(found.size()) + " " + kind + "s match " + wanted + ": give an id or an exact name";
    throw op_failure(errc::not_found_locally, std::move(d));
}

/// The one of `found` that `ref` picks by the rule of <mistasync/lookup.hpp> (an id, else the
/// one exact name), or errc::not_found_locally saying why none was.
template <class T, class IsId, class NameOf>
T picked_by_id_or_name(std::vector<T> found, const std::string& ref, const char* kind, IsId is_id, NameOf name_of) {
    auto picked = pick_by_id_or_name(std::move(found), ref, kind, is_id, [&](const T& item) { return name_of(item) == ref; });
    if (auto* why = std::get_if<std::string>(&picked)) {
        diagnostics d;
        d.client_message = std::move(*why);
        throw op_failure(errc::not_found_locally, std::move(d));
    }
    return std::get<T>(std::move(picked));
}

/// The backends that match `f` (backend_operations.cpp; listing all machines starts with it).
boost::asio::awaitable<std::vector<backend>> list_backends(op_context op, backend_filter f);

/// A state poller's list: the machines waited for, and how long the server took to answer
/// (the request alone: not the decoding, nor this thread's queue of other work).
struct machine_subset {
    std::vector<machine> machines;
    std::chrono::steady_clock::duration answer_time{};
};

/// The machines of a backend whose ids are in `ids`, decoding only those: the state
/// pollers' list (a backend may hold tens of thousands of machines; few are waited for).
/// `v2_search` narrows a v2 list to the machines it finds (empty: the whole backend).
void start_list_machines_subset(const client_ref& ref, std::string backend_id,
                                std::shared_ptr<const std::unordered_set<std::string>> ids, std::string v2_search, handler<machine_subset> h);

}  // namespace mistasync::detail
