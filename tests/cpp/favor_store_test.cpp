// favor_store: the reciprocity ledger. Names of kinds and statuses, favours and their filters,
// introductions both ways, balances and who is owed, asks and whom the user could help, and what
// deleting and merging contacts does to all of it.
#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/favor.hpp"
#include "crm/favor_store.hpp"
#include "crm/store.hpp"

#include "test_support.hpp"

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Statement.h>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::ask_status;
using crm::contact;
using crm::favor;
using crm::favor_direction;
using crm::favor_filter;
using crm::favor_kind;
using crm::favor_status;
using crm::introduction;
using crm::store;
using crm::test::at;

namespace {

const date::sys_seconds t0 = at(2026_y / 3 / 1, 10h);

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{t0};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    fixture() { s.set_time_zone("Europe/Paris"); }

    crm::contact_id person(const std::string& name) {
        contact c;
        c.display_name = name;
        return s.contacts().add(c).id;
    }
    favor make(favor_direction d, crm::contact_id who, double weight = 1, favor_status st = favor_status::done,
               date::year_month_day on = 2026_y / 2 / 1, favor_kind k = favor_kind::advice) {
        favor f;
        f.direction = d;
        f.contact = who;
        f.kind = k;
        f.weight = weight;
        f.status = st;
        f.on = on;
        return f;
    }
    favor give(crm::contact_id who, double weight = 1, favor_status st = favor_status::done,
               date::year_month_day on = 2026_y / 2 / 1) {
        return s.favors().add(make(favor_direction::given, who, weight, st, on));
    }
    favor receive(crm::contact_id who, double weight = 1, favor_status st = favor_status::done,
                  date::year_month_day on = 2026_y / 2 / 1) {
        return s.favors().add(make(favor_direction::received, who, weight, st, on));
    }
    long long count(const std::string& sql) {
        SQLite::Database db(s.path(), SQLite::OPEN_READONLY);
        return db.execAndGet(sql).getInt64();
    }
};

std::vector<crm::contact_id> contacts_of(const std::vector<crm::favor_balance>& bs) {
    std::vector<crm::contact_id> out;
    for (const auto& b : bs) out.push_back(b.contact);
    return out;
}

std::vector<crm::ask_id> ids_of(const std::vector<crm::ask>& as) {
    std::vector<crm::ask_id> out;
    for (const auto& a : as) out.push_back(a.id);
    return out;
}

}  // namespace

TEST_CASE("every favour kind, status and direction name reads back as itself", "[favors]") {
    for (auto k : {favor_kind::advice, favor_kind::introduction, favor_kind::referral, favor_kind::guest_post,
                   favor_kind::cross_post, favor_kind::resource, favor_kind::loan, favor_kind::other})
        CHECK(crm::parse_favor_kind(crm::to_string(k)) == k);
    for (auto st : {favor_status::offered, favor_status::done, favor_status::declined})
        CHECK(crm::parse_favor_status(crm::to_string(st)) == st);
    for (auto d : {favor_direction::given, favor_direction::received})
        CHECK(crm::parse_favor_direction(crm::to_string(d)) == d);
    for (auto a : {ask_status::open, ask_status::met, ask_status::dropped}) CHECK(crm::parse_ask_status(crm::to_string(a)) == a);
    CHECK(crm::to_string(favor_kind::guest_post) == "guest_post");
}

TEST_CASE("guest post and cross post are accepted as people write them", "[favors]") {
    CHECK(crm::parse_favor_kind("guest-post") == favor_kind::guest_post);
    CHECK(crm::parse_favor_kind("guest post") == favor_kind::guest_post);
    CHECK(crm::parse_favor_kind("Guest Post") == favor_kind::guest_post);
    CHECK(crm::parse_favor_kind("cross-post") == favor_kind::cross_post);
    CHECK(crm::parse_favor_status(" Done ") == favor_status::done);
}

