// What every /api/v2 handler shares: its answers (JSON written as Flask writes it, errors
// as JSON strings, connexion's problem objects), a list's query, and the search of each
// kind of resource as mist.api's list_resources runs it.
#pragma once

#include "api_error.hpp"
#include "request_context.hpp"
#include "search_filter.hpp"
#include "v2_docs.hpp"
#include "v2_lists.hpp"

#include <boost/json/value.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace mistasync::sim::v2 {

/// A 200 (or `status`) with `v` as the v2 server writes JSON.
sim_response answer(const boost::json::value& v, int status = 200);
/// A handler's `return 'message', status`: the message as a JSON string.
api_error message_error(int status, std::string_view message);
/// connexion's problem object, for what is refused before a handler runs.
api_error problem(int status, std::string_view title, std::string_view detail);
sim_response problem_response(int status, std::string_view title, std::string_view detail);
/// A 400 problem for a request the spec refuses ("Missing query parameter 'name'").
api_error bad_request_problem(std::string_view detail);

/// A list's query parameters; a `limit` that is not an integer is a 400 problem.
v2_list_params list_params(const request_context& ctx);
/// `search` read; a term the server cannot read either is a 400 message.
std::vector<search_term> search_terms(std::string_view search);

/// The enabled clouds `cloud` picks (all of them when empty), in the order they were added.
std::vector<backend*> clouds_searched(world& w, std::string_view cloud);

/// The machines of those clouds that the search keeps, in list order.
std::vector<machine*> machines_matching(world& w, const v2_list_params& p);
/// A path's `{machine}`: the first machine the value finds as a search (the server's
/// name-or-id lookup: `web` may find `webserver-2`); 404 "Machine does not exist".
machine& machine_by_path(world& w, const std::string& value);

/// Searchable views of each kind (the field accessors read the resource's own fields).
searchable as_searchable(const world& w, const machine& m, const searchable* cloud);
searchable as_searchable(const backend& b);
searchable as_searchable(const key_record& k);
searchable as_searchable(const script_record& s);

/// The first of `items` (pointers to records) that `value` finds as a search: a path's or
/// a body's name-or-id lookup, as the controllers do it; else 404 `missing`.
template <class Items>
auto& first_found(const Items& items, std::string_view value, std::string_view missing) {
    const std::vector<search_term> terms = search_terms(value);
    for (auto& item : items)
        if (matches_search(terms, as_searchable(*item))) return *item;
    throw message_error(404, missing);
}

/// A list answer: the page of `items` (already in order) as `kind`, rendered by `doc`.
template <class Item, class Doc>
boost::json::object page(const std::vector<Item>& items, const v2_list_params& p, std::string_view kind, Doc&& doc) {
    const v2_page pg = page_of(items.size(), p);
    boost::json::array data;
    data.reserve(pg.count);
    for (std::size_t i = pg.first; i < pg.first + pg.count; ++i) data.push_back(doc(items[i]));
    return v2_list_envelope(std::move(data), items.size(), p, kind);
}

/// A list of `all` (the search kept by `view`), or, with a path value, a get: the first
/// that value finds, as `singular`, else 404 `missing`. `doc(item, only, deref)` renders one.
template <class Item, class View, class Doc>
sim_response list_or_get(request_context& ctx, const std::vector<Item>& all, std::string_view kind, std::string_view singular,
                         std::string_view missing, View view, Doc doc) {
    v2_list_params p = list_params(ctx);
    const bool get = !ctx.args.empty();
    if (get) p.search = ctx.args[0], p.start = 0, p.limit = 1;
    const v2_deref deref(p.deref);
    const std::vector<search_term> terms = search_terms(p.search);
    std::vector<Item> found;
    for (auto& item : all)
        if (terms.empty() || matches_search(terms, view(item))) found.push_back(item);
    if (!get) return answer(page(found, p, kind, [&](const Item& i) { return doc(i, p.only, deref); }));
    if (found.empty()) throw message_error(404, missing);
    return answer(v2_get_envelope(doc(found.front(), p.only, deref), found.size(), p, singular));
}

}  // namespace mistasync::sim::v2
