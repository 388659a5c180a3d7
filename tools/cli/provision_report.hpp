// What provision says when its batch ends: the report (a table, or --json), the
// inventory, and on stderr what exists, what may, and why it stopped; its exit status.
#pragma once

#include "cli.hpp"
#include "provision_request.hpp"

namespace mistcli {

/// Prints the batch's outcome and returns the command's exit status: 0 when every machine
/// got through, 1 when one failed or the batch stopped early, 130 when it was interrupted.
int report_provision(const context& c, const provision_request& request, const mistasync::provision_report& report);

}  // namespace mistcli
