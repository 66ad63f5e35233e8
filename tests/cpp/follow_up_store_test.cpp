// follow_up_store: scheduling in the user's zone, each action and its history, errors, what is due
// / overdue / upcoming at the day boundaries (Paris, New York, Kolkata, a DST day), rules (cadence per
// contact and per tag, after an event, after a favour) and the hooks other stores call, going cold
// and warmth.
//
// The hooks run inside another store's write transaction. Until event_store / interaction_store /
// favor_store call them, these tests play that store through a second connection on the same file
// (`other_store`): the rows are written with SQL and the hook runs in the same transaction.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/store.hpp"
#include "detail/follow_up_hooks.hpp"
#include "detail/store_impl.hpp"

#include "test_support.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::due_time;
using crm::follow_up;
using crm::follow_up_action;
using crm::follow_up_rule;
using crm::follow_up_status;
using crm::rule_kind;
using crm::step;
using crm::step_unit;
using crm::store;
using crm::test::at;

namespace {

// The open follow-ups of one contact.
crm::follow_up_filter open_of(crm::contact_id who) {
    crm::follow_up_filter f;
    f.contact = who;
    f.status = crm::follow_up_status::open;
    return f;
}

// Monday 2 March 2026, 09:00 in Paris.
const date::sys_seconds t0 = at(2026_y / 3 / 2, 8h);

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{t0};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    crm::follow_up_store& fu = s.follow_ups();

    fixture() { s.set_time_zone("Europe/Paris"); }

    crm::contact_id person(const std::string& name, std::vector<std::string> tags = {}) {
        crm::contact c;
        c.display_name = name;
        c.tags = std::move(tags);
        return s.contacts().add(c).id;
    }

    // Another store's write transaction on a second connection to the same file.
    template <class Fn>
    void other_store(Fn&& fn) {
        store::impl side(dir.file("crm.db"), SQLite::Database(dir.file("crm.db"), SQLite::OPEN_READWRITE),
                         clock.function());
        side.db.exec("PRAGMA foreign_keys = ON");
        side.db.setBusyTimeout(10000);
        crm::detail::write_transaction(side, [&] { fn(side); });
    }

    crm::event_id event(const std::string& name, date::sys_seconds starts, const std::string& zone) {
        crm::event_id id = 0;
        other_store([&](store::impl& side) {
            SQLite::Statement q(side.db,
                                "INSERT INTO events(name, starts_at, time_zone, created_at, updated_at) VALUES (?, ?, ?, 0, 0)");
            q.bind(1, name);
            q.bind(2, static_cast<std::int64_t>(starts.time_since_epoch().count()));
            q.bind(3, zone);
            q.exec();
            id = side.db.getLastInsertRowid();
        });
        return id;
    }

    // What event_store::add_attendee will do: the row, then the hook.
    void attend(crm::event_id e, crm::contact_id c) {
        other_store([&](store::impl& side) {
            SQLite::Statement q(side.db, "INSERT INTO event_attendees(event_id, contact_id, met_at) VALUES (?, ?, 0)");
            q.bind(1, e);
            q.bind(2, c);
            q.exec();
            crm::detail::on_attendee_added(side, e, c);
        });
    }

    // What interaction_store::log will do: the rows, then the hook.
    crm::interaction_id talk(std::vector<crm::contact_id> contacts, date::sys_seconds when) {
        crm::interaction_id id = 0;
        other_store([&](store::impl& side) {
            SQLite::Statement q(side.db,
                                "INSERT INTO interactions(kind, at, time_zone, created_at, updated_at) "
                                "VALUES ('conversation', ?, 'Europe/Paris', 0, 0)");
            q.bind(1, static_cast<std::int64_t>(when.time_since_epoch().count()));
            q.exec();
            id = side.db.getLastInsertRowid();
            for (auto c : contacts) {
                SQLite::Statement p(side.db, "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (?, ?, ?)");
                p.bind(1, id);
                p.bind(2, c);
                p.bind(3, static_cast<std::int64_t>(when.time_since_epoch().count()));
                p.exec();
            }
            crm::detail::on_interaction_logged(side, contacts, when, id);
        });
        return id;
    }

    // What favor_store will do for a favour received: the row, then the hook.
    crm::favor_id favour(crm::contact_id c, date::year_month_day on, bool thank,
                         crm::favor_direction direction = crm::favor_direction::received) {
        crm::favor f;
        f.contact = c;
        f.direction = direction;
        f.kind = crm::favor_kind::introduction;
        f.on = on;
        other_store([&](store::impl& side) {
            SQLite::Statement q(side.db,
                                "INSERT INTO favors(direction, contact_id, kind, on_date, created_at, updated_at) "
                                "VALUES (?, ?, 'introduction', ?, 0, 0)");
            q.bind(1, direction == crm::favor_direction::received ? "received" : "given");
            q.bind(2, c);
            q.bind(3, date::format("%F", on));
            q.exec();
            f.id = side.db.getLastInsertRowid();
            crm::detail::on_favor_received(side, f, thank);
        });
        return f.id;
    }

