// The JSON archive: export the whole store, restore it into an empty one, lose nothing.
#include <catch2/catch.hpp>

#include "crm/archive.hpp"
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/favor_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/ical.hpp"
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

// ---- Schema 4: follow-ups, their rules and history, holiday calendars, the favour ledger ----
namespace {

using std::chrono::hours;
using std::chrono::minutes;

// Every kind of row a store holds, written through the public APIs, on a clock that moves so that
// every change has its own instant. Rules fire as they would in use: meeting Hélène at the meetup
// schedules the after-event follow-up, Grace's referral the thank-you, the coffee pushes Zoë's cadence.
struct ledger_store {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{crm::test::at(2026_y / 3 / 2, hours{8})};
    store s = store::open(dir.file("a.db"), crm::test::options_with_clock(clock.function()));
    contact_id helene = 0, zoe = 0, grace = 0;
    event_id meetup = 0;
    interaction_id coffee = 0;

    ledger_store() {
        s.set_time_zone("Europe/Paris");
        helene = add_contact("Hélène Lefèvre", {"design"});
        zoe = add_contact("Zoë Martin", {});
        grace = add_contact("Grace Hopper", {"investor"});

        auto& f = s.follow_ups();
        f.set_holidays("FR", {{2026_y / 4 / 6, "Lundi de Pâques"}, {2026_y / 5 / 1, "Fête du Travail"}});
        f.set_holidays("US", {{2026_y / 7 / 3, "Independence Day (observed)"}});
        f.add_rule(rule(rule_kind::after_event, {2, step_unit::business_days}, "FR"));
        f.add_rule(rule(rule_kind::after_favor, {1, step_unit::days}, ""));
        auto cadence = rule(rule_kind::cadence, {1, step_unit::months}, "");
        cadence.contact = zoe;
        cadence.time_of_day = minutes{8 * 60 + 30};
        f.add_rule(cadence);
        auto dormant = rule(rule_kind::cadence, {2, step_unit::weeks}, "");
        dormant.tag = "investor";
        dormant.active = false;
        f.add_rule(dormant);

        clock.set(crm::test::at(2026_y / 3 / 3, hours{9}));
        event e;
        e.name = "Rust Paris meetup";
        e.kind = "meetup";
        e.starts_at = crm::test::at(2026_y / 3 / 5, hours{17});
        e.ends_at = crm::test::at(2026_y / 3 / 5, hours{20});
        e.time_zone = "Europe/Paris";
        e.tags = {"rust", "community"};
        e.expenses = {{0, {1250, "EUR"}, "ticket", "early bird"}};
        meetup = s.events().add(e).id;
        s.events().add_attendee(meetup, helene, {std::nullopt, true, zoe});
        goal g;
        g.name = "Meet five people";
        g.metric = "contacts_met";
        g.target = 5;
        g.event = meetup;
        s.goals().add(g);

        clock.set(crm::test::at(2026_y / 3 / 6, hours{10}));
        interaction talk;
        talk.kind = interaction_kind::conversation;
        talk.contacts = {helene};
        talk.event = meetup;
        talk.at = crm::test::at(2026_y / 3 / 5, hours{18});
        s.interactions().log(talk);
        interaction c;
        c.kind = interaction_kind::coffee;
        c.contacts = {zoe};
        c.at = crm::test::at(2026_y / 3 / 6, hours{8});
        coffee = s.interactions().log(c).id;

        favor advice;
        advice.direction = favor_direction::given;
        advice.contact = helene;
        advice.kind = favor_kind::advice;
        advice.weight = 0.5;
        advice.on = 2026_y / 3 / 6;
        advice.note = "portfolio review";
        s.favors().add(advice);
        favor referral;
        referral.direction = favor_direction::received;
        referral.contact = grace;
        referral.kind = favor_kind::referral;
        referral.weight = 3;
        referral.on = 2026_y / 3 / 6;
        s.favors().add(referral, {true});  // the after_favor rule and a thank-you of its own
        favor offer;
        offer.contact = zoe;
        offer.kind = favor_kind::loan;
        offer.status = favor_status::offered;
        s.favors().add(offer);  // today, in Paris
        introduction mine;
        mine.first = helene;
        mine.second = grace;
        mine.on = 2026_y / 3 / 7;
        mine.note = "design for her fund's site";
        s.favors().introduce(mine, 2);
        introduction theirs;
        theirs.introducer = zoe;
        theirs.second = grace;
        s.favors().introduce(theirs);
        s.favors().add_ask(helene, "a printer for posters");
        const auto met = s.favors().add_ask(grace, "an intro to a Rust consultancy");

        clock.set(crm::test::at(2026_y / 3 / 9, hours{11}));
        s.favors().close_ask(met.id, ask_status::met);
        // By hand, in three zones, one due in the hour Paris skips on 2026-03-29.
        auto slides = f.schedule(zoe, "send the slides", due_time::on(2026_y / 3 / 10, hours{10}, "America/New_York"));
        auto call = f.schedule(grace, "call about the fund", due_time::on(2026_y / 3 / 12, hours{15}, "Asia/Kolkata"));
        f.schedule(helene, "poster proofs", due_time::on(2026_y / 3 / 29, minutes{150}, "Europe/Paris"), meetup);
        auto dropped = f.schedule(helene, "book a table", due_time::instant(crm::test::at(2026_y / 3 / 20, hours{12})));
        clock.set(crm::test::at(2026_y / 3 / 10, hours{16}));
        f.complete(slides.id, coffee, std::nullopt, "sent after the coffee");
        f.snooze(call.id, hours{48}, "travelling");
        f.reschedule(call.id, due_time::on(2026_y / 3 / 16, hours{11}, "Asia/Kolkata"));
        f.cancel(dropped.id, "they booked");
        f.reopen(dropped.id);
    }

