// Every file the command line reads (spec files, scripts, cloud-init, keys, ~/.mist, the
// CA file) and writes (inventories, events) goes through these: they may be hostile or
// mistaken, so a FIFO, a device or a directory is refused instead of hanging or reading
// without end, sizes are bounded before and while reading, and what is written is 0600
// and never through a symbolic link. Errors are usage_failure naming the flag and path.
#pragma once

#include <cstddef>
#include <string>

struct stat;

namespace mistcli {

/// A regular file's whole text, at most `limit` bytes; `what` names it in errors ("--script").
/// `info`, when given, receives the file's stat (owner, mode) as opened.
std::string read_input_file(const std::string& path, const std::string& what, std::size_t limit, struct stat* info = nullptr);
/// A regular file opened for writing (created 0600; emptied unless `append`); its descriptor.
int open_output_file(const std::string& path, const std::string& what, bool append);
/// Refuses, before any request, an output path that could not be written (a symbolic link,
/// a directory, a FIFO, a missing or read-only directory); returns it.
std::string check_output_path(const std::string& path, const std::string& what);

}  // namespace mistcli
