// The whole store as one JSON document, and back: contacts with their ids, times, notes and kept
// card properties, merge history, settings (the time zone and the store's id among them), import
// batches, events with their tags, expenses and attendees, the interaction log, goals, the favour
// ledger (introductions, favours, asks), follow-ups with their history and rules, and holiday
// calendars. Restoring into an empty database gives the same database, ids included; this is the
// backup and the way to move to another machine.
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
    std::size_t introductions = 0;
    std::size_t favors = 0;
    std::size_t follow_up_rules = 0;
    std::size_t follow_ups = 0;
    std::size_t follow_up_history = 0;  // changes, over all follow-ups
    std::size_t asks = 0;
    std::size_t holidays = 0;  // days, over all calendars
};

class archive {
public:
    explicit archive(store::impl& impl);  // made by store; use store::archive()

    // Writes {"format": "netcrm", "schema_version": N, "exported_at": ..., "settings": {...},
    // "contacts": [...], "merges": [...], "imports": [...], "events": [...], "interactions": [...],
    // "goals": [...], "introductions": [...], "favors": [...], "follow_up_rules": [...],
    // "follow_ups": [...], "asks": [...], "holidays": [...]}, one record a line. Instants are ISO
    // 8601 UTC; calendar dates (on_date, a holiday's day) YYYY-MM-DD; expense amounts are integers in
    // minor units of their currency ("amount_minor"); an interaction lists its contacts' ids; a
    // follow-up carries its "history"; a holiday is {calendar, day, name}.
    void write(std::ostream& out);

    // Reads what write() wrote into an empty store (none of the rows above; settings may differ),
    // in one transaction, keeping every id, the settings (the store_id too: calendar UIDs stay
    // those of the exported store) and the follow-ups' sequence numbers. Rows go in as stored: no
    // rule runs, nothing is rescheduled. Exports from before schema 3 have no events, interactions
    // or goals, those from before schema 4 no follow-ups, favour ledger or holidays, and restore as
    // they did. Throws invalid_input (with `source`, where in the document, and the reason) when the
    // store is not empty, the document is not a netcrm export, a record breaks a rule or refers to
    // an id the document does not have; incompatible_database when it comes from a newer schema.
    restore_summary restore(std::istream& in, const std::string& source);

private:
    store::impl& s_;
};

}  // namespace crm
