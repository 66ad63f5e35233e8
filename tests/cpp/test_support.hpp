// Helpers the Catch2 tests share: a private temporary directory per test, fixed clocks, and
// whole-file reads for "the file was not touched" checks.
#pragma once

#include "crm/contact.hpp"
#include "crm/partial_date.hpp"
#include "crm/store.hpp"

#include <catch2/catch.hpp>

#include <date/date.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <random>
#include <stdexcept>
#include <string>

namespace crm::test {

// A fresh directory under the system temp dir, removed with everything in it at scope exit, so
// tests never see each other's files and leave nothing behind.
class temp_dir {
public:
    temp_dir() {
        static std::atomic<unsigned> counter{0};
        std::random_device rd;
        const auto base = std::filesystem::temp_directory_path();
        for (int attempt = 0; attempt < 100; ++attempt) {
            auto candidate = base / ("netcrm-test-" + std::to_string(rd()) + "-" + std::to_string(counter++));
            if (std::filesystem::create_directory(candidate)) {
                path_ = candidate;
                return;
            }
        }
        throw std::runtime_error("cannot create a temporary directory");
    }
    temp_dir(const temp_dir&) = delete;
    temp_dir& operator=(const temp_dir&) = delete;
    ~temp_dir() {
        std::error_code ec;  // a destructor never throws
        std::filesystem::remove_all(path_, ec);
    }

    const std::filesystem::path& path() const noexcept { return path_; }
    std::string file(const std::string& name) const { return (path_ / name).string(); }

private:
    std::filesystem::path path_;
};

inline date::sys_seconds at(date::year_month_day ymd, std::chrono::hours h = std::chrono::hours{0},
                            std::chrono::minutes m = std::chrono::minutes{0}) {
    return date::sys_days{ymd} + h + m;
}

// A clock that always says `t`.
inline clock_function fixed_clock(date::sys_seconds t) {
    return [t] { return t; };
}

// A clock the test moves by hand: set(t) changes what every later now() returns.
class manual_clock {
public:
    explicit manual_clock(date::sys_seconds t) : now_(std::make_shared<date::sys_seconds>(t)) {}
    void set(date::sys_seconds t) { *now_ = t; }
    clock_function function() const {
        auto p = now_;
        return [p] { return *p; };
    }

private:
    std::shared_ptr<date::sys_seconds> now_;
};

inline open_options options_with_clock(clock_function clock) {
    open_options o;
    o.clock = std::move(clock);
    return o;
}

inline std::string read_bytes(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw std::runtime_error("cannot read " + p.string());
    return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline void write_bytes(const std::filesystem::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + p.string());
}

}  // namespace crm::test

// Readable failure messages for the values the tests compare.
namespace Catch {
template <>
struct StringMaker<date::sys_seconds> {
    static std::string convert(const date::sys_seconds& t) { return date::format("%FT%TZ", t); }
};
template <>
struct StringMaker<crm::partial_date> {
    static std::string convert(const crm::partial_date& d) { return d.to_string(); }
};
template <>
struct StringMaker<crm::labeled_value> {
    static std::string convert(const crm::labeled_value& v) { return "{" + v.value + ", kind " + v.kind + "}"; }
};
template <>
struct StringMaker<crm::note> {
    static std::string convert(const crm::note& n) {
        return "{" + date::format("%FT%TZ", n.at) + ": " + n.text.substr(0, 200) + "}";
    }
};
}  // namespace Catch