    std::vector<follow_up> of(crm::contact_id c) {
        crm::follow_up_filter f;
        f.contact = c;
        return fu.list(f);
    }
};

std::vector<crm::follow_up_id> ids(const std::vector<crm::due_follow_up>& v) {
    std::vector<crm::follow_up_id> out;
    for (const auto& d : v) out.push_back(d.follow_up.id);
    return out;
}

std::vector<follow_up_action> actions(const std::vector<crm::follow_up_change>& h) {
    std::vector<follow_up_action> out;
    for (const auto& c : h) out.push_back(c.action);
    return out;
}

follow_up_rule cadence_for(crm::contact_id c, step every) {
    follow_up_rule r;
    r.kind = rule_kind::cadence;
    r.contact = c;
    r.every = every;
    return r;
}

}  // namespace

// ---- scheduling ------------------------------------------------------------------------------

TEST_CASE("a follow-up due on a day falls due at 09:00 in the user's zone", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada Lovelace");
    auto f = fx.fu.schedule(ada, "  Thank Ada for the intro ", due_time::on(2026_y / 3 / 29));
    CHECK(f.id > 0);
    CHECK(f.reason == "Thank Ada for the intro");
    CHECK(f.due_at == at(2026_y / 3 / 29, 7h));  // 09:00 CEST, the first summer day
    CHECK(f.time_zone == "Europe/Paris");
    CHECK(f.status == follow_up_status::open);
    CHECK(f.sequence == 0);
    CHECK(f.created_at == t0);
    CHECK(fx.fu.get(f.id) == f);
    auto h = fx.fu.history(f.id);
    REQUIRE(h.size() == 1);
    CHECK(h[0].action == follow_up_action::created);
    CHECK(h[0].due_after == f.due_at);
    CHECK_FALSE(h[0].due_before);
}

TEST_CASE("a follow-up can be due in another zone, at another time, or at an instant", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto ny = fx.fu.schedule(ada, "call", due_time::on(2026_y / 11 / 1, 9h, "America/New_York"));
    CHECK(ny.due_at == at(2026_y / 11 / 1, 14h));  // EST again that morning
    CHECK(ny.time_zone == "America/New_York");
    auto kol = fx.fu.schedule(ada, "call", due_time::on(2026_y / 7 / 1, 17h + 30min, "Asia/Kolkata"));
    CHECK(kol.due_at == at(2026_y / 7 / 1, 12h));
    auto inst = fx.fu.schedule(ada, "call", due_time::instant(at(2026_y / 4 / 1, 12h, 34min)));
    CHECK(inst.due_at == at(2026_y / 4 / 1, 12h, 34min));
    CHECK(inst.time_zone == "Europe/Paris");
}

TEST_CASE("scheduling refuses an empty reason, unknown links, and an unclear due time", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    CHECK_THROWS_WITH(fx.fu.schedule(ada, "   ", due_time::on(2026_y / 3 / 3)), Catch::Contains("reason"));
    CHECK_THROWS_AS(fx.fu.schedule(ada + 100, "x", due_time::on(2026_y / 3 / 3)), crm::not_found);
    CHECK_THROWS_AS(fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3), crm::event_id{42}), crm::not_found);
    CHECK_THROWS_AS(fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3), std::nullopt, crm::interaction_id{42}),
                    crm::not_found);
    due_time neither;
    CHECK_THROWS_WITH(fx.fu.schedule(ada, "x", neither), Catch::Contains("neither"));
    due_time both = due_time::on(2026_y / 3 / 3);
    both.at = t0;
    CHECK_THROWS_WITH(fx.fu.schedule(ada, "x", both), Catch::Contains("both"));
    CHECK_THROWS_WITH(fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3, 9h, "Europe/Atlantis")),
                      Catch::Contains("Europe/Atlantis"));
    CHECK_THROWS_AS(fx.fu.schedule(ada, "x", due_time::on(2026_y / 2 / 30)), crm::invalid_input);
    CHECK(fx.fu.count() == 0);
}

// ---- actions ---------------------------------------------------------------------------------

TEST_CASE("snoozing an upcoming follow-up counts from its due time, a due one from now", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto f = fx.fu.schedule(ada, "x", due_time::instant(t0 + 24h));
    auto g = fx.fu.snooze(f.id, 2h, "busy");
    CHECK(g.due_at == t0 + 26h);
    CHECK(g.sequence == 1);
    fx.clock.set(t0 + 48h);  // now past due
    g = fx.fu.snooze(f.id, 3h);
    CHECK(g.due_at == t0 + 51h);
    CHECK(g.sequence == 2);
    CHECK(g.updated_at == t0 + 48h);
    auto h = fx.fu.history(f.id);
    REQUIRE(h.size() == 3);
    CHECK(h[1].action == follow_up_action::snoozed);
    CHECK(h[1].due_before == t0 + 24h);
    CHECK(h[1].due_after == t0 + 26h);
    CHECK(h[1].note == "busy");
    CHECK(h[2].at == t0 + 48h);
    CHECK_THROWS_AS(fx.fu.snooze(f.id, 0s), crm::invalid_input);
}

