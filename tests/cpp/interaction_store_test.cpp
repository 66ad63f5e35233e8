// The interaction log: what happened with whom, kept in time order, and who has gone quiet.
#include <catch2/catch.hpp>

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/importer.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <chrono>
#include <cmath>

using namespace crm;
using namespace date::literals;
using namespace std::chrono_literals;
using crm::test::at;

namespace {

// A store on a manual clock, in Paris, with three contacts.
struct fixture {
    crm::test::manual_clock clock{at(2026_y / 3 / 1, 9h)};
    store s = store::open(":memory:", crm::test::options_with_clock(clock.function()));
    contact_id ada = 0, grace = 0, linus = 0;

    fixture() {
        s.set_time_zone("Europe/Paris");
        ada = add("Ada Lovelace");
        grace = add("Grace Hopper");
        linus = add("Linus Torvalds");
    }
    contact_id add(const std::string& name) {
        contact c;
        c.display_name = name;
        return s.contacts().add(c).id;
    }
    interaction_store& log() { return s.interactions(); }
    event_id meetup(const std::string& zone) {
        event e;
        e.name = "Rust meetup";
        e.kind = "meetup";
        e.starts_at = at(2026_y / 3 / 5, 18h);
        e.time_zone = zone;
        return s.events().add(e).id;
    }
    interaction make(std::vector<contact_id> who, date::sys_seconds when,
                     interaction_kind kind = interaction_kind::conversation, std::string notes = "") {
        interaction i;
        i.kind = kind;
        i.contacts = std::move(who);
        i.at = when;
        i.notes = std::move(notes);
        return i;
    }
    interaction add(std::vector<contact_id> who, date::sys_seconds when,
                    interaction_kind kind = interaction_kind::conversation) {
        return log().log(make(std::move(who), when, kind));
    }
};

std::vector<interaction_id> ids(const std::vector<interaction>& is) {
    std::vector<interaction_id> out;
    for (const auto& i : is) out.push_back(i.id);
    return out;
}

}  // namespace

TEST_CASE("interaction kinds have names and a wrong name lists the accepted ones", "[interactions]") {
    for (auto k : {interaction_kind::conversation, interaction_kind::meeting, interaction_kind::call,
                   interaction_kind::email, interaction_kind::message, interaction_kind::coffee, interaction_kind::meal,
                   interaction_kind::other})
        CHECK(parse_interaction_kind(to_string(k)) == k);
    CHECK(to_string(interaction_kind::coffee) == "coffee");
    CHECK_THROWS_WITH(parse_interaction_kind("lunch"),
                      Catch::Contains("'lunch'") &&
                          Catch::Contains("conversation, meeting, call, email, message, coffee, meal, other"));
    CHECK_THROWS_AS(parse_interaction_kind("Coffee"), invalid_input);
}

TEST_CASE("a logged interaction comes back as stored, contacts in id order, in the store's zone", "[interactions]") {
    fixture f;
    f.clock.set(at(2026_y / 3 / 2, 18h));
    auto i = f.make({f.linus, f.ada}, at(2026_y / 3 / 2, 17h, 30min), interaction_kind::coffee,
                    "Wants an intro to a hardware founder; cares about open source");
    i.id = 42;  // ignored
    auto stored = f.log().log(i);
    CHECK(stored.id != 42);
    CHECK(stored.id > 0);
    CHECK(stored.contacts == std::vector<contact_id>{f.ada, f.linus});
    CHECK(stored.time_zone == "Europe/Paris");
    CHECK(stored.created_at == at(2026_y / 3 / 2, 18h));
    CHECK(stored.updated_at == stored.created_at);
    CHECK(stored.kind == interaction_kind::coffee);
    CHECK_FALSE(stored.event);
    CHECK(f.log().get(stored.id) == stored);
    CHECK(f.log().find(stored.id) == stored);
    CHECK_FALSE(f.log().find(stored.id + 1));
    CHECK_THROWS_AS(f.log().get(stored.id + 1), not_found);
}

