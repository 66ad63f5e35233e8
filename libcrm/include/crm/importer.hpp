// Importing cards: each import is a recorded batch that matches every card against the store and
// the rest of the file (same UID, email or E.164 phone = same person; same folded name at the same
// organization = a suggested duplicate), applies the chosen duplicate policy, and can be undone in
// one call. An import is one transaction: it lands whole or not at all.
#pragma once

#include "crm/card.hpp"
#include "crm/event.hpp"
#include "crm/store.hpp"

#include <cstdint>
#include <functional>
#include <map>
#include <istream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

enum class duplicate_policy {
    merge,   // the card's facts are added to the contact already there; nothing is dropped
    skip,    // the card is left out
    create,  // a new contact every time
};

using batch_id = std::int64_t;

struct import_options {
    duplicate_policy on_duplicate = duplicate_policy::merge;
    std::vector<std::string> tags;  // added to every imported contact ("potential-client")
    std::string how_met;            // where these people were met, for the contacts it creates
    // The event where these people were met: every contact the import adds or merges into is
    // recorded as met there (at its start; a first meeting for the contacts it adds, which also run
    // the after-event follow-up rules), and how_met defaults to "Met at <event name>". Undoing the
    // import removes that attendance again. not_found for an unknown event.
    std::optional<event_id> event;
    std::string format;             // "" detects it from the content; "vcard", "mecard", "csv"
    // For a CSV that is no known export: column header -> field ("email:work", see csv.hpp).
    std::map<std::string, std::string> columns;
    // Called now and then from the importing thread with bytes read so far, the input's size
    // (0 when unknown) and cards read so far.
    // It must not use the store: a call back into it throws crm::error, which stops the import.
    std::function<void(std::uint64_t bytes_done, std::uint64_t bytes_total, std::size_t cards_done)> progress;
    // Asked from the importing thread between cards (every few hundred) and every tenth of a second
    // while the input keeps it waiting (a pipe, a FIFO with no writer yet): true stops the import,
    // which is rolled back, and it throws crm::cancelled. An exception it throws stops the import the
    // same way and comes out as it is (the Python binding raises KeyboardInterrupt from it on Ctrl-C).
    std::function<bool()> stop_requested;
    // How rows are written; the store comes out the same either way. The bulk way, for an import
    // large next to the store, sets aside the indexes the import does not read and builds them again
    // at the end, and writes match keys in key order; empty: chosen from the input's size and the
    // store's. For tests and measurements.
    std::optional<bool> bulk;
};

struct suggested_duplicate {
    contact_id contact = 0;   // the imported (or merged-into) contact
    contact_id existing = 0;  // the contact it may be the same person as
    std::string reason;
    std::string source;
    int line = 0;
    friend bool operator==(const suggested_duplicate&, const suggested_duplicate&) = default;
};

struct import_report {
    batch_id batch = 0;
    std::string source;
    std::string format;
    std::size_t read = 0;     // cards read, rejected ones included
    std::size_t added = 0;
    std::size_t merged = 0;
    std::size_t skipped = 0;  // duplicates left out by the skip policy, and group cards
    std::vector<suggested_duplicate> suggested;
    // The first max_listed_problems (card.hpp) rejected records by line, each with its source, line
    // and reason; the ones after them are counted in more_rejected.
    std::vector<read_problem> rejected;
    std::size_t more_rejected = 0;
};

struct import_batch {
    batch_id id = 0;
    std::string source;
    std::string format;
    duplicate_policy policy = duplicate_policy::merge;
    std::vector<std::string> tags;
    std::string how_met;
    std::optional<event_id> event;
    date::sys_seconds started_at{};
    date::sys_seconds finished_at{};
    std::size_t added = 0, merged = 0, skipped = 0, rejected = 0;
    std::optional<date::sys_seconds> undone_at;
};

struct batch_change {
    contact_id contact = 0;
    bool added = false;  // false: merged into a contact that was there before
    friend bool operator==(const batch_change&, const batch_change&) = default;
};

std::string to_string(duplicate_policy p);
duplicate_policy parse_duplicate_policy(std::string_view text);  // throws invalid_input

class import_log {
public:
    explicit import_log(store::impl& impl);  // made by store; use store::imports()

    // Reads cards from `in` and imports them as one batch. A malformed record is reported in the
    // result and the rest imported; an error of the store rolls the whole batch back.
    import_report import_stream(std::istream& in, const std::string& source, const import_options& options = {});
    import_report import_text(std::string_view text, const std::string& source, const import_options& options = {});
    // Throws file_error when the file cannot be read. Reads pipes and FIFOs too (waiting for their
    // writer, stoppable by options.stop_requested). The report's source is `path`.
    import_report import_file(const std::string& path, const import_options& options = {});

    std::vector<import_batch> batches() const;  // oldest first
    import_batch batch(batch_id id) const;      // throws not_found
    import_report report(batch_id id) const;    // the report as recorded
    std::vector<batch_change> changes(batch_id id) const;

    // Reverts a batch: contacts it added are deleted, contacts it merged into are restored as they
    // were. Refuses (crm::error) when one of them changed after the import, unless `force`, and
    // when the batch was already undone.
    void undo(batch_id id, bool force = false);

private:
    store::impl& s_;
};

}  // namespace crm