TEST_CASE("an unknown favour name is refused with the accepted names listed", "[favors]") {
    CHECK_THROWS_WITH(crm::parse_favor_kind("coffee"),
                      "kind: unknown favour kind 'coffee'; expected one of advice, introduction, referral, guest_post, "
                      "cross_post, resource, loan, other");
    CHECK_THROWS_WITH(crm::parse_favor_status("maybe"),
                      "status: unknown favour status 'maybe'; expected one of offered, done, declined");
    CHECK_THROWS_WITH(crm::parse_favor_direction("sent"),
                      "direction: unknown favour direction 'sent'; expected one of given, received");
    CHECK_THROWS_WITH(crm::parse_ask_status("closed"), "status: unknown ask status 'closed'; expected one of open, met, dropped");
    CHECK_THROWS_AS(crm::parse_favor_kind(""), crm::invalid_input);
}

TEST_CASE("a favour is stored, read back, changed and removed", "[favors]") {
    fixture f;
    auto ada = f.person("Ada");
    favor in = f.make(favor_direction::given, ada, 2.5, favor_status::done, 2026_y / 2 / 14, favor_kind::guest_post);
    in.note = "  wrote for her blog  ";
    favor out = f.s.favors().add(in);
    CHECK(out.id > 0);
    CHECK(out.note == "wrote for her blog");
    CHECK(out.created_at == t0);
    CHECK(out.updated_at == t0);
    CHECK(f.s.favors().get(out.id) == out);

    f.clock.set(t0 + 1h);
    out.weight = 3;
    out.status = favor_status::declined;
    out.kind = favor_kind::cross_post;
    favor changed = f.s.favors().update(out);
    CHECK(changed.created_at == t0);
    CHECK(changed.updated_at == t0 + 1h);
    CHECK(f.s.favors().get(out.id) == changed);

    f.s.favors().remove(out.id);
    CHECK_FALSE(f.s.favors().find(out.id));
    CHECK_THROWS_AS(f.s.favors().get(out.id), crm::not_found);
    CHECK_THROWS_AS(f.s.favors().remove(out.id), crm::not_found);
    CHECK_THROWS_AS(f.s.favors().update(out), crm::not_found);
}

TEST_CASE("a favour with a bad weight, date or contact is refused and nothing is written", "[favors]") {
    fixture f;
    auto ada = f.person("Ada");
    for (double w : {0.0, -1.0, std::nan("")}) {
        favor bad = f.make(favor_direction::given, ada, w);
        CHECK_THROWS_AS(f.s.favors().add(bad), crm::invalid_input);
    }
    CHECK_THROWS_WITH(f.s.favors().add(f.make(favor_direction::given, ada, 1, favor_status::done, 2026_y / 2 / 30)),
                      "on: 2026-2-30 is not a calendar date");
    CHECK_THROWS_AS(f.s.favors().add(f.make(favor_direction::given, 999)), crm::not_found);
    favor with_intro = f.make(favor_direction::given, ada);
    with_intro.introduction = 1;
    CHECK_THROWS_AS(f.s.favors().add(with_intro), crm::invalid_input);
    crm::favor_options thank;
    thank.thank = true;
    CHECK_THROWS_WITH(f.s.favors().add(f.make(favor_direction::given, ada), thank),
                      "thank: a thank-you follows a favour received; this one is given");
    CHECK(f.count("SELECT count(*) FROM favors") == 0);
}