TEST_CASE("snooze until a day, reschedule, complete, reopen, cancel: each kept in the history", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto f = fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3));
    f = fx.fu.snooze_until(f.id, due_time::on(2026_y / 3 / 9, 14h));
    CHECK(f.due_at == at(2026_y / 3 / 9, 13h));
    CHECK_THROWS_WITH(fx.fu.snooze_until(f.id, due_time::instant(t0 - 1h)), Catch::Contains("future"));
    f = fx.fu.reschedule(f.id, due_time::on(2026_y / 3 / 10, 9h, "Asia/Kolkata"), "moved");
    CHECK(f.due_at == at(2026_y / 3 / 10, 3h, 30min));
    CHECK(f.time_zone == "Asia/Kolkata");
    auto talk = fx.talk({ada}, t0 + 1h);
    fx.clock.set(t0 + 2h);
    f = fx.fu.complete(f.id, talk, std::nullopt, "done over coffee");
    CHECK(f.status == follow_up_status::done);
    CHECK(f.completed_at == t0 + 2h);
    CHECK(f.completed_by == talk);
    f = fx.fu.reopen(f.id);
    CHECK(f.status == follow_up_status::open);
    CHECK_FALSE(f.completed_at);
    CHECK_FALSE(f.completed_by);
    f = fx.fu.cancel(f.id, "not needed");
    CHECK(f.status == follow_up_status::cancelled);
    CHECK(f.sequence == 5);
    auto h = fx.fu.history(f.id);
    CHECK(actions(h) == std::vector{follow_up_action::created, follow_up_action::snoozed, follow_up_action::rescheduled,
                                    follow_up_action::completed, follow_up_action::reopened,
                                    follow_up_action::cancelled});
    CHECK(h[3].note == "done over coffee");
    CHECK(h[5].note == "not needed");
    CHECK(h[5].due_before == at(2026_y / 3 / 10, 3h, 30min));
}

TEST_CASE("complete at a given instant and by an unknown interaction", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto f = fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3));
    CHECK_THROWS_AS(fx.fu.complete(f.id, crm::interaction_id{999}), crm::not_found);
    CHECK(fx.fu.get(f.id).status == follow_up_status::open);  // nothing half done
    f = fx.fu.complete(f.id, std::nullopt, t0 - 24h);
    CHECK(f.completed_at == t0 - 24h);
    CHECK(fx.fu.history(f.id).back().at == t0);  // recorded now, about yesterday
}

TEST_CASE("acting on a follow-up that is not open says its status", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto f = fx.fu.schedule(ada, "x", due_time::on(2026_y / 3 / 3));
    fx.fu.complete(f.id);
    CHECK_THROWS_WITH(fx.fu.complete(f.id), Catch::Contains("is done"));
    CHECK_THROWS_WITH(fx.fu.snooze(f.id, 1h), Catch::Contains("is done"));
    CHECK_THROWS_AS(fx.fu.reschedule(f.id, due_time::on(2026_y / 3 / 4)), crm::invalid_input);
    CHECK_THROWS_AS(fx.fu.cancel(f.id), crm::invalid_input);
    fx.fu.reopen(f.id);
    CHECK_THROWS_WITH(fx.fu.reopen(f.id), Catch::Contains("is open"));
    CHECK(fx.fu.history(f.id).size() == 3);
}

TEST_CASE("unknown follow-up ids are not found", "[follow_ups]") {
    fixture fx;
    CHECK_THROWS_AS(fx.fu.get(7), crm::not_found);
    CHECK_FALSE(fx.fu.find(7));
    CHECK_THROWS_AS(fx.fu.complete(7), crm::not_found);
    CHECK_THROWS_AS(fx.fu.snooze(7, 1h), crm::not_found);
    CHECK_THROWS_AS(fx.fu.cancel(7), crm::not_found);
    CHECK_THROWS_AS(fx.fu.reopen(7), crm::not_found);
    CHECK_THROWS_AS(fx.fu.history(7), crm::not_found);
    CHECK_THROWS_AS(fx.fu.remove(7), crm::not_found);
    try {
        fx.fu.get(7);
    } catch (const crm::not_found& e) {
        CHECK(e.id() == 7);
    }
}

