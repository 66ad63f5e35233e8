// The whole store as one JSON document, and back: contacts with their ids, times, notes and kept
// card properties, merge history, settings (the time zone among them), import batches, events with
// their tags, expenses and attendees, the interaction log and goals. Restoring into an empty
// database gives the same database, ids included; this is the backup and the way to move to
// another machine.
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
    std::size_t events = 0;
    std::size_t interactions = 0;
    std::size_t goals = 0;
};

class archive {
public:
    explicit archive(store::impl& impl);  // made by store; use store::archive()

    // Writes {"format": "netcrm", "schema_version": N, "exported_at": ..., "settings": {...},
    // "contacts": [...], "merges": [...], "imports": [...], "events": [...], "interactions": [...],
    // "goals": [...]}, one record a line. Instants are ISO 8601 UTC; expense amounts are integers in
    // minor units of their currency ("amount_minor"); an interaction lists its contacts' ids.
    void write(std::ostream& out);

    // Reads what write() wrote into an empty store (no contacts, imports, events, interactions or
    // goals), in one transaction, keeping every id. Exports from before schema 3 have no events,
    // interactions or goals and restore as they did. Throws invalid_input (with `source`, where in
    // the document, and the reason) when the store is not empty, the document is not a netcrm
    // export, a record breaks a rule or refers to an id the document does not have;
    // incompatible_database when it comes from a newer schema.
    restore_summary restore(std::istream& in, const std::string& source);

private:
    store::impl& s_;
};

}  // namespace crm