    contact_id add_contact(const std::string& name, std::vector<std::string> tags) {
        contact c;
        c.display_name = name;
        c.tags = std::move(tags);
        return s.contacts().add(c).id;
    }

    static follow_up_rule rule(rule_kind kind, step every, std::string holidays) {
        follow_up_rule r;
        r.kind = kind;
        r.every = every;
        r.holidays = std::move(holidays);
        return r;
    }
};

std::string calendar_of(store& s) {
    std::ostringstream out;
    ical_options o;
    o.include_done = true;
    export_follow_ups_ics(s, out, o);
    return out.str();
}

// What the two stores answer, compared query by query so that a failure names the query.
void check_same(store& a, store& b) {
    CHECK(b.contacts().list() == a.contacts().list());
    CHECK(b.events().list() == a.events().list());
    for (const auto& e : a.events().list()) CHECK(b.events().attendees(e.id) == a.events().attendees(e.id));
    CHECK(b.interactions().list() == a.interactions().list());
    CHECK(b.goals().list() == a.goals().list());
    CHECK(b.favors().list() == a.favors().list());
    CHECK(b.favors().introductions() == a.favors().introductions());
    for (const auto& i : a.favors().introductions()) CHECK(b.favors().favours_of(i.id) == a.favors().favours_of(i.id));
    CHECK(b.favors().asks(std::nullopt, false) == a.favors().asks(std::nullopt, false));
    CHECK(b.favors().owed() == a.favors().owed());
    CHECK(b.favors().could_help() == a.favors().could_help());
    CHECK(b.follow_ups().rules() == a.follow_ups().rules());
    CHECK(b.follow_ups().list() == a.follow_ups().list());
    for (const auto& f : a.follow_ups().list()) CHECK(b.follow_ups().history(f.id) == a.follow_ups().history(f.id));
    CHECK(b.follow_ups().holidays("FR") == a.follow_ups().holidays("FR"));
    CHECK(b.follow_ups().holidays("US") == a.follow_ups().holidays("US"));
    CHECK(b.id() == a.id());
    CHECK(calendar_of(b) == calendar_of(a));
}

}  // namespace

