#include "crm/importer.hpp"

#include "crm/error.hpp"
#include "crm/reader.hpp"
#include "detail/contact_json.hpp"
#include "detail/contact_rows.hpp"
#include "detail/fd_input.hpp"
#include "detail/follow_up_hooks.hpp"
#include "detail/first_meeting.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <filesystem>
#include <sstream>
#include <thread>
#include <unordered_map>
#include <unordered_set>

namespace crm {

// 2^19 keys (16 bytes each, about 24 of text, 8 of hash slots): about 25 MB, what 100,000 cards bring.
std::size_t detail::bulk_import_key_capacity = std::size_t{1} << 19;

using detail::from_unix;
using detail::to_unix;

std::string to_string(duplicate_policy p) {
    switch (p) {
        case duplicate_policy::merge: return "merge";
        case duplicate_policy::skip: return "skip";
        case duplicate_policy::create: return "create";
    }
    return "merge";
}

duplicate_policy parse_duplicate_policy(std::string_view text) {
    if (text == "merge") return duplicate_policy::merge;
    if (text == "skip") return duplicate_policy::skip;
    if (text == "create") return duplicate_policy::create;
    throw invalid_input("on_duplicate must be \"merge\", \"skip\" or \"create\", not \"" + std::string(text) + "\"");
}

namespace {

// A card made ready for the store off the writing thread: validated, normalized, keyed.
struct prepared_card {
    contact person;
    std::vector<std::pair<std::string, std::string>> keys;
    std::string source;
    int line = 0;
    bool group = false;
    std::string rejected;  // why, when the card cannot be stored
};

using chunk = std::vector<prepared_card>;

// Hands chunks of prepared cards from the reading thread to the writing one. Bounded, so a fast
// reader cannot fill memory while the writer is busy.
class chunk_queue {
public:
    bool put(chunk&& c) {
        std::unique_lock lock(m_);
        not_full_.wait(lock, [&] { return q_.size() < capacity || cancelled_; });
        if (cancelled_) return false;
        q_.push_back(std::move(c));
        not_empty_.notify_one();
        return true;
    }
    enum class got { chunk, nothing_yet, end };
    // Waits at most `wait` for a chunk: the writing thread asks between waits whether to stop.
    got get(chunk& out, std::chrono::milliseconds wait) {
        std::unique_lock lock(m_);
        if (!not_empty_.wait_for(lock, wait, [&] { return !q_.empty() || done_; })) return got::nothing_yet;
        if (q_.empty()) return got::end;
        out = std::move(q_.front());
        q_.pop_front();
        not_full_.notify_one();
        return got::chunk;
    }
    void finish() {
        std::lock_guard lock(m_);
        done_ = true;
        not_empty_.notify_all();
    }
    void cancel() {
        std::lock_guard lock(m_);
        cancelled_ = true;
        not_full_.notify_all();
    }

private:
    static constexpr std::size_t capacity = 8;
    std::mutex m_;
    std::condition_variable not_full_, not_empty_;
    std::deque<chunk> q_;
    bool done_ = false;
    bool cancelled_ = false;
};

struct reader_cancelled {};

constexpr std::size_t chunk_size = 256;
// New contacts kept before they are written together (see detail::contact_batch): enough that each
// statement writes many rows, few enough that memory stays small.
constexpr std::size_t batch_size = 512;
// For guesses of a file's card count from its size: vCards as phones and exports write them: 300-600.
constexpr std::uint64_t bytes_per_card = 400;

// Runs the reader on its own thread: parsing and normalizing (libphonenumber costs tens of
// microseconds a number) overlap with the inserts of the writing thread.
class producer {
public:
    producer(std::istream& in, const std::string& source, const import_options& options, const store::impl& s)
        : in_(in), thread_([this, &in, &source, &options, &s] { run(in, source, options, s); }) {}
    producer(const producer&) = delete;
    producer& operator=(const producer&) = delete;
    ~producer() {
        queue.cancel();
        // A file waiting for input (a FIFO, a pipe) is told to stop waiting; other streams are read
        // from memory or a disk and end on their own.
        if (auto* fd = dynamic_cast<detail::fd_input*>(in_.rdbuf())) fd->stop();
        if (thread_.joinable()) thread_.join();
    }
    // After the queue ran dry: the reader's problems, or its exception rethrown.
    read_summary finish() {
        thread_.join();
        if (error_) std::rethrow_exception(error_);
        return std::move(summary_);
    }

    chunk_queue queue;
    std::atomic<std::uint64_t> bytes_done{0};

private:
    void run(std::istream& in, const std::string& source, const import_options& options, const store::impl& s) {
        try {
            chunk current;
            current.reserve(chunk_size);
            csv::column_mapping mapping{options.columns};
            summary_ = read_cards(in, source, options.format, [&](card&& c) {
                prepared_card p;
                p.source = c.source.empty() ? source : c.source;
                p.line = c.line;
                p.group = c.kind == "group";
                p.person = std::move(c.person);
                try {
                    for (const auto& t : options.tags)
                        if (std::find(p.person.tags.begin(), p.person.tags.end(), t) == p.person.tags.end())
                            p.person.tags.push_back(t);
                    if (p.person.how_met.empty()) p.person.how_met = options.how_met;
                    if (p.person.source.empty()) p.person.source = source;
                    // Notes stay unstamped here: merging compares them by text (see absorb).
                    normalize_and_validate(p.person);
                    detail::fill_e164(p.person, s.phones);  // here, off the writing thread; keys reuse it
                    p.keys = detail::match_keys(p.person, s.phones);
                } catch (const invalid_input& e) {
                    p.rejected = e.what();
                }
                current.push_back(std::move(p));
                if (current.size() >= chunk_size) {
                    auto pos = in.tellg();
                    if (pos >= 0) bytes_done = static_cast<std::uint64_t>(pos);
                    if (!queue.put(std::move(current))) throw reader_cancelled{};
                    current = chunk();
                    current.reserve(chunk_size);
                }
            }, options.columns.empty() ? nullptr : &mapping);
            if (!current.empty()) queue.put(std::move(current));
        } catch (const reader_cancelled&) {
        } catch (...) {
            error_ = std::current_exception();
        }
        queue.finish();
    }

