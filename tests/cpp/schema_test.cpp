// Forward migrations: a database written by an older netcrm opens, is upgraded, and keeps its data.
#include <catch2/catch.hpp>

#include "crm/contact_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/importer.hpp"
#include "crm/period.hpp"
#include "crm/store.hpp"
#include "detail/store_impl.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/Database.h>

using crm::store;

TEST_CASE("a version 1 database is migrated to the current schema and keeps its contacts", "[schema]") {
    crm::test::temp_dir dir;
    const auto path = dir.file("v1.db");
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        crm::detail::migrate(db, 1);
        db.exec("INSERT INTO contacts(id, display_name, organization, created_at, updated_at) "
                "VALUES (7, 'Ada Lovelace', 'Analytical Engines', 0, 0)");
        db.exec("INSERT INTO contact_channels(contact_id, channel, position, value, kind) "
                "VALUES (7, 'email', 0, 'ada@example.com', 'work')");
        db.exec("INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) "
                "VALUES (7, 'Ada Lovelace', 'ada@example.com', 'Analytical Engines', '', '')");
        REQUIRE(db.execAndGet("PRAGMA user_version").getInt() == 1);
    }
    auto s = store::open(path);
    auto c = s.contacts().get(7);
    CHECK(c.display_name == "Ada Lovelace");
    CHECK(c.emails == std::vector<crm::labeled_value>{{"ada@example.com", "work"}});
    REQUIRE(c.extra.size() == 1);  // schema 7 gave it a UID
    CHECK(c.extra[0].name == "UID");
    CHECK(s.contacts().search("lovelace").size() == 1);
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("PRAGMA user_version").getInt() == store::schema_version);
    CHECK(check.tableExists("contact_properties"));
    CHECK(check.tableExists("import_batches"));
}

TEST_CASE("extra card properties round-trip with group, parameters and order", "[schema]") {
    auto s = store::open(":memory:");
    crm::contact c;
    c.display_name = "Ada";
    c.extra = {{"", "UID", {}, "urn:uuid:1234"},
               {"item1", "X-ABLABEL", {}, "_$!<Other>!$_"},
               {"", "X-SOCIAL", {{"TYPE", {"twitter", "pref"}}, {"X-USER", {"ada"}}}, "https://x.example/ada"}};
    auto saved = s.contacts().add(c);
    CHECK(s.contacts().get(saved.id).extra == c.extra);
}

TEST_CASE("an extra property without a name is refused", "[schema]") {
    auto s = store::open(":memory:");
    crm::contact c;
    c.display_name = "Ada";
    c.extra = {{"", "", {}, "value"}};
    CHECK_THROWS_AS(s.contacts().add(c), crm::invalid_input);
    CHECK(s.contacts().count() == 0);
}

TEST_CASE("the default region is empty until set, persists, and rejects unknown regions", "[schema]") {
    crm::test::temp_dir dir;
    {
        auto s = store::open(dir.file("r.db"));
        CHECK(s.default_region().empty());
        s.set_default_region("fr");
        CHECK(s.default_region() == "FR");
        CHECK_THROWS_AS(s.set_default_region("Atlantis"), crm::invalid_input);
        CHECK(s.default_region() == "FR");
    }
    CHECK(store::open(dir.file("r.db")).default_region() == "FR");
}

TEST_CASE("schema 5 drops the index of channels by value and keeps the channels", "[schema]") {
    crm::test::temp_dir dir;
    const auto path = dir.file("v4.db");
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        crm::detail::migrate(db, 4);
        db.exec("INSERT INTO contacts(id, display_name, created_at, updated_at) VALUES (7, 'Ada Lovelace', 0, 0)");
        db.exec("INSERT INTO contact_channels(contact_id, channel, position, value, kind) "
                "VALUES (7, 'phone', 0, '+44 20 7946 0000', 'work')");
        REQUIRE(db.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'contact_channels_value'").getInt() == 1);
    }
    auto s = store::open(path);
    CHECK(s.contacts().get(7).phones == std::vector<crm::labeled_value>{{"+44 20 7946 0000", "work"}});
    s.set_default_region("GB");  // re-keys phones: reads the channels without that index
    CHECK(s.integrity_check() == "ok");
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("PRAGMA user_version").getInt() == store::schema_version);
    CHECK(check.execAndGet("SELECT count(*) FROM sqlite_master WHERE name = 'contact_channels_value'").getInt() == 0);
}

