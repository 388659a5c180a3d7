// What the operations on one machine need from /api/v2, which addresses a machine by
// mist's id (the provider's id is its `external_id`): that id, and the machine's document.
#pragma once

#include "call/call.hpp"
#include "codec/responses.hpp"

#include <boost/asio/awaitable.hpp>

#include <string>
#include <string_view>

namespace mistasync::detail {

/// mist's id of machine `machine_id` (the provider's id) of backend `backend_id`: `known`
/// when it is given, else found by a search of the backend's machines (errc::not_found
/// when none has that provider id).
boost::asio::awaitable<std::string> machine_uuid(op_context& op, const std::string& backend_id, const std::string& machine_id,
                                                 const std::string& known);

/// The machine's document (GET /api/v2/machines/{uuid}, ids not names), `only` these fields
/// when given. The path's value is searched by the server: a uuid finds its one machine.
boost::asio::awaitable<json_holder> machine_document(op_context& op, const std::string& uuid, std::string_view only = {});

}  // namespace mistasync::detail
