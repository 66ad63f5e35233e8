// An import tied to an event: the people it brings in were met there, and undoing it takes exactly
// that attendance back.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/importer.hpp"
#include "crm/store.hpp"
#include "crm/time_zone.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::store;
using crm::test::at;

namespace {

const std::string cards =
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kenji Nakamura\r\nEMAIL:kenji@sora.example\r\nEND:VCARD\r\n"
    "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Lucia Garcia\r\nEMAIL:lucia@brightwave.example\r\nEND:VCARD\r\n";

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{at(2026_y / 10 / 9, 8h)};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    crm::event meetup;
    crm::contact_id ada = 0;  // known before the meetup

    fixture() {
        s.set_time_zone("Europe/Paris");
        crm::contact c;
        c.display_name = "Ada Lovelace";
        c.emails = {{"ada@example.com", "work"}};
        ada = s.contacts().add(c).id;
        crm::event e;
        e.name = "Paris Design Meetup";
        e.starts_at = crm::from_local(date::local_days{2026_y / 10 / 8} + 19h, "Europe/Paris");  // a Thursday
        e.time_zone = "Europe/Paris";
        meetup = s.events().add(e);
    }
    crm::import_report import() {
        crm::import_options o;
        o.event = meetup.id;
        return s.imports().import_text(cards, "phone.vcf", o);
    }
    crm::contact_id id_of(const std::string& name) {
        for (const auto& c : s.contacts().list())
            if (c.display_name == name) return c.id;
        FAIL("no contact " << name);
        return 0;
    }
};

}  // namespace

TEST_CASE("everyone an import tied to an event adds or merges into was met there", "[importer][events]") {
    fixture f;
    auto report = f.import();
    CHECK(report.added == 2);
    CHECK(report.merged == 1);
    auto people = f.s.events().attendees(f.meetup.id);
    REQUIRE(people.size() == 3);
    for (const auto& a : people) {
        CHECK(a.met_at == f.meetup.starts_at);
        // New people were met for the first time; Ada was known before.
        CHECK(a.first_meeting == (a.contact != f.ada));
    }
    CHECK(f.s.events().first_met(f.id_of("Kenji Nakamura"))->event == f.meetup.id);
    CHECK_FALSE(f.s.events().first_met(f.ada));
    CHECK(f.s.contacts().get(f.id_of("Lucia Garcia")).how_met == "Met at Paris Design Meetup");
    CHECK(f.s.imports().batch(report.batch).event == f.meetup.id);
}

TEST_CASE("an import tied to an event runs the after-event follow-up rules", "[importer][events]") {
    fixture f;
    crm::follow_up_rule rule;
    rule.kind = crm::rule_kind::after_event;
    rule.every = crm::step{2, crm::step_unit::business_days};
    f.s.follow_ups().add_rule(rule);
    f.import();
    auto made = f.s.follow_ups().list();
    CHECK(made.size() == 3);
    for (const auto& fu : made) {
        CHECK(fu.event == f.meetup.id);
        // Thursday + 2 business days = Monday 09:00 Paris.
        CHECK(fu.due_at == crm::from_local(date::local_days{2026_y / 10 / 12} + 9h, "Europe/Paris"));
    }
}

TEST_CASE("undoing an import tied to an event takes back the attendance it recorded, and only that",
          "[importer][events]") {
    fixture f;
    crm::event other = f.meetup;
    other.id = 0;
    other.name = "Dinner";
    other = f.s.events().add(other);
    f.s.events().add_attendee(other.id, f.ada);  // Ada's other meeting stays
    auto report = f.import();
    REQUIRE(f.s.events().attendees(f.meetup.id).size() == 3);
    f.s.imports().undo(report.batch);
    CHECK(f.s.events().attendees(f.meetup.id).empty());
    CHECK(f.s.events().attendees(other.id).size() == 1);
    CHECK(f.s.contacts().count() == 1);
    CHECK(f.s.integrity_check() == "ok");

    // Attendance recorded before the import is not the import's to take back.
    fixture g;
    g.s.events().add_attendee(g.meetup.id, g.ada);
    auto again = g.import();
    g.s.imports().undo(again.batch);
    auto left = g.s.events().attendees(g.meetup.id);
    REQUIRE(left.size() == 1);
    CHECK(left[0].contact == g.ada);
}

TEST_CASE("an import tied to an unknown event is refused before anything is written", "[importer][events]") {
    fixture f;
    crm::import_options o;
    o.event = f.meetup.id + 100;
    CHECK_THROWS_AS(f.s.imports().import_text(cards, "phone.vcf", o), crm::not_found);
    CHECK(f.s.imports().batches().empty());
    CHECK(f.s.contacts().count() == 1);
}

TEST_CASE("an import tied to an earlier event moves a merged contact's first meeting there, and undo gives it back",
          "[importer][events][first]") {
    fixture f;
    crm::event conference = f.meetup;
    conference.id = 0;
    conference.name = "Web Summit";
    conference.starts_at = f.meetup.starts_at + date::days{30};  // met Ada there first, as recorded so far
    conference = f.s.events().add(conference);
    REQUIRE(f.s.events().add_attendee(conference.id, f.ada).first_meeting);

    auto report = f.import();  // last month's meetup cards, backfilled
    CHECK(report.merged == 1);
    REQUIRE(f.s.events().first_met(f.ada));
    CHECK(f.s.events().first_met(f.ada)->event == f.meetup.id);
    for (const auto& a : f.s.events().attended(f.ada)) CHECK(a.first_meeting == (a.event == f.meetup.id));

    f.s.imports().undo(report.batch);
    REQUIRE(f.s.events().first_met(f.ada));
    CHECK(f.s.events().first_met(f.ada)->event == conference.id);
    CHECK(f.s.integrity_check() == "ok");
}
