// The whole store as one JSON document, and back: contacts with their ids, times, notes and kept
// card properties, merge history, settings and import batches. Restoring into an empty database
// gives the same database; this is the backup and the way to move to another machine.
#pragma once

#include "crm/store.hpp"

#include <cstddef>
#include <istream>
#include <ostream>
#include <string>

namespace crm {

struct restore_summary {
    std::size_t contacts = 0;
    std::size_t merges = 0;
    std::size_t batches = 0;
};

class archive {
public:
    explicit archive(store::impl& impl);  // made by store; use store::archive()

    // Writes {"format": "netcrm", "schema_version": N, "exported_at": ..., "settings": {...},
    // "contacts": [...], "merges": [...], "imports": [...]}, one contact at a time.
    void write(std::ostream& out);

    // Reads what write() wrote into an empty store, in one transaction. Throws invalid_input (with
    // `source` and the reason) when the store is not empty or the document is not a netcrm export,
    // incompatible_database when it comes from a newer schema.
    restore_summary restore(std::istream& in, const std::string& source);

private:
    store::impl& s_;
};

}  // namespace crm
