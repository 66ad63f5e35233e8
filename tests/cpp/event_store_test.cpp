// event_store: events with tags and expenses, their zones across DST and midnight, list filters,
// attendees with first meetings and introductions, cascades, and merges of contacts who met there.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"
#include "crm/time_zone.hpp"

#include "test_support.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <cstdint>
#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::attendee_options;
using crm::contact;
using crm::event;
using crm::event_filter;
using crm::expense;
using crm::money;
using crm::store;
using crm::test::at;

namespace {

const date::sys_seconds t0 = at(2026_y / 3 / 1, 8h);

// Seconds since the epoch, for raw rows.
std::int64_t unix_seconds(date::sys_seconds t) { return t.time_since_epoch().count(); }

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{t0};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    crm::event_store& events = s.events();
    crm::contact_store& contacts = s.contacts();

    fixture() { s.set_time_zone("Europe/Paris"); }

    crm::contact_id person(const std::string& name) {
        contact c;
        c.display_name = name;
        return contacts.add(c).id;
    }
    // A raw interaction row, so these tests do not depend on the interaction store.
    void interaction_with(crm::contact_id c, date::sys_seconds when) {
        SQLite::Database db(dir.file("crm.db"), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA foreign_keys = ON");
        SQLite::Statement i(db, "INSERT INTO interactions(kind, at, time_zone, created_at, updated_at) "
                                "VALUES ('coffee', ?, 'Europe/Paris', ?, ?)");
        i.bind(1, unix_seconds(when));
        i.bind(2, unix_seconds(when));
        i.bind(3, unix_seconds(when));
        i.exec();
        SQLite::Statement p(db, "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (?, ?, ?)");
        p.bind(1, db.getLastInsertRowid());
        p.bind(2, c);
        p.bind(3, unix_seconds(when));
        p.exec();
    }
    long long rows(const std::string& sql) {
        SQLite::Database db(dir.file("crm.db"), SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }
};

// A Paris meetup at 19:00 local on `day`, two hours long.
event meetup(const std::string& name, date::year_month_day day) {
    event e;
    e.name = name;
    e.kind = "meetup";
    e.time_zone = "Europe/Paris";
    e.starts_at = crm::from_local(date::local_days{day} + 19h, "Europe/Paris");
    e.ends_at = e.starts_at + 2h;
    return e;
}

expense spent(const char* amount, const char* currency, std::string category = "other", std::string note = "") {
    expense x;
    x.amount = money::parse(amount, currency);
    x.category = std::move(category);
    x.note = std::move(note);
    return x;
}

}  // namespace

TEST_CASE("an event round-trips with every field", "[events]") {
    fixture f;
    event e = meetup("  Paris.rb  ", 2026_y / 3 / 12);
    e.kind = " MeetUp ";
    e.location = " Le Wagon, 16 villa Gaudelet ";
    e.notes = "Talk on Ractors.\nPizza after.";
    e.tags = {" ruby ", "paris", "ruby", "", "Ruby"};
    e.expenses = {spent("12.5", "eur", " Ticket ", "early bird"), spent("3.80", "EUR", "TRAVEL"), spent("1250", "JPY", "")};
    e.id = 99;  // ignored

    const event stored = f.events.add(e);
    CHECK(stored.id > 0);
    CHECK(stored.id != 99);
    CHECK(stored.name == "Paris.rb");
    CHECK(stored.kind == "meetup");
    CHECK(stored.location == "Le Wagon, 16 villa Gaudelet");
    CHECK(stored.notes == "Talk on Ractors.\nPizza after.");
    CHECK(stored.tags == std::vector<std::string>{"ruby", "paris", "Ruby"});
    REQUIRE(stored.expenses.size() == 3);
    CHECK(stored.expenses[0].amount == money{1250, "EUR"});
    CHECK(stored.expenses[0].category == "ticket");
    CHECK(stored.expenses[0].note == "early bird");
    CHECK(stored.expenses[1].category == "travel");
    CHECK(stored.expenses[2].amount.to_string() == "1250 JPY");
    CHECK(stored.expenses[2].category == "other");
    CHECK(stored.expenses[0].id > 0);
    CHECK(stored.expenses[1].id > stored.expenses[0].id);
    CHECK(stored.created_at == t0);
    CHECK(stored.updated_at == t0);
    CHECK(f.events.get(stored.id) == stored);
    CHECK(f.events.find(stored.id) == stored);
    CHECK_FALSE(f.events.find(stored.id + 1000));
    CHECK_THROWS_AS(f.events.get(stored.id + 1000), crm::not_found);
}

TEST_CASE("an event without a zone takes the store's", "[events]") {
    fixture f;
    f.s.set_time_zone("Asia/Kolkata");
    event e;
    e.name = "Bangalore founders' breakfast";
    e.starts_at = crm::from_local(date::local_days{2026_y / 4 / 2} + 8h, "Asia/Kolkata");
    const event stored = f.events.add(e);
    CHECK(stored.time_zone == "Asia/Kolkata");
    CHECK(stored.starts_at == at(2026_y / 4 / 2, 2h, 30min));
    CHECK(stored.ends_at == std::nullopt);
    CHECK(crm::to_local(stored.starts_at, stored.time_zone) == date::local_days{2026_y / 4 / 2} + 8h);
}

TEST_CASE("bad events are refused with the field named", "[events]") {
    fixture f;
    const event good = meetup("ok", 2026_y / 3 / 12);
    auto refused = [&](event e, const std::string& words) {
        INFO(words);
        CHECK_THROWS_WITH(f.events.add(e), Catch::Contains(words));
    };
    event e = good;
    e.name = "   ";
    refused(e, "name");
    e = good;
    e.time_zone = "Europe/Lutetia";
    refused(e, "time_zone: unknown time zone 'Europe/Lutetia'");
    e = good;
    e.ends_at = e.starts_at - 1s;
    refused(e, "ends_at");
    e = good;
    e.notes = std::string("a\0b", 3);
    refused(e, "notes");
    e = good;
    e.location = "\xff\xfe";
    refused(e, "location");
    e = good;
    e.tags = {"ok", std::string("\xc3\x28")};
    refused(e, "tags[1]");
    e = good;
    e.expenses = {spent("1", "EUR"), expense{0, money{-100, "EUR"}, "meal", ""}};
    refused(e, "expenses[1].amount");
    e = good;
    e.expenses = {expense{0, money{100, "EURO"}, "meal", ""}};
    refused(e, "expenses[0].currency");
    e = good;
    e.expenses = {expense{0, money{100, "XAU"}, "meal", ""}};
    refused(e, "no minor unit");
    CHECK(f.events.count() == 0);
    // An event that ends as it starts (a deadline, a launch) is fine.
    e = good;
    e.ends_at = e.starts_at;
    CHECK_NOTHROW(f.events.add(e));
}

TEST_CASE("a weekly 19:00 Paris meetup keeps 19:00 local across the March and October changes", "[events]") {
    fixture f;
    // Thursdays 2026-03-26 and 2026-04-02 straddle March 29; 2026-10-22 and 2026-10-29 straddle October 25.
    for (auto d : {2026_y / 3 / 26, 2026_y / 4 / 2, 2026_y / 10 / 22, 2026_y / 10 / 29})
        f.events.add(meetup("Paris.rb", d));
    const auto all = f.events.list();
    REQUIRE(all.size() == 4);
    std::vector<date::sys_seconds> utc;
    for (const auto& e : all) {
        const auto wall = crm::to_local(e.starts_at, e.time_zone);
        CHECK(wall - date::floor<date::days>(wall) == 19h);
        utc.push_back(e.starts_at);
    }
    CHECK(utc[0] == at(2026_y / 3 / 26, 18h));   // CET
    CHECK(utc[1] == at(2026_y / 4 / 2, 17h));    // CEST
    CHECK(utc[2] == at(2026_y / 10 / 22, 17h));  // CEST
    CHECK(utc[3] == at(2026_y / 10 / 29, 18h));  // CET
    // A week apart on the wall, not in UTC: the weeks with a change are an hour shorter or longer.
    CHECK(utc[1] - utc[0] == date::days{7} - 1h);
    CHECK(utc[3] - utc[2] == date::days{7} + 1h);
}

TEST_CASE("an event across midnight belongs to the day it starts", "[events]") {
    fixture f;
    // 22:00 to 02:00 in New York on the night DST starts: the night is an hour shorter.
    event party;
    party.name = "Launch party";
    party.kind = "dinner";
    party.time_zone = "America/New_York";
    party.starts_at = crm::from_local(date::local_days{2026_y / 3 / 7} + 22h, "America/New_York");
    party.ends_at = crm::from_local(date::local_days{2026_y / 3 / 8} + 4h, "America/New_York");
    const event stored = f.events.add(party);
    CHECK(stored.starts_at == at(2026_y / 3 / 8, 3h));  // EST, -5
    CHECK(*stored.ends_at == at(2026_y / 3 / 8, 8h));   // EDT, -4: 6 wall hours, 5 real ones
    CHECK(*stored.ends_at - stored.starts_at == 5h);
    CHECK(crm::to_local(*stored.ends_at, stored.time_zone) == date::local_days{2026_y / 3 / 8} + 4h);

    // Its day in New York runs from 05:00Z on the 7th to 05:00Z on the 8th.
    event_filter day7;
    day7.from = crm::from_local(date::local_days{2026_y / 3 / 7}, "America/New_York");
    day7.to = crm::from_local(date::local_days{2026_y / 3 / 8}, "America/New_York");
    CHECK(f.events.count(day7) == 1);
    event_filter day8;
    day8.from = day7.to;
    day8.to = crm::from_local(date::local_days{2026_y / 3 / 9}, "America/New_York");
    CHECK(f.events.count(day8) == 0);
    // In UTC it starts on the 8th: the zone of the question decides.
    event_filter utc8;
    utc8.from = at(2026_y / 3 / 8);
    utc8.to = at(2026_y / 3 / 9);
    CHECK(f.events.count(utc8) == 1);
}

TEST_CASE("list filters by start, kind, tag and attendee, in start order, with paging", "[events]") {
    fixture f;
    auto ada = f.person("Ada");
    auto a = meetup("A", 2026_y / 3 / 5);
    a.tags = {"Ruby"};
    auto b = meetup("B", 2026_y / 3 / 12);
    b.kind = "conference";
    b.tags = {"ruby", "paris"};
    auto c = meetup("C", 2026_y / 3 / 19);
    auto d = meetup("D", 2026_y / 3 / 12);  // same start as B: by id
    const auto ia = f.events.add(a).id, ib = f.events.add(b).id, ic = f.events.add(c).id, id = f.events.add(d).id;
    f.events.add_attendee(ib, ada);
    f.events.add_attendee(ic, ada);

    auto names = [&](const event_filter& flt) {
        std::vector<std::string> out;
        for (const auto& e : f.events.list(flt)) out.push_back(e.name);
        CHECK(f.events.count(flt) == (flt.limit || flt.offset ? f.events.count([&] {
            auto g = flt;
            g.limit = g.offset = 0;
            return g;
        }()) : out.size()));
        return out;
    };
    using v = std::vector<std::string>;
    CHECK(names({}) == v{"A", "B", "D", "C"});
    event_filter k;
    k.kind = "MEETUP";
    CHECK(names(k) == v{"A", "D", "C"});
    event_filter t;
    t.tag = "RUBY";
    CHECK(names(t) == v{"A", "B"});
    event_filter who;
    who.attendee = ada;
    CHECK(names(who) == v{"B", "C"});
    event_filter span;
    span.from = f.events.get(ib).starts_at;  // inclusive
    span.to = f.events.get(ic).starts_at;    // exclusive
    CHECK(names(span) == v{"B", "D"});
    event_filter page;
    page.limit = 2;
    page.offset = 1;
    CHECK(names(page) == v{"B", "D"});
    event_filter rest;
    rest.offset = 3;
    CHECK(names(rest) == v{"C"});
    event_filter both;
    both.tag = "ruby";
    both.kind = "conference";
    CHECK(names(both) == v{"B"});
    event_filter nobody;
    nobody.attendee = 12345;
    CHECK(names(nobody).empty());
    (void)ia;
    (void)id;
}

TEST_CASE("update replaces tags and expenses, keeping the ids of kept expenses", "[events]") {
    fixture f;
    event e = meetup("Paris.rb", 2026_y / 3 / 12);
    e.tags = {"ruby", "paris"};
    e.expenses = {spent("10", "EUR", "ticket"), spent("4", "EUR", "travel"), spent("20", "EUR", "meal")};
    event stored = f.events.add(e);
    const auto ticket = stored.expenses[0].id, travel = stored.expenses[1].id, meal = stored.expenses[2].id;

    f.clock.set(t0 + 1h);
    stored.name = "Paris.rb #120";
    stored.tags = {"paris", "talks"};
    stored.expenses.erase(stored.expenses.begin() + 1);  // no travel after all
    stored.expenses[1].amount = money::parse("23.40", "EUR");
    stored.expenses.push_back(spent("2.10", "EUR", "travel", "metro"));
    std::swap(stored.expenses[0], stored.expenses[1]);  // order handed in does not matter
    stored.created_at = at(2000_y / 1 / 1);             // ignored
    const event updated = f.events.update(stored);

    CHECK(updated.name == "Paris.rb #120");
    CHECK(updated.tags == std::vector<std::string>{"paris", "talks"});
    REQUIRE(updated.expenses.size() == 3);
    CHECK(updated.expenses[0].id == ticket);
    CHECK(updated.expenses[1].id == meal);
    CHECK(updated.expenses[1].amount == money{2340, "EUR"});
    CHECK(updated.expenses[2].id > meal);
    CHECK(updated.expenses[2].note == "metro");
    CHECK(updated.created_at == t0);
    CHECK(updated.updated_at == t0 + 1h);
    CHECK(f.events.get(updated.id) == updated);
    CHECK_THROWS_AS(f.events.remove_expense(travel), crm::not_found);

    event wrong = updated;
    wrong.expenses[0].id = 424242;
    CHECK_THROWS_WITH(f.events.update(wrong), Catch::Contains("expenses[0].id"));
    event twice = updated;
    twice.expenses[1].id = twice.expenses[0].id;
    CHECK_THROWS_WITH(f.events.update(twice), Catch::Contains("listed twice"));
    event missing = updated;
    missing.id = 777;
    CHECK_THROWS_AS(f.events.update(missing), crm::not_found);
    CHECK(f.events.get(updated.id) == updated);  // failed updates wrote nothing
}

TEST_CASE("another event's expense cannot be claimed by an update", "[events]") {
    fixture f;
    event a = meetup("A", 2026_y / 3 / 5);
    a.expenses = {spent("5", "EUR")};
    const event sa = f.events.add(a);
    event b = f.events.add(meetup("B", 2026_y / 3 / 6));
    b.expenses = {sa.expenses[0]};
    CHECK_THROWS_WITH(f.events.update(b), Catch::Contains("has no expense"));
    CHECK(f.events.get(sa.id).expenses == sa.expenses);
}

TEST_CASE("expenses are added and removed one at a time", "[events]") {
    fixture f;
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    f.clock.set(t0 + 2h);
    const expense x = f.events.add_expense(e.id, spent("7.5", "usd", " MEAL "));
    CHECK(x.id > 0);
    CHECK(x.amount == money{750, "USD"});
    CHECK(x.category == "meal");
    event got = f.events.get(e.id);
    CHECK(got.expenses == std::vector<expense>{x});
    CHECK(got.updated_at == t0 + 2h);
    CHECK_THROWS_AS(f.events.add_expense(e.id + 1, spent("1", "EUR")), crm::not_found);
    CHECK_THROWS_WITH(f.events.add_expense(e.id, expense{0, money{-1, "EUR"}, "x", ""}), Catch::Contains("expense.amount"));
    f.events.remove_expense(x.id);
    CHECK(f.events.get(e.id).expenses.empty());
    CHECK_THROWS_AS(f.events.remove_expense(x.id), crm::not_found);
}

TEST_CASE("attendees are met at the event's start unless said otherwise", "[events]") {
    fixture f;
    const auto ada = f.person("Ada"), bob = f.person("Bob");
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    const auto a = f.events.add_attendee(e.id, ada);
    CHECK(a.event == e.id);
    CHECK(a.contact == ada);
    CHECK(a.met_at == e.starts_at);
    attendee_options later;
    later.met_at = e.starts_at - 30min;
    f.events.add_attendee(e.id, bob, later);
    const auto list = f.events.attendees(e.id);
    REQUIRE(list.size() == 2);
    CHECK(list[0].contact == bob);  // in order met
    CHECK(list[1].contact == ada);
    CHECK_THROWS_AS(f.events.add_attendee(e.id + 1, ada), crm::not_found);
    CHECK_THROWS_AS(f.events.add_attendee(e.id, 999), crm::not_found);
    CHECK_THROWS_AS(f.events.attendees(e.id + 1), crm::not_found);
    CHECK_THROWS_AS(f.events.attended(999), crm::not_found);
}

TEST_CASE("the first event where a contact was met is their first meeting", "[events]") {
    fixture f;
    const auto ada = f.person("Ada");
    const event first = f.events.add(meetup("March", 2026_y / 3 / 12));
    const event second = f.events.add(meetup("April", 2026_y / 4 / 9));
    CHECK(f.events.add_attendee(first.id, ada).first_meeting);
    CHECK_FALSE(f.events.add_attendee(second.id, ada).first_meeting);
    const auto met = f.events.first_met(ada);
    REQUIRE(met);
    CHECK(met->event == first.id);
    CHECK(met->met_at == first.starts_at);
    const auto history = f.events.attended(ada);
    REQUIRE(history.size() == 2);
    CHECK(history[0].event == first.id);
    CHECK(history[1].event == second.id);
    // Meeting them again at the same event replaces the record, and it stays the first meeting.
    attendee_options o;
    o.met_at = first.starts_at + 1h;
    const auto again = f.events.add_attendee(first.id, ada, o);
    CHECK(again.first_meeting);
    CHECK(f.events.attendees(first.id).size() == 1);
    CHECK(f.events.first_met(ada)->met_at == first.starts_at + 1h);
}

TEST_CASE("a contact already met in an interaction is not first met at a later event", "[events]") {
    fixture f;
    const auto ada = f.person("Ada"), bob = f.person("Bob");
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    f.interaction_with(ada, e.starts_at - date::days{10});
    f.interaction_with(bob, e.starts_at + date::days{10});  // after: does not count
    CHECK_FALSE(f.events.add_attendee(e.id, ada).first_meeting);
    CHECK(f.events.add_attendee(e.id, bob).first_meeting);
    CHECK_FALSE(f.events.first_met(ada));
}

TEST_CASE("only one first meeting per contact; asking for a second names the first", "[events]") {
    fixture f;
    const auto ada = f.person("Ada");
    const event march = f.events.add(meetup("Paris.rb March", 2026_y / 3 / 12));
    const event feb = f.events.add(meetup("Paris.rb February", 2026_y / 2 / 12));
    attendee_options yes;
    yes.first_meeting = true;
    f.events.add_attendee(march.id, ada, yes);
    CHECK_THROWS_WITH(f.events.add_attendee(feb.id, ada, yes),
                      Catch::Contains("first_meeting") && Catch::Contains("event " + std::to_string(march.id)) &&
                          Catch::Contains("Paris.rb March"));
    // Said explicitly, not a first meeting is always fine; and once cleared, February can be it.
    attendee_options no;
    no.first_meeting = false;
    f.events.add_attendee(march.id, ada, no);
    CHECK_FALSE(f.events.first_met(ada));
    CHECK(f.events.add_attendee(feb.id, ada, yes).first_meeting);
    CHECK(f.events.first_met(ada)->event == feb.id);
    CHECK(f.rows("SELECT count(*) FROM event_attendees WHERE first_meeting = 1") == 1);
}

TEST_CASE("backfilling an earlier event moves the first meeting there, whatever the order of entry", "[events][first]") {
    fixture f;
    const auto ada = f.person("Ada");
    const event conference = f.events.add(meetup("Conference 2026", 2026_y / 9 / 10));
    const event meetup_2025 = f.events.add(meetup("Meetup 2025", 2025_y / 6 / 5));
    CHECK(f.events.add_attendee(conference.id, ada).first_meeting);
    const auto backfilled = f.events.add_attendee(meetup_2025.id, ada);
    CHECK(backfilled.first_meeting);
    REQUIRE(f.events.first_met(ada));
    CHECK(f.events.first_met(ada)->event == meetup_2025.id);
    CHECK(f.rows("SELECT count(*) FROM event_attendees WHERE first_meeting = 1") == 1);
    // A first meeting said explicitly moves too when an earlier one is recorded later.
    const auto grace = f.person("Grace");
    attendee_options yes;
    yes.first_meeting = true;
    f.events.add_attendee(conference.id, grace, yes);
    CHECK(f.events.add_attendee(meetup_2025.id, grace).first_meeting);
    CHECK(f.events.first_met(grace)->event == meetup_2025.id);
    // Met at the same instant elsewhere: the recorded one stays.
    const event same = f.events.add(meetup("Same evening", 2025_y / 6 / 5));
    CHECK_FALSE(f.events.add_attendee(same.id, ada).first_meeting);
    CHECK(f.events.first_met(ada)->event == meetup_2025.id);
}

TEST_CASE("moving the first meeting's time after another meeting moves the first meeting", "[events][first]") {
    fixture f;
    const auto ada = f.person("Ada");
    const event march = f.events.add(meetup("March", 2026_y / 3 / 12));
    const event april = f.events.add(meetup("April", 2026_y / 4 / 9));
    f.events.add_attendee(march.id, ada);
    CHECK_FALSE(f.events.add_attendee(april.id, ada).first_meeting);
    // The March record was wrong: they met in May, at a talk after the March meetup.
    attendee_options later;
    later.met_at = at(2026_y / 5 / 1, 12h);
    CHECK_FALSE(f.events.add_attendee(march.id, ada, later).first_meeting);
    REQUIRE(f.events.first_met(ada));
    CHECK(f.events.first_met(ada)->event == april.id);
}

TEST_CASE("an interaction at the event itself does not make the meeting there a later one", "[events][first]") {
    fixture f;
    const auto ada = f.person("Ada");
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    crm::interaction early;
    early.kind = crm::interaction_kind::conversation;
    early.contacts = {ada};
    early.event = e.id;
    early.at = e.starts_at - 10min;  // arrived early and talked before the start
    f.s.interactions().log(early);
    CHECK(f.events.add_attendee(e.id, ada).first_meeting);
}

TEST_CASE("an introduction is recorded on the attendance and on the contact when it has none", "[events]") {
    fixture f;
    const auto ada = f.person("Ada"), bob = f.person("Bob"), cyd = f.person("Cyd"), dee = f.person("Dee");
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    f.clock.set(t0 + 5h);
    attendee_options by_bob;
    by_bob.introduced_by = bob;
    const auto a = f.events.add_attendee(e.id, ada, by_bob);
    CHECK(a.introduced_by == bob);
    CHECK(f.events.attendees(e.id).front().introduced_by == bob);
    const contact ada_now = f.contacts.get(ada);
    CHECK(ada_now.introduced_by == bob);
    CHECK(ada_now.updated_at == t0 + 5h);

    // A contact whose record already names an introducer keeps it (and its updated_at).
    const event e2 = f.events.add(meetup("Paris.rb April", 2026_y / 4 / 9));
    f.clock.set(t0 + 6h);
    attendee_options by_cyd;
    by_cyd.introduced_by = cyd;
    CHECK(f.events.add_attendee(e2.id, ada, by_cyd).introduced_by == cyd);
    CHECK(f.contacts.get(ada).introduced_by == bob);
    CHECK(f.contacts.get(ada).updated_at == t0 + 5h);
    // Without an introduction the contact is left alone.
    f.events.add_attendee(e.id, dee);
    CHECK(f.contacts.get(dee).updated_at == t0);

    attendee_options self;
    self.introduced_by = cyd;
    CHECK_THROWS_WITH(f.events.add_attendee(e.id, cyd, self), Catch::Contains("introduced_by"));
    attendee_options ghost;
    ghost.introduced_by = 4242;
    CHECK_THROWS_WITH(f.events.add_attendee(e.id, cyd, ghost), Catch::Contains("introduced_by: no contact with id 4242"));
    CHECK(f.events.attendees(e.id).size() == 2);  // nothing written by the refusals
}

TEST_CASE("removing an event removes its tags, expenses and attendance, not its interactions", "[events]") {
    fixture f;
    const auto ada = f.person("Ada");
    event e = meetup("Paris.rb", 2026_y / 3 / 12);
    e.tags = {"ruby"};
    e.expenses = {spent("10", "EUR")};
    const event stored = f.events.add(e);
    f.events.add_attendee(stored.id, ada);
    f.interaction_with(ada, stored.starts_at + 10min);
    {
        SQLite::Database db(f.dir.file("crm.db"), SQLite::OPEN_READWRITE);
        db.exec("UPDATE interactions SET event_id = " + std::to_string(stored.id));
    }
    f.events.remove(stored.id);
    CHECK_FALSE(f.events.find(stored.id));
    CHECK(f.rows("SELECT count(*) FROM event_tags") == 0);
    CHECK(f.rows("SELECT count(*) FROM event_expenses") == 0);
    CHECK(f.rows("SELECT count(*) FROM event_attendees") == 0);
    CHECK(f.rows("SELECT count(*) FROM interactions WHERE event_id IS NULL") == 1);
    CHECK_FALSE(f.events.first_met(ada));
    CHECK(f.events.attended(ada).empty());
    CHECK_THROWS_AS(f.events.remove(stored.id), crm::not_found);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("removing a contact removes its attendance and clears it as introducer", "[events]") {
    fixture f;
    const auto ada = f.person("Ada"), bob = f.person("Bob");
    const event e = f.events.add(meetup("Paris.rb", 2026_y / 3 / 12));
    attendee_options by_bob;
    by_bob.introduced_by = bob;
    f.events.add_attendee(e.id, ada, by_bob);
    f.events.add_attendee(e.id, bob);
    f.contacts.remove(bob);
    const auto left = f.events.attendees(e.id);
    REQUIRE(left.size() == 1);
    CHECK(left[0].contact == ada);
    CHECK_FALSE(left[0].introduced_by);
    f.events.remove_attendee(e.id, ada);
    CHECK(f.events.attendees(e.id).empty());
    CHECK_THROWS_AS(f.events.remove_attendee(e.id, ada), crm::not_found);
}

TEST_CASE("merging two contacts who met at the same event keeps the survivor's row and the earlier first meeting",
          "[events]") {
    fixture f;
    const auto keep = f.person("Ada Lovelace"), dup = f.person("A. Lovelace"), bob = f.person("Bob");
    const event feb = f.events.add(meetup("February", 2026_y / 2 / 12));
    const event march = f.events.add(meetup("March", 2026_y / 3 / 12));
    // The survivor was first met in March; the duplicate in February, and also at March's event.
    attendee_options keep_march;
    keep_march.met_at = march.starts_at + 15min;
    REQUIRE(f.events.add_attendee(march.id, keep, keep_march).first_meeting);
    attendee_options dup_march;
    dup_march.met_at = march.starts_at + 45min;
    dup_march.introduced_by = bob;
    dup_march.first_meeting = false;
    f.events.add_attendee(march.id, dup, dup_march);
    attendee_options dup_feb;
    dup_feb.first_meeting = true;
    f.events.add_attendee(feb.id, dup, dup_feb);

    f.contacts.merge(keep, dup);

    const auto at_march = f.events.attendees(march.id);
    REQUIRE(at_march.size() == 1);
    CHECK(at_march[0].contact == keep);
    CHECK(at_march[0].met_at == march.starts_at + 15min);  // the survivor's row
    CHECK_FALSE(at_march[0].first_meeting);                // February came first
    const auto first = f.events.first_met(keep);
    REQUIRE(first);
    CHECK(first->event == feb.id);
    CHECK(f.events.attended(keep).size() == 2);
    CHECK(f.rows("SELECT count(*) FROM event_attendees WHERE first_meeting = 1") == 1);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("meeting someone at an event runs the after-event rules: a follow-up 2 business days later", "[events]") {
    fixture fx;
    crm::follow_up_rule rule;
    rule.kind = crm::rule_kind::after_event;
    rule.every = crm::step{2, crm::step_unit::business_days};
    fx.s.follow_ups().add_rule(rule);
    event e;
    e.name = "Paris SaaS meetup";
    e.starts_at = crm::from_local(date::local_days{2026_y / 3 / 6} + 19h, "Europe/Paris");  // a Friday
    e.time_zone = "Europe/Paris";
    e = fx.events.add(e);
    auto ada = fx.person("Ada");

    fx.events.add_attendee(e.id, ada);
    auto made = fx.s.follow_ups().list();
    REQUIRE(made.size() == 1);
    CHECK(made[0].contact == ada);
    CHECK(made[0].event == e.id);
    CHECK(made[0].reason == "Follow up after Paris SaaS meetup");
    // Friday + 2 business days = Tuesday, at 09:00 in the user's zone.
    CHECK(made[0].due_at == crm::from_local(date::local_days{2026_y / 3 / 10} + 9h, "Europe/Paris"));

    fx.events.add_attendee(e.id, ada);  // met again at the same event: no second follow-up
    CHECK(fx.s.follow_ups().list().size() == 1);
}
