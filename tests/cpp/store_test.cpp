// store: opening, creating and refusing database files; schema version, application id, clock.
#include "crm/store.hpp"
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/exporter.hpp"

#include "test_support.hpp"

#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>
#include <catch2/catch.hpp>

#include <filesystem>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
namespace fs = std::filesystem;
using crm::store;
using crm::test::temp_dir;

namespace {

// Runs SQL on a file with the plain sqlite3 C API, as another program would.
void sqlite_exec(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    REQUIRE(rc == SQLITE_OK);
    char* err = nullptr;
    rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    INFO(message);
    REQUIRE(rc == SQLITE_OK);
}

int sqlite_int(const std::string& path, const std::string& sql) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    sqlite3_stmt* st = nullptr;
    REQUIRE(sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) == SQLITE_OK);
    REQUIRE(sqlite3_step(st) == SQLITE_ROW);
    const int v = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return v;
}

std::set<std::string> names_in(const fs::path& dir) {
    std::set<std::string> out;
    for (const auto& e : fs::directory_iterator(dir)) out.insert(e.path().filename().string());
    return out;
}

template <class E>
std::optional<E> open_error(const std::string& path, crm::open_options options = {}) {
    try {
        store::open(path, std::move(options));
    } catch (const E& e) {
        return e;
    }
    return std::nullopt;
}

crm::contact named(std::string name) {
    crm::contact c;
    c.display_name = std::move(name);
    return c;
}

// Opening `path` must throw incompatible_database and leave the directory exactly as it was:
// same files, same bytes, no journal or WAL file created beside it.
crm::incompatible_database require_refused_untouched(const temp_dir& dir, const std::string& path) {
    const std::string before = crm::test::read_bytes(path);
    const auto files_before = names_in(dir.path());
    auto e = open_error<crm::incompatible_database>(path);
    REQUIRE(e.has_value());
    CHECK(e->path() == path);
    CHECK(crm::test::read_bytes(path) == before);
    CHECK(names_in(dir.path()) == files_before);
    return *e;
}

}  // namespace

TEST_CASE("a new store file records the current schema version and netcrm's application_id", "[store]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    {
        auto s = store::open(path);
        CHECK(s.path() == path);
    }
    REQUIRE(fs::exists(path));
    CHECK(sqlite_int(path, "PRAGMA user_version") == store::schema_version);
    CHECK(sqlite_int(path, "PRAGMA application_id") == store::application_id);
    CHECK(store::application_id == 0x6E43524D);  // "nCRM": changing it orphans every existing file
}

TEST_CASE("reopening a store file keeps its contacts", "[store]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    crm::contact_id id = 0;
    {
        auto s = store::open(path, crm::test::options_with_clock(crm::test::fixed_clock(crm::test::at(2024_y / 3 / 1))));
        crm::contact c = named("Ada Lovelace");
        c.emails = {{"ada@example.com", "work"}};
        c.tags = {"math"};
        id = s.contacts().add(c).id;
    }
    auto s = store::open(path);
    REQUIRE(s.contacts().count() == 1);
    const auto c = s.contacts().get(id);
    CHECK(c.display_name == "Ada Lovelace");
    CHECK(c.emails == std::vector<crm::labeled_value>{{"ada@example.com", "work"}});
    CHECK(c.tags == std::vector<std::string>{"math"});
    CHECK(c.created_at == crm::test::at(2024_y / 3 / 1));
    CHECK(sqlite_int(path, "PRAGMA user_version") == store::schema_version);
}

TEST_CASE("opening a file that is not SQLite throws incompatible_database and leaves it unchanged", "[store]") {
    temp_dir dir;
    const auto path = dir.file("notes.db");
    std::string bytes = "BEGIN:VCARD\r\nVERSION:4.0\r\nFN:Ada Lovelace\r\nEND:VCARD\r\n";
    for (int i = 0; i < 200; ++i) bytes += "padding line " + std::to_string(i) + "\n";
    crm::test::write_bytes(path, bytes);

    const auto e = require_refused_untouched(dir, path);
    CHECK(crm::test::read_bytes(path) == bytes);
    CHECK_THAT(std::string(e.what()), Catch::Contains("not an SQLite file"));
}

