// The documents of /api/v2: each resource as its model's as_dict_v2 writes it (mist.api
// dcf483f: machines/models.py, clouds/models.py, keys/models.py, images/models.py,
// clouds/models.py Size and Location, scripts/models.py), honouring `only` and `deref`, and
// a job's story as mist-api-v2's get_job shows it (de29606, controllers/jobs_controller.py).
#pragma once

#include "catalogue.hpp"
#include "v2_lists.hpp"
#include "world.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <map>
#include <string>
#include <string_view>

namespace mistasync::sim {

/// How references are written (prepare_dereferenced_dict): `auto` names (emails for
/// people), `none` or "" ids, or `field:attribute,...` per field.
class v2_deref {
public:
    /// Throws std::runtime_error where the server's own code fails (a bare field name
    /// with no `field:attribute` before it).
    explicit v2_deref(std::string_view deref);
    /// The attribute written for reference `field` whose default is `automatic`.
    std::string_view attribute(std::string_view field, std::string_view automatic) const;

private:
    bool ids_ = false;
    std::map<std::string, std::string, std::less<>> chosen_;
};

/// What a referenced object offers to a deref.
struct v2_reference {
    std::string_view id;
    std::string_view name;
    std::string_view email;  ///< people only
};

/// One document being written: standard fields by `only`'s names, references by `deref`,
/// and the fields a model adds itself by `only`'s raw text (v2_keeps).
class v2_document {
public:
    v2_document(std::string_view only, const v2_deref& deref) : only_(only), deref_(deref) {}
    template <class Make>
    void standard(std::string_view field, Make&& make) {
        if (v2_keeps(only_, field)) doc_[field] = make();
    }
    template <class Make>
    void added(std::string_view field, Make&& make) {
        if (v2_keeps(only_, field, true)) doc_[field] = make();
    }
    /// A reference (`automatic`: "name" or "email"); an absent one (all views empty) is "".
    void reference(std::string_view field, std::string_view automatic, const v2_reference& ref);
    boost::json::object take() { return std::move(doc_); }

private:
    std::string_view only_;
    const v2_deref& deref_;
    boost::json::object doc_;
};

/// The user every document's owned_by/created_by names.
v2_reference v2_user(const world& w);
/// A catalogue item's v2 id: 32 hex, stable per cloud, kind and provider id.
std::string v2_catalogue_id(const backend& b, std::string_view kind, std::string_view external_id);
/// A datetime as the v2 JSON encoder writes it ("2026-12-08T01:02:03.456000Z").
std::string v2_iso_time(double unix_seconds);

// One function per document (views_v2_machines.cpp, views_v2_resources.cpp).
boost::json::object v2_machine_doc(world& w, const machine& m, std::string_view only, const v2_deref& deref);
boost::json::object v2_cloud_doc(const world& w, const backend& b, std::string_view only, const v2_deref& deref);
boost::json::object v2_key_doc(world& w, const key_record& k, std::string_view only, const v2_deref& deref);
boost::json::object v2_image_doc(const world& w, const backend& b, const image_info& i, std::string_view only, const v2_deref& deref);
boost::json::object v2_size_doc(const world& w, const backend& b, const boost::json::object& s, std::string_view only, const v2_deref& deref);
boost::json::object v2_location_doc(const world& w, const backend& b, const boost::json::object& l, std::string_view only,
                                    const v2_deref& deref);
boost::json::object v2_script_doc(const world& w, const script_record& s, std::string_view only, const v2_deref& deref);

/// A create job's story (views_v2_jobs.cpp): nullopt while no worker has logged it yet.
std::optional<boost::json::object> v2_job_story(world& w, const job_record& j);
/// A script run's story.
boost::json::object v2_script_run_story(world& w, const script_run& r);

}  // namespace mistasync::sim
