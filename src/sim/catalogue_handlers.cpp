// Images (list, search, star), sizes and locations of a backend.
#include "handlers.hpp"
#include "views.hpp"

#include <boost/json.hpp>

namespace mistasync::sim::handlers {
namespace json = boost::json;

sim_response list_images(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    call_provider(ctx, b);
    // The search term travels in a JSON body, on GET (as the clients send it) or POST.
    std::string term = ctx.text("search_term").value_or("");
    return json_response(images_json(b, ctx.e, term));
}

sim_response star_image(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    const std::string& image_id = ctx.args[1];
    bool current = true;
    bool known = false;
    for (auto& img : images_of(b.provider, b.region))
        if (img.id == image_id) {
            current = image_starred(b, img);
            known = true;
        }
    if (!known) {
        auto it = b.star_overrides.find(image_id);
        current = it != b.star_overrides.end() && it->second;
    }
    b.star_overrides[image_id] = !current;
    return json_response(json::value(!current));
}

sim_response list_sizes(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    call_provider(ctx, b);
    json::array sizes = sizes_of(b.provider, b.region);
    if (ctx.e == era::v1)
        for (auto& s : sizes) s.as_object()["extra"] = json::object{};
    return json_response(sizes);
}

sim_response list_locations(request_context& ctx) {
    backend& b = backend_or_404(ctx, ctx.args[0]);
    call_provider(ctx, b);
    json::array locations = locations_of(b.provider, b.region);
    if (ctx.e == era::v1)
        for (auto& l : locations) l.as_object()["extra"] = json::object{};
    return json_response(locations);
}

}  // namespace mistasync::sim::handlers