TEST_CASE("opening a file of random binary bytes throws incompatible_database and leaves it unchanged", "[store]") {
    temp_dir dir;
    const auto path = dir.file("blob.db");
    std::string bytes;
    for (int i = 0; i < 8192; ++i) bytes += static_cast<char>((i * 131 + 7) % 256);
    crm::test::write_bytes(path, bytes);
    require_refused_untouched(dir, path);
}

TEST_CASE("opening another application's SQLite database throws incompatible_database and leaves it unchanged",
          "[store]") {
    temp_dir dir;
    const auto path = dir.file("other.sqlite");
    sqlite_exec(path, "CREATE TABLE t (x INTEGER, y TEXT); INSERT INTO t VALUES (1, 'one'), (2, 'two');");

    const auto e = require_refused_untouched(dir, path);
    CHECK_THAT(std::string(e.what()), Catch::Contains("another application"));
    CHECK(sqlite_int(path, "SELECT count(*) FROM t") == 2);
    CHECK(sqlite_int(path, "SELECT count(*) FROM sqlite_schema WHERE name = 'contacts'") == 0);
}

TEST_CASE("opening another application's database named by its own application_id throws incompatible_database",
          "[store]") {
    // An application that stamps its files with application_id has claimed them even before it
    // creates its first table; netcrm must not take the file over and overwrite the stamp.
    temp_dir dir;
    const auto path = dir.file("other-app.db");
    // user_version stays 0, so the refusal cannot come from the newer-schema check.
    sqlite_exec(path, "PRAGMA application_id = 305419896;");  // 0x12345678
    REQUIRE(fs::file_size(path) > 0);
    REQUIRE(sqlite_int(path, "PRAGMA user_version") == 0);

    require_refused_untouched(dir, path);
    CHECK(sqlite_int(path, "PRAGMA application_id") == 305419896);
}

TEST_CASE("a netcrm file from a newer schema version throws incompatible_database naming both versions",
          "[store]") {
    temp_dir dir;
    const auto path = dir.file("future.db");
    const int newer = store::schema_version + 1;
    sqlite_exec(path, "CREATE TABLE contacts (id INTEGER PRIMARY KEY, something_new TEXT); PRAGMA application_id = " +
                          std::to_string(store::application_id) + "; PRAGMA user_version = " + std::to_string(newer) +
                          ";");

    const auto e = require_refused_untouched(dir, path);
    CHECK(e.file_version() == newer);
    CHECK(e.supported_version() == store::schema_version);
    const std::string message = e.what();
    CHECK_THAT(message, Catch::Contains("schema version " + std::to_string(newer)));
    CHECK_THAT(message, Catch::Contains("up to " + std::to_string(store::schema_version)));
    CHECK(sqlite_int(path, "PRAGMA user_version") == newer);
}

TEST_CASE("incompatible_database is a file_error and a crm::error", "[store]") {
    temp_dir dir;
    const auto path = dir.file("plain.txt");
    crm::test::write_bytes(path, std::string(4096, 'x'));
    CHECK_THROWS_AS(store::open(path), crm::file_error);
    CHECK_THROWS_AS(store::open(path), crm::error);
    CHECK(crm::test::read_bytes(path) == std::string(4096, 'x'));
}

TEST_CASE("a path in a missing directory throws file_error carrying the path", "[store]") {
    temp_dir dir;
    const auto path = (dir.path() / "no-such-dir" / "crm.db").string();
    auto e = open_error<crm::file_error>(path);
    REQUIRE(e.has_value());
    CHECK(e->path() == path);
    CHECK_FALSE(dynamic_cast<const crm::incompatible_database*>(&*e));
    CHECK_FALSE(fs::exists(dir.path() / "no-such-dir"));
}

