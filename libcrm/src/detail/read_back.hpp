// Reading a stored value back through the rule it was stored under (a kind, a status). A value
// that breaks the rule now was written by another program or damaged on disk: a storage_error
// naming the record ("favour 12"), not the caller's invalid_input.
#pragma once

#include "crm/error.hpp"

#include <cstdint>
#include <string>

namespace crm::detail {

template <class Fn>
auto read_back(const char* kind, std::int64_t id, Fn&& fn) -> decltype(fn()) {
    try {
        return fn();
    } catch (const invalid_input& e) {
        throw storage_error(
            std::string("the database is damaged (") + kind + " " + std::to_string(id) + "): " + e.what(),
            11 /* SQLITE_CORRUPT */);
    }
}

}  // namespace crm::detail