TEST_CASE("an interaction keeps the zone it was lived in", "[interactions]") {
    fixture f;
    for (const char* zone : {"America/New_York", "Asia/Kolkata", "Europe/Paris"}) {
        auto i = f.make({f.ada}, at(2026_y / 3 / 29, 1h, 30min));  // 03:30 in Paris, the night clocks go forward
        i.time_zone = zone;
        auto stored = f.log().log(i);
        CHECK(f.log().get(stored.id).time_zone == zone);
        CHECK(f.log().get(stored.id).at == at(2026_y / 3 / 29, 1h, 30min));
    }
}

TEST_CASE("logging checks contacts and zone, names what is wrong and writes nothing", "[interactions]") {
    fixture f;
    SECTION("no contact") {
        CHECK_THROWS_WITH(f.log().log(f.make({}, at(2026_y / 3 / 1))),
                          Catch::Contains("contacts") && Catch::Contains("at least one"));
    }
    SECTION("a contact twice") {
        CHECK_THROWS_WITH(f.log().log(f.make({f.grace, f.ada, f.grace}, at(2026_y / 3 / 1))),
                          Catch::Contains("contact " + std::to_string(f.grace) + " is listed twice"));
    }
    SECTION("an unknown contact") {
        try {
            f.log().log(f.make({f.ada, 999}, at(2026_y / 3 / 1)));
            FAIL("no error");
        } catch (const not_found& e) {
            CHECK(e.kind() == "contact");
            CHECK(e.id() == 999);
            CHECK(std::string(e.what()) == "no contact with id 999");
        }
    }
    SECTION("an unknown event") {
        auto i = f.make({f.ada}, at(2026_y / 3 / 1));
        i.event = 77;
        try {
            f.log().log(i);
            FAIL("no error");
        } catch (const not_found& e) {
            CHECK(e.kind() == "event");
            CHECK(e.id() == 77);
        }
    }
    SECTION("an unknown zone") {
        auto i = f.make({f.ada}, at(2026_y / 3 / 1));
        i.time_zone = "Europe/Pariss";
        CHECK_THROWS_WITH(f.log().log(i), Catch::Contains("time_zone") && Catch::Contains("Europe/Pariss"));
    }
    SECTION("notes that are not UTF-8") {
        CHECK_THROWS_AS(f.log().log(f.make({f.ada}, at(2026_y / 3 / 1), interaction_kind::call, "caf\xe9")),
                        invalid_input);
    }
    SECTION("a kind out of range") {
        CHECK_THROWS_WITH(f.log().log(f.make({f.ada}, at(2026_y / 3 / 1), static_cast<interaction_kind>(42))),
                          Catch::Contains("kind"));
    }
    CHECK(f.log().count() == 0);
    CHECK(f.log().last_per_contact().empty());
}

TEST_CASE("the log lists in time order, then id, either way, in pages", "[interactions]") {
    fixture f;
    auto late = f.add({f.ada}, at(2026_y / 3 / 5, 12h));
    auto early = f.add({f.grace}, at(2026_y / 3 / 1, 12h));
    auto tie1 = f.add({f.linus}, at(2026_y / 3 / 3, 12h));
    auto tie2 = f.add({f.ada, f.grace}, at(2026_y / 3 / 3, 12h));
    CHECK(ids(f.log().list()) == std::vector{early.id, tie1.id, tie2.id, late.id});
    interaction_filter newest;
    newest.newest_first = true;
    CHECK(ids(f.log().list(newest)) == std::vector{late.id, tie2.id, tie1.id, early.id});
    interaction_filter page;
    page.limit = 2;
    page.offset = 1;
    CHECK(ids(f.log().list(page)) == std::vector{tie1.id, tie2.id});
    page.limit = 0;
    CHECK(ids(f.log().list(page)) == std::vector{tie1.id, tie2.id, late.id});
    CHECK(f.log().count(page) == 4);  // limit and offset do not change the count
    CHECK(ids(f.log().with_contact(f.ada)) == std::vector{tie2.id, late.id});
    CHECK_THROWS_AS(f.log().with_contact(999), not_found);
}