    std::istream& in_;
    read_summary summary_;
    std::exception_ptr error_;
    std::thread thread_;
};

std::optional<contact_id> find_key(store::impl& s, const std::string& kind, const std::string& key,
                                   contact_id except = 0) {
    SQLite::Statement& q = s.prepared(
        "SELECT contact_id FROM contact_keys WHERE kind = ? AND key = ? AND contact_id != ? ORDER BY contact_id LIMIT 1");
    q.bind(1, kind);
    q.bind(2, key);
    q.bind(3, except);
    if (!q.executeStep()) return std::nullopt;
    const contact_id found = q.getColumn(0).getInt64();
    // A cached statement left on a row keeps its read transaction open: the connection would keep
    // seeing the database as it was, and its next write fail as "locked" once another process wrote.
    q.reset();
    return found;
}

// (kind, key) to 64 well-mixed bits, for the key filter and the pending keys of a bulk import.
std::uint64_t key_hash(std::string_view kind, std::string_view key) {
    const std::uint64_t a = std::hash<std::string_view>{}(key), b = std::hash<std::string_view>{}(kind);
    std::uint64_t h = a ^ (b * 0x9E3779B97F4A7C15ULL);
    h ^= h >> 33;  // finish (murmur3's fmix64): spread the combination over all bits
    h *= 0xFF51AFD7ED558CCDULL;
    h ^= h >> 33;
    h *= 0xC4CEB9FE1A85EC53ULL;
    h ^= h >> 33;
    return h;
}

// Which match keys may be in the store: a Bloom filter over (kind, key), so that the many cards that
// match nobody skip the index lookups. Never wrong about "no" once loaded: it holds every key stored
// when the import began and the importer adds every key it writes. A store with too many keys to
// read cheaply up front is not loaded; the filter then answers "maybe" to everything.
class key_filter {
public:
    // `expected`: about how many keys the import will add (grows on its own when it adds more).
    key_filter(store::impl& s, std::size_t expected) {
        // Reading the stored keys costs about what a few lookups cost, per key: worth it when the
        // import brings as many or more.
        const std::size_t limit = std::max<std::size_t>(20'000, expected);
        SQLite::Statement count(s.db, "SELECT count(*) FROM (SELECT 1 FROM contact_keys LIMIT ?)");
        count.bind(1, static_cast<std::int64_t>(limit) + 1);
        count.executeStep();
        const auto stored = static_cast<std::size_t>(count.getColumn(0).getInt64());
        if (stored > limit) return;
        // Sized for what is there and part of what comes; it grows (by layers) with what is added.
        grow(std::clamp<std::size_t>(stored + expected, 1 << 16, 1 << 22));
        loaded_ = true;
        SQLite::Statement q(s.db, "SELECT kind, key FROM contact_keys");
        while (q.executeStep()) {
            const char* kind = q.getColumn(0).getText();
            const SQLite::Column key = q.getColumn(1);
            add(kind, std::string_view(static_cast<const char*>(key.getBlob()), static_cast<std::size_t>(key.getBytes())));
        }
    }

    void add(std::string_view kind, std::string_view key) {
        if (!loaded_) return;
        if (count_ >= capacity_) grow(capacity_ * 2);
        ++count_;
        layers_.back().set(hash(kind, key));
    }
    void add(const detail::key_list& keys) {
        for (const auto& [kind, key] : keys) add(kind, key);
    }

    bool may_contain(std::string_view kind, std::string_view key) const {
        if (!loaded_) return true;
        const std::uint64_t h = hash(kind, key);
        return std::any_of(layers_.begin(), layers_.end(), [&](const layer& l) { return l.test(h); });
    }

private:
    // A plain Bloom filter sized for `capacity` keys at 10 bits a key, 7 probes (under 1% false "maybe").
    struct layer {
        explicit layer(std::size_t capacity) : bits((capacity * 10 + 63) / 64 + 1) {}
        std::vector<std::uint64_t> bits;
        template <class Fn>
        void probes(std::uint64_t h, Fn fn) const {
            const std::uint64_t m = bits.size() * 64;
            const std::uint64_t step = (h >> 32) | 1;
            for (int i = 0; i < 7; ++i, h += step) {
                const std::uint64_t bit = h % m;
                fn(bit / 64, std::uint64_t{1} << (bit % 64));
            }
        }
        void set(std::uint64_t h) {
            probes(h, [&](std::uint64_t word, std::uint64_t bit) { bits[word] |= bit; });
        }
        bool test(std::uint64_t h) const {
            bool all = true;
            probes(h, [&](std::uint64_t word, std::uint64_t bit) { all = all && (bits[word] & bit); });
            return all;
        }
    };

    static std::uint64_t hash(std::string_view kind, std::string_view key) { return key_hash(kind, key); }

    void grow(std::size_t capacity) {
        // Added keys go to the newest layer; a lookup asks every layer. Doubling keeps them few.
        layers_.emplace_back(capacity);
        capacity_ = capacity;
        count_ = 0;
    }

    bool loaded_ = false;
    std::vector<layer> layers_;
    std::size_t capacity_ = 0;
    std::size_t count_ = 0;
};

// Bulk imports: the match keys of the contacts the import adds, held here instead of being inserted
// into contact_keys one by one (each a random B-tree insert: the keys are emails and phone numbers),
// then written in key order, where each insert lands next to the one before. Answers the importer's
// lookups for the keys it holds. Compact (16 bytes a key plus its text) and flushed when it holds
// detail::bulk_import_key_capacity keys, so memory stays bounded on imports of millions of cards.
class pending_keys {
public:

