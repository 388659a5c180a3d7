// The user's organizations as the simulator makes them: one world each (the default
// first), built from the simulator's options, and the demo content each starts with.
#pragma once

#include "world.hpp"

#include <mistasync/testing/simulator.hpp>

#include <memory>
#include <vector>

namespace mistasync::sim {

using organization_worlds = std::vector<std::unique_ptr<world>>;

/// One world per name of options.organizations (at least one). The default organization's
/// id comes from the user's email, as it always has; the others' from their names.
organization_worlds make_organizations(const testing::simulator_options& options);

/// What the api needs of them: id, name and world.
std::vector<organization_entry> organization_entries(const organization_worlds& orgs);

/// The demo content: in the default organization a key "MyKey", the backends NephoScale,
/// "EC2 AP NORTHEAST" and Docker, and two running machines; in each other one a key
/// "LabKey", the backend "Lab NephoScale" and the machine "lab-box".
void build_demo_worlds(const organization_worlds& orgs);

}  // namespace mistasync::sim
