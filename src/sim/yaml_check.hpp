// Whether a text reads as YAML: what mist.api's Ansible scripts must be (PyYAML's
// yaml.load, controllers.py _preparse_file).
#pragma once

#include <string_view>

namespace mistasync::sim {

/// True when every document of `text` parses. Nesting deeper than 64 counts as malformed
/// (the parser recurses per level; a playbook is never that deep).
bool yaml_well_formed(std::string_view text);

}  // namespace mistasync::sim