    // Whether the keys of contact `id` are held here (it was added since the last write()).
    bool holds(contact_id id) const noexcept {
        return !ranges_.empty() && id >= first_ && id - first_ < static_cast<contact_id>(ranges_.size());
    }
    std::size_t size() const noexcept { return entries_.size(); }
    void reserve(std::size_t keys) {
        entries_.reserve(keys);
        arena_.reserve(keys * 24);
    }

    // The keys of a contact just added: ids come in order, one past the previous contact's.
    void add_contact(contact_id id, const detail::key_list& keys) {
        if (ranges_.empty()) first_ = id;
        if (id != first_ + static_cast<contact_id>(ranges_.size()))
            throw error("internal error: bulk import contact ids out of order");
        const auto begin = static_cast<std::uint32_t>(entries_.size());
        for (const auto& [kind, key] : keys) add(id, kind, key);
        ranges_.emplace_back(begin, static_cast<std::uint32_t>(entries_.size()));
    }

    // The keys of a held contact after a card was merged into it: the ones it no longer has are
    // dropped, new ones added (what update_contact does with the stored keys).
    void replace(contact_id id, const detail::key_list& keys) {
        std::vector<std::uint32_t> mine;
        const auto [begin, end] = ranges_[static_cast<std::size_t>(id - first_)];
        for (std::uint32_t i = begin; i < end; ++i) mine.push_back(i);
        if (auto it = more_.find(id); it != more_.end()) mine.insert(mine.end(), it->second.begin(), it->second.end());
        auto same = [&](std::uint32_t i, const std::string& kind, const std::string& key) {
            return !entries_[i].dead && kinds_[entries_[i].kind] == kind && text(entries_[i]) == key;
        };
        for (std::uint32_t i : mine)
            if (!entries_[i].dead && std::none_of(keys.begin(), keys.end(), [&](const auto& k) {
                    return same(i, k.first, k.second);
                }))
                entries_[i].dead = true;
        for (const auto& [kind, key] : keys)
            if (std::none_of(mine.begin(), mine.end(), [&](std::uint32_t i) { return same(i, kind, key); }))
                more_[id].push_back(add(id, kind, key));
    }

    // The lowest id of a held contact with this key.
    std::optional<contact_id> find(std::string_view kind, std::string_view key) const {
        if (slots_.empty()) return std::nullopt;
        const std::size_t mask = slots_.size() - 1;
        std::optional<contact_id> best;
        for (std::size_t i = key_hash(kind, key) & mask; slots_[i]; i = (i + 1) & mask) {
            const entry& e = entries_[slots_[i] - 1];
            if (!e.dead && (!best || e.id < *best) && text(e) == key && kinds_[e.kind] == kind) best = e.id;
        }
        return best;
    }

    // Writes every held key in key order (kind, key, contact_id: the primary key's) and forgets them.
    void write(store::impl& s) {
        std::vector<std::uint32_t> order;
        order.reserve(entries_.size());
        for (std::uint32_t i = 0; i < entries_.size(); ++i)
            if (!entries_[i].dead) order.push_back(i);
        std::sort(order.begin(), order.end(), [&](std::uint32_t x, std::uint32_t y) {
            const entry &a = entries_[x], &b = entries_[y];
            if (a.kind != b.kind) return kinds_[a.kind] < kinds_[b.kind];
            if (const int c = text(a).compare(text(b)); c != 0) return c < 0;  // memcmp: SQLite's BINARY
            return a.id < b.id;
        });
        sqlite3* db = s.db.getHandle();
        constexpr std::size_t rows_per_statement = 64;
        auto prepare = [&](std::size_t rows) {
            std::string sql = "INSERT OR IGNORE INTO contact_keys(kind, key, contact_id) VALUES (?, ?, ?)";
            for (std::size_t r = 1; r < rows; ++r) sql += ", (?, ?, ?)";
            sqlite3_stmt* st = nullptr;
            if (const int rc = sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr); rc != SQLITE_OK)
                throw SQLite::Exception(db, rc);
            return std::unique_ptr<sqlite3_stmt, int (*)(sqlite3_stmt*)>(st, sqlite3_finalize);
        };
        auto many = prepare(rows_per_statement), one = prepare(1);
        for (std::size_t done = 0; done < order.size();) {
            const std::size_t n = order.size() - done >= rows_per_statement ? rows_per_statement : 1;
            sqlite3_stmt* st = (n == 1 ? one : many).get();
            int k = 1;
            for (std::size_t r = 0; r < n; ++r) {
                const entry& e = entries_[order[done + r]];
                const std::string& kind = kinds_[e.kind];
                sqlite3_bind_text(st, k++, kind.data(), static_cast<int>(kind.size()), SQLITE_STATIC);
                sqlite3_bind_text(st, k++, arena_.data() + e.offset, static_cast<int>(e.length), SQLITE_STATIC);
                sqlite3_bind_int64(st, k++, e.id);
            }
            const int rc = sqlite3_step(st);
            sqlite3_reset(st);
            if (rc != SQLITE_DONE) throw SQLite::Exception(db, rc);
            done += n;
        }
        const std::size_t room = entries_.capacity();
        *this = pending_keys();
        reserve(room);
    }

private:
    struct entry {
        contact_id id;
        std::uint32_t offset;  // of the key's text in arena_
        std::uint32_t length : 24;
        std::uint32_t kind : 7;  // in kinds_
        std::uint32_t dead : 1;
    };
    static_assert(sizeof(entry) == 16);