TEST_CASE("removing a follow-up removes its history; list filters and counts", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto bob = fx.person("Bob");
    auto a1 = fx.fu.schedule(ada, "a1", due_time::on(2026_y / 3 / 5));
    auto a2 = fx.fu.schedule(ada, "a2", due_time::on(2026_y / 3 / 4));
    auto b1 = fx.fu.schedule(bob, "b1", due_time::on(2026_y / 3 / 4));
    fx.fu.complete(a2.id);
    crm::follow_up_filter f;
    CHECK(fx.fu.list(f).size() == 3);
    CHECK(fx.fu.list(f)[0].id == a2.id);  // by due, then id
    CHECK(fx.fu.list(f)[1].id == b1.id);
    f.contact = ada;
    CHECK(fx.fu.count(f) == 2);
    f.status = follow_up_status::open;
    REQUIRE(fx.fu.list(f).size() == 1);
    CHECK(fx.fu.list(f)[0].id == a1.id);
    crm::follow_up_filter window;
    window.due_from = at(2026_y / 3 / 4, 8h);
    window.due_to = at(2026_y / 3 / 5, 8h);  // before
    CHECK(fx.fu.count(window) == 2);
    window.limit = 1;
    window.offset = 1;
    REQUIRE(fx.fu.list(window).size() == 1);
    CHECK(fx.fu.list(window)[0].id == b1.id);
    fx.fu.remove(a1.id);
    CHECK_FALSE(fx.fu.find(a1.id));
    SQLite::Database db(fx.dir.file("crm.db"));
    SQLite::Statement q(db, "SELECT COUNT(*) FROM follow_up_history WHERE follow_up_id = ?");
    q.bind(1, a1.id);
    REQUIRE(q.executeStep());
    CHECK(q.getColumn(0).getInt() == 0);
}

// ---- due, overdue, upcoming ------------------------------------------------------------------

TEST_CASE("due now: exactly now is due, earlier today is due but not overdue, yesterday is overdue",
          "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    const auto now = at(2026_y / 3 / 10, 14h);  // 15:00 in Paris
    auto exact = fx.fu.schedule(ada, "exact", due_time::instant(now));
    auto morning = fx.fu.schedule(ada, "morning", due_time::on(2026_y / 3 / 10));
    auto yesterday = fx.fu.schedule(ada, "yesterday", due_time::on(2026_y / 3 / 9, 18h));
    auto later = fx.fu.schedule(ada, "later", due_time::instant(now + 1s));
    auto tomorrow = fx.fu.schedule(ada, "tomorrow", due_time::on(2026_y / 3 / 11));
    auto far = fx.fu.schedule(ada, "far", due_time::on(2026_y / 3 / 18));
    auto done = fx.fu.schedule(ada, "done", due_time::on(2026_y / 3 / 1));
    fx.fu.complete(done.id);

    auto d = fx.fu.due(now);
    CHECK(ids(d) == std::vector{yesterday.id, morning.id, exact.id});
    CHECK(d[0].overdue);
    CHECK(d[0].late == 21h);
    CHECK_FALSE(d[1].overdue);
    CHECK(d[1].late == 6h);
    CHECK_FALSE(d[2].overdue);
    CHECK(d[2].late == 0s);
    CHECK(ids(fx.fu.due(now, 2)) == std::vector{yesterday.id, morning.id});
    CHECK(ids(fx.fu.overdue(now)) == std::vector{yesterday.id});
    auto up = fx.fu.upcoming(now, date::days{1});
    CHECK(ids(up) == std::vector{later.id, tomorrow.id});
    CHECK_FALSE(up[0].overdue);
    CHECK(up[0].late == 0s);
    CHECK(ids(fx.fu.upcoming(now, date::days{8})) == std::vector{later.id, tomorrow.id, far.id});
    CHECK(ids(fx.fu.upcoming(now, date::days{7})) == std::vector{later.id, tomorrow.id});
}

TEST_CASE("what is overdue depends on the user's zone", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    const auto now = at(2026_y / 3 / 10, 14h);
    // 23:00 on the 9th in New York (EDT since the 8th), 04:00 on the 10th in Paris.
    auto f = fx.fu.schedule(ada, "x", due_time::instant(at(2026_y / 3 / 10, 3h)));
    CHECK(fx.fu.overdue(now).empty());
    fx.s.set_time_zone("America/New_York");
    CHECK(ids(fx.fu.overdue(now)) == std::vector{f.id});
    // 00:10 on the 10th in Kolkata, 19:40 on the 9th in Paris.
    fx.fu.reschedule(f.id, due_time::instant(at(2026_y / 3 / 9, 18h, 40min)));
    fx.s.set_time_zone("Asia/Kolkata");
    CHECK(fx.fu.overdue(now).empty());
    CHECK(fx.fu.due(now).size() == 1);
    fx.s.set_time_zone("Europe/Paris");
    CHECK(fx.fu.overdue(now).size() == 1);
}

