#include "install/data_dir.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

namespace {

std::string running_executable() {
  std::string path(4096, '\0');
  ssize_t length = ::readlink("/proc/self/exe", path.data(), path.size());
  if (length <= 0 || static_cast<size_t>(length) >= path.size()) return {};
  path.resize(static_cast<size_t>(length));
  return path;
}

bool is_directory(const std::string& path) {
  struct stat info {};
  return ::stat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

}  // namespace

std::string fixtures_dir_for(const std::string& executable) {
  // /proc/self/exe has no symlinks or dot segments, so dropping two components is exact.
  auto slash = executable.rfind('/');
  std::string bin_dir = slash == std::string::npos ? "." : executable.substr(0, slash);
  slash = bin_dir.rfind('/');
  std::string prefix = slash == std::string::npos ? bin_dir + "/.." : bin_dir.substr(0, slash);
  return prefix + "/share/callsim/fixtures";
}

std::string fixtures_dir(const std::string& flag) {
  std::string executable = running_executable();
  if (executable.empty()) {
    throw InputError(fmt::format(
        "cannot find the default fixtures: /proc/self/exe is unreadable ({}); pass {} FILE",
        std::strerror(errno), flag));
  }
  std::string dir = fixtures_dir_for(executable);
  if (!is_directory(dir)) {
    throw InputError(fmt::format(
        "cannot find the default fixtures: looked in {} (beside {}); reinstall callsim or pass "
        "{} FILE",
        dir, executable, flag));
  }
  return dir;
}

}  // namespace callsim