    std::string_view text(const entry& e) const { return std::string_view(arena_).substr(e.offset, e.length); }

    std::uint32_t add(contact_id id, const std::string& kind, const std::string& key) {
        if (key.size() >= (1u << 24) || arena_.size() + key.size() > UINT32_MAX)
            throw error("internal error: match key too long for a bulk import");
        std::size_t k = 0;
        while (k < kinds_.size() && kinds_[k] != kind) ++k;
        if (k == kinds_.size()) kinds_.push_back(kind);
        if (kinds_.size() > 127) throw error("internal error: too many kinds of match keys");
        entry e{id, static_cast<std::uint32_t>(arena_.size()), static_cast<std::uint32_t>(key.size()),
                static_cast<std::uint32_t>(k), 0};
        arena_ += key;
        entries_.push_back(e);
        const auto index = static_cast<std::uint32_t>(entries_.size());  // slots hold index + 1
        if (entries_.size() * 2 > slots_.size()) rehash(std::max<std::size_t>(1024, slots_.size() * 2));
        else insert_slot(index);
        return index - 1;
    }

    void insert_slot(std::uint32_t index) {
        const entry& e = entries_[index - 1];
        const std::size_t mask = slots_.size() - 1;
        std::size_t i = key_hash(kinds_[e.kind], text(e)) & mask;
        while (slots_[i]) i = (i + 1) & mask;
        slots_[i] = index;
    }

    void rehash(std::size_t size) {
        slots_.assign(size, 0);
        for (std::uint32_t i = 1; i <= entries_.size(); ++i) insert_slot(i);
    }

