#include "crm/store.hpp"

#include "crm/archive.hpp"
#include "crm/contact_store.hpp"
#include "crm/event_store.hpp"
#include "crm/favor_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/importer.hpp"
#include "crm/interaction_store.hpp"
#include "crm/time_zone.hpp"
#include "detail/contact_rows.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <date/tz.h>
#include <sqlite3.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <stdexcept>
#include <string_view>
#include <system_error>
#include <vector>

namespace crm {

std::optional<std::string> store::impl::setting(const std::string& key) {
    SQLite::Statement q(db, "SELECT value FROM settings WHERE key = ?");
    q.bind(1, key);
    if (!q.executeStep()) return std::nullopt;
    return q.getColumn(0).getString();
}

void store::impl::set_setting(const std::string& key, const std::string& value) {
    SQLite::Statement q(db, "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
    q.bind(1, key);
    q.bind(2, value);
    q.exec();
}

bool detail::row_exists(store::impl& s, const char* table, std::int64_t id) {
    SQLite::Statement& q = s.prepared(std::string("SELECT 1 FROM ") + table + " WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    const bool found = q.executeStep();
    q.reset();
    return found;
}

namespace {

// What went wrong, without the library's own tag ("[json.exception.parse_error.101] ").
std::string reason(const std::exception& e) {
    std::string_view w = e.what();
    if (w.starts_with("[json.exception.")) {
        if (auto end = w.find("] "); end != std::string_view::npos) w.remove_prefix(end + 2);
    }
    return std::string(w);
}

}  // namespace

void detail::rethrow_damage() {
    const std::string because = " (the file is damaged, or another program wrote to it): ";
    try {
        throw;
    } catch (const nlohmann::json::exception& e) {
        throw storage_error("the database holds JSON that netcrm cannot read" + because + reason(e), SQLITE_CORRUPT);
    } catch (const std::out_of_range& e) {
        throw storage_error("the database holds a value out of range" + because + reason(e), SQLITE_CORRUPT);
    } catch (const std::invalid_argument& e) {
        throw storage_error("the database holds a value netcrm cannot read" + because + reason(e), SQLITE_CORRUPT);
    }
}

void detail::require_row(store::impl& s, const char* table, const char* kind, std::int64_t id) {
    if (!row_exists(s, table, id)) throw not_found(kind, id);
}

SQLite::Statement& store::impl::prepared(const std::string& sql) {
    auto it = statements.find(sql);
    if (it == statements.end()) it = statements.emplace(sql, std::make_unique<SQLite::Statement>(db, sql)).first;
    SQLite::Statement& st = *it->second;
    st.reset();
    st.clearBindings();
    return st;
}

store::impl::bulk_write::bulk_write(impl& s) : s_(s) {
    // Settings for speed only: when the connection refuses one, the write goes ahead without it.
    try {
        previous_cache_ = s_.db.execAndGet("PRAGMA cache_size").getInt();
        s_.db.exec("PRAGMA cache_size = -" + std::to_string(bulk_cache_kib));
        cache_set_ = true;
        previous_temp_store_ = s_.db.execAndGet("PRAGMA temp_store").getInt();
        // Statement journals in memory: a statement writing many rows copies the pages it changes
        // there first (to undo just that statement), else to a temporary file - a system call a page.
        s_.db.exec("PRAGMA temp_store = MEMORY");
        temp_store_set_ = true;
    } catch (const SQLite::Exception&) {
    }
}

store::impl::bulk_write::~bulk_write() {
    try {
        if (cache_set_) s_.db.exec("PRAGMA cache_size = " + std::to_string(previous_cache_));  // frees the pages
        if (temp_store_set_) s_.db.exec("PRAGMA temp_store = " + std::to_string(previous_temp_store_));
    } catch (...) {
    }
}

std::string store::impl::user_time_zone() {
    if (auto zone = setting("time_zone")) {
        // Checked as it is stored; what fails here was written by another program, or the system's
        // time zone database lacks it.
        try {
            (void)date::locate_zone(*zone);
        } catch (const std::exception&) {
            const bool text = detail::invalid_utf8_at(*zone) == std::string::npos;
            throw storage_error("the database's time zone " + (text ? "'" + *zone + "'" : std::string("setting")) +
                                    (text ? " is not in this system's time zone database"
                                          : " is not valid UTF-8 (the file is damaged)") +
                                    ": set it again (crm.time_zone = ...)",
                                SQLITE_CORRUPT);
        }
        return *zone;
    }
    try {
        return std::string(date::current_zone()->name());
    } catch (const std::exception&) {
        return "UTC";  // no /etc/localtime and no TZ: a container, say
    }
}

date::sys_seconds store::impl::now() const {
    if (clock) return clock();
    return std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
}

namespace {

bool is_memory(const std::string& path) { return path == ":memory:" || path.empty(); }

// Whether SQLite may write `path` and create its -wal and -shm files beside it. access() answers for
// this process (root included: a read-only mount or an immutable file says no to root as well).
bool writable_place(const std::string& path) {
    std::filesystem::path p(path);
    std::filesystem::path dir = p.has_parent_path() ? p.parent_path() : std::filesystem::path(".");
    return ::access(path.c_str(), W_OK) == 0 && ::access(dir.c_str(), W_OK) == 0;
}

std::string uri_path(const std::string& path) {
    // file: URIs take an absolute path (after an empty authority), percent-encoded where it would be
    // read as syntax.
    std::error_code ec;
    std::filesystem::path full = std::filesystem::absolute(path, ec);
    std::string out = "file://";
    for (unsigned char ch : ec ? path : full.string()) {
        if (ch == '%' || ch == '?' || ch == '#' || ch < 0x20 || ch == 0x7f) {
            static const char hex[] = "0123456789ABCDEF";
            out += '%';
            out += hex[ch >> 4];
            out += hex[ch & 15];
        } else {
            out += static_cast<char>(ch);
        }
    }
    return out;
}

// A netcrm file that cannot be written (a read-only folder or mount, a file without write
// permission): opened for reading only. A WAL file whose -shm cannot be created is read as
// immutable, which is what it is while nobody can write it.
SQLite::Database open_read_only(const std::string& path) {
    try {
        SQLite::Database db(uri_path(path) + "?mode=ro", SQLite::OPEN_READONLY | SQLite::OPEN_URI);
        db.execAndGet("SELECT count(*) FROM sqlite_schema");
        return db;
    } catch (const SQLite::Exception& e) {
        const int primary = e.getErrorCode() & 0xff;
        if (primary != SQLITE_CANTOPEN && primary != SQLITE_READONLY) throw;
    }
    SQLite::Database db(uri_path(path) + "?immutable=1", SQLite::OPEN_READONLY | SQLite::OPEN_URI);
    db.execAndGet("SELECT count(*) FROM sqlite_schema");
    return db;
}

// Looks at an existing file without writing to it: refuses what netcrm must not touch.
void inspect_existing(const std::string& path) {
    int app_id = 0, version = 0, objects = 0;
    try {
        SQLite::Database db = open_read_only(path);
        app_id = db.execAndGet("PRAGMA application_id").getInt();
        version = db.execAndGet("PRAGMA user_version").getInt();
        objects = db.execAndGet("SELECT count(*) FROM sqlite_schema").getInt();
    } catch (const SQLite::Exception& e) {
        int code = e.getExtendedErrorCode();
        if ((code & 0xff) == SQLITE_NOTADB)
            throw incompatible_database("'" + path + "' is not a netcrm database: it is not an SQLite file", path);
        if ((code & 0xff) == SQLITE_CORRUPT)
            throw incompatible_database("'" + path + "' is damaged: SQLite reports " + e.what(), path);
        throw file_error("cannot read '" + path + "': " + e.what(), path, code);
    }
    // application_id 0 with no tables is a blank SQLite file, which netcrm may adopt.
    if (app_id != store::application_id && (app_id != 0 || objects > 0))
        throw incompatible_database("'" + path +
                                        "' is an SQLite database of another application, not a netcrm database",
                                    path);
    if (version > store::schema_version)
        throw incompatible_database("'" + path + "' was written by a newer netcrm (schema version " +
                                        std::to_string(version) + "); this netcrm reads schema versions up to " +
                                        std::to_string(store::schema_version) + ". Upgrade netcrm to open it.",
                                    path, version, store::schema_version);
}

}  // namespace

store store::open(const std::string& path, open_options options) {
    const bool memory = is_memory(path);
    const std::string where = memory ? ":memory:" : path;
    bool exists = false;
    if (!memory) {
        std::error_code ec;
        exists = std::filesystem::exists(path, ec);
        if (exists && std::filesystem::is_directory(path, ec))
            throw file_error("'" + path + "' is a directory, not a database file", path, SQLITE_CANTOPEN);
        if (exists && std::filesystem::file_size(path, ec) > 0)
            inspect_existing(path);
        else if (!exists && !options.create)
            throw file_error("'" + path + "' does not exist", path, SQLITE_CANTOPEN);
    }
    // An existing netcrm file that cannot be written opens for reading; a write then says why.
    const bool read_only = !memory && exists && !writable_place(path);
    try {
        SQLite::Database db =
            read_only ? open_read_only(where) : SQLite::Database(where, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        db.exec("PRAGMA foreign_keys = ON");
        db.setBusyTimeout(static_cast<int>(options.busy_timeout.count()));
        if (!memory && !read_only) {
            // WAL: readers never block the writer; synchronous=NORMAL keeps every commit through a
            // process crash (only a power loss can drop the last commits, never corrupt the file).
            db.exec("PRAGMA journal_mode = WAL");
            db.exec("PRAGMA synchronous = NORMAL");
        }
        auto p = std::make_unique<impl>(where, std::move(db), std::move(options.clock));
        p->busy_timeout = options.busy_timeout;
        p->read_only = read_only;
        if (SQLite::Database& d = p->db; d.execAndGet("PRAGMA user_version").getInt() < schema_version) {
            if (read_only)
                throw file_error("'" + where + "' needs upgrading to schema version " + std::to_string(schema_version) +
                                     " but cannot be written (read-only file, folder or disk): open it once where "
                                     "it can be written",
                                 where, SQLITE_READONLY);
            d.exec("BEGIN IMMEDIATE");
            try {
                // Checked again under the write lock: another process may have migrated meanwhile.
                int version = d.execAndGet("PRAGMA user_version").getInt();
                if (version > schema_version)
                    throw incompatible_database("'" + where + "' was written by a newer netcrm (schema version " +
                                                    std::to_string(version) + "); this netcrm reads up to " +
                                                    std::to_string(schema_version),
                                                where, version, schema_version);
                detail::migrate(d);
                if (p->setting("upgrade_contacts_7")) {
                    p->phones = phone_normalizer(p->setting("default_region").value_or(""));
                    detail::upgrade_contacts_to_7(*p);
                }
                d.exec("COMMIT");
            } catch (...) {
                try {
                    d.exec("ROLLBACK");
                } catch (...) {
                }
                throw;
            }
        }
        p->phones = phone_normalizer(p->setting("default_region").value_or(""));
        return store(std::move(p));
    } catch (const SQLite::Exception& e) {
        int code = e.getExtendedErrorCode();
        const int primary = code & 0xff;
        if (primary == SQLITE_CANTOPEN || primary == SQLITE_READONLY || primary == SQLITE_PERM)
            throw file_error("cannot open '" + where + "': " + e.what(), where, code);
        if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
            throw incompatible_database("'" + where + "' is damaged: SQLite reports " + e.what() +
                                            " (restore a backup; the file was not modified)",
                                        where);
        throw storage_error("cannot open '" + where + "': " + e.what(), code);
    } catch (const std::exception&) {
        detail::rethrow_damage();  // a setting that cannot be read: a damaged file
    }
}

store::store(std::unique_ptr<impl> p)
    : impl_(std::move(p)),
      contacts_(std::make_unique<contact_store>(*impl_)),
      imports_(std::make_unique<import_log>(*impl_)),
      archive_(std::make_unique<class archive>(*impl_)),
      events_(std::make_unique<event_store>(*impl_)),
      interactions_(std::make_unique<interaction_store>(*impl_)),
      goals_(std::make_unique<goal_store>(*impl_)),
      follow_ups_(std::make_unique<follow_up_store>(*impl_)),
      favors_(std::make_unique<favor_store>(*impl_)) {}
store::store(store&&) noexcept = default;
store& store::operator=(store&&) noexcept = default;
store::~store() = default;

const std::string& store::path() const noexcept { return impl_->path; }
std::string store::id() const {
    return detail::guarded(*impl_, [&] { return impl_->setting("store_id").value_or(""); });
}
date::sys_seconds store::now() const { return impl_->now(); }
contact_store& store::contacts() noexcept { return *contacts_; }
import_log& store::imports() noexcept { return *imports_; }
archive& store::archive() noexcept { return *archive_; }
event_store& store::events() noexcept { return *events_; }
interaction_store& store::interactions() noexcept { return *interactions_; }
goal_store& store::goals() noexcept { return *goals_; }
follow_up_store& store::follow_ups() noexcept { return *follow_ups_; }
favor_store& store::favors() noexcept { return *favors_; }

std::string store::time_zone() const {
    return detail::guarded(*impl_, [&] { return impl_->user_time_zone(); });
}

void store::set_time_zone(const std::string& zone) {
    check_time_zone(zone);
    detail::guarded(*impl_, [&] { detail::write_transaction(*impl_, [&] { impl_->set_setting("time_zone", zone); }); });
}

std::string store::default_region() const {
    const auto& r = impl_->phones.default_region();
    return r == "ZZ" ? std::string() : r;
}

void store::set_default_region(const std::string& region) {
    phone_normalizer phones(region);  // validates before anything is written
    detail::guarded(*impl_, [&] {
        detail::write_transaction(*impl_, [&] {
            impl_->set_setting("default_region", phones.default_region() == "ZZ" ? "" : phones.default_region());
            detail::refresh_phones(*impl_, phones);  // each phone's E.164 form and the phone match keys
        });
        impl_->phones = std::move(phones);
    });
}

std::string store::integrity_check() {
    return detail::guarded(*impl_, [&] {
        // A damaged file is what this is asked about: what SQLite cannot even read is a problem to
        // report, not an error to throw.
        std::vector<std::string> problems;
        auto run = [&](const char* pragma, auto&& line) {
            try {
                SQLite::Statement q(impl_->db, pragma);
                while (q.executeStep()) problems.push_back(line(q));
            } catch (const SQLite::Exception& e) {
                problems.push_back(std::string(pragma) + " failed: " + e.what());
            }
        };
        run("PRAGMA integrity_check", [](SQLite::Statement& q) { return q.getColumn(0).getString(); });
        if (problems.size() == 1 && problems.front() == "ok") problems.clear();
        run("PRAGMA foreign_key_check", [](SQLite::Statement& q) {
            return "foreign key violation in " + q.getColumn(0).getString() + " row " + q.getColumn(1).getString();
        });
        std::string out;
        for (const auto& p : problems) {
            if (!out.empty()) out += '\n';
            out += p;
        }
        return out.empty() ? std::string("ok") : out;
    });
}

}  // namespace crm
