// Who the user had interactions with, by day: the summary that "people talked with over a year"
// reads instead of a million interaction rows, and the first follow-up after each first meeting
// (event_attendees.followed_up_at) that the median follow-up delay reads. Schema 6.
//
// activity_days holds, per UTC day, the sorted contact ids with an interaction that day and a bit
// per interaction kind they had. The summaries are derived, so they must never be wrong:
//  - triggers in the schema (any connection, any program, raw SQL included) put a mark
//    (day, contact) in activity_marks whenever a participation, an interaction's kind or event, or a
//    first meeting changes; they are transactional like the write that fires them;
//  - settle() folds the marks into the summaries before they are read, recomputing each marked
//    (day, contact) from the tables. Many marks (a bulk load, a restore, the migration) rebuild
//    everything in one pass instead.
// A reader that cannot settle (a read-only file, another writer holding the lock, an open
// transaction of the caller) answers from the tables instead.
#pragma once

#include "crm/store.hpp"

#include <cstddef>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace crm::detail::activity {

constexpr std::int64_t day_seconds = 86400;

// floor(t / 86400): the UTC day of an instant, also before 1970.
constexpr std::int64_t day_of(std::int64_t t) { return t / day_seconds - (t % day_seconds < 0 ? 1 : 0); }

// A set of contact ids: a bitmap for the usual dense ids, a hash set for the rest.
class people_set {
public:
    void add(std::int64_t id);
    bool has(std::int64_t id) const;
    std::size_t size() const;

private:
    static constexpr std::int64_t bitmap_limit = std::int64_t{1} << 28;  // 32 MB of bits at most
    std::vector<std::uint64_t> bits_;
    std::unordered_set<std::int64_t> other_;
};

// What settle() did, for tests and the benchmark.
struct settle_stats {
    std::size_t marks = 0;     // marks folded in one by one
    std::size_t rebuilds = 0;  // whole rebuilds
    std::size_t refused = 0;   // times it could not write, so the tables were read instead
};

// Folds pending marks in; true when the summaries are now current for this connection. Call with
// the store's lock held and no transaction of this connection open (it then returns false).
bool settle(store::impl& s, settle_stats& stats);

// Adds to `out` the contacts with an interaction on UTC days [first_day, end_day) of a kind in
// `kinds` (a bit per interaction_kind; 0: any kind). Read after settle() returned true.
void add_days(store::impl& s, std::int64_t first_day, std::int64_t end_day, unsigned kinds, people_set& out);

// The bit of an interaction kind as stored ("conversation", "meeting" ...).
unsigned kind_bit(const char* kind);

}  // namespace crm::detail::activity