TEST_CASE("follow-ups, rules, holidays and the favour ledger come back from an export as they were", "[archive]") {
    ledger_store a;
    // The fixture made what it says: otherwise the comparisons below could pass on empty tables.
    REQUIRE(a.s.follow_ups().count() >= 7);  // 4 by hand, after-event, after-favour, thank-you, cadence
    REQUIRE(a.s.favors().list().size() == 6);  // 3 + 2 for the user's introduction + 1 for Zoë's
    const std::string text = export_of(a.s);

    // Both stores on the same time, so that "now" (the calendar's DTSTAMP, a snooze) agrees.
    crm::test::manual_clock clock(crm::test::at(2026_y / 3 / 10, hours{16}));
    auto b = store::open(a.dir.file("b.db"), crm::test::options_with_clock(clock.function()));
    const std::string fresh_id = b.id();
    REQUIRE_FALSE(fresh_id.empty());
    REQUIRE(fresh_id != a.s.id());
    std::istringstream in(text);
    const auto summary = b.archive().restore(in, "backup.json");

    CHECK(summary.contacts == 3);
    CHECK(summary.events == 1);
    CHECK(summary.interactions == 2);
    CHECK(summary.goals == 1);
    CHECK(summary.introductions == 2);
    CHECK(summary.favors == 6);
    CHECK(summary.follow_up_rules == 4);
    CHECK(summary.follow_ups == a.s.follow_ups().count());
    std::size_t changes = 0;
    for (const auto& f : a.s.follow_ups().list()) changes += a.s.follow_ups().history(f.id).size();
    CHECK(summary.follow_up_history == changes);
    CHECK(summary.asks == 2);
    CHECK(summary.holidays == 3);

    check_same(a.s, b);
    CHECK(b.id() != fresh_id);  // the calendar's UIDs are the exported store's
    CHECK(without_export_time(export_of(b)) == without_export_time(text));
    CHECK(b.integrity_check() == "ok");

    // Life goes on the same in both: the history and the iCalendar SEQUENCE continue from where
    // they were, and the due-time arithmetic reads the restored holidays and zones.
    a.clock.set(crm::test::at(2026_y / 3 / 11, hours{7}));
    clock.set(crm::test::at(2026_y / 3 / 11, hours{7}));
    follow_up_filter open_only;
    open_only.status = follow_up_status::open;
    const auto open = a.s.follow_ups().list(open_only);
    REQUIRE_FALSE(open.empty());
    CHECK(b.follow_ups().snooze(open.front().id, hours{24}, "later") ==
          a.s.follow_ups().snooze(open.front().id, hours{24}, "later"));
    CHECK(b.follow_ups().due(crm::test::at(2026_y / 4 / 1)) == a.s.follow_ups().due(crm::test::at(2026_y / 4 / 1)));
    check_same(a.s, b);
}

TEST_CASE("the export of schema 4 writes dates, zones and histories as documented", "[archive]") {
    ledger_store a;
    auto doc = nlohmann::json::parse(export_of(a.s));
    CHECK(doc["settings"]["store_id"] == a.s.id());
    REQUIRE(doc["holidays"].size() == 3);
    CHECK(doc["holidays"][0] == nlohmann::json{{"calendar", "FR"}, {"day", "2026-04-06"}, {"name", "Lundi de Pâques"}});
    CHECK(doc["favors"][0]["weight"] == 0.5);
    CHECK(doc["favors"][0]["on_date"] == "2026-03-06");
    CHECK(doc["introductions"][1]["first_id"].is_null());
    CHECK(doc["follow_up_rules"][3]["active"] == false);
    CHECK(doc["asks"][1]["status"] == "met");
    CHECK(doc["asks"][1]["closed_at"] == "2026-03-09T11:00:00Z");
    bool kolkata = false, new_york = false, dst_gap = false;
    for (const auto& f : doc["follow_ups"]) {
        REQUIRE(f["history"].size() >= 1);
        CHECK(f["history"][0]["action"] == "created");
        CHECK(f["history"][0]["seq"].is_number_integer());
        if (f["reason"] == "call about the fund") {
            kolkata = true;
            CHECK(f["time_zone"] == "Asia/Kolkata");
            CHECK(f["due_at"] == "2026-03-16T05:30:00Z");  // 11:00 at +05:30
            CHECK(f["history"].size() == 3);               // created, snoozed, rescheduled
            CHECK(f["sequence"] == 2);
        }
        if (f["reason"] == "send the slides") {
            new_york = true;
            CHECK(f["status"] == "done");
            CHECK(f["completed_by"] == a.coffee);
            CHECK(f["due_at"] == "2026-03-10T14:00:00Z");  // 10:00 EDT: New York moved its clocks on 03-08
        }
        if (f["reason"] == "poster proofs") {
            dst_gap = true;
            CHECK(f["due_at"] == "2026-03-29T01:30:00Z");  // 02:30 does not exist in Paris that day: 03:30 CEST
            CHECK(f["event_id"] == a.meetup);
        }
    }
    CHECK((kolkata && new_york && dst_gap));
}

