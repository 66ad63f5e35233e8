// A card file read through its descriptor, for imports. It waits for input with poll(), a tenth of a
// second at a time, so that reading a pipe or a FIFO whose writer sends nothing (or has not come yet)
// can be given up (stop()), where a blocking read would hold the reading thread for ever. Seekable
// when the file is, for format detection and the size behind progress.
#pragma once

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <streambuf>
#include <system_error>
#include <vector>

namespace crm::detail {

class fd_input : public std::streambuf {
public:
    // Opens `path` for reading without waiting for a FIFO's writer; -1 and errno when it cannot.
    static int open_file(const char* path) noexcept { return ::open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK); }

    explicit fd_input(int fd) : fd_(fd), buf_(std::size_t{1} << 16) { setg(buf_.data(), buf_.data(), buf_.data()); }
    ~fd_input() override { ::close(fd_); }
    fd_input(const fd_input&) = delete;
    fd_input& operator=(const fd_input&) = delete;

    // From any thread: the reader's next wait or read sees the end of the input.
    void stop() noexcept { stop_.store(true); }

protected:
    int_type underflow() override {
        if (gptr() < egptr()) return traits_type::to_int_type(*gptr());
        for (;;) {
            if (stop_.load()) return traits_type::eof();
            pollfd p{fd_, POLLIN, 0};
            const int ready = ::poll(&p, 1, 100);
            if (ready < 0 && errno != EINTR) fail();
            if (ready <= 0) continue;
            const ssize_t n = ::read(fd_, buf_.data(), buf_.size());
            if (n > 0) {
                setg(buf_.data(), buf_.data(), buf_.data() + n);
                return traits_type::to_int_type(*gptr());
            }
            if (n == 0) return traits_type::eof();
            if (errno != EINTR && errno != EAGAIN) fail();
        }
    }

    pos_type seekoff(off_type off, std::ios_base::seekdir dir, std::ios_base::openmode) override {
        off_t target = 0;
        int whence = SEEK_SET;
        if (dir == std::ios_base::cur) {
            const off_t here = ::lseek(fd_, 0, SEEK_CUR);
            if (here < 0) return pos_type(off_type(-1));
            const off_t at = here - static_cast<off_t>(egptr() - gptr());  // what the reader has taken
            if (off == 0) return pos_type(off_type(at));
            target = at + off;
        } else if (dir == std::ios_base::end) {
            target = off;
            whence = SEEK_END;
        } else {
            target = off;
        }
        const off_t moved = ::lseek(fd_, target, whence);
        if (moved < 0) return pos_type(off_type(-1));
        setg(buf_.data(), buf_.data(), buf_.data());
        return pos_type(off_type(moved));
    }
    pos_type seekpos(pos_type pos, std::ios_base::openmode which) override {
        return seekoff(off_type(pos), std::ios_base::beg, which);
    }

private:
    // The stream turns it into badbit: the readers report the input as failed.
    [[noreturn]] static void fail() { throw std::system_error(errno, std::generic_category()); }

    int fd_;
    std::vector<char> buf_;
    std::atomic<bool> stop_{false};
};

}  // namespace crm::detail
