// Which era's documents a request gets (era_views.hpp).
#include "era_views.hpp"

#include <boost/json/value.hpp>

namespace mistasync::sim {
namespace json = boost::json;

const era_views& views_of(era e) { return e == era::legacy ? legacy_views : v1_views; }

json::value backend_json(const backend& b, era e) { return views_of(e).backend_doc(b); }

json::value key_json(const key_record& k, era e) { return views_of(e).key_doc(k); }

}  // namespace mistasync::sim
