#include "call/operation_support.hpp"

namespace mistasync::detail {

void bad_shape(const answer& a, const std::string& what) {
    diagnostics d{a.response.status, {}, a.request.method, path_only(a.request.path), what, 1};
    throw op_failure(errc::bad_response, d);
}

bool matches(const std::string& id, const std::string& name, const std::string& want_id, const std::string& want_name,
             const std::string& search, const std::string& id_or_name, const std::string& other_id) {
    if (!id_or_name.empty() && id != id_or_name && name != id_or_name && (other_id.empty() || other_id != id_or_name)) return false;
    if (!want_id.empty()) return id == want_id;
    if (!want_name.empty()) return name == want_name;
    if (!search.empty()) return name.find(search) != std::string::npos || id.find(search) != std::string::npos;
    return true;
}

std::string describe(std::initializer_list<std::pair<const char*, const std::string*>> fields) {
    std::string out;
    for (auto& [name, value] : fields)
        if (!value->empty()) out += (out.empty() ? "" : ", ") + std::string(name) + " '" + *value + "'";
    return out.empty() ? "no filter" : out;
}

}  // namespace mistasync::detail
