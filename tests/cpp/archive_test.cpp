// The JSON archive: export the whole store, restore it into an empty one, lose nothing.
#include <catch2/catch.hpp>

#include "crm/archive.hpp"
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/importer.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/Database.h>
#include <nlohmann/json.hpp>

#include <sstream>

using namespace crm;
using namespace date::literals;

namespace {

std::string without_export_time(std::string s) {
    auto j = nlohmann::json::parse(s);
    j.erase("exported_at");
    return j.dump();
}

// A store with a bit of everything: references, notes, kept properties, a merge and imports.
void fill(store& s) {
    s.set_default_region("FR");
    contact a;
    a.display_name = "Hélène Lefèvre";
    a.name = {"Dr.", "Hélène", "", "Lefèvre", ""};
    a.organization = "Atelier";
    a.emails = {{"helene@atelier.example", "work"}};
    a.phones = {{"06 12 34 56 78", "mobile"}};
    a.addresses = {{"work", "", "", "1 rue de Rivoli", "Paris", "", "75001", "France"}};
    a.tags = {"potential-client", "design"};
    a.birthday = partial_date(date::month{4}, date::day{15});
    a.notes = {{crm::test::at(2026_y / 10 / 8, std::chrono::hours{17}), "likes jazz"}};
    a.extra = {{"item1", "X-ABLABEL", {}, "studio"}, {"", "X-X", {{"TYPE", {"a", "b"}}}, "v;w"}};
    auto ada = s.contacts().add(a);
    contact b;
    b.display_name = "Zoë Martin";
    b.introduced_by = ada.id;
    s.contacts().add(b);
    contact dup;
    dup.display_name = "Z. Martin";
    dup.emails = {{"zoe@lumen.example", ""}};
    auto d = s.contacts().add(dup);
    s.contacts().merge(ada.id + 1, d.id);
    s.imports().import_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\nORG:Navy\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:GRACE HOPPER\r\nEMAIL:g2@example.com\r\nORG:navy\r\nEND:VCARD\r\n"
        "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:nameless\r\nEND:VCARD\r\n",
        "cards.vcf");
    s.imports().import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada\r\nEMAIL:helene@atelier.example\r\nEND:VCARD\r\n",
                            "merge.vcf");
}

std::string export_of(store& s) {
    std::ostringstream out;
    s.archive().write(out);
    return out.str();
}

}  // namespace

TEST_CASE("an export restored into an empty store gives the same store", "[archive]") {
    crm::test::temp_dir dir;
    auto original = store::open(dir.file("a.db"));
    fill(original);
    const std::string text = export_of(original);

    auto copy = store::open(dir.file("b.db"));
    std::istringstream in(text);
    auto summary = copy.archive().restore(in, "backup.json");
    CHECK(summary.contacts == original.contacts().count());
    CHECK(summary.merges == 1);
    CHECK(summary.batches == 2);

    CHECK(copy.contacts().list() == original.contacts().list());
    CHECK(copy.default_region() == "FR");
    for (const auto& c : original.contacts().list())
        CHECK(copy.contacts().merge_history(c.id) == original.contacts().merge_history(c.id));
    REQUIRE(copy.imports().batches().size() == 2);
    CHECK(copy.imports().report(1).suggested == original.imports().report(1).suggested);
    CHECK(copy.imports().report(1).rejected == original.imports().report(1).rejected);
    CHECK(without_export_time(export_of(copy)) == without_export_time(text));
    CHECK(copy.contacts().search("helene").size() == 1);
    CHECK(copy.integrity_check() == "ok");
}

TEST_CASE("an import batch restored from an export can still be undone", "[archive]") {
    crm::test::temp_dir dir;
    auto original = store::open(dir.file("a.db"));
    fill(original);
    auto copy = store::open(dir.file("b.db"));
    std::istringstream in(export_of(original));
    copy.archive().restore(in, "backup.json");
    const auto before = copy.contacts().count();
    copy.imports().undo(2);
    CHECK(copy.contacts().count() == before);  // batch 2 only merged
    CHECK(copy.contacts().search("helene").at(0).display_name == "Hélène Lefèvre");
}

TEST_CASE("restoring into a store that has contacts is refused and changes nothing", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto b = store::open(":memory:");
    contact c;
    c.display_name = "Already here";
    b.contacts().add(c);
    std::istringstream in(export_of(a));
    CHECK_THROWS_WITH(b.archive().restore(in, "backup.json"), Catch::Contains("needs an empty database"));
    CHECK(b.contacts().count() == 1);
}

TEST_CASE("a document that is not JSON is refused naming the byte", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"format\": \"netcrm\", oops}");
    CHECK_THROWS_WITH(s.archive().restore(in, "x.json"), Catch::Contains("x.json: not valid JSON at byte"));
}

TEST_CASE("JSON that is not a netcrm export is refused", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"contacts\": []}");
    CHECK_THROWS_AS(s.archive().restore(in, "x.json"), crm::invalid_input);
}

