// The .deb that tools/package makes (cpack on this build): dpkg-shlibdeps found the library
// packages, and the binaries extracted from it run with no source tree.
#include <dirent.h>
#include <gtest/gtest.h>

#include "child_process.h"
#include "installed_run.h"

namespace callsim::test {
namespace {

std::string only_deb_in(const std::string& dir) {
  std::string found;
  if (DIR* d = ::opendir(dir.c_str())) {
    while (dirent* entry = ::readdir(d)) {
      std::string name = entry->d_name;
      if (name.size() > 4 && name.substr(name.size() - 4) == ".deb") found = dir + "/" + name;
    }
    ::closedir(d);
  }
  return found;
}

TEST(Package, DebHasTheLibraryDependenciesAndRunsWhereExtracted) {
  TempDir scratch;
  std::string output;
  ASSERT_EQ(
      run_to_end({CALLSIM_CPACK_COMMAND, "-G", "DEB", "--config",
                  std::string(CALLSIM_BUILD_DIR) + "/CPackConfig.cmake", "-B", scratch.path()},
                 scratch.path() + "/cpack.txt", 300, &output),
      0)
      << output;
  const std::string deb = only_deb_in(scratch.path());
  ASSERT_FALSE(deb.empty()) << output;

  std::string depends;
  ASSERT_EQ(run_to_end({"dpkg-deb", "--field", deb, "Package", "Depends"},
                       scratch.path() + "/fields.txt", 30, &depends),
            0)
      << depends;
  EXPECT_EQ(depends.rfind("Package: callsim\n", 0), 0u) << depends;
  for (const char* library :
       {"libc6", "libstdc++6", "libhiredis", "libopus0", "libogg0", "libssl3", "libsndfile1",
        "libsoxr0", "libcurl4", "libyaml-cpp", "libfmt", "libpugixml"}) {
    EXPECT_NE(depends.find(library), std::string::npos) << library << " in " << depends;
  }

  const std::string root = scratch.path() + "/root";
  ASSERT_EQ(run_to_end({"dpkg-deb", "-x", deb, root}, scratch.path() + "/x.txt", 60, &output), 0)
      << output;
  std::string version;
  ASSERT_EQ(
      run_to_end({root + "/usr/bin/callsim", "--version"}, scratch.path() + "/v.txt", 30, &version),
      0);
  EXPECT_EQ(version, std::string("callsim ") + CALLSIM_PROJECT_VERSION + "\n");

  TempDir elsewhere;
  InstalledRun run = run_installed(root + "/usr/bin", elsewhere.path());
  EXPECT_EQ(run.callsim_exit, 0) << run.describe();
  EXPECT_EQ(run.verdict, "PASS") << run.describe();
  EXPECT_EQ(run.fixture, root + "/usr/share/callsim/fixtures/audio/caller-question.opus");
}

}  // namespace
}  // namespace callsim::test