TEST_CASE("on the spring DST day in Paris, today starts at 23:00 UTC the day before", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    const auto noon = at(2026_y / 3 / 29, 10h);  // 12:00 CEST
    auto before = fx.fu.schedule(ada, "b", due_time::instant(at(2026_y / 3 / 28, 22h, 59min) + 59s));
    auto midnight = fx.fu.schedule(ada, "m", due_time::instant(at(2026_y / 3 / 28, 23h)));
    CHECK(ids(fx.fu.overdue(noon)) == std::vector{before.id});
    CHECK(ids(fx.fu.due(noon)) == std::vector{before.id, midnight.id});
}

TEST_CASE("upcoming in N days keeps the wall clock across a DST change", "[follow_ups]") {
    fixture fx;
    auto ada = fx.person("Ada");
    const auto now = at(2026_y / 3 / 28, 8h);  // 09:00 CET
    auto nine = fx.fu.schedule(ada, "9", due_time::on(2026_y / 3 / 29));  // 09:00 CEST = 07:00Z
    auto after = fx.fu.schedule(ada, "after", due_time::instant(at(2026_y / 3 / 29, 7h) + 1s));
    CHECK(ids(fx.fu.upcoming(now, date::days{1})) == std::vector{nine.id});
    CHECK(ids(fx.fu.upcoming(now, date::days{2})) == std::vector{nine.id, after.id});
    CHECK_THROWS_AS(fx.fu.upcoming(now, date::days{-1}), crm::invalid_input);
}

TEST_CASE("the due query reads the partial index in due order and stops at the limit", "[follow_ups]") {
    fixture fx;
    SQLite::Database db(fx.dir.file("crm.db"));
    // The statement follow_up_store::due runs (see due_rows in follow_up_store.cpp).
    SQLite::Statement q(db,
                        "EXPLAIN QUERY PLAN SELECT id, contact_id, reason, due_at, time_zone, status, event_id, "
                        "interaction_id, favor_id, rule_id, completed_at, completed_by, created_at, updated_at, "
                        "sequence FROM follow_ups WHERE status = 'open' AND due_at <= ? ORDER BY due_at, id LIMIT ?");
    std::string plan;
    while (q.executeStep()) plan += q.getColumn(3).getString() + "\n";
    CHECK_THAT(plan, Catch::Contains("USING INDEX follow_ups_open_due"));
    CHECK_THAT(plan, !Catch::Contains("TEMP B-TREE"));
}

// ---- rules -----------------------------------------------------------------------------------

TEST_CASE("a cadence for one contact creates its follow-up at once, a conversation pushes it", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto r = fx.fu.add_rule(cadence_for(ada, step{2, step_unit::weeks}));
    CHECK(r.id > 0);
    CHECK(r.created_at == t0);
    auto open = fx.of(ada);
    REQUIRE(open.size() == 1);
    CHECK(open[0].due_at == at(2026_y / 3 / 16, 8h));
    CHECK(open[0].reason == "Keep in touch (every 2 weeks)");
    CHECK(open[0].rule == r.id);

    // A conversation on 10 March (in Paris, late evening UTC still the 10th there) pushes it to the 24th.
    fx.clock.set(at(2026_y / 3 / 10, 20h));
    auto talk = fx.talk({ada}, at(2026_y / 3 / 10, 20h));
    auto f = fx.fu.get(open[0].id);
    CHECK(f.due_at == at(2026_y / 3 / 24, 8h));
    CHECK(f.status == follow_up_status::open);  // pushed, not completed
    CHECK(f.sequence == 1);
    auto h = fx.fu.history(f.id);
    CHECK(h.back().action == follow_up_action::pushed);
    CHECK(h.back().due_before == at(2026_y / 3 / 16, 8h));
    CHECK(h.back().note == "interaction #" + std::to_string(talk));

    // One logged late, about an older conversation, moves nothing back.
    fx.talk({ada}, at(2026_y / 3 / 5, 9h));
    CHECK(fx.fu.get(f.id).due_at == at(2026_y / 3 / 24, 8h));
    CHECK(fx.fu.refresh_rules() == 0);
}

TEST_CASE("a conversation pushes only cadence follow-ups", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto manual = fx.fu.schedule(ada, "send the deck", due_time::on(2026_y / 3 / 3));
    fx.talk({ada}, t0 + 1h);
    CHECK(fx.fu.get(manual.id).due_at == at(2026_y / 3 / 3, 8h));
    CHECK(fx.fu.history(manual.id).size() == 1);
}

TEST_CASE("completing a cadence follow-up brings the next one, counted from then", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto r = fx.fu.add_rule(cadence_for(ada, step{1, step_unit::months}));
    auto first = fx.of(ada).at(0);
    CHECK(first.due_at == at(2026_y / 4 / 2, 7h));  // 09:00 CEST
    fx.clock.set(at(2026_y / 4 / 3, 10h));
    fx.fu.complete(first.id);
    auto all = fx.of(ada);
    REQUIRE(all.size() == 2);
    CHECK(all[1].status == follow_up_status::open);
    CHECK(all[1].rule == r.id);
    CHECK(all[1].due_at == at(2026_y / 5 / 3, 7h));
}