TEST_CASE("an export from a newer schema is refused as incompatible", "[archive]") {
    auto s = store::open(":memory:");
    std::istringstream in("{\"format\": \"netcrm\", \"schema_version\": " + std::to_string(store::schema_version + 1) +
                          ", \"contacts\": []}");
    CHECK_THROWS_AS(s.archive().restore(in, "x.json"), crm::incompatible_database);
}

TEST_CASE("a restore with a bad record writes nothing", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto j = nlohmann::json::parse(export_of(a));
    j["contacts"][1]["emails"][0]["value"] = "";  // an empty email breaks a rule
    auto b = store::open(":memory:");
    std::istringstream in(j.dump());
    CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("x.json: contacts[1]"));
    CHECK(b.contacts().count() == 0);
    CHECK(b.imports().batches().empty());
    CHECK(b.default_region().empty());
}

TEST_CASE("a restore whose references point nowhere is refused", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto j = nlohmann::json::parse(export_of(a));
    for (auto& c : j["contacts"])
        if (!c["introduced_by"].is_null()) c["introduced_by"] = 999;
    auto b = store::open(":memory:");
    std::istringstream in(j.dump());
    CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("refers to a contact id"));
    CHECK(b.contacts().count() == 0);
}

// Events and goals are written here with SQL on their tables, as their stores would write them:
// the archive works on tables, and this keeps its tests about the archive alone.
namespace {

void add_events_and_goals(const std::string& path, contact_id met, contact_id introducer) {
    SQLite::Database db(path, SQLite::OPEN_READWRITE);
    db.exec("PRAGMA foreign_keys = ON");
    db.exec("INSERT INTO events(id, name, kind, starts_at, ends_at, time_zone, location, notes, created_at, updated_at) "
            "VALUES (5, 'Rust Paris meetup', 'meetup', 1772816400, 1772827200, 'Europe/Paris', 'Station F', "
            "'pizza', 1772000000, 1772000100), "
            "(9, 'Founders dinner', 'dinner', 1775000000, NULL, 'America/New_York', '', '', 1772000200, 1772000200)");
    db.exec("INSERT INTO event_tags(event_id, position, tag) VALUES (5, 0, 'rust'), (5, 1, 'community')");
    db.exec("INSERT INTO event_expenses(id, event_id, amount, currency, category, note) VALUES "
            "(3, 5, 1250, 'EUR', 'ticket', 'early bird'), (4, 5, 30000, 'JPY', 'travel', '')");
    db.exec("INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting, introduced_by) VALUES "
            "(5, " + std::to_string(met) + ", 1772818000, 1, " + std::to_string(introducer) + "), "
            "(9, " + std::to_string(introducer) + ", 1775000000, 0, NULL)");
    db.exec("INSERT INTO goals(id, name, metric, comparison, target, currency, event_id, period_first, period_last, "
            "period_label, filter, created_at) VALUES "
            "(2, 'Meet five people', 'contacts_met', '>=', 5, '', 5, NULL, NULL, '', '{}', 1772000300), "
            "(7, 'Spend under 2500.50 in Q1', 'spent', '<', 2500.5, 'EUR', NULL, '2026-01-01', '2026-03-31', "
            "'Q1 2026', '{\"tags\":[\"rust\"],\"kinds\":[\"meetup\"]}', 1772000400)");
}

// fill() plus two events, goals, interactions (one at an event, one with two people) and a zone.
struct full_store {
    crm::test::temp_dir dir;
    store s = store::open(dir.file("a.db"), crm::test::options_with_clock(crm::test::fixed_clock(
                                                  crm::test::at(2026_y / 3 / 10, std::chrono::hours{8}))));
    full_store() {
        fill(s);
        s.set_time_zone("Asia/Kolkata");
        auto people = s.contacts().list();
        add_events_and_goals(s.path(), people.at(0).id, people.at(1).id);
        interaction at_event;
        at_event.kind = interaction_kind::conversation;
        at_event.contacts = {people.at(0).id};
        at_event.event = 5;
        at_event.at = crm::test::at(2026_y / 3 / 6, std::chrono::hours{18}, std::chrono::minutes{30});
        at_event.notes = "needs a designer; cares about accessibility";
        s.interactions().log(at_event);
        interaction coffee;
        coffee.kind = interaction_kind::coffee;
        coffee.contacts = {people.at(1).id, people.at(0).id};
        coffee.at = crm::test::at(2026_y / 3 / 8, std::chrono::hours{9});
        s.interactions().log(coffee);
    }
};

}  // namespace