TEST_CASE("a favour without a date is dated today on the user's wall clock", "[favors]") {
    fixture f;
    auto ada = f.person("Ada");
    struct row {
        const char* zone;
        date::sys_seconds now;
        date::year_month_day day;
    };
    // 23:30 UTC on 1 March: already 2 March in Paris and Kolkata, still 1 March in New York.
    const auto late = at(2026_y / 3 / 1, 23h, 30min);
    for (const auto& r : {row{"Europe/Paris", late, 2026_y / 3 / 2}, row{"Asia/Kolkata", late, 2026_y / 3 / 2},
                          row{"America/New_York", late, 2026_y / 3 / 1},
                          // Kolkata is +05:30: 18:29 UTC is 23:59 there, 18:30 is midnight.
                          row{"Asia/Kolkata", at(2026_y / 3 / 1, 18h, 29min), 2026_y / 3 / 1},
                          row{"Asia/Kolkata", at(2026_y / 3 / 1, 18h, 30min), 2026_y / 3 / 2},
                          // The night Paris moves to summer time: 23:30 UTC on the 28th is 00:30 CET on
                          // the 29th; 22:30 UTC on the 29th is already 00:30 CEST on the 30th.
                          row{"Europe/Paris", at(2026_y / 3 / 28, 23h, 30min), 2026_y / 3 / 29},
                          row{"Europe/Paris", at(2026_y / 3 / 29, 22h, 30min), 2026_y / 3 / 30}}) {
        CAPTURE(r.zone, r.now);
        f.s.set_time_zone(r.zone);
        f.clock.set(r.now);
        favor fv = f.make(favor_direction::given, ada);
        fv.on = {};
        CHECK(f.s.favors().add(fv).on == r.day);
        introduction i;
        i.first = ada;
        i.second = f.person("Someone");
        CHECK(f.s.favors().introduce(i).on == r.day);
    }
}

TEST_CASE("list filters favours by contact, direction, kind, status and dates, in date order", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob");
    auto a1 = f.give(ada, 1, favor_status::done, 2026_y / 2 / 10);
    auto a2 = f.receive(ada, 1, favor_status::offered, 2026_y / 1 / 5);
    auto b1 = f.s.favors().add(f.make(favor_direction::given, bob, 1, favor_status::done, 2026_y / 3 / 1, favor_kind::loan));
    auto ids = [&](const favor_filter& flt) {
        std::vector<crm::favor_id> out;
        for (const auto& x : f.s.favors().list(flt)) out.push_back(x.id);
        // count() agrees with list() on the same filter, paging aside.
        favor_filter whole = flt;
        whole.limit = whole.offset = 0;
        CHECK(f.s.favors().count(whole) == f.s.favors().list(whole).size());
        return out;
    };
    CHECK(ids({}) == std::vector{a2.id, a1.id, b1.id});
    favor_filter flt;
    flt.contact = ada;
    CHECK(ids(flt) == std::vector{a2.id, a1.id});
    flt = {};
    flt.direction = favor_direction::given;
    CHECK(ids(flt) == std::vector{a1.id, b1.id});
    flt = {};
    flt.kind = favor_kind::loan;
    CHECK(ids(flt) == std::vector{b1.id});
    flt = {};
    flt.status = favor_status::offered;
    CHECK(ids(flt) == std::vector{a2.id});
    flt = {};
    flt.from = 2026_y / 2 / 10;
    flt.to = 2026_y / 2 / 28;
    CHECK(ids(flt) == std::vector{a1.id});  // both ends included
    flt = {};
    flt.limit = 1;
    flt.offset = 1;
    CHECK(ids(flt) == std::vector{a1.id});
    flt = {};
    flt.offset = 2;
    CHECK(ids(flt) == std::vector{b1.id});
    flt = {};
    flt.from = 2026_y / 3 / 1;
    flt.to = 2026_y / 2 / 1;
    CHECK_THROWS_AS(f.s.favors().list(flt), crm::invalid_input);
    CHECK_THROWS_AS(f.s.favors().count(flt), crm::invalid_input);
}