TEST_CASE("a monthly cadence started on January 31st falls due on the last day of February", "[follow_ups][rules]") {
    fixture fx;
    fx.clock.set(at(2024_y / 1 / 31, 12h));
    auto ada = fx.person("Ada");
    fx.fu.add_rule(cadence_for(ada, step{1, step_unit::months}));
    CHECK(fx.of(ada).at(0).due_at == at(2024_y / 2 / 29, 8h));
    fx.clock.set(at(2025_y / 1 / 31, 12h));
    auto bob = fx.person("Bob");
    fx.fu.add_rule(cadence_for(bob, step{1, step_unit::months}));
    CHECK(fx.of(bob).at(0).due_at == at(2025_y / 2 / 28, 8h));
}

TEST_CASE("a tag cadence covers the tagged contacts; refresh_rules follows tagging", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada", {"Investor"});
    auto bob = fx.person("Bob", {"friend"});
    follow_up_rule r;
    r.kind = rule_kind::cadence;
    r.tag = "investor";
    r.every = step{10, step_unit::days};
    r.time_of_day = 8h + 30min;
    r.reason = "Investor update";
    r = fx.fu.add_rule(r);
    REQUIRE(fx.of(ada).size() == 1);
    CHECK(fx.of(ada)[0].due_at == at(2026_y / 3 / 12, 7h, 30min));
    CHECK(fx.of(ada)[0].reason == "Investor update");
    CHECK(fx.of(bob).empty());

    // Bob becomes an investor a week later: the next refresh brings him in, counted from then.
    fx.clock.set(t0 + date::days{7});
    auto b = fx.s.contacts().get(bob);
    b.tags.push_back("investor");
    fx.s.contacts().update(b);
    CHECK(fx.of(bob).empty());
    CHECK(fx.fu.refresh_rules() == 1);
    REQUIRE(fx.of(bob).size() == 1);
    CHECK(fx.of(bob)[0].due_at == at(2026_y / 3 / 19, 7h, 30min));
    CHECK(fx.fu.refresh_rules() == 0);

    // Ada is no longer tagged: her open one is cancelled, with a note.
    auto a = fx.s.contacts().get(ada);
    a.tags.clear();
    fx.s.contacts().update(a);
    fx.fu.refresh_rules();
    auto ada_fu = fx.of(ada).at(0);
    CHECK(ada_fu.status == follow_up_status::cancelled);
    CHECK(fx.fu.history(ada_fu.id).back().note == "no longer tagged investor");
}

TEST_CASE("a tagged contact's cadence counts from the last conversation when it comes under the rule",
          "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada", {"investor"});
    fx.talk({ada}, at(2026_y / 2 / 20, 12h));
    follow_up_rule r;
    r.kind = rule_kind::cadence;
    r.tag = "investor";
    r.every = step{1, step_unit::weeks};
    fx.fu.add_rule(r);
    // 20 Feb + 1 week: already due when the rule is added.
    CHECK(fx.of(ada).at(0).due_at == at(2026_y / 2 / 27, 8h));
    CHECK(fx.fu.due(t0).size() == 1);
}

TEST_CASE("rules are checked, listed, updated and removed", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    follow_up_rule bad;
    bad.kind = rule_kind::cadence;
    CHECK_THROWS_WITH(fx.fu.add_rule(bad), Catch::Contains("neither"));
    bad.contact = ada;
    bad.tag = "x";
    CHECK_THROWS_WITH(fx.fu.add_rule(bad), Catch::Contains("both"));
    bad.tag = "";
    bad.every.count = 0;
    CHECK_THROWS_WITH(fx.fu.add_rule(bad), Catch::Contains("every"));
    bad.every.count = 1;
    bad.time_of_day = 24h;
    CHECK_THROWS_WITH(fx.fu.add_rule(bad), Catch::Contains("time_of_day"));
    bad.time_of_day = 9h;
    bad.contact = ada + 50;
    CHECK_THROWS_AS(fx.fu.add_rule(bad), crm::not_found);
    follow_up_rule ev;
    ev.kind = rule_kind::after_event;
    ev.contact = ada;
    CHECK_THROWS_WITH(fx.fu.add_rule(ev), Catch::Contains("contact"));
    CHECK(fx.fu.rules().empty());
    CHECK(fx.fu.count() == 0);

    auto r = fx.fu.add_rule(cadence_for(ada, step{2, step_unit::weeks}));
    CHECK(fx.fu.get_rule(r.id) == r);
    CHECK(fx.fu.rules() == std::vector{r});
    CHECK_THROWS_AS(fx.fu.get_rule(r.id + 1), crm::not_found);

    // A new step re-derives the open follow-up.
    r.every = step{3, step_unit::weeks};
    fx.fu.update_rule(r);
    auto f = fx.of(ada).at(0);
    CHECK(f.due_at == at(2026_y / 3 / 23, 8h));
    CHECK(fx.fu.history(f.id).back().action == follow_up_action::rescheduled);
    auto kind_change = r;
    kind_change.kind = rule_kind::after_event;
    kind_change.contact.reset();
    CHECK_THROWS_WITH(fx.fu.update_rule(kind_change), Catch::Contains("kind"));

    // Paused: the open one is cancelled.
    r.active = false;
    fx.fu.update_rule(r);
    CHECK(fx.fu.get(f.id).status == follow_up_status::cancelled);
    CHECK(fx.fu.refresh_rules() == 0);
    r.active = true;
    fx.fu.update_rule(r);
    auto open = fx.fu.list(open_of(ada));
    REQUIRE(open.size() == 1);

    // Removed: open ones cancelled, done ones kept (unlinked).
    fx.fu.complete(open[0].id);
    auto next = fx.fu.list(open_of(ada)).at(0);
    fx.fu.remove_rule(r.id);
    CHECK(fx.fu.get(next.id).status == follow_up_status::cancelled);
    CHECK(fx.fu.get(open[0].id).status == follow_up_status::done);
    CHECK_FALSE(fx.fu.get(open[0].id).rule);
    CHECK(fx.fu.rules().empty());
    CHECK_THROWS_AS(fx.fu.remove_rule(r.id), crm::not_found);
}

