#include "yaml_check.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <stdexcept>
#include <string>

namespace mistasync::sim {

namespace {

// Reads events only (no node tree, so an alias is never expanded) and stops deep nesting
// before the parser's recursion does harm.
class depth_guard : public YAML::EventHandler {
public:
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { open(); }
    void OnSequenceEnd() override { --depth_; }
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override { open(); }
    void OnMapEnd() override { --depth_; }

private:
    int depth_ = 0;
    void open() {
        if (++depth_ > 64) throw std::length_error("nested too deep");
    }
};

}  // namespace

bool yaml_well_formed(std::string_view text) {
    std::istringstream in{std::string(text)};
    try {
        YAML::Parser parser(in);
        depth_guard guard;
        while (parser.HandleNextDocument(guard)) {
        }
        return true;
    } catch (const std::exception&) {  // YAML::Exception, or too deep
        return false;
    }
}

}  // namespace mistasync::sim