TEST_CASE("an export from before schema 4 restores and keeps the new store's id", "[archive]") {
    ledger_store a;
    auto j = nlohmann::json::parse(export_of(a.s));
    j["schema_version"] = 3;
    for (const char* key : {"introductions", "favors", "follow_up_rules", "follow_ups", "asks", "holidays"}) j.erase(key);
    j["settings"].erase("store_id");
    auto b = store::open(":memory:");
    const auto own = b.id();
    std::istringstream in(j.dump());
    const auto summary = b.archive().restore(in, "old.json");
    CHECK(summary.contacts == 3);
    CHECK(summary.interactions == 2);
    CHECK(summary.follow_ups == 0);
    CHECK(summary.favors == 0);
    CHECK(summary.holidays == 0);
    CHECK(b.contacts().list() == a.s.contacts().list());
    CHECK(b.interactions().list() == a.s.interactions().list());
    CHECK(b.follow_ups().count() == 0);  // restoring runs no rule
    CHECK(b.id() == own);
    CHECK(b.integrity_check() == "ok");
}

TEST_CASE("a schema 4 row the database refuses is reported with its place and nothing is written", "[archive]") {
    ledger_store a;
    auto j = nlohmann::json::parse(export_of(a.s));
    std::string expected;
    SECTION("a favour of an unknown kind") {
        j["favors"][1]["kind"] = "gift";
        expected = "x.json: favors[1]: refused by the database";
    }
    SECTION("a weight of zero") {
        j["favors"][0]["weight"] = 0;
        expected = "x.json: favors[0]: refused by the database";
    }
    SECTION("an introduction by someone of the user to someone else") {
        j["introductions"][1]["first_id"] = a.helene;
        expected = "x.json: introductions[1]: refused by the database";
    }
    SECTION("an action a follow-up's history cannot have") {
        j["follow_ups"][0]["history"][0]["action"] = "forgotten";
        expected = "x.json: follow_ups[0].history[0]: refused by the database";
    }
    SECTION("a follow-up in a zone that does not exist") {
        j["follow_ups"][2]["time_zone"] = "Europe/Atlantis";
        expected = "x.json: follow_ups[2]: time_zone";
    }
    SECTION("an ask with no text") {
        j["asks"][0]["text"] = "";
        expected = "x.json: asks[0]: refused by the database";
    }
    SECTION("a rule counting in fortnights") {
        j["follow_up_rules"][2]["unit"] = "fortnights";
        expected = "x.json: follow_up_rules[2]: refused by the database";
    }
    SECTION("a holiday on a day that does not exist") {
        j["holidays"][1]["day"] = "2026-02-30";
        expected = "x.json: holidays[1]: day: '2026-02-30' is not a calendar date";
    }
    SECTION("a favour dated in another shape") {
        j["favors"][0]["on_date"] = "06/03/2026";
        expected = "x.json: favors[0]: on_date";
    }
    SECTION("a history change without its instant") {
        j["follow_ups"][1]["history"][0].erase("at");
        expected = "x.json: follow_ups[1].history[0]: missing \"at\"";
    }
    SECTION("a follow-up thanking for a favour the export does not have") {
        for (auto& f : j["follow_ups"])
            if (!f["favor_id"].is_null()) f["favor_id"] = 999;
        expected = "a row of follow_ups refers to a favour id the export does not have";
    }
    SECTION("a favour counting for an introduction the export does not have") {
        for (auto& f : j["favors"])
            if (!f["introduction_id"].is_null()) f["introduction_id"] = 999;
        expected = "a row of favors refers to an introduction id the export does not have";
    }
    SECTION("an empty store id") {
        j["settings"]["store_id"] = "";
        expected = "x.json: setting \"store_id\" is empty";
    }
    auto b = store::open(":memory:");
    const auto own = b.id();
    std::istringstream in(j.dump());
    CHECK_THROWS_WITH(b.archive().restore(in, "x.json"), Catch::Contains(expected));
    CHECK(b.contacts().count() == 0);
    CHECK(b.follow_ups().count() == 0);
    CHECK(b.favors().list().empty());
    CHECK(b.follow_ups().holidays("FR").empty());
    CHECK(b.id() == own);
}

TEST_CASE("restoring into a store that has only holidays or only a rule is refused", "[archive]") {
    ledger_store a;
    const std::string text = export_of(a.s);
    auto b = store::open(":memory:");
    SECTION("holidays") {
        b.follow_ups().set_holidays("FR", {{2026_y / 5 / 1, "Fête du Travail"}});
        std::istringstream in(text);
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"),
                          Catch::Contains("needs an empty database; this one has holidays"));
    }
    SECTION("a rule") {
        auto r = ledger_store::rule(rule_kind::after_event, {2, step_unit::days}, "");
        b.follow_ups().add_rule(r);
        std::istringstream in(text);
        CHECK_THROWS_WITH(b.archive().restore(in, "x.json"),
                          Catch::Contains("needs an empty database; this one has follow-up rules"));
    }
    CHECK(b.contacts().count() == 0);
}
