#include "crm/error.hpp"

namespace crm {

not_found::not_found(std::string what, std::int64_t id)
    : error("no " + what + " with id " + std::to_string(id)), kind_(std::move(what)), id_(id) {}

storage_error::storage_error(const std::string& message, int extended_code)
    : error(message), code_(extended_code) {}

file_error::file_error(const std::string& message, std::string path, int extended_code)
    : storage_error(message, extended_code), path_(std::move(path)) {}

incompatible_database::incompatible_database(const std::string& message, std::string path, int file_version,
                                             int supported_version)
    : file_error(message, std::move(path), 26 /* SQLITE_NOTADB */),
      file_version_(file_version),
      supported_version_(supported_version) {}

parse_error::parse_error(std::string source, int line, int column, const std::string& reason)
    : invalid_input(source + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason),
      source_(std::move(source)),
      line_(line),
      column_(column) {}

}  // namespace crm
