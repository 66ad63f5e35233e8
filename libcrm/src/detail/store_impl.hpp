// What the collections of a store share: the connection, the lock that serialises its use across
// threads (the Python layer releases the GIL), the clock, and the write transaction.
#pragma once

#include "crm/contact.hpp"
#include "crm/error.hpp"
#include "crm/normalize.hpp"
#include "crm/store.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>

#include <atomic>
#include <chrono>
#include <memory>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <optional>
#include <utility>
#include <vector>
#include <string>

namespace crm {

struct store::impl {
    std::string path;
    SQLite::Database db;
    clock_function clock;
    std::mutex mutex;
    // The thread holding `mutex` (see guarded): a call back into the store from inside one of its own
    // calls (an import's progress callback) is refused instead of waiting on itself for ever.
    std::atomic<std::thread::id> owner{};
    std::chrono::milliseconds busy_timeout{10'000};  // as opened (store::options::busy_timeout)
    bool read_only = false;                          // the file, its folder or its disk cannot be written (store::open)

    phone_normalizer phones;  // with the default region from settings
    std::unordered_map<std::string, std::unique_ptr<SQLite::Statement>> statements;

    impl(std::string p, SQLite::Database d, clock_function c)
        : path(std::move(p)), db(std::move(d)), clock(std::move(c)) {}

    // Prepared statements kept for reuse: bulk writes (imports) run the same few statements per
    // record, and preparing costs more than running them. Returned reset, with bindings cleared.
    SQLite::Statement& prepared(const std::string& sql);

    // For the length of one bulk write (an import): a page cache big enough that the indexes being
    // filled stay in memory instead of spilling to the WAL and being read back, and statement
    // journals in memory. Restores the connection's own settings when it ends (outside the write
    // transaction). Memory stays bounded by `bulk_cache_kib`.
    class bulk_write {
    public:
        explicit bulk_write(impl& s);
        ~bulk_write();
        bulk_write(const bulk_write&) = delete;
        bulk_write& operator=(const bulk_write&) = delete;

    private:
        impl& s_;
        int previous_cache_ = 0;
        int previous_temp_store_ = 0;
        bool cache_set_ = false;
        bool temp_store_set_ = false;
    };
    static constexpr int bulk_cache_kib = 64 << 10;

    date::sys_seconds now() const;
    std::optional<std::string> setting(const std::string& key);
    void set_setting(const std::string& key, const std::string& value);  // inside a transaction
    // The user's IANA zone (store::time_zone); call with the lock held.
    std::string user_time_zone();
};

namespace detail {

// Runs fn inside BEGIN IMMEDIATE ... COMMIT: takes the write lock up front so two writers queue on
// the busy timeout instead of failing halfway; rolls back on any exception and rethrows it.
template <class Fn>
auto write_transaction(store::impl& s, Fn&& fn) -> decltype(fn()) {
    s.db.exec("BEGIN IMMEDIATE");
    try {
        if constexpr (std::is_void_v<decltype(fn())>) {
            fn();
            s.db.exec("COMMIT");
        } else {
            auto result = fn();
            s.db.exec("COMMIT");
            return result;
        }
    } catch (...) {
        try {
            s.db.exec("ROLLBACK");
        } catch (...) {
            // The statement failed before the transaction began, or SQLite already rolled back.
        }
        throw;
    }
}

// Rethrows the exception in flight: a JSON or number conversion that failed on what a row holds
// (the file is damaged, or another program wrote it) becomes storage_error; anything else (a
// callback's own error) as it was.
[[noreturn]] void rethrow_damage();

// Runs fn with the store locked, turning SQLite's exceptions, and values that cannot be read, into
// crm::storage_error. Refuses (crm::error) a call made by the thread that holds the lock: a callback
// of a call in progress, which would otherwise wait for its own caller.
template <class Fn>
auto guarded(store::impl& s, Fn&& fn) -> decltype(fn()) {
    if (s.owner.load() == std::this_thread::get_id())
        throw error("the database cannot be used from a callback of one of its own calls (such as an import's "
                    "progress callback): that call is still in progress on this thread; use the database after "
                    "it returns");
    std::lock_guard lock(s.mutex);
    struct owned {
        store::impl& s;
        explicit owned(store::impl& st) : s(st) { s.owner.store(std::this_thread::get_id()); }
        ~owned() { s.owner.store(std::thread::id()); }
        owned(const owned&) = delete;
        owned& operator=(const owned&) = delete;
    } owner(s);
    try {
        return fn();
    } catch (const error&) {
        throw;
    } catch (const SQLite::Exception& e) {
        if ((e.getErrorCode() & 0xff) == 8 /* SQLITE_READONLY */)
            throw file_error("cannot change '" + s.path +
                                 "': it is read-only (the file, its folder or its disk cannot be written); "
                                 "it can be read and exported",
                             s.path, e.getExtendedErrorCode());
        throw storage_error(std::string("database error: ") + e.what(), e.getExtendedErrorCode());
    } catch (const std::exception&) {
        rethrow_damage();
    }
}

// Whether `table` (one of ours: never text from a user) has the row `id`, through the statement
// cache; require_row throws not_found(kind, id) when it has not. Call with the lock held.
bool row_exists(store::impl& s, const char* table, std::int64_t id);
void require_row(store::impl& s, const char* table, const char* kind, std::int64_t id);

inline std::int64_t to_unix(date::sys_seconds t) { return t.time_since_epoch().count(); }
inline date::sys_seconds from_unix(std::int64_t s) { return date::sys_seconds{std::chrono::seconds{s}}; }

// The (table, column) pairs that refer to a contact and must follow it when contacts merge.
// Every later table that points at contacts registers itself here, in schema.cpp.
struct contact_reference {
    const char* table;
    const char* column;
    // The column is part of a key: when both contacts have a row (both met at the same event, both
    // in one interaction), the survivor's row stays and the other one goes.
    bool keyed;
};
const std::vector<contact_reference>& contact_references();

// Brings the schema of an open, writable netcrm database up to `target` (tests stop earlier to
// prove the later migrations).
void migrate(SQLite::Database& db, int target = store::schema_version);

// The match keys of a contact (see contact_keys in schema.cpp), as (kind, key) pairs.
using key_list = std::vector<std::pair<std::string, std::string>>;
key_list match_keys(const contact& c, const phone_normalizer& phones);

}  // namespace detail
}  // namespace crm
