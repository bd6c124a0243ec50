#include "run/report_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstdlib>
#include <cstring>

#include <fmt/format.h>

#include "core/errors.h"

namespace callsim {

// The file descriptor under the FILE*, with the repair state that carries across writes.
struct ReportFile::Sink {
  int fd = -1;
  Utf8Repair repair;
  std::string scratch;
  int error = 0;  // errno of the first failed write

  bool write_all(const std::string& bytes) {
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        if (error == 0) error = n < 0 ? errno : EIO;
        return false;
      }
      done += static_cast<size_t>(n);
    }
    return true;
  }

  static ssize_t on_write(void* cookie, const char* data, size_t size) {
    auto* sink = static_cast<Sink*>(cookie);
    sink->scratch.clear();
    sink->repair.feed(std::string_view(data, size), sink->scratch);
    if (!sink->write_all(sink->scratch)) {
      errno = sink->error;
      return -1;
    }
    return static_cast<ssize_t>(size);
  }

  static int on_close(void* cookie) {
    auto* sink = static_cast<Sink*>(cookie);
    sink->scratch.clear();
    sink->repair.finish(sink->scratch);
    bool ok = sink->write_all(sink->scratch);
    if (::close(sink->fd) != 0 && ok) {
      sink->error = errno;
      ok = false;
    }
    sink->fd = -1;
    return ok ? 0 : -1;
  }
};

namespace {

// `where` is "FLAG PATH".
[[noreturn]] void fail(const std::string& where, const std::string& why) {
  throw InputError(fmt::format("{}: {}", where, why));
}

[[noreturn]] void fail_errno(const std::string& where, int error) {
  fail(where, fmt::format("cannot write: {}", std::strerror(error)));
}

std::string directory_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

ReportFile::ReportFile(std::string path, std::string flag)
    : path_(std::move(path)), flag_(std::move(flag)), sink_(std::make_unique<Sink>()) {
  const std::string where = flag_ + " " + path_;
  if (path_.empty()) fail(where, "the file name is empty");
  destination_ = path_;
  struct stat info {};
  bool exists = path_ != "-" && ::stat(path_.c_str(), &info) == 0;
  if (exists) {
    if (S_ISDIR(info.st_mode)) fail(where, "is a directory");
    char resolved[PATH_MAX];
    if (::realpath(path_.c_str(), resolved)) destination_ = resolved;
  }
  int fd = -1;
  if (path_ == "-") {
    // Standard output: written directly, our own descriptor so that closing it leaves fd 1.
    fd = ::fcntl(STDOUT_FILENO, F_DUPFD_CLOEXEC, 3);
    if (fd < 0) fail_errno(where, errno);
  } else if (exists && !S_ISREG(info.st_mode)) {
    // O_NONBLOCK: a FIFO nobody reads is an error now (ENXIO), not a hang.
    fd = ::open(destination_.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) fail_errno(where, errno);
    ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  } else {
    if (exists) {
      // The rename would replace a file that may not be written: refuse as writing it would.
      int probe = ::open(destination_.c_str(), O_WRONLY | O_CLOEXEC | O_NONBLOCK);
      if (probe < 0) fail_errno(where, errno);
      ::close(probe);
    }
    temporary_ = fmt::format("{}/.{}.{}.tmp", directory_of(destination_),
                             destination_.substr(destination_.rfind('/') + 1), ::getpid());
    fd = ::open(temporary_.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0666);
    if (fd < 0) fail_errno(where, errno);
    if (exists) ::fchmod(fd, info.st_mode & 07777);
  }
  sink_->fd = fd;
  cookie_io_functions_t functions{};
  functions.write = &Sink::on_write;
  functions.close = &Sink::on_close;
  stream_ = ::fopencookie(sink_.get(), "w", functions);
  if (!stream_) {
    int error = errno;
    ::close(fd);
    if (!temporary_.empty()) ::unlink(temporary_.c_str());
    fail_errno(where, error);
  }
}

ReportFile::~ReportFile() {
  if (stream_) std::fclose(stream_);
  if (!committed_ && !temporary_.empty()) ::unlink(temporary_.c_str());
}

void ReportFile::commit() {
  bool ok = std::fflush(stream_) == 0 && !std::ferror(stream_);
  ok = std::fclose(stream_) == 0 && ok;
  stream_ = nullptr;
  if (!ok) fail_errno(flag_ + " " + path_, sink_->error != 0 ? sink_->error : EIO);
  if (!temporary_.empty() && ::rename(temporary_.c_str(), destination_.c_str()) != 0) {
    fail_errno(flag_ + " " + path_, errno);
  }
  committed_ = true;
}

}  // namespace callsim