TEST_CASE("the user introducing two contacts is a favour given to each", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob");
    introduction i;
    i.first = ada;
    i.second = bob;
    i.on = 2026_y / 2 / 20;
    i.note = "both into robotics";
    auto made = f.s.favors().introduce(i, 2);
    CHECK(made.id > 0);
    CHECK_FALSE(made.introducer);
    CHECK(f.s.favors().introductions() == std::vector{made});
    auto fs = f.s.favors().favours_of(made.id);
    REQUIRE(fs.size() == 2);
    for (const auto& x : fs) {
        CHECK(x.direction == favor_direction::given);
        CHECK(x.kind == favor_kind::introduction);
        CHECK(x.weight == 2);
        CHECK(x.on == 2026_y / 2 / 20);
        CHECK(x.note == "both into robotics");
        CHECK(x.introduction == made.id);
    }
    CHECK(fs[0].contact == ada);
    CHECK(fs[1].contact == bob);
    CHECK(f.s.favors().balance(ada).balance == 2);
    CHECK(f.s.favors().balance(bob).balance == 2);
    // The user introduced them: nobody among the contacts did, so neither gets introduced_by.
    CHECK_FALSE(f.s.contacts().get(bob).introduced_by);
    CHECK_FALSE(f.s.contacts().get(ada).introduced_by);
}

TEST_CASE("a contact introducing the user to someone is a favour received and sets introduced by", "[favors]") {
    fixture f;
    auto carol = f.person("Carol"), dan = f.person("Dan");
    f.clock.set(t0 + 5min);
    introduction i;
    i.introducer = carol;
    i.second = dan;
    i.on = 2026_y / 2 / 21;
    auto made = f.s.favors().introduce(i);
    auto fs = f.s.favors().favours_of(made.id);
    REQUIRE(fs.size() == 1);
    CHECK(fs[0].direction == favor_direction::received);
    CHECK(fs[0].contact == carol);
    CHECK(f.s.favors().balance(carol).balance == -1);
    CHECK(f.s.favors().balance(dan).balance == 0);  // Dan did nothing for the user yet
    auto d = f.s.contacts().get(dan);
    CHECK(d.introduced_by == carol);
    CHECK(d.updated_at == t0 + 5min);
    CHECK(f.s.favors().introductions(dan) == std::vector{made});
    CHECK(f.s.favors().introductions(carol) == std::vector{made});
}

TEST_CASE("introduced by is set only on a contact that has none", "[favors]") {
    fixture f;
    auto carol = f.person("Carol"), erin = f.person("Erin"), dan = f.person("Dan");
    introduction i;
    i.introducer = carol;
    i.second = dan;
    f.s.favors().introduce(i);
    i.introducer = erin;
    f.s.favors().introduce(i);
    CHECK(f.s.contacts().get(dan).introduced_by == carol);
    CHECK(f.s.favors().introductions(dan).size() == 2);
}

TEST_CASE("an introduction must have the user on one side and two different people", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), carol = f.person("Carol");
    introduction both;
    both.introducer = carol;
    both.first = ada;
    both.second = bob;
    CHECK_THROWS_AS(f.s.favors().introduce(both), crm::invalid_input);
    introduction none;
    none.second = bob;
    CHECK_THROWS_WITH(f.s.favors().introduce(none), Catch::StartsWith("first: say whom the user introduced"));
    introduction self;
    self.first = bob;
    self.second = bob;
    CHECK_THROWS_WITH(f.s.favors().introduce(self), "second: contact " + std::to_string(bob) + " cannot be introduced to themselves");
    self = {};
    self.introducer = bob;
    self.second = bob;
    CHECK_THROWS_AS(f.s.favors().introduce(self), crm::invalid_input);
    introduction ghost;
    ghost.first = ada;
    ghost.second = 999;
    CHECK_THROWS_AS(f.s.favors().introduce(ghost), crm::not_found);
    ghost.first = 998;
    ghost.second = ada;
    CHECK_THROWS_AS(f.s.favors().introduce(ghost), crm::not_found);
    introduction heavy;
    heavy.first = ada;
    heavy.second = bob;
    CHECK_THROWS_AS(f.s.favors().introduce(heavy, 0), crm::invalid_input);
    CHECK(f.count("SELECT count(*) FROM introductions") == 0);
    CHECK(f.count("SELECT count(*) FROM favors") == 0);
}