TEST_CASE("a missing file with create = false throws file_error and creates nothing", "[store]") {
    temp_dir dir;
    const auto path = dir.file("absent.db");
    crm::open_options o;
    o.create = false;
    auto e = open_error<crm::file_error>(path, o);
    REQUIRE(e.has_value());
    CHECK(e->path() == path);
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("an existing store opens with create = false", "[store]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    store::open(path).contacts().add(named("Ada"));
    crm::open_options o;
    o.create = false;
    CHECK(store::open(path, o).contacts().count() == 1);
}

TEST_CASE("a directory given as the path throws file_error", "[store]") {
    temp_dir dir;
    auto e = open_error<crm::file_error>(dir.path().string());
    REQUIRE(e.has_value());
    CHECK(e->path() == dir.path().string());
    CHECK(names_in(dir.path()).empty());
}

TEST_CASE("a zero-byte file is set up as a new store", "[store]") {
    temp_dir dir;
    const auto path = dir.file("empty.db");
    crm::test::write_bytes(path, "");
    {
        auto s = store::open(path);
        s.contacts().add(named("Ada"));
    }
    CHECK(sqlite_int(path, "PRAGMA application_id") == store::application_id);
    CHECK(sqlite_int(path, "SELECT count(*) FROM contacts") == 1);
}

TEST_CASE("integrity_check reports ok on a fresh and on a used store", "[store]") {
    temp_dir dir;
    auto s = store::open(dir.file("crm.db"));
    CHECK(s.integrity_check() == "ok");
    auto a = s.contacts().add(named("Ada"));
    crm::contact b = named("Bob");
    b.introduced_by = a.id;
    b.tags = {"x", "y"};
    b.notes = {{crm::test::at(2024_y / 1 / 1), "hello"}};
    s.contacts().add(b);
    s.contacts().remove(a.id);
    CHECK(s.integrity_check() == "ok");
}

TEST_CASE("an injected clock sets created_at and updated_at", "[store]") {
    temp_dir dir;
    crm::test::manual_clock clock(crm::test::at(2024_y / 5 / 17, 9h, 30min));
    auto s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    CHECK(s.now() == crm::test::at(2024_y / 5 / 17, 9h, 30min));

    const auto added = s.contacts().add(named("Ada"));
    CHECK(added.created_at == crm::test::at(2024_y / 5 / 17, 9h, 30min));
    CHECK(added.updated_at == crm::test::at(2024_y / 5 / 17, 9h, 30min));

    clock.set(crm::test::at(2024_y / 6 / 1, 12h));
    auto changed = added;
    changed.title = "Countess";
    const auto updated = s.contacts().update(changed);
    CHECK(updated.created_at == crm::test::at(2024_y / 5 / 17, 9h, 30min));
    CHECK(updated.updated_at == crm::test::at(2024_y / 6 / 1, 12h));

    const auto stored = s.contacts().get(added.id);
    CHECK(stored.created_at == crm::test::at(2024_y / 5 / 17, 9h, 30min));
    CHECK(stored.updated_at == crm::test::at(2024_y / 6 / 1, 12h));
}

TEST_CASE("without an injected clock now() is the system time to the second", "[store]") {
    auto s = store::open(":memory:");
    const auto before = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    const auto now = s.now();
    const auto after = std::chrono::time_point_cast<std::chrono::seconds>(std::chrono::system_clock::now());
    CHECK(now >= before);
    CHECK(now <= after + 1s);
}

TEST_CASE("an in-memory store works and touches no file", "[store]") {
    auto s = store::open(":memory:");
    CHECK(s.path() == ":memory:");
    s.contacts().add(named("Ada"));
    CHECK(s.contacts().count() == 1);
    CHECK(s.integrity_check() == "ok");
    CHECK_FALSE(fs::exists(":memory:"));
}

TEST_CASE("a moved store keeps working and keeps its contacts", "[store]") {
    temp_dir dir;
    auto a = store::open(dir.file("crm.db"));
    const auto id = a.contacts().add(named("Ada")).id;
    store b = std::move(a);
    CHECK(b.contacts().get(id).display_name == "Ada");
    b.contacts().add(named("Bob"));
    CHECK(b.contacts().count() == 2);
}

TEST_CASE("two stores open on one file see each other's committed writes", "[store]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    auto writer = store::open(path);
    auto reader = store::open(path);
    const auto id = writer.contacts().add(named("Ada")).id;
    CHECK(reader.contacts().get(id).display_name == "Ada");
}

// ---- damaged databases: what another program or a bad disk leaves ------------------------------------

namespace {

// A store with `n` contacts (each with a tag, a note and a kept card property), closed.
void fill(const std::string& path, int n) {
    auto s = store::open(path);
    for (int i = 0; i < n; ++i) {
        crm::contact c = named("Person " + std::to_string(i));
        c.tags = {"met"};
        c.notes = {{crm::test::at(2024_y / 1 / 1), std::string(200, 'x')}};
        c.extra = {{"", "X-SOCIALPROFILE", {{"TYPE", {"twitter"}}}, "https://x.example/p"}};
        s.contacts().add(c);
    }
}

// Every exception a read may throw on a damaged file is a storage_error with a message.
template <class Fn>
void require_storage_error_or_success(Fn&& fn) {
    try {
        fn();
    } catch (const crm::storage_error& e) {
        CHECK(std::string(e.what()).size() > 10);
    }
}

}  // namespace

TEST_CASE("a contact name that is not UTF-8 in the file throws storage_error naming the contact", "[store][damage]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 6);
    sqlite_exec(path, "UPDATE contacts SET display_name = CAST(X'41FF42' AS TEXT) WHERE id = 5");
    auto s = store::open(path);
    try {
        s.contacts().get(5);
        FAIL("no error");
    } catch (const crm::storage_error& e) {
        CHECK(std::string(e.what()) ==
              "the database is damaged: contact 5 has a display name that is not valid UTF-8 (restore a backup, or "
              "fix the row)");
        CHECK(e.extended_code() == SQLITE_CORRUPT);
    }
    CHECK_THROWS_AS(s.contacts().list({}), crm::storage_error);
    CHECK(s.contacts().get(4).display_name == "Person 3");
}

TEST_CASE("a card property whose parameters are not JSON throws storage_error naming it, not a JSON exception",
          "[store][damage]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 2);
    sqlite_exec(path, "UPDATE contact_properties SET parameters = '{not json' WHERE contact_id = 2");
    auto s = store::open(path);
    CHECK(s.contacts().get(1).extra.size() == 2);  // its X-SOCIALPROFILE and the UID every contact has
    CHECK_THROWS_WITH(s.contacts().get(2), Catch::Contains("a card property (X-SOCIALPROFILE) of contact 2 has "
                                                           "parameters that are not netcrm's JSON"));
}

TEST_CASE("a birthday off the calendar written by another program throws storage_error", "[store][damage]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 1);
    sqlite_exec(path, "UPDATE contacts SET birthday_month = 2, birthday_day = 31");
    auto s = store::open(path);
    CHECK_THROWS_WITH(s.contacts().get(1), Catch::Contains("contact 1 has an impossible birthday (month 2, day 31)"));
}

TEST_CASE("garbage over the pages of a store makes reads throw storage_error, and integrity_check reports it",
          "[store][damage]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 300);
    // Every other page of the contacts' tables, as a bad disk would: the header, the schema and the
    // settings stay readable, so the file opens and the damage shows where it is read.
    std::vector<std::size_t> pages;
    int page_size = 0;
    {
        sqlite3* db = nullptr;
        REQUIRE(sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
        sqlite3_stmt* q = nullptr;
        REQUIRE(
            sqlite3_prepare_v2(db,
                               "SELECT pageno, (SELECT page_size FROM pragma_page_size()) FROM dbstat WHERE name IN "
                               "('contacts', 'contact_notes', 'contact_tags') ORDER BY pageno",
                               -1, &q, nullptr) == SQLITE_OK);
        while (sqlite3_step(q) == SQLITE_ROW) {
            pages.push_back(static_cast<std::size_t>(sqlite3_column_int64(q, 0)));
            page_size = sqlite3_column_int(q, 1);
        }
        sqlite3_finalize(q);
        sqlite3_close(db);
    }
    REQUIRE(pages.size() > 4);
    std::string bytes = crm::test::read_bytes(path);
    for (std::size_t k = 1; k < pages.size(); k += 2)
        for (int i = 0; i < page_size; ++i)
            bytes[(pages[k] - 1) * static_cast<std::size_t>(page_size) + static_cast<std::size_t>(i)] =
                static_cast<char>((i * 37 + 11) % 256);
    crm::test::write_bytes(path, bytes);

    std::optional<store> s;
    require_storage_error_or_success([&] { s.emplace(store::open(path)); });
    REQUIRE(s);  // page 1 (header and schema) is intact: it opens
    bool raised = false;
    try {
        s->contacts().list({});
    } catch (const crm::storage_error&) {
        raised = true;
    }
    CHECK(raised);
    require_storage_error_or_success([&] { s->contacts().tags(); });
    require_storage_error_or_success([&] { s->contacts().search("person", 10); });
    std::string report;
    REQUIRE_NOTHROW(report = s->integrity_check());
    CHECK(report != "ok");
    CHECK_FALSE(report.empty());
}

TEST_CASE("a store file cut short throws incompatible_database or storage_error, never another exception",
          "[store][damage]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 300);
    fs::resize_file(path, fs::file_size(path) / 3);
    const std::string bytes = crm::test::read_bytes(path);
    require_storage_error_or_success([&] {
        auto s = store::open(path);
        s.contacts().list({});
        s.contacts().tags();
    });
    CHECK(crm::test::read_bytes(path) == bytes);
}

// Root writes whatever the permissions say: the reader runs in a child process that drops to the
// user "nobody" first (as root), so the file and folder permissions apply as they do to a user.
TEST_CASE("a store whose file and folder cannot be written opens for reading; a change throws file_error",
          "[store][read-only]") {
    temp_dir dir;
    const auto path = dir.file("crm.db");
    fill(path, 3);
    const std::string bytes = crm::test::read_bytes(path);
    fs::permissions(path, fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
        int code = 0;
        try {
            if (getuid() == 0 && (setgid(65534) != 0 || setuid(65534) != 0)) _exit(90);
            auto s = store::open(path);
            if (s.contacts().list({}).size() != 3) code = 1;
            std::ostringstream out;
            crm::export_contacts(s, out, crm::export_format::json, {});
            if (out.str().find("Person 2") == std::string::npos) code = 2;
            try {
                s.contacts().add(named("Grace"));
                code = 3;
            } catch (const crm::file_error& e) {
                if (std::string(e.what()).find("it is read-only") == std::string::npos) code = 4;
            }
        } catch (...) {
            code = 5;
        }
        _exit(code);
    }
    int status = 0;
    waitpid(child, &status, 0);
    fs::permissions(dir.path(), fs::perms::owner_all);
    fs::permissions(path, fs::perms::owner_read | fs::perms::owner_write);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 0);  // 1: not read, 2: not exported, 3: written, 4: another message, 5: open failed
    CHECK(crm::test::read_bytes(path) == bytes);
    CHECK_FALSE(fs::exists(path + "-wal"));
}
