// The activity summaries (detail/activity.hpp): encoding of a day, settling marks, rebuilding.
//
// A day's `people` blob: a format byte (1), then per contact in increasing id order the difference
// from the previous id (the first from 0; unsigned 64-bit arithmetic, so any rowid works) as a
// LEB128 varint, then one byte with a bit per interaction kind. About 3 bytes a person: a busy
// day of a million-interaction log (1,100 people) fits in one database page.
#include "detail/activity.hpp"

#include "crm/interaction.hpp"

#include "detail/store_impl.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <bit>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>

namespace crm::detail::activity {

namespace {

constexpr unsigned char format = 1;

// Marks past this many are cheaper folded in by one rebuild than one by one.
constexpr std::size_t rebuild_above = 20000;

struct person {
    std::int64_t id;
    unsigned char kinds;
};

std::string encode(const std::vector<person>& people) {
    std::string out;
    out.reserve(1 + people.size() * 4);
    out += static_cast<char>(format);
    std::uint64_t previous = 0;
    for (const auto& p : people) {
        std::uint64_t delta = static_cast<std::uint64_t>(p.id) - previous;
        previous = static_cast<std::uint64_t>(p.id);
        do {
            const auto low = static_cast<unsigned char>(delta & 0x7f);
            delta >>= 7;
            out += static_cast<char>(delta ? (low | 0x80) : low);
        } while (delta);
        out += static_cast<char>(p.kinds);
    }
    return out;
}

// Calls fn(id, kinds) for each person of a day's blob; throws storage_error on a blob it cannot read.
template <class Fn>
void decode(const unsigned char* data, std::size_t size, std::int64_t day, Fn&& fn) {
    auto bad = [&] {
        throw storage_error("activity_days: the summary of day " + std::to_string(day) +
                                " is not in a known format: the file may be damaged (see store::integrity_check)",
                            SQLITE_CORRUPT);
    };
    if (size == 0 || data[0] != format) bad();
    std::uint64_t id = 0;
    std::size_t i = 1;
    while (i < size) {
        std::uint64_t delta = 0;
        unsigned shift = 0;
        for (;;) {
            if (i >= size || shift > 63) bad();
            const unsigned char b = data[i++];
            delta |= std::uint64_t(b & 0x7f) << shift;
            if (!(b & 0x80)) break;
            shift += 7;
        }
        if (i >= size) bad();
        id += delta;
        fn(static_cast<std::int64_t>(id), data[i++]);
    }
}

// The C API for the scans of a rebuild (millions of rows): SQLiteCpp's column objects cost a
// shared-pointer copy each.
class raw_statement {
public:
    raw_statement(store::impl& s, const char* sql) : db_(s.db.getHandle()) {
        if (sqlite3_prepare_v2(db_, sql, -1, &q_, nullptr) != SQLITE_OK) fail();
    }
    ~raw_statement() { sqlite3_finalize(q_); }
    raw_statement(const raw_statement&) = delete;
    raw_statement& operator=(const raw_statement&) = delete;
    bool step() {
        const int rc = sqlite3_step(q_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail();
        return false;
    }
    sqlite3_stmt* get() const { return q_; }

private:
    [[noreturn]] void fail() { throw SQLite::Exception(db_, sqlite3_errcode(db_)); }
    sqlite3* db_;
    sqlite3_stmt* q_ = nullptr;
};

// The first interaction with a first-met person after the meeting, not at the event where they
// met (talking again at the same meetup is not following up): the primary key
// (contact_id, at, interaction_id) read forward from the meeting, usually one step.
constexpr const char* follow_up_update =
    "UPDATE event_attendees AS a SET followed_up_at ="
    " (SELECT ic.at FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id"
    "  WHERE ic.contact_id = a.contact_id AND ic.at > a.met_at"
    "  AND (i.event_id IS NULL OR i.event_id <> a.event_id) ORDER BY ic.at LIMIT 1)"
    " WHERE a.first_meeting = 1";

void write_day(store::impl& s, std::int64_t day, const std::vector<person>& people) {
    if (people.empty()) {
        SQLite::Statement& del = s.prepared("DELETE FROM activity_days WHERE day = ?");
        del.bind(1, static_cast<int64_t>(day));
        del.exec();
        del.reset();
        return;
    }
    const std::string blob = encode(people);
    SQLite::Statement& put = s.prepared("INSERT OR REPLACE INTO activity_days(day, people) VALUES (?, ?)");
    put.bind(1, static_cast<int64_t>(day));
    put.bind(2, blob.data(), static_cast<int>(blob.size()));
    put.exec();
    put.reset();
}

void rebuild(store::impl& s) {
    s.db.exec("DELETE FROM activity_days");
    // Interaction id -> kind bit, dense when ids are (they are unless rows were deleted en masse).
    std::int64_t max_id = 0, rows = 0;
    {
        raw_statement q(s, "SELECT ifnull(max(id), 0), count(*) FROM interactions");
        if (q.step()) {
            max_id = sqlite3_column_int64(q.get(), 0);
            rows = sqlite3_column_int64(q.get(), 1);
        }
    }
    const bool dense = max_id >= 0 && max_id <= 4 * rows + 4096;
    std::vector<unsigned char> by_id(dense ? static_cast<std::size_t>(max_id) + 1 : 0);
    std::unordered_map<std::int64_t, unsigned char> sparse;
    {
        raw_statement q(s, "SELECT id, kind FROM interactions");
        while (q.step()) {
            const std::int64_t id = sqlite3_column_int64(q.get(), 0);
            const auto* kind = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1));
            const auto bit = static_cast<unsigned char>(kind_bit(kind ? kind : ""));
            if (dense && id >= 0 && id <= max_id) by_id[static_cast<std::size_t>(id)] = bit;
            else sparse[id] = bit;
        }
    }
    auto bit_of = [&](std::int64_t id) -> unsigned char {
        if (dense && id >= 0 && id <= max_id) return by_id[static_cast<std::size_t>(id)];
        auto it = sparse.find(id);
        return it == sparse.end() ? 0 : it->second;
    };
    std::vector<std::tuple<std::int64_t, std::int64_t, unsigned char>> seen;  // (day, contact, kind bit)
    seen.reserve(static_cast<std::size_t>(rows) + rows / 4);
    {
        raw_statement q(s, "SELECT contact_id, at, interaction_id FROM interaction_contacts");
        while (q.step())
            seen.emplace_back(day_of(sqlite3_column_int64(q.get(), 1)), sqlite3_column_int64(q.get(), 0),
                              bit_of(sqlite3_column_int64(q.get(), 2)));
    }
    std::sort(seen.begin(), seen.end());
    std::vector<person> people;
    for (std::size_t i = 0; i < seen.size();) {
        const std::int64_t day = std::get<0>(seen[i]);
        people.clear();
        for (; i < seen.size() && std::get<0>(seen[i]) == day; ++i) {
            const auto [d, contact, bit] = seen[i];
            if (!people.empty() && people.back().id == contact) people.back().kinds |= bit;
            else people.push_back({contact, bit});
        }
        write_day(s, day, people);
    }
    s.db.exec(follow_up_update);
    s.db.exec("DELETE FROM activity_marks");
    s.db.exec("DELETE FROM settings WHERE key = 'activity'");
}

// Folds the marks in one by one: each marked (day, contact) recomputed from the contact's rows of
// that day, each marked contact's first follow-up again.
void fold(store::impl& s, const std::vector<std::pair<std::int64_t, std::int64_t>>& marks) {
    SQLite::Statement& kinds = s.prepared(
        "SELECT i.kind FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id"
        " WHERE ic.contact_id = ?1 AND ic.at >= ?2 AND ic.at < ?3");
    SQLite::Statement& read = s.prepared("SELECT people FROM activity_days WHERE day = ?");
    std::vector<person> people;
    for (std::size_t i = 0; i < marks.size();) {
        const std::int64_t day = marks[i].first;
        people.clear();
        read.bind(1, static_cast<int64_t>(day));
        if (read.executeStep()) {
            const auto col = read.getColumn(0);
            decode(static_cast<const unsigned char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()), day,
                   [&](std::int64_t id, unsigned char k) { people.push_back({id, k}); });
        }
        read.reset();
        for (; i < marks.size() && marks[i].first == day; ++i) {
            const std::int64_t contact = marks[i].second;
            unsigned char now = 0;
            kinds.bind(1, static_cast<int64_t>(contact));
            kinds.bind(2, static_cast<int64_t>(day * day_seconds));
            kinds.bind(3, static_cast<int64_t>((day + 1) * day_seconds));
            while (kinds.executeStep()) now |= static_cast<unsigned char>(kind_bit(kinds.getColumn(0).getText()));
            kinds.reset();
            auto it = std::lower_bound(people.begin(), people.end(), contact,
                                       [](const person& p, std::int64_t id) { return p.id < id; });
            const bool there = it != people.end() && it->id == contact;
            if (now && there) it->kinds = now;
            else if (now) people.insert(it, {contact, now});
            else if (there) people.erase(it);
        }
        write_day(s, day, people);
    }
    std::vector<std::int64_t> contacts;
    for (const auto& m : marks) contacts.push_back(m.second);
    std::sort(contacts.begin(), contacts.end());
    contacts.erase(std::unique(contacts.begin(), contacts.end()), contacts.end());
    SQLite::Statement& follow = s.prepared(std::string(follow_up_update) + " AND a.contact_id = ?");
    for (std::int64_t c : contacts) {
        follow.bind(1, static_cast<int64_t>(c));
        follow.exec();
        follow.reset();
    }
    s.db.exec("DELETE FROM activity_marks");
}