TEST_CASE("schema 6 summarizes an existing interaction log on first use", "[schema][goals]") {
    crm::test::temp_dir dir;
    const auto path = dir.file("v5.db");
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        crm::detail::migrate(db, 5);
        // 2027-03-04 18:00 UTC an event; Ada and Grace first met there; talks the days after.
        db.exec("INSERT INTO contacts(id, display_name, created_at, updated_at) VALUES"
                " (1, 'Ada', 0, 0), (2, 'Grace', 0, 0), (3, 'Linus', 0, 0);"
                "INSERT INTO events(id, name, kind, starts_at, time_zone, created_at, updated_at) VALUES"
                " (1, 'Meetup', 'meetup', 1804183200, 'Europe/Paris', 0, 0);"
                "INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting) VALUES"
                " (1, 1, 1804183200, 1), (1, 2, 1804183200, 1);"
                "INSERT INTO interactions(id, kind, at, time_zone, event_id, created_at, updated_at) VALUES"
                " (1, 'conversation', 1804185000, 'UTC', 1, 0, 0), (2, 'coffee', 1804356000, 'UTC', NULL, 0, 0),"
                " (3, 'call', 1804528800, 'UTC', NULL, 0, 0);"
                "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES"
                " (1, 1, 1804185000), (2, 1, 1804356000), (2, 3, 1804356000), (3, 2, 1804528800)");
    }
    auto s = store::open(path);
    CHECK(s.goals().summaries().rebuilds == 0);  // not at open: on the first read that needs them
    crm::goal g;
    g.name = "people";
    g.metric = "conversations";
    g.target = 1;
    g.period = crm::period{date::year(2027) / 1 / 1, date::year(2027) / 12 / 31, "2027"};
    const auto as_of = crm::test::at(date::year(2028) / 1 / 1, std::chrono::hours(0));
    CHECK(s.goals().evaluate(g, as_of).value == 3);
    CHECK(s.goals().summaries().rebuilds == 1);
    g.metric = "median_follow_up_days";
    CHECK(s.goals().evaluate(g, as_of).value == Approx(3));  // Ada 2 days (not the talk at the meetup), Grace 4
    CHECK(s.goals().summaries().rebuilds == 1);
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("SELECT count(*) FROM activity_days").getInt() == 3);
    CHECK(check.execAndGet("SELECT count(*) FROM activity_marks").getInt() == 0);
    CHECK(check.execAndGet("SELECT count(*) FROM settings WHERE key = 'activity'").getInt() == 0);
    CHECK(check.execAndGet("SELECT followed_up_at FROM event_attendees WHERE contact_id = 1").getInt64() == 1804356000);
}

TEST_CASE("schema 7 moves IM URIs from URLs to ims, gives phones their E.164 form and contacts a UID",
          "[schema]") {
    crm::test::temp_dir dir;
    const auto path = dir.file("v6.db");
    {
        SQLite::Database db(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
        crm::detail::migrate(db, 6);
        db.exec("INSERT INTO settings(key, value) VALUES ('default_region', 'FR');"
                "INSERT INTO contacts(id, display_name, created_at, updated_at) VALUES"
                " (7, 'Ada Lovelace', 0, 0), (8, 'Grace Hopper', 0, 0);"
                "INSERT INTO contact_channels(contact_id, channel, position, value, kind) VALUES"
                " (7, 'url', 0, 'https://ada.example', 'homepage'),"
                " (7, 'url', 1, 'skype:ada.l', 'skype'),"
                " (7, 'url', 2, 'https://ada.example/blog', 'blog'),"
                " (7, 'url', 3, 'xmpp:ada@jabber.example', 'jabber'),"
                " (7, 'phone', 0, '06 12 34 56 78', 'mobile'),"
                " (7, 'phone', 1, 'ext. 12', 'bad'),"
                " (8, 'email', 0, 'grace@example.com', '');"
                "INSERT INTO contact_properties(contact_id, position, name, value) VALUES (8, 0, 'UID', 'grace-uid');"
                "INSERT INTO contact_search(rowid, names, channels, organization, tags, notes) VALUES"
                " (7, 'Ada Lovelace', 'skype:ada.l', '', '', ''), (8, 'Grace Hopper', '', '', '', '')");
    }
    std::string ada_uid;
    {
        auto s = store::open(path);
        const auto ada = s.contacts().get(7);
        CHECK(ada.urls == std::vector<crm::labeled_value>{{"https://ada.example", "homepage"},
                                                          {"https://ada.example/blog", "blog"}});
        CHECK(ada.ims == std::vector<crm::labeled_value>{{"ada.l", "skype"}, {"ada@jabber.example", "jabber"}});
        REQUIRE(ada.phones.size() == 2);
        CHECK(ada.phones[0].value == "06 12 34 56 78");
        CHECK(ada.phones[0].e164 == "+33612345678");
        CHECK(ada.phones[1].e164.empty());
        REQUIRE(ada.extra.size() == 1);
        CHECK(ada.extra[0].name == "UID");
        CHECK(ada.extra[0].value.starts_with("urn:uuid:"));
        ada_uid = ada.extra[0].value;
        const auto grace = s.contacts().get(8);
        CHECK(grace.extra == std::vector<crm::card_property>{{"", "UID", {}, "grace-uid"}});
        CHECK(s.contacts().search("ada.l").size() == 1);
        CHECK(s.integrity_check() == "ok");
        // The new UID and phone are match keys: a card with either finds Ada.
        auto r = s.imports().import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:A. L.\r\nTEL:+33 6 12 34 56 78\r\n"
                                         "END:VCARD\r\n",
                                         "again.vcf");
        CHECK(r.merged == 1);
    }
    SQLite::Database check(path, SQLite::OPEN_READONLY);
    CHECK(check.execAndGet("PRAGMA user_version").getInt() == store::schema_version);
    CHECK(check.execAndGet("SELECT count(*) FROM settings WHERE key = 'upgrade_contacts_7'").getInt() == 0);
    CHECK(store::open(path).contacts().get(7).extra.front().value == ada_uid);  // made once, stored
}
