// The JSON mapping of both eras, in one place (contract §7): 2015 imageId/can_*/flat
// probes and v1 image_id/actions/{ping, ssh} probes all become the same models.
#pragma once

#include "client_state.hpp"

#include <boost/json/value.hpp>

namespace mistasync::detail {

std::vector<provider> decode_providers(const boost::json::value& doc);
backend decode_backend(const client_ref& ref, boost::json::value doc);
machine decode_machine(const client_ref& ref, boost::json::value doc, const std::string& backend_id, api_era era);
/// The provider's machine id of a machine document (what machine::id holds), cheaply.
std::string machine_id_of(const boost::json::value& doc, api_era era);
key decode_key(const client_ref& ref, boost::json::value doc);
std::vector<key_association> decode_associations(const boost::json::value& doc);
image decode_image(const boost::json::value& doc);
size decode_size(const boost::json::value& doc);
location decode_location(const boost::json::value& doc);
probe_result decode_probe(const boost::json::value& doc);
job decode_job(const boost::json::value& doc);
created_machine decode_created(const boost::json::value& doc);

/// The value as text: strings as they are, numbers printed, anything else empty.
std::string text_of(const boost::json::value* v);

}  // namespace mistasync::detail