    std::string arena_;
    std::vector<entry> entries_;
    std::vector<std::uint32_t> slots_;  // open addressing over entries_, duplicates kept (several contacts, one key)
    std::vector<std::string> kinds_;
    contact_id first_ = 0;  // the contacts first_, first_ + 1, ... added since the last write
    std::vector<std::pair<std::uint32_t, std::uint32_t>> ranges_;  // their entries when added
    std::unordered_map<contact_id, std::vector<std::uint32_t>> more_;  // entries merges added to them
};

// Bulk imports: secondary indexes the import never reads, dropped inside its transaction and built
// again at its end: CREATE INDEX sorts once, where each row written would otherwise be a random
// B-tree insert. DDL is transactional in SQLite: a rollback brings them back as they were.
class deferred_indexes {
public:
    // `contact_indexes`: the organization and tag indexes too. CREATE INDEX sorts in memory
    // (temp_store), about 40 MB for a million contacts: only for imports of fewer cards.
    deferred_indexes(store::impl& s, bool contact_indexes) {
        if (contact_indexes)
            for (const char* name : {"contacts_organization", "contact_tags_tag"}) drop(s, name);
    }
    void drop(store::impl& s, const char* name) {
        // SQLite refuses DROP while a statement of the connection is still between its rows.
        for (auto& [sql, kept] : s.statements) kept->tryReset();
        SQLite::Database& db = s.db;
        SQLite::Statement q(db, "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ? AND sql IS NOT NULL");
        q.bind(1, name);
        if (!q.executeStep()) return;
        sql_.emplace_back(name, q.getColumn(0).getString());
        q.reset();
        db.exec(std::string("DROP INDEX ") + name);
    }
    void restore(SQLite::Database& db) {
        for (const auto& [name, sql] : sql_) db.exec(sql);
        sql_.clear();
    }
    void restore(SQLite::Database& db, std::string_view name) {
        auto it = std::find_if(sql_.begin(), sql_.end(), [&](const auto& index) { return index.first == name; });
        if (it == sql_.end()) return;
        db.exec(it->second);
        sql_.erase(it);
    }

private:
    std::vector<std::pair<std::string, std::string>> sql_;  // name, CREATE INDEX
};

const char* key_reason(const std::string& kind) {
    if (kind == "uid") return "same UID";
    if (kind == "email") return "same email address";
    if (kind == "phone") return "same phone number";
    return "same name at the same organization";
}

void record_change(store::impl& s, batch_id batch, contact_id id, bool added, const contact* before) {
    SQLite::Statement& q =
        s.prepared("INSERT OR IGNORE INTO import_changes(batch_id, contact_id, action, before) VALUES (?, ?, ?, ?)");
    q.bind(1, batch);
    q.bind(2, id);
    q.bind(3, added ? "added" : "merged");
    if (before)
        q.bind(4, detail::to_json(*before).dump());
    else
        q.bind(4);
    q.exec();
}

// The "added" change of each contact in `ids`, for undo: one statement for a run of consecutive ids.
void record_added(store::impl& s, batch_id batch, const std::vector<contact_id>& ids) {
    if (ids.empty()) return;
    if (ids.back() - ids.front() + 1 != static_cast<contact_id>(ids.size())) {
        for (contact_id id : ids) record_change(s, batch, id, true, nullptr);
        return;
    }
    SQLite::Statement& q = s.prepared(
        "WITH RECURSIVE ids(id) AS (SELECT ?2 UNION ALL SELECT id + 1 FROM ids WHERE id < ?3) "
        "INSERT OR IGNORE INTO import_changes(batch_id, contact_id, action, before) SELECT ?1, id, 'added', NULL FROM ids");
    q.bind(1, batch);
    q.bind(2, ids.front());
    q.bind(3, ids.back());
    q.exec();
}

void record_problem(store::impl& s, batch_id batch, const char* kind, const std::string& source, int line, int col,
                    const std::string& reason, contact_id a = 0, contact_id b = 0) {
    SQLite::Statement& q = s.prepared(
        "INSERT INTO import_problems(batch_id, kind, source, line, col, reason, contact_id, other_id) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, batch);
    q.bind(2, kind);
    q.bind(3, source);
    q.bind(4, line);
    q.bind(5, col);
    q.bind(6, reason);
    if (a) q.bind(7, a); else q.bind(7);
    if (b) q.bind(8, b); else q.bind(8);
    q.exec();
}

import_batch read_batch(SQLite::Statement& q) {
    import_batch b;
    b.id = q.getColumn(0).getInt64();
    b.source = q.getColumn(1).getString();
    b.format = q.getColumn(2).getString();
    b.policy = parse_duplicate_policy(q.getColumn(3).getString());
    b.tags = nlohmann::json::parse(q.getColumn(4).getString()).get<std::vector<std::string>>();
    b.how_met = q.getColumn(5).getString();
    b.started_at = from_unix(q.getColumn(6).getInt64());
    b.finished_at = from_unix(q.getColumn(7).getInt64());
    b.added = static_cast<std::size_t>(q.getColumn(8).getInt64());
    b.merged = static_cast<std::size_t>(q.getColumn(9).getInt64());
    b.skipped = static_cast<std::size_t>(q.getColumn(10).getInt64());
    b.rejected = static_cast<std::size_t>(q.getColumn(11).getInt64());
    if (!q.getColumn(12).isNull()) b.undone_at = from_unix(q.getColumn(12).getInt64());
    if (!q.getColumn(13).isNull()) b.event = q.getColumn(13).getInt64();
    return b;
}

// Whether an import of `bytes` (0: unknown) should take the bulk way: building an index again at the
// end sorts every row of its table, the store's included, so it pays when the import brings many
// cards next to what the store holds. (And contact ids must run in order, see contact_batch.)
bool bulk_worth_it(store::impl& s, std::uint64_t bytes) {
    const std::uint64_t cards = bytes / bytes_per_card;
    if (cards < 4096) return false;
    SQLite::Statement q(s.db, "SELECT count(*), coalesce(max(id), 0) FROM contacts");
    q.executeStep();
    const auto stored = static_cast<std::uint64_t>(q.getColumn(0).getInt64());
    if (q.getColumn(1).getInt64() > (std::int64_t{1} << 62)) return false;
    return cards * 2 >= stored;
}

constexpr const char* batch_columns =
    "id, source, format, policy, tags, how_met, started_at, finished_at, added, merged, skipped, rejected, undone_at, "
    "event_id";

// An import tied to an event: everyone it added or merged into was met there. One statement for the
// whole batch, at its end; `attended` marks the rows it created, which undo removes. Runs the
// after-event follow-up rules for each contact newly met there.
void record_attendance(store::impl& s, batch_id batch, event_id event) {
    SQLite::Statement ins(s.db, R"sql(
        INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting)
        SELECT ?1, c.contact_id, e.starts_at,
               c.action = 'added' AND NOT EXISTS (SELECT 1 FROM event_attendees f
                                                  WHERE f.contact_id = c.contact_id AND f.first_meeting = 1)
        FROM import_changes c JOIN events e ON e.id = ?1
        WHERE c.batch_id = ?2 AND c.contact_id IN (SELECT id FROM contacts)
          AND NOT EXISTS (SELECT 1 FROM event_attendees a WHERE a.event_id = ?1 AND a.contact_id = c.contact_id)
        RETURNING contact_id)sql");
    ins.bind(1, event);
    ins.bind(2, batch);
    std::vector<contact_id> met;
    while (ins.executeStep()) met.push_back(ins.getColumn(0).getInt64());
    SQLite::Statement mark(s.db, "UPDATE import_changes SET attended = 1 WHERE batch_id = ? AND contact_id = ?");
    for (contact_id c : met) {
        mark.bind(1, batch);
        mark.bind(2, c);
        mark.exec();
        mark.reset();
        detail::on_attendee_added(s, event, c);
    }
    // The first meeting is the earliest one recorded, whatever the order of entry (as met() does): a
    // contact the import merged into, first met at a later event, was first met here; unless an
    // interaction elsewhere came before this event. Undo hands it back (import_log::undo).
    SQLite::Statement moved(s.db, R"sql(
        UPDATE event_attendees SET first_meeting = 0
        WHERE first_meeting = 1 AND event_id <> ?1
          AND contact_id IN (SELECT contact_id FROM import_changes
                             WHERE batch_id = ?2 AND attended = 1 AND action = 'merged')
          AND met_at > (SELECT starts_at FROM events WHERE id = ?1)
          AND NOT EXISTS (SELECT 1 FROM event_attendees o
                          WHERE o.contact_id = event_attendees.contact_id AND o.event_id <> ?1
                            AND o.met_at < (SELECT starts_at FROM events WHERE id = ?1))
          AND NOT EXISTS (SELECT 1 FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
                          WHERE ic.contact_id = event_attendees.contact_id
                            AND ic.at < (SELECT starts_at FROM events WHERE id = ?1) AND i.event_id IS NOT ?1)
        RETURNING contact_id)sql");
    moved.bind(1, event);
    moved.bind(2, batch);
    std::vector<contact_id> first_here;
    while (moved.executeStep()) first_here.push_back(moved.getColumn(0).getInt64());
    SQLite::Statement here(s.db, "UPDATE event_attendees SET first_meeting = 1 WHERE event_id = ? AND contact_id = ?");
    for (contact_id c : first_here) {
        here.bind(1, event);
        here.bind(2, c);
        here.exec();
        here.reset();
    }
}

}  // namespace

import_log::import_log(store::impl& impl) : s_(impl) {}

import_report import_log::import_stream(std::istream& in, const std::string& source, const import_options& given) {
    return detail::guarded(s_, [&] {
        // An event must exist before anything is read; its name is how these people were met.
        import_options options = given;
        if (options.event) {
            SQLite::Statement e(s_.db, "SELECT name FROM events WHERE id = ?");
            e.bind(1, *options.event);
            if (!e.executeStep())
                throw not_found("event", *options.event);
            if (options.how_met.empty()) options.how_met = "Met at " + e.getColumn(0).getString();
        }
        const std::string& how_met = options.how_met;
        const auto now = s_.now();
        auto stop_if_asked = [&] {
            if (options.stop_requested && options.stop_requested())
                throw cancelled("the import of " + source + " was stopped; nothing of it was kept");
        };
        std::uint64_t total = 0;
        if (auto here = in.tellg(); here >= 0) {
            in.seekg(0, std::ios::end);
            if (auto end = in.tellg(); end >= 0) total = static_cast<std::uint64_t>(end);
            in.seekg(here);
        }
        store::impl::bulk_write bulk(s_);
        return detail::write_transaction(s_, [&] {
            import_report report;
            report.source = source;
            {
                SQLite::Statement q(s_.db,
                                    "INSERT INTO import_batches(source, format, policy, tags, how_met, started_at, "
                                    "finished_at) VALUES (?, '', ?, ?, ?, ?, ?)");
                q.bind(1, source);
                q.bind(2, to_string(options.on_duplicate));
                q.bind(3, nlohmann::json(options.tags).dump());
                q.bind(4, how_met);
                q.bind(5, to_unix(now));
                q.bind(6, to_unix(now));
                q.exec();
                report.batch = s_.db.getLastInsertRowid();
                if (options.event) {
                    SQLite::Statement e(s_.db, "UPDATE import_batches SET event_id = ? WHERE id = ?");
                    e.bind(1, *options.event);
                    e.bind(2, report.batch);
                    e.exec();
                }
            }
            // New contacts are kept in a batch and written many at a time (see detail::contact_batch);
            // before a card is merged into a kept contact, the batch is written so the contact can be
            // read back. Keys of kept contacts are looked up here.
            const bool bulk = options.bulk.value_or(bulk_worth_it(s_, total));
            std::optional<deferred_indexes> deferred;
            if (bulk) {
                deferred.emplace(s_, total / bytes_per_card <= 250'000);
                // It appends where the row-by-row way inserts at random: half the page cache holds
                // what it touches, and the memory saved goes to the keys it holds.
                s_.db.exec("PRAGMA cache_size = -" + std::to_string(store::impl::bulk_cache_kib / 2));
            }
            detail::contact_batch added(s_);
            // Bulk: the keys of the contacts it adds, written in key order at the end (or when many).
            pending_keys pending;
            // About a key per 100 bytes of cards: room for them up front, not twice that by doubling.
            if (bulk) pending.reserve(std::min<std::size_t>(detail::bulk_import_key_capacity, total / 100));
            std::unordered_map<std::string, contact_id> kept_keys;  // kind '\x1f' key -> first kept contact
            auto kept_key = [](const std::string& kind, const std::string& key) { return kind + '\x1f' + key; };
            auto write_added = [&] {
                const std::vector<contact_id> ids = added.flush();
                kept_keys.clear();
                record_added(s_, report.batch, ids);
            };
            // A rough count of the keys the file brings: a card has a few, and takes a few hundred bytes.
            key_filter known_keys(s_, static_cast<std::size_t>(total / 64));
            // The contact with the lowest id that has the key: one stored before (lower ids) or kept.
            auto find = [&](const std::string& kind, const std::string& key) -> std::optional<contact_id> {
                if (known_keys.may_contain(kind, key))
                    if (auto id = find_key(s_, kind, key)) return id;
                if (bulk) return pending.find(kind, key);
                if (auto it = kept_keys.find(kept_key(kind, key)); it != kept_keys.end()) return it->second;
                return std::nullopt;
            };
            // Writes the held keys, kept contacts first (the keys refer to them). They come in key
            // order, so each would be a random insert into the index of keys by contact: while they
            // are as many as the keys already written, that index is set aside and built again after
            // them (at the end of the import, with the others; lookups by contact need it till then).
            std::size_t keys_written = 0;
            if (bulk) keys_written = static_cast<std::size_t>(s_.db.execAndGet("SELECT count(*) FROM contact_keys").getInt64());
            auto write_pending = [&](bool last) {
                write_added();
                const bool rebuild = pending.size() >= keys_written;
                if (rebuild) deferred->drop(s_, "contact_keys_contact");
                keys_written += pending.size();
                pending.write(s_);
                if (rebuild && !last) deferred->restore(s_.db, "contact_keys_contact");
            };
            std::unordered_set<contact_id> merged_into;  // contacts from before this import it merged cards into
            // Rejected cards, as the readers' problems: the first ones listed, the rest counted.
            problem_list rejected;
            producer reader(in, source, options, s_);
            chunk cards;
            std::size_t since_progress = 0;
            for (;;) {
                const auto got = reader.queue.get(cards, std::chrono::milliseconds(100));
                stop_if_asked();
                if (got == chunk_queue::got::end) break;
                if (got == chunk_queue::got::nothing_yet) continue;
                for (auto& p : cards) {
                    ++report.read;
                    if (!p.rejected.empty()) {
                        rejected.push_back({p.source, p.line, 0, std::move(p.rejected)});
                        continue;
                    }
                    if (p.group) {  // an address book group, not a person
                        ++report.skipped;
                        continue;
                    }
                    std::optional<contact_id> match;
                    std::string why;
                    for (const auto& [kind, key] : p.keys) {
                        if (kind == "name_org") continue;
                        if ((match = find(kind, key))) {
                            why = key_reason(kind);
                            break;
                        }
                    }
                    if (match && options.on_duplicate == duplicate_policy::skip) {
                        ++report.skipped;
                        continue;
                    }
                    if (match && options.on_duplicate == duplicate_policy::merge) {
                        if (added.kept(*match)) write_added();
                        contact existing = std::move(detail::load_contacts(s_, {*match}).front());
                        const contact before = existing;
                        // What it was before, for undo; a contact this import added is simply deleted.
                        if (!added.added(existing.id) && merged_into.insert(existing.id).second)
                            record_change(s_, report.batch, existing.id, false, &existing);
                        detail::absorb(existing, p.person, now,
                                       "From " + p.source + " line " + std::to_string(p.line) + ":");
                        normalize_and_validate(existing);
                        existing.updated_at = now;
                        const detail::key_list keys = detail::match_keys(existing, s_.phones);
                        if (pending.holds(existing.id)) {
                            detail::update_contact(s_, before, existing, nullptr);
                            pending.replace(existing.id, keys);
                        } else {
                            detail::update_contact(s_, before, existing, &keys);
                        }
                        known_keys.add(keys);
                        ++report.merged;
                        continue;
                    }
                    // Stamps the card's notes with now (the reading thread validated and normalized it).
                    detail::prepare_normalized_contact(p.person, now);
                    p.person.created_at = p.person.updated_at = now;
                    p.person.id = 0;
                    p.person.introduced_by.reset();  // ids from another store mean nothing here
                    // Not merged, but maybe the same person: say so rather than guess.
                    std::optional<contact_id> maybe = match;
                    if (!maybe)
                        for (const auto& [kind, key] : p.keys)
                            if (kind == "name_org" && (maybe = find(kind, key))) {
                                why = key_reason(kind);
                                break;
                            }
                    contact_id id = 0;
                    if (bulk) {
                        id = added.add(std::move(p.person), {});
                        pending.add_contact(id, p.keys);
                    } else {
                        id = added.add(std::move(p.person), p.keys);
                        for (const auto& [kind, key] : p.keys) kept_keys.emplace(kept_key(kind, key), id);
                    }
                    known_keys.add(p.keys);
                    ++report.added;
                    if (maybe) report.suggested.push_back({id, *maybe, why, p.source, p.line});
                    if (added.size() >= batch_size) write_added();
                    // Kept contacts first: the keys refer to them.
                    if (pending.size() >= detail::bulk_import_key_capacity) write_pending(false);
                }
                since_progress += cards.size();
                if (options.progress && since_progress >= 1024) {
                    since_progress = 0;
                    options.progress(reader.bytes_done.load(), total, report.read);
                }
            }
            write_added();
            if (bulk) {
                write_pending(true);
                deferred->restore(s_.db);
            }
            read_summary summary = reader.finish();
            report.format = summary.format;
            // The first rejections by line: among the first listed of either kind.
            report.rejected.reserve(rejected.size() + summary.problems.size());
            for (auto& problem : rejected) report.rejected.push_back(std::move(problem));
            for (auto& problem : summary.problems) report.rejected.push_back(std::move(problem));
            std::stable_sort(report.rejected.begin(), report.rejected.end(),
                             [](const read_problem& a, const read_problem& b) { return a.line < b.line; });
            report.more_rejected = rejected.more() + summary.problems.more();
            if (report.rejected.size() > max_listed_problems) {
                report.more_rejected += report.rejected.size() - max_listed_problems;
                report.rejected.resize(max_listed_problems);
            }
            for (const auto& r : report.rejected)
                record_problem(s_, report.batch, "rejected", r.source, r.line, r.column, r.reason);
            for (const auto& d : report.suggested)
                record_problem(s_, report.batch, "suggested", d.source, d.line, 0, d.reason, d.contact, d.existing);
            if (options.event) record_attendance(s_, report.batch, *options.event);
            SQLite::Statement fin(s_.db,
                                  "UPDATE import_batches SET format = ?, finished_at = ?, added = ?, merged = ?, "
                                  "skipped = ?, rejected = ? WHERE id = ?");
            fin.bind(1, report.format);
            fin.bind(2, to_unix(now));
            fin.bind(3, static_cast<int64_t>(report.added));
            fin.bind(4, static_cast<int64_t>(report.merged));
            fin.bind(5, static_cast<int64_t>(report.skipped));
            fin.bind(6, static_cast<int64_t>(report.rejected.size() + report.more_rejected));
            fin.bind(7, report.batch);
            fin.exec();
            if (options.progress) options.progress(total, total, report.read);
            stop_if_asked();  // the last moment a stop rolls it back
            return report;
        });
    });
}

import_report import_log::import_text(std::string_view text, const std::string& source,
                                      const import_options& options) {
    std::istringstream in{std::string(text)};
    return import_stream(in, source, options);
}

namespace {

// A file name as text for reports and messages: bytes that are not UTF-8 (a name from another
// system's encoding) shown as \xNN, the way Python's backslashreplace shows them.
std::string displayable_path(std::string_view path) {
    std::string out;
    for (;;) {
        const std::size_t bad = detail::invalid_utf8_at(path);
        if (bad == std::string_view::npos) break;
        out.append(path.substr(0, bad));
        static constexpr char hex[] = "0123456789abcdef";
        const auto byte = static_cast<unsigned char>(path[bad]);
        out += "\\x";
        out += hex[byte >> 4];
        out += hex[byte & 15];
        path.remove_prefix(bad + 1);
    }
    out.append(path);
    return out;
}

}  // namespace

import_report import_log::import_file(const std::string& path, const import_options& options) {
    const std::string name = displayable_path(path);
    if (path.find('\0') != std::string::npos)
        throw invalid_input("the file name '" + name + "' holds a NUL byte, which no file name can");
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        throw file_error("'" + name + "' is a directory, not a card file", name, 14);
    const int fd = detail::fd_input::open_file(path.c_str());
    if (fd < 0) throw file_error("cannot read '" + name + "': " + std::strerror(errno), name, 14);
    detail::fd_input file(fd);
    std::istream in(&file);
    return import_stream(in, name, options);
}

std::vector<import_batch> import_log::batches() const {
    return detail::guarded(s_, [&] {
        SQLite::Statement q(s_.db, std::string("SELECT ") + batch_columns + " FROM import_batches ORDER BY id");
        std::vector<import_batch> out;
        while (q.executeStep()) out.push_back(read_batch(q));
        return out;
    });
}

import_batch import_log::batch(batch_id id) const {
    return detail::guarded(s_, [&] {
        SQLite::Statement q(s_.db, std::string("SELECT ") + batch_columns + " FROM import_batches WHERE id = ?");
        q.bind(1, id);
        if (!q.executeStep()) throw not_found("import batch", id);
        return read_batch(q);
    });
}

import_report import_log::report(batch_id id) const {
    import_batch b = batch(id);
    return detail::guarded(s_, [&] {
        import_report r;
        r.batch = b.id;
        r.source = b.source;
        r.format = b.format;
        r.added = b.added;
        r.merged = b.merged;
        r.skipped = b.skipped;
        SQLite::Statement q(s_.db,
                            "SELECT kind, source, line, col, reason, contact_id, other_id FROM import_problems "
                            "WHERE batch_id = ? ORDER BY rowid");
        q.bind(1, id);
        while (q.executeStep()) {
            if (q.getColumn(0).getString() == "rejected")
                r.rejected.push_back({q.getColumn(1).getString(), q.getColumn(2).getInt(), q.getColumn(3).getInt(),
                                      q.getColumn(4).getString()});
            else
                r.suggested.push_back({q.getColumn(5).getInt64(), q.getColumn(6).getInt64(), q.getColumn(4).getString(),
                                       q.getColumn(1).getString(), q.getColumn(2).getInt()});
        }
        // Only the first rejections were recorded with their detail; the batch counts them all.
        r.more_rejected = b.rejected > r.rejected.size() ? b.rejected - r.rejected.size() : 0;
        r.read = r.added + r.merged + r.skipped + r.rejected.size() + r.more_rejected;
        return r;
    });
}

std::vector<batch_change> import_log::changes(batch_id id) const {
    batch(id);  // not_found for an unknown batch
    return detail::guarded(s_, [&] {
        SQLite::Statement q(s_.db, "SELECT contact_id, action FROM import_changes WHERE batch_id = ? ORDER BY contact_id");
        q.bind(1, id);
        std::vector<batch_change> out;
        while (q.executeStep()) out.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString() == "added"});
        return out;
    });
}