TEST_CASE("after an event: a follow-up two business days after the event's local day", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    auto bob = fx.person("Bob", {"speaker"});
    follow_up_rule r;
    r.kind = rule_kind::after_event;
    r.every = step{2, step_unit::business_days};
    r = fx.fu.add_rule(r);
    // Friday 6 March, 22:00 in New York: already Saturday in UTC and Paris.
    auto meetup = fx.event("Rust NYC", at(2026_y / 3 / 7, 3h), "America/New_York");
    fx.attend(meetup, ada);
    auto made = fx.of(ada);
    REQUIRE(made.size() == 1);
    CHECK(made[0].reason == "Follow up after Rust NYC");
    CHECK(made[0].event == meetup);
    CHECK(made[0].rule == r.id);
    CHECK(made[0].due_at == at(2026_y / 3 / 10, 8h));  // Tuesday 09:00 in Paris (the user's zone)

    // Not twice for the same rule, contact and event, even once done.
    fx.fu.complete(made[0].id);
    fx.other_store([&](store::impl& side) { crm::detail::on_attendee_added(side, meetup, ada); });
    CHECK(fx.of(ada).size() == 1);

    // A rule limited to a tag only follows up those contacts.
    follow_up_rule speakers;
    speakers.kind = rule_kind::after_event;
    speakers.tag = "Speaker";
    speakers.every = step{1, step_unit::days};
    speakers.reason = "Send the slides";
    fx.fu.add_rule(speakers);
    auto conf = fx.event("RustConf", at(2026_y / 3 / 20, 9h), "Europe/Paris");
    fx.attend(conf, ada);
    fx.attend(conf, bob);
    CHECK(fx.of(ada).size() == 2);  // the general rule only
    auto bobs = fx.of(bob);
    REQUIRE(bobs.size() == 2);
    CHECK(bobs[0].reason == "Send the slides");
    CHECK(bobs[0].due_at == at(2026_y / 3 / 21, 8h));
    CHECK(bobs[1].reason == "Follow up after RustConf");
}

TEST_CASE("an inactive after_event rule makes nothing", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    follow_up_rule r;
    r.kind = rule_kind::after_event;
    r.active = false;
    fx.fu.add_rule(r);
    fx.attend(fx.event("Meetup", t0, "Europe/Paris"), ada);
    CHECK(fx.fu.count() == 0);
}

TEST_CASE("a favour received with thanks: a thank-you due the next business day at 09:00", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada Lovelace");
    auto fav = fx.favour(ada, 2026_y / 3 / 6, true);  // a Friday
    auto made = fx.of(ada);
    REQUIRE(made.size() == 1);
    CHECK(made[0].reason == "Thank Ada Lovelace for the introduction");
    CHECK(made[0].favor == fav);
    CHECK_FALSE(made[0].rule);
    CHECK(made[0].due_at == at(2026_y / 3 / 9, 8h));  // Monday 09:00 in Paris
    // Without thanks and without rules: nothing. A favour given: nothing.
    fx.favour(ada, 2026_y / 3 / 6, false);
    fx.favour(ada, 2026_y / 3 / 6, true, crm::favor_direction::given);
    CHECK(fx.of(ada).size() == 1);
}