TEST_CASE("a favour of an introduction keeps who and what, and goes only with its introduction", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), carol = f.person("Carol");
    introduction i;
    i.first = ada;
    i.second = bob;
    auto made = f.s.favors().introduce(i);
    auto fv = f.s.favors().favours_of(made.id).front();

    auto moved = fv;
    moved.contact = carol;
    CHECK_THROWS_WITH(f.s.favors().update(moved), Catch::StartsWith("contact of favour"));
    auto turned = fv;
    turned.direction = favor_direction::received;
    CHECK_THROWS_AS(f.s.favors().update(turned), crm::invalid_input);
    auto rekinded = fv;
    rekinded.kind = favor_kind::advice;
    CHECK_THROWS_AS(f.s.favors().update(rekinded), crm::invalid_input);
    auto detached = fv;
    detached.introduction.reset();
    CHECK_THROWS_AS(f.s.favors().update(detached), crm::invalid_input);

    // What it was worth and whether it happened are the favour's own.
    auto declined = fv;
    declined.status = favor_status::declined;
    declined.weight = 4;
    declined.note = "Ada never wrote";
    CHECK(f.s.favors().update(declined).status == favor_status::declined);
    CHECK(f.s.favors().balance(ada).balance == 0);
    CHECK(f.s.favors().balance(bob).balance == 1);

    CHECK_THROWS_WITH(f.s.favors().remove(fv.id), Catch::Contains("remove_introduction()"));
    f.s.favors().remove_introduction(made.id);
    CHECK(f.s.favors().introductions().empty());
    CHECK(f.count("SELECT count(*) FROM favors") == 0);
    CHECK_THROWS_AS(f.s.favors().remove_introduction(made.id), crm::not_found);
    CHECK_THROWS_AS(f.s.favors().favours_of(made.id), crm::not_found);
}

TEST_CASE("a balance adds the weights of done favours only, given minus received", "[favors]") {
    fixture f;
    auto ada = f.person("Ada");
    f.give(ada, 2);
    f.give(ada, 0.5);
    f.give(ada, 10, favor_status::offered);
    f.give(ada, 10, favor_status::declined);
    f.receive(ada, 1, favor_status::done, 2026_y / 1 / 3);
    f.receive(ada, 4, favor_status::done, 2026_y / 1 / 9);
    f.receive(ada, 7, favor_status::offered, 2026_y / 2 / 20);
    auto b = f.s.favors().balance(ada);
    CHECK(b.contact == ada);
    CHECK(b.given == 2.5);
    CHECK(b.received == 5);
    CHECK(b.balance == -2.5);
    CHECK(b.last_received == 2026_y / 1 / 9);  // the offer is not help received yet

    auto nobody = f.person("Nobody");
    CHECK(f.s.favors().balance(nobody) == crm::favor_balance{nobody, 0, 0, 0, std::nullopt});
    CHECK_THROWS_AS(f.s.favors().balance(999), crm::not_found);
}

TEST_CASE("owed lists those who helped more than they were helped, most owed first", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), carol = f.person("Carol"), dan = f.person("Dan"),
         erin = f.person("Erin");
    f.receive(ada, 1, favor_status::done, 2026_y / 2 / 1);        // -1
    f.receive(bob, 5, favor_status::done, 2026_y / 2 / 1);        // -5 + 2 = -3
    f.give(bob, 2);
    f.receive(carol, 1);                                          // even
    f.give(carol, 1);
    f.receive(dan, 1, favor_status::done, 2026_y / 1 / 15);       // -1, helped earlier than Ada
    f.receive(erin, 9, favor_status::offered);                    // offers do not count
    auto owed = f.s.favors().owed();
    CHECK(contacts_of(owed) == std::vector{bob, dan, ada});
    CHECK(owed[0].balance == -3);
    CHECK(owed[1].last_received == 2026_y / 1 / 15);
}