void import_log::undo(batch_id id, bool force) {
    import_batch b = batch(id);
    if (b.undone_at) throw error("import batch " + std::to_string(id) + " was already undone");
    detail::guarded(s_, [&] {
        const auto now = s_.now();
        detail::write_transaction(s_, [&] {
            SQLite::Statement q(s_.db,
                                "SELECT c.contact_id, c.action, c.before, k.updated_at FROM import_changes c "
                                "LEFT JOIN contacts k ON k.id = c.contact_id WHERE c.batch_id = ? ORDER BY c.contact_id");
            q.bind(1, id);
            struct row {
                contact_id contact;
                bool added;
                std::string before;
                std::optional<std::int64_t> updated_at;
            };
            std::vector<row> rows;
            while (q.executeStep())
                rows.push_back({q.getColumn(0).getInt64(), q.getColumn(1).getString() == "added",
                                q.getColumn(2).isNull() ? std::string() : q.getColumn(2).getString(),
                                q.getColumn(3).isNull() ? std::nullopt
                                                        : std::optional<std::int64_t>(q.getColumn(3).getInt64())});
            if (!force) {
                std::string changed;
                for (const auto& r : rows)
                    if (r.updated_at && *r.updated_at > to_unix(b.finished_at))
                        changed += (changed.empty() ? "" : ", ") + std::to_string(r.contact);
                if (!changed.empty())
                    throw error("import batch " + std::to_string(id) + " cannot be undone: contacts " + changed +
                                " changed after it; undo with force to revert them anyway (their later changes "
                                "are lost)");
            }
            // The attendance the import recorded (that of the contacts it added goes with them).
            SQLite::Statement unmet(s_.db, "DELETE FROM event_attendees WHERE event_id = ? AND contact_id IN "
                                           "(SELECT contact_id FROM import_changes WHERE batch_id = ? AND attended = 1)");
            if (b.event) {
                // Contacts merged into whose first meeting the import moved here: it goes back to the
                // earliest meeting left once this attendance is gone (record_attendance).
                std::vector<contact_id> give_back;
                SQLite::Statement took(s_.db, "SELECT a.contact_id FROM event_attendees a JOIN import_changes c "
                                              "ON c.contact_id = a.contact_id AND c.batch_id = ?2 AND c.attended = 1 "
                                              "AND c.action = 'merged' WHERE a.event_id = ?1 AND a.first_meeting = 1");
                took.bind(1, *b.event);
                took.bind(2, id);
                while (took.executeStep()) give_back.push_back(took.getColumn(0).getInt64());
                unmet.bind(1, *b.event);
                unmet.bind(2, id);
                unmet.exec();
                for (contact_id c : give_back) detail::promote_first_meeting(s_, c);
            }
            for (const auto& r : rows) {
                if (!r.updated_at) continue;  // deleted or merged away since: nothing to revert
                if (r.added) {
                    detail::delete_contact(s_, r.contact);
                } else {
                    contact before = detail::contact_from_json(nlohmann::json::parse(r.before));
                    detail::rewrite_contact(s_, before);
                }
            }
            SQLite::Statement done(s_.db, "UPDATE import_batches SET undone_at = ? WHERE id = ?");
            done.bind(1, to_unix(now));
            done.bind(2, id);
            done.exec();
        });
    });
}

}  // namespace crm
