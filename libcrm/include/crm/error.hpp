// One exception hierarchy for everything netcrm throws. Each subclass says what went wrong and
// carries the facts a caller needs to react (the id that was missing, the SQLite code, the versions).
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace crm {

class error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// A value handed to netcrm breaks a rule: invalid UTF-8, a NUL byte, an empty contact, a bad date.
class invalid_input : public error {
public:
    using error::error;
};

// The caller asked a long operation to stop (import_options::stop_requested); nothing of it was kept.
class cancelled : public error {
public:
    using error::error;
};

// A record that was asked for by id does not exist.
class not_found : public error {
public:
    not_found(std::string what, std::int64_t id);
    std::int64_t id() const noexcept { return id_; }
    const std::string& kind() const noexcept { return kind_; }

private:
    std::string kind_;
    std::int64_t id_;
};

// SQLite refused an operation. The extended result code says why (SQLITE_BUSY, SQLITE_FULL ...).
class storage_error : public error {
public:
    storage_error(const std::string& message, int extended_code);
    int extended_code() const noexcept { return code_; }

private:
    int code_;
};

// The database file cannot be opened or created (missing directory, permissions, read-only medium).
class file_error : public storage_error {
public:
    file_error(const std::string& message, std::string path, int extended_code);
    const std::string& path() const noexcept { return path_; }

private:
    std::string path_;
};

// The file exists but netcrm must not use it: not an SQLite file, another application's
// database, or a schema written by a newer netcrm. The file is left untouched.
class incompatible_database : public file_error {
public:
    incompatible_database(const std::string& message, std::string path, int file_version = 0,
                          int supported_version = 0);
    int file_version() const noexcept { return file_version_; }
    int supported_version() const noexcept { return supported_version_; }

private:
    int file_version_;
    int supported_version_;
};

// Text that could not be read: carries where (source name, 1-based line and column).
class parse_error : public invalid_input {
public:
    parse_error(std::string source, int line, int column, const std::string& reason);
    const std::string& source() const noexcept { return source_; }
    int line() const noexcept { return line_; }
    int column() const noexcept { return column_; }

private:
    std::string source_;
    int line_;
    int column_;
};

}  // namespace crm