TEST_CASE("events, interactions, goals and the time zone come back from an export with their ids", "[archive]") {
    full_store a;
    const std::string text = export_of(a.s);
    auto doc = nlohmann::json::parse(text);
    REQUIRE(doc["events"].size() == 2);
    CHECK(doc["events"][0]["tags"] == nlohmann::json::array({"rust", "community"}));
    CHECK(doc["events"][0]["expenses"][1]["amount_minor"] == 30000);
    CHECK(doc["events"][0]["attendees"][0]["first_meeting"] == true);
    CHECK(doc["events"][1]["ends_at"].is_null());
    REQUIRE(doc["interactions"].size() == 2);
    CHECK(doc["interactions"][0]["time_zone"] == "Europe/Paris");  // the event's
    CHECK(doc["interactions"][1]["time_zone"] == "Asia/Kolkata");  // the store's
    CHECK(doc["interactions"][1]["contacts"].size() == 2);
    CHECK(doc["goals"][1]["target"] == 2500.5);
    CHECK(doc["goals"][1]["filter"]["kinds"] == nlohmann::json::array({"meetup"}));
    CHECK(doc["settings"]["time_zone"] == "Asia/Kolkata");

    auto b = store::open(a.dir.file("b.db"));
    std::istringstream in(text);
    auto summary = b.archive().restore(in, "backup.json");
    CHECK(summary.events == 2);
    CHECK(summary.interactions == 2);
    CHECK(summary.goals == 2);
    CHECK(b.time_zone() == "Asia/Kolkata");
    CHECK(b.interactions().list() == a.s.interactions().list());
    CHECK(b.interactions().last_per_contact() == a.s.interactions().last_per_contact());
    CHECK(without_export_time(export_of(b)) == without_export_time(text));
    CHECK(b.integrity_check() == "ok");
    // The participants' copy of `at` is rebuilt: the per-contact queries see the restored log.
    const auto first = a.s.contacts().list().at(0).id;
    CHECK(b.interactions().with_contact(first) == a.s.interactions().with_contact(first));
}

TEST_CASE("an export from before events and interactions still restores", "[archive]") {
    auto a = store::open(":memory:");
    fill(a);
    auto j = nlohmann::json::parse(export_of(a));
    j["schema_version"] = 2;
    j.erase("events");
    j.erase("interactions");
    j.erase("goals");
    for (auto& batch : j["imports"]) {
        batch.erase("event_id");
        for (auto& c : batch["changes"]) c.erase("attended");
    }
    auto b = store::open(":memory:");
    std::istringstream in(j.dump());
    auto summary = b.archive().restore(in, "old.json");
    CHECK(summary.contacts == a.contacts().count());
    CHECK(summary.events == 0);
    CHECK(summary.interactions == 0);
    CHECK(b.contacts().list() == a.contacts().list());
    CHECK(without_export_time(export_of(b)) == without_export_time(export_of(a)));
}

TEST_CASE("a restored interaction that names a missing contact or event is refused", "[archive]") {
    full_store a;
    auto j = nlohmann::json::parse(export_of(a.s));
    SECTION("a contact") {
        j["interactions"][1]["contacts"][0] = 999;
        auto b = store::open(":memory:");
        std::istringstream in(j.dump());
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"),
                          Catch::Contains("interaction_contacts refers to a contact id the export does not have"));
        CHECK(b.contacts().count() == 0);
        CHECK(b.interactions().count() == 0);
    }
    SECTION("an event") {
        j["interactions"][0]["event_id"] = 999;
        auto b = store::open(":memory:");
        std::istringstream in(j.dump());
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("refers to an event id"));
    }
    SECTION("a kind") {
        j["interactions"][1]["kind"] = "lunch";
        auto b = store::open(":memory:");
        std::istringstream in(j.dump());
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"),
                          Catch::Contains("x.json: interactions[1]") && Catch::Contains("'lunch'"));
    }
    SECTION("nobody") {
        j["interactions"][1]["contacts"] = nlohmann::json::array();
        auto b = store::open(":memory:");
        std::istringstream in(j.dump());
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("at least one contact"));
    }
    SECTION("an expense the schema refuses") {
        j["events"][0]["expenses"][0]["currency"] = "eur";
        auto b = store::open(":memory:");
        std::istringstream in(j.dump());
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains("x.json: events[0].expenses[0]"));
    }
}

TEST_CASE("restoring into a store that has interactions or events is refused", "[archive]") {
    full_store a;
    const std::string text = export_of(a.s);
    std::istringstream in(text);
    CHECK_THROWS_WITH(a.s.archive().restore(in, "x.json"), Catch::Contains("needs an empty database"));
    // Events alone (no contacts) are enough to refuse.
    crm::test::temp_dir dir;
    auto b = store::open(dir.file("b.db"));
    {
        SQLite::Database db(b.path(), SQLite::OPEN_READWRITE);
        db.exec("INSERT INTO events(id, name, kind, starts_at, time_zone, created_at, updated_at) "
                "VALUES (1, 'x', '', 0, 'UTC', 0, 0)");
    }
    std::istringstream again(text);
    CHECK_THROWS_WITH(b.archive().restore(again, "x.json"), Catch::Contains("needs an empty database"));
}