TEST_CASE("the log filters by contact, kind and a half-open time range", "[interactions]") {
    fixture f;
    auto a1 = f.add({f.ada}, at(2026_y / 3 / 1, 10h), interaction_kind::call);
    auto a2 = f.add({f.ada, f.grace}, at(2026_y / 3 / 2, 10h), interaction_kind::coffee);
    auto g1 = f.add({f.grace}, at(2026_y / 3 / 3, 10h), interaction_kind::coffee);
    auto a3 = f.add({f.ada}, at(2026_y / 3 / 4, 10h), interaction_kind::coffee);

    interaction_filter by_kind;
    by_kind.kind = interaction_kind::coffee;
    CHECK(ids(f.log().list(by_kind)) == std::vector{a2.id, g1.id, a3.id});
    CHECK(f.log().count(by_kind) == 3);

    interaction_filter both;
    both.contact = f.ada;
    both.kind = interaction_kind::coffee;
    CHECK(ids(f.log().list(both)) == std::vector{a2.id, a3.id});
    CHECK(f.log().count(both) == 2);

    interaction_filter range;  // from inclusive, to exclusive
    range.from = at(2026_y / 3 / 2, 10h);
    range.to = at(2026_y / 3 / 4, 10h);
    CHECK(ids(f.log().list(range)) == std::vector{a2.id, g1.id});
    range.contact = f.ada;
    CHECK(ids(f.log().list(range)) == std::vector{a2.id});
    range.newest_first = true;
    range.to.reset();
    CHECK(ids(f.log().list(range)) == std::vector{a3.id, a2.id});

    interaction_filter nobody;
    nobody.contact = 999;
    CHECK(f.log().list(nobody).empty());
    interaction_filter no_event;
    no_event.event = 5;
    CHECK(f.log().count(no_event) == 0);
    (void)a1;
}

TEST_CASE("updating an interaction moves its participants' time with it", "[interactions]") {
    fixture f;
    auto a = f.add({f.ada, f.grace}, at(2026_y / 3 / 1, 10h));
    auto b = f.add({f.ada}, at(2026_y / 3 / 2, 10h));
    f.clock.set(at(2026_y / 3 / 10, 8h));

    a.at = at(2026_y / 3 / 3, 10h);
    a.contacts = {f.linus, f.ada};  // grace leaves, linus joins
    a.kind = interaction_kind::meal;
    a.notes = "dinner after the meetup";
    a.created_at = at(2000_y / 1 / 1);  // ignored
    auto updated = f.log().update(a);
    CHECK(updated.created_at == at(2026_y / 3 / 1, 9h));
    CHECK(updated.updated_at == at(2026_y / 3 / 10, 8h));
    CHECK(updated.contacts == std::vector<contact_id>{f.ada, f.linus});
    CHECK(f.log().get(a.id) == updated);

    // Everything that reads the participants' key sees the new time.
    CHECK(ids(f.log().with_contact(f.ada)) == std::vector{b.id, a.id});
    CHECK(f.log().last_with(f.ada) == last_interaction{f.ada, a.id, at(2026_y / 3 / 3, 10h)});
    CHECK(f.log().last_with(f.linus) == last_interaction{f.linus, a.id, at(2026_y / 3 / 3, 10h)});
    CHECK_FALSE(f.log().last_with(f.grace));
    interaction_filter since;
    since.contact = f.ada;
    since.from = at(2026_y / 3 / 3);
    CHECK(ids(f.log().list(since)) == std::vector{a.id});

    auto missing = a;
    missing.id = 999;
    CHECK_THROWS_AS(f.log().update(missing), not_found);
    auto bad = a;
    bad.contacts = {f.ada, 998};
    CHECK_THROWS_AS(f.log().update(bad), not_found);
    CHECK(f.log().get(a.id) == updated);  // a failed update changes nothing
}

TEST_CASE("removing an interaction removes it from every query", "[interactions]") {
    fixture f;
    auto a = f.add({f.ada, f.grace}, at(2026_y / 3 / 1, 10h));
    f.log().remove(a.id);
    CHECK_FALSE(f.log().find(a.id));
    CHECK_FALSE(f.log().last_with(f.ada));
    CHECK(f.log().last_per_contact().empty());
    CHECK_THROWS_AS(f.log().remove(a.id), not_found);
}