TEST_CASE("after_favor rules use their step and the holiday calendar", "[follow_ups][rules]") {
    fixture fx;
    auto ada = fx.person("Ada");
    fx.fu.set_holidays("FR", {{2026_y / 5 / 1, "Fête du Travail"}, {2026_y / 5 / 8, "Victoire 1945"}});
    follow_up_rule r;
    r.kind = rule_kind::after_favor;
    r.every = step{1, step_unit::business_days};
    r.holidays = "FR";
    r.time_of_day = 10h;
    r = fx.fu.add_rule(r);
    auto fav = fx.favour(ada, 2026_y / 4 / 30, false);  // Thursday; Friday 1 May is a holiday
    auto made = fx.of(ada);
    REQUIRE(made.size() == 1);
    CHECK(made[0].due_at == at(2026_y / 5 / 4, 8h));  // Monday 10:00 CEST
    CHECK(made[0].rule == r.id);
    CHECK(made[0].favor == fav);
    CHECK(made[0].reason == "Thank Ada for the introduction");
}

TEST_CASE("set_holidays replaces a calendar", "[follow_ups]") {
    fixture fx;
    fx.fu.set_holidays("FR", {{2026_y / 5 / 1, "Fête du Travail"}, {2026_y / 5 / 8, ""}});
    CHECK(fx.fu.holidays("FR") == std::set{date::sys_days{2026_y / 5 / 1}, date::sys_days{2026_y / 5 / 8}});
    fx.fu.set_holidays("FR", {{2026_y / 7 / 14, "Fête nationale"}});
    CHECK(fx.fu.holidays("FR") == std::set{date::sys_days{2026_y / 7 / 14}});
    CHECK(fx.fu.holidays("US").empty());
    CHECK_THROWS_AS(fx.fu.set_holidays("", {}), crm::invalid_input);
    CHECK_THROWS_AS(fx.fu.set_holidays("FR", {{2026_y / 2 / 30, ""}}), crm::invalid_input);
}

// ---- going cold, warmth ----------------------------------------------------------------------

TEST_CASE("going cold: contacts once talked to and silent for N days, the most recently quiet first", "[follow_ups]") {
    fixture fx;
    const auto now = at(2026_y / 6 / 1, 12h);
    auto ada = fx.person("Ada");
    auto bob = fx.person("Bob");
    auto cy = fx.person("Cy");
    fx.person("Never met");
    fx.talk({ada}, now - date::days{200});
    fx.talk({ada}, now - date::days{150});
    auto last_ada = fx.talk({ada, bob}, now - date::days{100});
    fx.talk({cy}, now - date::days{10});
    fx.talk({cy}, now + date::days{10});  // after "now": does not count
    auto cold = fx.fu.going_cold(now, date::days{90});
    REQUIRE(cold.size() == 2);
    CHECK(cold[0].contact == ada);
    REQUIRE(cold[0].last);
    CHECK(cold[0].last->interaction == last_ada);
    CHECK(cold[0].last->at == now - date::days{100});
    CHECK(cold[1].contact == bob);
    CHECK(fx.fu.going_cold(now, date::days{90}, 1).size() == 1);
    // One exactly N days ago counts as heard from.
    CHECK(fx.fu.going_cold(now, date::days{100}).empty());
    // As of an earlier day, Cy's silence counts too, and Cy went quiet most recently.
    auto earlier = fx.fu.going_cold(now - date::days{5}, date::days{1});
    REQUIRE(earlier.size() == 3);
    CHECK(earlier[0].contact == cy);
    CHECK(earlier[1].contact == ada);  // Ada and Bob went quiet in the same interaction: by id
    CHECK(earlier[2].contact == bob);
}

TEST_CASE("warmth halves every half-life and is capped at 100", "[follow_ups]") {
    fixture fx;
    const auto now = at(2026_y / 6 / 1, 12h);
    auto ada = fx.person("Ada");
    auto bob = fx.person("Bob");
    auto cy = fx.person("Cy");
    auto w = fx.fu.warmth_of(ada, now);
    CHECK(w.score == 0);
    CHECK_FALSE(w.last_interaction);
    fx.talk({ada}, now - date::days{30});
    CHECK(fx.fu.warmth_of(ada, now).score == Approx(50).epsilon(1e-12));
    fx.talk({ada}, now - date::days{60});
    w = fx.fu.warmth_of(ada, now);
    CHECK(w.score == Approx(75).epsilon(1e-12));
    CHECK(w.last_interaction == now - date::days{30});
    CHECK(fx.fu.warmth_of(ada, now, date::days{15}).score == Approx(25 + 6.25).epsilon(1e-12));
    CHECK(fx.fu.warmth_of(ada, now - date::days{15}, date::days{15}).score == Approx(50 + 12.5).epsilon(1e-12));
    fx.talk({bob}, now);
    fx.talk({bob}, now - date::days{15});
    CHECK(fx.fu.warmth_of(bob, now).score == 100);  // 100 + 70.7, capped
    fx.talk({cy}, now + date::days{1});  // not yet happened as of now
    CHECK(fx.fu.warmth_of(cy, now).score == 0);
    CHECK_THROWS_AS(fx.fu.warmth_of(ada + 100, now), crm::not_found);
    CHECK_THROWS_AS(fx.fu.warmth_of(ada, now, date::days{0}), crm::invalid_input);
}