bool cannot_write(int code) {
    const int primary = code & 0xff;
    return primary == SQLITE_BUSY || primary == SQLITE_LOCKED || primary == SQLITE_READONLY;
}

}  // namespace

unsigned kind_bit(const char* k) {
    // interactions.kind as stored (schema 3's CHECK allows only these), without building a string.
    auto bit = [](interaction_kind kind) { return 1u << unsigned(kind); };
    switch (k[0]) {
        case 'c':
            if (k[1] == 'a') return bit(interaction_kind::call);
            return bit(k[1] == 'o' && k[2] == 'n' ? interaction_kind::conversation : interaction_kind::coffee);
        case 'm':  // meeting, message, meal
            if (k[1] == 'e' && k[2] == 'e') return bit(interaction_kind::meeting);
            return bit(k[1] == 'e' && k[2] == 's' ? interaction_kind::message : interaction_kind::meal);
        case 'e': return bit(interaction_kind::email);
        default: return bit(interaction_kind::other);
    }
}

void people_set::add(std::int64_t id) {
    if (id < 0 || id >= bitmap_limit) {
        other_.insert(id);
        return;
    }
    const auto word = static_cast<std::size_t>(id >> 6);
    if (word >= bits_.size()) bits_.resize(std::max(word + 1, bits_.size() * 2), 0);
    bits_[word] |= std::uint64_t{1} << (id & 63);
}