TEST_CASE("deleting a contact takes it out of shared interactions and deletes its own", "[interactions]") {
    fixture f;
    auto shared = f.add({f.ada, f.grace}, at(2026_y / 3 / 1, 10h));
    auto alone = f.add({f.grace}, at(2026_y / 3 / 2, 10h));
    auto other = f.add({f.ada}, at(2026_y / 3 / 3, 10h));
    f.s.contacts().remove(f.grace);
    CHECK(f.log().get(shared.id).contacts == std::vector<contact_id>{f.ada});
    CHECK_FALSE(f.log().find(alone.id));  // nobody left in it: it goes too
    CHECK(f.log().get(other.id) == other);
    CHECK(f.log().count() == 2);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("undoing an import deletes the interactions only its contacts had", "[interactions]") {
    fixture f;
    auto report = f.s.imports().import_text(
        "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Margaret Hamilton\r\nEMAIL:margaret@example.com\r\nEND:VCARD\r\n", "cards.vcf");
    auto margaret = f.s.contacts().list();
    contact_id mh = 0;
    for (const auto& c : margaret)
        if (c.display_name == "Margaret Hamilton") mh = c.id;
    REQUIRE(mh != 0);
    auto alone = f.add({mh}, at(2026_y / 3 / 2, 10h));
    auto shared = f.add({mh, f.ada}, at(2026_y / 3 / 3, 10h));
    f.s.imports().undo(report.batch, true);
    CHECK_FALSE(f.log().find(alone.id));
    CHECK(f.log().get(shared.id).contacts == std::vector<contact_id>{f.ada});
}

TEST_CASE("merging two contacts of one interaction leaves the survivor in it once", "[interactions]") {
    fixture f;
    auto dup = f.add("A. Lovelace");
    auto both = f.add({f.ada, dup, f.grace}, at(2026_y / 3 / 1, 10h));
    auto only_dup = f.add({dup}, at(2026_y / 3 / 4, 10h));
    auto only_ada = f.add({f.ada}, at(2026_y / 3 / 2, 10h));
    f.s.contacts().merge(f.ada, dup);
    CHECK(f.log().get(both.id).contacts == std::vector<contact_id>{f.ada, f.grace});
    CHECK(f.log().get(only_dup.id).contacts == std::vector<contact_id>{f.ada});
    CHECK(ids(f.log().with_contact(f.ada)) == std::vector{both.id, only_ada.id, only_dup.id});
    CHECK(f.log().last_with(f.ada) == last_interaction{f.ada, only_dup.id, at(2026_y / 3 / 4, 10h)});
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("the last interaction per contact, most recent first, the later id on a tie", "[interactions]") {
    fixture f;
    auto a1 = f.add({f.ada, f.grace}, at(2026_y / 3 / 1, 10h));
    auto g2 = f.add({f.grace}, at(2026_y / 3 / 5, 10h));
    auto a2 = f.add({f.ada}, at(2026_y / 3 / 3, 10h));
    auto a3 = f.add({f.ada}, at(2026_y / 3 / 3, 10h));  // same second: the later id is the last
    auto a0 = f.add({f.ada}, at(2026_y / 2 / 1, 10h));  // logged later, happened earlier
    CHECK(f.log().last_per_contact() == std::vector<last_interaction>{
                                            {f.grace, g2.id, at(2026_y / 3 / 5, 10h)},
                                            {f.ada, a3.id, at(2026_y / 3 / 3, 10h)},
                                        });
    CHECK(f.log().last_with(f.ada) == last_interaction{f.ada, a3.id, at(2026_y / 3 / 3, 10h)});
    CHECK_FALSE(f.log().last_with(f.linus));
    CHECK_THROWS_AS(f.log().last_with(999), not_found);
    (void)a1, (void)a2, (void)a0;
}

TEST_CASE("not heard from: exactly N days ago counts as heard, a second more does not", "[interactions]") {
    fixture f;
    const auto now = at(2026_y / 6 / 1, 12h);
    auto zoe = f.add("zoë Martin");   // never met; sorts after Linus case-insensitively
    auto bob = f.add("Bob Kahn");     // never met
    auto exactly = f.add({f.ada}, now - date::days{90});
    auto just_before = f.add({f.grace}, now - date::days{90} - 1s);
    auto older = f.add({f.linus}, now - date::days{200});
    auto quiet = f.s.interactions().not_heard_from(date::days{90}, now);
    CHECK(quiet == std::vector<quiet_contact>{
                       {bob, std::nullopt},
                       {zoe, std::nullopt},
                       {f.linus, last_interaction{f.linus, older.id, now - date::days{200}}},
                       {f.grace, last_interaction{f.grace, just_before.id, now - date::days{90} - 1s}},
                   });
    (void)exactly;

    SECTION("an interaction after `now` does not count: asking as of a past date") {
        f.add({f.linus}, now + date::days{1});
        auto as_of = f.log().not_heard_from(date::days{90}, now);
        CHECK(as_of == quiet);
        // Two days on, linus was heard from yesterday and ada's 90 days have run out.
        auto later = f.log().not_heard_from(date::days{90}, now + date::days{2});
        REQUIRE(later.size() == 4);
        CHECK(later[2].contact == f.grace);
        CHECK(later[3].contact == f.ada);
    }
    SECTION("zero days: everyone not met at this very second") {
        f.add({bob}, now);
        auto zero = f.log().not_heard_from(date::days{0}, now);
        CHECK(zero.size() == 4);  // zoe, linus, grace, ada; bob was met at `now`
        CHECK(zero.front().contact == zoe);
    }
    SECTION("negative days are refused") {
        CHECK_THROWS_WITH(f.log().not_heard_from(date::days{-1}, now), Catch::Contains("days"));
    }
}

TEST_CASE("not heard from counts days of 24 hours, across a DST change too", "[interactions]") {
    fixture f;
    // 2026-03-29: Paris goes from UTC+1 to UTC+2 at 02:00 local. Midnight of the 30th in Paris is
    // 22:00Z on the 29th; one day of 24 hours before it is 22:00Z on the 28th (23:00 in Paris).
    const auto now = at(2026_y / 3 / 29, 22h);
    f.add({f.ada}, at(2026_y / 3 / 28, 22h));
    f.add({f.grace}, at(2026_y / 3 / 28, 21h, 59min));
    f.add({f.linus}, at(2026_y / 3 / 29, 1h, 30min));  // 03:30 in Paris
    auto quiet = f.log().not_heard_from(date::days{1}, now);
    REQUIRE(quiet.size() == 1);
    CHECK(quiet[0].contact == f.grace);
}

TEST_CASE("an interaction at an event takes the event's zone unless it has one", "[interactions]") {
    fixture f;
    const auto ny = f.meetup("America/New_York");
    auto i = f.make({f.ada}, at(2026_y / 3 / 5, 23h));
    i.event = ny;
    auto stored = f.log().log(i);
    CHECK(stored.event == ny);
    CHECK(stored.time_zone == "America/New_York");
    i.time_zone = "Asia/Kolkata";
    CHECK(f.log().log(i).time_zone == "Asia/Kolkata");

    // Updating with "" resolves again: the event's zone, or the store's once unlinked.
    stored.time_zone = "";
    stored.event.reset();
    CHECK(f.log().update(stored).time_zone == "Europe/Paris");
    stored.time_zone = "";
    stored.event = ny;
    CHECK(f.log().update(stored).time_zone == "America/New_York");
}

TEST_CASE("the log filters by event", "[interactions]") {
    fixture f;
    const auto paris = f.meetup("Europe/Paris");
    const auto delhi = f.meetup("Asia/Kolkata");
    auto at_paris = f.make({f.ada, f.grace}, at(2026_y / 3 / 5, 18h, 30min));
    at_paris.event = paris;
    auto a = f.log().log(at_paris);
    auto at_delhi = f.make({f.ada}, at(2026_y / 3 / 5, 13h));
    at_delhi.event = delhi;
    auto d = f.log().log(at_delhi);
    f.add({f.ada}, at(2026_y / 3 / 5, 12h));
    interaction_filter by_event;
    by_event.event = paris;
    CHECK(ids(f.log().list(by_event)) == std::vector{a.id});
    by_event.contact = f.ada;
    CHECK(ids(f.log().list(by_event)) == std::vector{a.id});
    by_event.event = delhi;
    by_event.contact = f.grace;
    CHECK(f.log().list(by_event).empty());
    by_event.contact = f.ada;
    CHECK(ids(f.log().list(by_event)) == std::vector{d.id});
    CHECK(f.log().count(by_event) == 1);
}

TEST_CASE("deleting an event keeps its interactions, unlinked", "[interactions]") {
    fixture f;
    const auto ev = f.meetup("Asia/Kolkata");
    auto i = f.make({f.ada}, at(2026_y / 3 / 5, 13h));
    i.event = ev;
    auto stored = f.log().log(i);
    f.s.events().remove(ev);
    auto after = f.log().get(stored.id);
    CHECK_FALSE(after.event);
    CHECK(after.time_zone == "Asia/Kolkata");  // the wall clock it happened on stays
    CHECK(after.notes == stored.notes);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("logging or moving an interaction pushes the contact's cadence follow-up", "[interactions]") {
    fixture f;
    follow_up_rule r;
    r.kind = rule_kind::cadence;
    r.contact = f.ada;
    r.every = step{2, step_unit::weeks};
    f.s.follow_ups().add_rule(r);
    auto open = f.s.follow_ups().list();
    REQUIRE(open.size() == 1);
    const auto first_due = open[0].due_at;
    auto talk = f.add({f.ada, f.grace}, at(2026_y / 3 / 10, 12h));
    const auto pushed = f.s.follow_ups().get(open[0].id).due_at;
    CHECK(pushed > first_due);
    talk.at = at(2026_y / 3 / 20, 12h);
    f.log().update(talk);
    CHECK(f.s.follow_ups().get(open[0].id).due_at > pushed);
}

TEST_CASE("logging an interaction older than a first meeting means they had met before the event", "[interactions][first]") {
    fixture f;
    const auto ev = f.meetup("Europe/Paris");  // 5 March 2026 18:00 UTC
    CHECK(f.s.events().add_attendee(ev, f.ada).first_meeting);
    CHECK(f.s.events().add_attendee(ev, f.grace).first_meeting);
    f.add({f.ada, f.grace}, at(2026_y / 3 / 7, 18h));  // followed up two days later
    goal g;
    g.name = "new at meetups";
    g.metric = "new_contacts";
    g.target = 1;
    g.period = period::parse("2026", 2026_y / 1 / 1);
    g.filter.event_kind = "meetup";
    goal median = g;
    median.metric = "median_follow_up_days";
    const auto as_of = at(2026_y / 6 / 1);
    auto both_ways = [&](const goal& x) {
        const double summaries = f.s.goals().evaluate(x, as_of).value;
        f.s.goals().read_tables_only(true);
        const double tables = f.s.goals().evaluate(x, as_of).value;
        f.s.goals().read_tables_only(false);
        if (std::isnan(tables)) CHECK(std::isnan(summaries));
        else CHECK(summaries == tables);
        return tables;
    };
    CHECK(both_ways(g) == 2);
    CHECK(both_ways(median) == Approx(2));

    // Later ones and one at the event itself, even before the meeting's time, change nothing.
    f.add({f.ada}, at(2026_y / 3 / 9, 9h));
    auto at_event = f.make({f.ada}, at(2026_y / 3 / 5, 17h, 50min));
    at_event.event = ev;
    f.log().log(at_event);
    REQUIRE(f.s.events().first_met(f.ada));

    // A coffee in February, logged now: Ada was not first met at the meetup.
    f.add({f.ada}, at(2026_y / 2 / 20, 9h), interaction_kind::coffee);
    CHECK_FALSE(f.s.events().first_met(f.ada));
    CHECK(f.s.events().first_met(f.grace));
    CHECK(both_ways(g) == 1);
    CHECK(both_ways(median) == Approx(2));  // Grace's only
    // Moving an interaction's date before the meeting does the same.
    auto later = f.add({f.grace}, at(2026_y / 4 / 1, 9h));
    later.at = at(2026_y / 1 / 10, 9h);
    f.log().update(later);
    CHECK_FALSE(f.s.events().first_met(f.grace));
    CHECK(both_ways(g) == 0);
    CHECK(std::isnan(both_ways(median)));
}