TEST_CASE("asks are opened, met or dropped, and listed oldest first", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob");
    auto a1 = f.s.favors().add_ask(ada, "  a designer for the landing page ");
    CHECK(a1.text == "a designer for the landing page");
    CHECK(a1.status == ask_status::open);
    CHECK(a1.created_at == t0);
    f.clock.set(t0 + 1h);
    auto a2 = f.s.favors().add_ask(bob, "beta testers");
    f.clock.set(t0 + 2h);
    auto a3 = f.s.favors().add_ask(ada, "a flat in Lyon");
    CHECK(ids_of(f.s.favors().asks()) == std::vector{a1.id, a2.id, a3.id});
    CHECK(ids_of(f.s.favors().asks(ada)) == std::vector{a1.id, a3.id});

    f.clock.set(t0 + 3h);
    auto met = f.s.favors().close_ask(a1.id, ask_status::met);
    CHECK(met.status == ask_status::met);
    CHECK(met.closed_at == t0 + 3h);
    f.s.favors().close_ask(a3.id, ask_status::dropped);
    CHECK(ids_of(f.s.favors().asks(ada)).empty());
    auto all = f.s.favors().asks(ada, false);
    REQUIRE(all.size() == 2);
    CHECK(all[0] == met);
    CHECK(all[1].status == ask_status::dropped);

    CHECK_THROWS_WITH(f.s.favors().close_ask(a1.id, ask_status::dropped),
                      "status: ask " + std::to_string(a1.id) + " is already met");
    CHECK_THROWS_AS(f.s.favors().close_ask(a2.id, ask_status::open), crm::invalid_input);
    CHECK_THROWS_AS(f.s.favors().close_ask(999, ask_status::met), crm::not_found);
    CHECK_THROWS_AS(f.s.favors().add_ask(ada, "   "), crm::invalid_input);
    CHECK_THROWS_AS(f.s.favors().add_ask(999, "x"), crm::not_found);
}

TEST_CASE("could help puts the asks of those the user owes most first, then the oldest", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), carol = f.person("Carol"), dan = f.person("Dan");
    f.give(ada, 3);       // the user helped Ada a lot: her asks come last
    f.receive(bob, 2);    // the user owes Bob most
    f.receive(carol, 1);  // and Carol a little; Dan stands at 0
    auto ask_ada = f.s.favors().add_ask(ada, "a lawyer");
    f.clock.set(t0 + 1min);
    auto ask_dan_old = f.s.favors().add_ask(dan, "a venue");
    f.clock.set(t0 + 2min);
    auto ask_carol = f.s.favors().add_ask(carol, "a reviewer");
    f.clock.set(t0 + 3min);
    auto ask_bob = f.s.favors().add_ask(bob, "an intro to a VC");
    f.clock.set(t0 + 4min);
    auto ask_dan_new = f.s.favors().add_ask(dan, "a caterer");
    auto ask_closed = f.s.favors().add_ask(bob, "done already");
    f.s.favors().close_ask(ask_closed.id, ask_status::met);
    CHECK(ids_of(f.s.favors().could_help()) ==
          std::vector{ask_bob.id, ask_carol.id, ask_dan_old.id, ask_dan_new.id, ask_ada.id});
}

TEST_CASE("deleting a contact takes their favours and asks, and empties their place in introductions", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), carol = f.person("Carol");
    f.give(ada);
    f.receive(bob);
    f.s.favors().add_ask(ada, "a designer");
    introduction i;
    i.first = ada;
    i.second = bob;
    auto ab = f.s.favors().introduce(i);
    introduction j;
    j.introducer = carol;
    j.second = ada;
    auto ca = f.s.favors().introduce(j);

    f.s.contacts().remove(ada);
    CHECK(f.count("SELECT count(*) FROM favors WHERE contact_id = " + std::to_string(ada)) == 0);
    CHECK(f.count("SELECT count(*) FROM asks") == 0);
    // Ada was the second of Carol's introduction: it goes with her (and Carol's favour with it).
    auto left = f.s.favors().introductions();
    REQUIRE(left.size() == 1);
    CHECK(left[0].id == ab.id);
    CHECK_FALSE(left[0].first);  // Ada's place is empty; Bob's favour stays
    CHECK(f.s.favors().balance(bob).balance == 0);  // +1 for the introduction, -1 received
    CHECK(f.s.favors().balance(carol).received == 0);
    CHECK_THROWS_AS(f.s.favors().favours_of(ca.id), crm::not_found);
    CHECK(f.s.integrity_check() == "ok");
}