bool people_set::has(std::int64_t id) const {
    if (id < 0 || id >= bitmap_limit) return other_.count(id) != 0;
    const auto word = static_cast<std::size_t>(id >> 6);
    return word < bits_.size() && (bits_[word] >> (id & 63) & 1);
}

std::size_t people_set::size() const {
    std::size_t n = other_.size();
    for (auto w : bits_) n += static_cast<std::size_t>(std::popcount(w));
    return n;
}

bool settle(store::impl& s, settle_stats& stats) {
    // Anything to do? Both probes are one index step.
    bool marked = false, rebuild_wanted = false;
    {
        SQLite::Statement& q = s.prepared(
            "SELECT EXISTS (SELECT 1 FROM activity_marks), EXISTS (SELECT 1 FROM settings WHERE key = 'activity')");
        if (q.executeStep()) {
            marked = q.getColumn(0).getInt() != 0;
            rebuild_wanted = q.getColumn(1).getInt() != 0;
        }
        q.reset();
    }
    if (!marked && !rebuild_wanted) return true;
    // Inside the caller's transaction the marks it wrote may still be rolled back; and a reader
    // must not wait on another writer for long: one try, then the tables answer.
    if (!sqlite3_get_autocommit(s.db.getHandle())) {
        ++stats.refused;
        return false;
    }
    sqlite3_busy_timeout(s.db.getHandle(), 0);
    struct restore_timeout {
        store::impl& s;
        ~restore_timeout() { sqlite3_busy_timeout(s.db.getHandle(), static_cast<int>(s.busy_timeout.count())); }
    } restore{s};
    try {
        write_transaction(s, [&] {
            std::vector<std::pair<std::int64_t, std::int64_t>> marks;
            if (!rebuild_wanted) {
                SQLite::Statement& q = s.prepared("SELECT day, contact_id FROM activity_marks LIMIT ?");
                q.bind(1, static_cast<int64_t>(rebuild_above + 1));
                while (q.executeStep()) marks.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
                q.reset();
            }
            if (rebuild_wanted || marks.size() > rebuild_above) {
                rebuild(s);
                ++stats.rebuilds;
            } else {
                fold(s, marks);
                stats.marks += marks.size();
            }
        });
    } catch (const SQLite::Exception& e) {
        if (!cannot_write(e.getExtendedErrorCode())) throw;
        ++stats.refused;
        return false;
    }
    return true;
}

void add_days(store::impl& s, std::int64_t first_day, std::int64_t end_day, unsigned kinds, people_set& out) {
    if (first_day >= end_day) return;
    SQLite::Statement& q = s.prepared("SELECT day, people FROM activity_days WHERE day >= ? AND day < ?");
    struct reset_on_exit {
        SQLite::Statement& q;
        ~reset_on_exit() { q.tryReset(); }
    } reset{q};
    q.bind(1, static_cast<int64_t>(first_day));
    q.bind(2, static_cast<int64_t>(end_day));
    const unsigned char want = kinds ? static_cast<unsigned char>(kinds) : 0xff;
    while (q.executeStep()) {
        const auto col = q.getColumn(1);
        decode(static_cast<const unsigned char*>(col.getBlob()), static_cast<std::size_t>(col.getBytes()),
               q.getColumn(0).getInt64(), [&](std::int64_t id, unsigned char k) {
                   if (k & want) out.add(id);
               });
    }
}

}  // namespace crm::detail::activity