TEST_CASE("merging two contacts adds up their favours, asks and introductions on the survivor", "[favors]") {
    fixture f;
    auto ada = f.person("Ada"), ada2 = f.person("Ada L."), bob = f.person("Bob"), carol = f.person("Carol");
    f.give(ada, 2);
    f.receive(ada, 1);
    f.give(ada2, 0.5);
    f.receive(ada2, 4, favor_status::done, 2026_y / 2 / 25);
    f.receive(ada2, 9, favor_status::declined);
    auto ask1 = f.s.favors().add_ask(ada2, "a flat in Lyon");
    introduction i;
    i.first = ada2;
    i.second = bob;
    auto ib = f.s.favors().introduce(i);
    introduction j;
    j.introducer = carol;
    j.second = ada2;
    auto jc = f.s.favors().introduce(j);

    f.s.contacts().merge(ada, ada2);
    auto b = f.s.favors().balance(ada);
    CHECK(b.given == 2 + 0.5 + 1);  // plus the introduction to Bob
    CHECK(b.received == 1 + 4);
    CHECK(b.balance == -1.5);
    CHECK(b.last_received == 2026_y / 2 / 25);
    CHECK(f.s.favors().asks(ada).front().id == ask1.id);
    CHECK(f.s.favors().introductions(ada).size() == 2);
    CHECK(f.s.favors().introductions(ada).at(0).first == ada);
    CHECK(f.s.favors().introductions(ada).at(1).second == ada);
    CHECK(f.s.favors().favours_of(ib.id).front().contact == ada);
    CHECK(f.s.favors().favours_of(jc.id).front().contact == carol);
    CHECK(f.s.contacts().get(ada).introduced_by == carol);
    favor_filter flt;
    flt.contact = ada2;
    CHECK(f.s.favors().list(flt).empty());
    CHECK(contacts_of(f.s.favors().owed()) == std::vector{ada, carol});
}

TEST_CASE("a favour received with thank asks the follow-ups for a thank-you", "[favors]") {
    fixture f;
    auto ada = f.person("Ada");
    crm::favor_options thank;
    thank.thank = true;
    auto fv = f.s.favors().add(f.make(favor_direction::received, ada), thank);
    CHECK(f.count("SELECT count(*) FROM follow_ups WHERE favor_id = " + std::to_string(fv.id)) == 1);
    auto plain = f.receive(ada);
    CHECK(f.count("SELECT count(*) FROM follow_ups WHERE favor_id = " + std::to_string(plain.id)) == 0);
}

TEST_CASE("a favour kind written by another program outside netcrm's list is a storage_error naming the favour",
          "[favors][damage]") {
    fixture f;
    const auto given = f.give(f.person("Ada"));
    {
        SQLite::Database db(f.s.path(), SQLite::OPEN_READWRITE);
        db.exec("PRAGMA ignore_check_constraints = ON");  // as a program that does not know the rule
        db.exec("UPDATE favors SET kind = 'bribe'");
    }
    try {
        f.s.favors().get(given.id);
        FAIL("no error");
    } catch (const crm::invalid_input&) {
        FAIL("the caller gave nothing invalid: the row is damaged");
    } catch (const crm::storage_error& e) {
        CHECK_THAT(std::string(e.what()),
                   Catch::StartsWith("the database is damaged (favour " + std::to_string(given.id) +
                                     "): kind: unknown favour kind 'bribe'"));
    }
}
