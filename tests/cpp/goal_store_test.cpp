// Goals measured from the data: CRUD and validation, every built-in metric with its filters, progress
// (fraction, met, pace), reports, history, returns on networking and a metric registered from C++.
#include <catch2/catch.hpp>

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/favor_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"
#include "test_support.hpp"

#include <SQLiteCpp/Database.h>

#include <chrono>
#include <cmath>

using namespace crm;
using namespace date::literals;
using namespace std::chrono_literals;
using crm::test::at;

namespace {

// A store on a manual clock, in Paris, with a meetup on 4 March 2027 19:00-23:30 Paris time
// (18:00-22:30 UTC) and people met there.
struct fixture {
    crm::test::manual_clock clock{at(2027_y / 3 / 10, 12h)};
    store s = store::open(":memory:", crm::test::options_with_clock(clock.function()));
    contact_id ada = 0, grace = 0, linus = 0, hedy = 0, old_friend = 0;
    event_id meetup = 0;

    fixture() {
        s.set_time_zone("Europe/Paris");
        clock.set(at(2026_y / 6 / 1, 12h));
        old_friend = person("Old Friend", {"friend"});
        clock.set(at(2027_y / 3 / 1, 12h));
        ada = person("Ada Lovelace", {"Potential-Client", "saas"});
        grace = person("Grace Hopper", {"potential-client"});
        linus = person("Linus Torvalds", {"saas"});
        hedy = person("Hedy Lamarr", {});
        meetup = add_event("Paris SaaS meetup", "meetup", at(2027_y / 3 / 4, 18h), {{2000, "EUR"}, {1500, "EUR"}, {900, "USD"}});
        meet(meetup, ada, at(2027_y / 3 / 4, 18h, 30min), true);
        meet(meetup, grace, at(2027_y / 3 / 4, 19h), true);
        meet(meetup, linus, at(2027_y / 3 / 4, 20h), true);
        meet(meetup, old_friend, at(2027_y / 3 / 4, 20h), false);
        talk({ada}, at(2027_y / 3 / 4, 18h, 40min), meetup);
        talk({ada, linus}, at(2027_y / 3 / 4, 19h, 10min), meetup);
        talk({old_friend}, at(2027_y / 3 / 4, 21h), meetup, interaction_kind::meal);
        clock.set(at(2027_y / 3 / 10, 12h));
    }

    contact_id person(const std::string& name, std::vector<std::string> tags) {
        contact c;
        c.display_name = name;
        c.tags = std::move(tags);
        return s.contacts().add(c).id;
    }
    event_id add_event(const std::string& name, const std::string& kind, date::sys_seconds starts,
                       std::vector<money> spend = {}, std::vector<std::string> tags = {}) {
        event e;
        e.name = name;
        e.kind = kind;
        e.starts_at = starts;
        e.ends_at = starts + 4h + 30min;
        e.time_zone = "Europe/Paris";
        e.tags = std::move(tags);
        for (auto& m : spend) e.expenses.push_back({0, m, "ticket", ""});
        return s.events().add(e).id;
    }
    void meet(event_id e, contact_id c, date::sys_seconds when, bool first) {
        attendee_options o;
        o.met_at = when;
        o.first_meeting = first;
        s.events().add_attendee(e, c, o);
    }
    interaction talk(std::vector<contact_id> who, date::sys_seconds when, std::optional<event_id> e = std::nullopt,
                     interaction_kind kind = interaction_kind::conversation) {
        interaction i;
        i.kind = kind;
        i.contacts = std::move(who);
        i.event = e;
        i.at = when;
        return s.interactions().log(i);
    }

    goal event_goal(const std::string& metric, double target, goal_filter f = {}, std::string currency = "",
                    comparison c = comparison::at_least) {
        goal g;
        g.name = metric + " goal";
        g.metric = metric;
        g.target = target;
        g.compare = c;
        g.event = meetup;
        g.filter = std::move(f);
        g.currency = std::move(currency);
        return g;
    }
    goal plan_goal(const std::string& metric, double target, const std::string& when, goal_filter f = {},
                   std::string currency = "", comparison c = comparison::at_least) {
        goal g;
        g.name = metric + " in " + when;
        g.metric = metric;
        g.target = target;
        g.compare = c;
        g.period = period::parse(when, 2027_y / 3 / 10);
        g.filter = std::move(f);
        g.currency = std::move(currency);
        return g;
    }
    double value(const goal& g, std::optional<date::sys_seconds> as_of = std::nullopt) {
        return s.goals().evaluate(g, as_of).value;
    }
};

goal_filter tags(std::vector<std::string> t) {
    goal_filter f;
    f.tags = std::move(t);
    return f;
}

std::string invalid(const std::function<void()>& fn) {
    try {
        fn();
    } catch (const crm::invalid_input& e) {
        return e.what();
    }
    return "no invalid_input";
}

}  // namespace

TEST_CASE("goals are stored, read, changed, listed and removed", "[goals]") {
    fixture f;
    auto g = f.s.goals().add(f.event_goal("contacts_met", 5, tags({" potential-client ", "POTENTIAL-CLIENT", "saas"})));
    CHECK(g.id > 0);
    CHECK(g.created_at == at(2027_y / 3 / 10, 12h));
    CHECK(g.filter.tags == std::vector<std::string>{"potential-client", "saas"});  // trimmed, no case duplicates
    CHECK(f.s.goals().get(g.id) == g);

    goal_filter pf;
    pf.event_kind = " Meetup ";
    pf.interaction_kinds = {interaction_kind::coffee, interaction_kind::meal, interaction_kind::coffee};
    pf.category = "Ticket";
    auto p = f.s.goals().add(f.plan_goal("spend", 300, "this quarter", pf, "eur", comparison::at_most));
    CHECK(p.currency == "EUR");
    CHECK(p.period->label == "2027-Q1");
    CHECK(p.filter.event_kind == "meetup");
    CHECK(p.filter.category == "ticket");
    CHECK(p.filter.interaction_kinds == std::vector<interaction_kind>{interaction_kind::coffee, interaction_kind::meal});
    CHECK(f.s.goals().get(p.id) == p);

    CHECK(f.s.goals().list().size() == 2);
    goal_list_filter of_event;
    of_event.event = f.meetup;
    CHECK(f.s.goals().list(of_event) == std::vector<goal>{g});
    goal_list_filter plans;
    plans.plan_only = true;
    CHECK(f.s.goals().list(plans) == std::vector<goal>{p});

    f.clock.set(at(2027_y / 4 / 1, 12h));
    p.target = 250;
    p.name = "Q1 budget";
    auto u = f.s.goals().update(p);
    CHECK(u.created_at == p.created_at);
    CHECK(f.s.goals().get(p.id).target == 250);
    CHECK(f.s.goals().get(p.id).name == "Q1 budget");

    f.s.goals().remove(g.id);
    CHECK_FALSE(f.s.goals().find(g.id));
    CHECK_THROWS_AS(f.s.goals().get(g.id), not_found);
    CHECK_THROWS_AS(f.s.goals().remove(g.id), not_found);
    goal ghost = p;
    ghost.id = 999;
    CHECK_THROWS_AS(f.s.goals().update(ghost), not_found);

    // Deleting the event deletes its goals (ON DELETE CASCADE).
    auto g2 = f.s.goals().add(f.event_goal("new_contacts", 1));
    f.s.events().remove(f.meetup);
    CHECK_FALSE(f.s.goals().find(g2.id));
}

TEST_CASE("bad goals are refused naming what is wrong", "[goals]") {
    fixture f;
    auto& goals = f.s.goals();
    auto g = f.event_goal("contacts_met", 5);
    g.name = "  ";
    CHECK(invalid([&] { goals.add(g); }).find("name:") == 0);

    g = f.event_goal("cards", 5);
    const auto e = invalid([&] { goals.add(g); });
    CHECK(e.find("metric: unknown metric 'cards'") == 0);
    CHECK(e.find("contacts_met, conversations, cost_per_new_contact, events, favours_given, favours_received, "
                 "follow_up_on_time_rate, follow_ups_on_time, interactions, introductions_made, median_follow_up_days, "
                 "new_contacts, spend") != std::string::npos);

    g = f.event_goal("contacts_met", 5);
    g.period = period::parse("2027", 2027_y / 1 / 1);
    CHECK(invalid([&] { goals.add(g); }).find("exactly one") != std::string::npos);
    g.event.reset();
    g.period.reset();
    CHECK(invalid([&] { goals.add(g); }).find("exactly one") != std::string::npos);

    CHECK(invalid([&] { goals.add(f.event_goal("events", 2)); }).find("events is measured over a period") != std::string::npos);
    CHECK(invalid([&] { goals.add(f.event_goal("contacts_met", -1)); }).find("target:") == 0);
    CHECK(invalid([&] { goals.add(f.event_goal("contacts_met", std::nan(""))); }).find("target:") == 0);
    CHECK(invalid([&] { goals.add(f.event_goal("spend", 80)); }).find("currency: spend is money") == 0);
    CHECK(invalid([&] { goals.add(f.event_goal("spend", 80, {}, "EURO")); }).find("EURO") != std::string::npos);
    CHECK(invalid([&] { goals.add(f.event_goal("contacts_met", 5, {}, "EUR")); }).find("currency:") == 0);

    goal_filter ef;
    ef.event = f.meetup;
    CHECK(invalid([&] { goals.add(f.event_goal("contacts_met", 5, ef)); }).find("filter:") == 0);
    CHECK(invalid([&] { goals.add(f.event_goal("contacts_met", 5, tags({""}))); }).find("tags:") == 0);

    g = f.event_goal("contacts_met", 5);
    g.event = 4242;
    CHECK_THROWS_AS(goals.add(g), not_found);
    ef.event = 4242;
    CHECK_THROWS_AS(goals.add(f.plan_goal("contacts_met", 5, "2027", ef)), not_found);

    g = f.plan_goal("contacts_met", 5, "2027");
    g.period->last = 2026_y / 1 / 1;
    CHECK(invalid([&] { goals.add(g); }).find("period: it ends before it starts") == 0);
    CHECK(goals.list().empty());
}

TEST_CASE("comparisons read and write as symbols; sample steps by name", "[goals]") {
    for (auto c : {comparison::at_least, comparison::at_most, comparison::more_than, comparison::less_than,
                   comparison::exactly})
        CHECK(parse_comparison(to_string(c)) == c);
    CHECK_THROWS_WITH(parse_comparison("=>"), Catch::Contains(">=, <=, >, <, =="));
    CHECK(parse_sample_step("week") == sample_step::week);
    CHECK_THROWS_WITH(parse_sample_step("year"), Catch::Contains("day, week or month"));
}

TEST_CASE("event metrics count the people met, the new ones, conversations and interactions", "[goals]") {
    fixture f;
    CHECK(f.value(f.event_goal("contacts_met", 5)) == 4);
    // Tags: any of them, case-insensitively (Ada carries "Potential-Client").
    CHECK(f.value(f.event_goal("contacts_met", 5, tags({"POTENTIAL-client"}))) == 2);
    CHECK(f.value(f.event_goal("contacts_met", 5, tags({"potential-client", "friend"}))) == 3);
    CHECK(f.value(f.event_goal("new_contacts", 1)) == 3);
    CHECK(f.value(f.event_goal("new_contacts", 1, tags({"saas"}))) == 2);
    CHECK(f.value(f.event_goal("conversations", 3)) == 3);  // Ada, Linus, the old friend
    CHECK(f.value(f.event_goal("conversations", 3, tags({"saas"}))) == 2);
    goal_filter meals;
    meals.interaction_kinds = {interaction_kind::meal};
    CHECK(f.value(f.event_goal("conversations", 3, meals)) == 1);
    CHECK(f.value(f.event_goal("interactions", 3)) == 3);
    CHECK(f.value(f.event_goal("interactions", 3, tags({"saas"}))) == 2);
    CHECK(f.value(f.event_goal("interactions", 3, meals)) == 1);
    // Things elsewhere do not count for the event.
    f.talk({f.grace}, at(2027_y / 3 / 5, 10h));
    CHECK(f.value(f.event_goal("conversations", 3)) == 3);
}

TEST_CASE("an event goal sees only what happened before as_of", "[goals]") {
    fixture f;
    auto g = f.event_goal("contacts_met", 3);
    CHECK(f.value(g, at(2027_y / 3 / 4, 18h, 45min)) == 1);
    CHECK(f.value(g, at(2027_y / 3 / 4, 19h, 30min)) == 2);
    CHECK(f.value(f.event_goal("conversations", 3), at(2027_y / 3 / 4, 19h)) == 1);
    CHECK(f.value(f.event_goal("new_contacts", 1), at(2027_y / 3 / 1)) == 0);
}

TEST_CASE("an event across midnight keeps counting after midnight", "[goals]") {
    fixture f;
    // A dinner from 22:00 to 02:00 Paris time (21:00-01:00 UTC).
    const auto dinner = f.add_event("Founders' dinner", "dinner", at(2027_y / 3 / 6, 21h));
    f.meet(dinner, f.hedy, at(2027_y / 3 / 6, 23h, 30min), true);  // 00:30 on the 7th in Paris
    f.talk({f.hedy}, at(2027_y / 3 / 6, 23h, 45min), dinner);
    f.talk({f.grace}, at(2027_y / 3 / 7, 0h, 30min), dinner);  // 01:30 in Paris
    goal g = f.event_goal("conversations", 2);
    g.event = dinner;
    CHECK(f.value(g) == 2);
    g.metric = "new_contacts";
    CHECK(f.value(g) == 1);
    // A plan goal for the 6th (Paris) counts the dinner's people: it started that day.
    auto day = f.plan_goal("contacts_met", 1, "2027-03-06");
    CHECK(f.value(day) == 1);
    // ... but its interactions count on the day they happened by the clock: both after midnight.
    CHECK(f.value(f.plan_goal("conversations", 1, "2027-03-06")) == 0);
    CHECK(f.value(f.plan_goal("conversations", 1, "2027-03-07")) == 2);
}

TEST_CASE("spend and cost per new contact are money in the goal's currency", "[goals]") {
    fixture f;
    CHECK(f.value(f.event_goal("spend", 80, {}, "EUR", comparison::at_most)) == 35.0);
    CHECK(f.value(f.event_goal("spend", 80, {}, "USD", comparison::at_most)) == 9.0);
    CHECK(f.value(f.event_goal("spend", 80, {}, "JPY", comparison::at_most)) == 0.0);
    f.s.events().add_expense(f.meetup, {0, {450, "EUR"}, "meal", "pizza"});
    goal_filter meal;
    meal.category = "MEAL";
    CHECK(f.value(f.event_goal("spend", 80, meal, "EUR", comparison::at_most)) == 4.5);
    // 39.50 EUR for three new people.
    CHECK(f.value(f.event_goal("cost_per_new_contact", 20, {}, "EUR", comparison::at_most)) ==
          Approx(39.5 / 3));
    auto p = f.s.goals().evaluate(f.event_goal("spend", 80, {}, "EUR", comparison::at_most));
    CHECK(p.unit == "EUR");
    CHECK(p.met);
    CHECK(p.fraction == Approx(39.5 / 80));
    CHECK_FALSE(p.on_pace);  // event goals have no pace
    // Without new people, the whole spend is what the first one would cost.
    const auto empty = f.add_event("Empty conference", "conference", at(2027_y / 3 / 8, 8h), {{12000, "EUR"}});
    auto g = f.event_goal("cost_per_new_contact", 20, {}, "EUR", comparison::at_most);
    g.event = empty;
    CHECK(f.value(g) == 120.0);
    CHECK_FALSE(f.s.goals().evaluate(g).met);
}

TEST_CASE("the median follow-up delay counts days to the next interaction elsewhere", "[goals]") {
    fixture f;
    auto g = f.event_goal("median_follow_up_days", 3, {}, "", comparison::at_most);
    // Nobody followed up yet (talking again at the meetup is not following up): no value.
    auto p = f.s.goals().evaluate(g);
    CHECK(std::isnan(p.value));
    CHECK_FALSE(p.met);
    f.talk({f.ada}, at(2027_y / 3 / 5, 18h, 30min), std::nullopt, interaction_kind::email);  // 1 day
    f.talk({f.ada}, at(2027_y / 3 / 6, 9h));                                              // not the next
    f.talk({f.grace}, at(2027_y / 3 / 8, 7h), std::nullopt, interaction_kind::call);       // 3.5 days
    f.talk({f.linus}, at(2027_y / 3 / 14, 20h), std::nullopt, interaction_kind::coffee);   // 10 days, after as_of
    CHECK(f.value(g) == Approx((1 + 3.5) / 2));
    CHECK(f.value(g, at(2027_y / 3 / 20)) == Approx(3.5));  // 1, 3.5, 10
    goal_filter calls;
    calls.interaction_kinds = {interaction_kind::call};
    CHECK(f.value(f.event_goal("median_follow_up_days", 3, calls, "", comparison::at_most)) == Approx(3.5));
    CHECK(f.value(f.event_goal("median_follow_up_days", 3, tags({"saas"}), "", comparison::at_most),
                  at(2027_y / 3 / 20)) == Approx((1 + 10) / 2.0));
    CHECK(f.s.goals().evaluate(g).met);
}

TEST_CASE("plan goals count within the period's instants in the user's zone", "[goals]") {
    fixture f;
    // Added before 2027 and never first met at an event: not new in 2027; the three met at the
    // meetup and Hedy (added in March, no first meeting at an event) are.
    CHECK(f.value(f.plan_goal("new_contacts", 10, "2027")) == 4);
    CHECK(f.value(f.plan_goal("new_contacts", 10, "2026")) == 1);
    goal_filter meetups;
    meetups.event_kind = "meetup";
    CHECK(f.value(f.plan_goal("new_contacts", 10, "2027", meetups)) == 3);
    CHECK(f.value(f.plan_goal("new_contacts", 10, "2027", tags({"saas"}))) == 2);
    CHECK(f.value(f.plan_goal("contacts_met", 10, "2027-03")) == 4);
    CHECK(f.value(f.plan_goal("contacts_met", 10, "2027-02")) == 0);
    CHECK(f.value(f.plan_goal("events", 1, "2027-Q1", meetups)) == 1);
    goal_filter dinners;
    dinners.event_kind = "dinner";
    CHECK(f.value(f.plan_goal("events", 1, "2027-Q1", dinners)) == 0);
    CHECK(f.value(f.plan_goal("spend", 100, "2027", {}, "EUR", comparison::at_most)) == 35.0);

    // An interaction at 20:00 UTC on 31 December 2026 is 2027 in Kolkata, 2026 in Paris and New York.
    f.talk({f.hedy}, at(2026_y / 12 / 31, 20h));
    const auto year = f.plan_goal("conversations", 10, "2027");
    CHECK(f.value(year) == 3);
    f.s.set_time_zone("Asia/Kolkata");
    CHECK(f.value(year) == 4);
    f.s.set_time_zone("America/New_York");
    CHECK(f.value(year) == 3);
    // 23:30 New York time on 31 December is 2027 in UTC but still 2026 there.
    f.talk({f.grace}, at(2027_y / 1 / 1, 4h, 30min));
    CHECK(f.value(f.plan_goal("conversations", 10, "2026")) == 2);
}

TEST_CASE("a plan goal over a DST-change day counts its 23 hours", "[goals]") {
    fixture f;
    // 28 March 2027 in Paris: 27 March 23:00 UTC to 28 March 22:00 UTC.
    f.talk({f.hedy}, at(2027_y / 3 / 27, 23h, 30min));  // 00:30 on the 28th
    f.talk({f.ada}, at(2027_y / 3 / 28, 21h, 30min));   // 23:30 on the 28th (CEST)
    f.talk({f.grace}, at(2027_y / 3 / 28, 22h, 30min)); // 00:30 on the 29th
    auto g = f.plan_goal("conversations", 2, "2027-03-28");
    CHECK(f.value(g, at(2027_y / 4 / 1)) == 2);
    auto p = f.s.goals().evaluate(g, at(2027_y / 3 / 28, 10h));  // 12:00 CEST: 11 of the day's 23 hours
    CHECK(p.value == 1);
    REQUIRE(p.elapsed);
    CHECK(*p.elapsed == Approx(11.0 / 23.0));
}

TEST_CASE("fraction, met and pace follow the comparison", "[goals]") {
    fixture f;
    auto g = f.plan_goal("new_contacts", 8, "2027-03");  // 3 met at the meetup, Hedy added on 1 March
    // As of 10 March 12:00 UTC (13:00 Paris): 9 days and 13 hours of March's 31 days have passed.
    auto p = f.s.goals().evaluate(g);
    CHECK(p.value == 4);
    CHECK(p.fraction == 0.5);
    CHECK_FALSE(p.met);
    CHECK(p.unit == "contacts");
    REQUIRE(p.elapsed);
    CHECK(*p.elapsed == Approx((9 * 24 + 13) / (31.0 * 24 - 1)));  // March in Paris has 743 hours
    CHECK(*p.expected == Approx(8 * *p.elapsed));
    CHECK(*p.on_pace);
    p = f.s.goals().evaluate(g, at(2027_y / 3 / 25));
    CHECK_FALSE(*p.on_pace);
    g.compare = comparison::more_than;
    g.target = 4;
    CHECK_FALSE(f.s.goals().evaluate(g).met);
    g.compare = comparison::exactly;
    CHECK(f.s.goals().evaluate(g).met);
    g.compare = comparison::less_than;
    g.target = 5;
    CHECK(f.s.goals().evaluate(g).met);
    g.target = 0;
    g.compare = comparison::at_most;
    p = f.s.goals().evaluate(g);
    CHECK(p.fraction == 0);
    CHECK_FALSE(p.met);

    // A budget: a 60 EUR workshop on 10 January, 35 EUR at the meetup. By 20 January 60 of 100 is
    // spent while 22% of the quarter has passed: within budget, but spending faster than it lasts.
    f.add_event("Workshop", "workshop", at(2027_y / 1 / 10, 8h), {{6000, "EUR"}});
    auto budget = f.plan_goal("spend", 100, "2027-Q1", {}, "EUR", comparison::at_most);
    p = f.s.goals().evaluate(budget, at(2027_y / 1 / 20, 12h));
    CHECK(p.met);
    CHECK(p.fraction == 0.6);
    CHECK(*p.expected == Approx(100.0 * (19 * 24 + 13) / (90 * 24 - 1)));
    CHECK_FALSE(*p.on_pace);
    p = f.s.goals().evaluate(budget, at(2027_y / 3 / 30));  // 95 of 100 with 98% of the quarter gone
    CHECK(p.met);
    CHECK(*p.on_pace);
    p = f.s.goals().evaluate(budget, at(2027_y / 3 / 20));  // 95 with 87% gone
    CHECK_FALSE(*p.on_pace);
    // Before the period: nothing expected, nothing counted.
    p = f.s.goals().evaluate(f.plan_goal("new_contacts", 8, "2027-Q2"));
    CHECK(p.value == 0);
    CHECK(*p.elapsed == 0);
    CHECK(*p.on_pace);
    // A median has no growth: its pace is the target itself.
    f.talk({f.ada}, at(2027_y / 3 / 6, 18h, 30min));  // 2 days
    auto delay = f.plan_goal("median_follow_up_days", 3, "2027", {}, "", comparison::at_most);
    p = f.s.goals().evaluate(delay);
    CHECK(p.value == Approx(2));
    CHECK(*p.expected == 3);
    CHECK(*p.on_pace);
}

TEST_CASE("a report holds an event's goals, or the plan goals overlapping a period", "[goals]") {
    fixture f;
    auto& goals = f.s.goals();
    auto a = goals.add(f.event_goal("contacts_met", 5, tags({"potential-client"})));
    auto b = goals.add(f.event_goal("new_contacts", 1));
    auto year = goals.add(f.plan_goal("new_contacts", 60, "2027"));
    auto q2 = goals.add(f.plan_goal("conversations", 20, "2027-Q2"));
    auto old = goals.add(f.plan_goal("conversations", 20, "2026"));

    auto r = goals.report(f.meetup);
    CHECK(r.title == "Paris SaaS meetup (2027-03-04)");
    CHECK(r.event == f.meetup);
    REQUIRE(r.goals.size() == 2);
    CHECK(r.goals[0].goal.id == a.id);
    CHECK(r.goals[0].value == 2);
    CHECK(r.goals[1].goal.id == b.id);
    CHECK(r.met() == 1);
    CHECK(r.as_of == at(2027_y / 3 / 10, 12h));
    CHECK_THROWS_AS(goals.report(event_id{777}), not_found);

    auto pr = goals.report(period::parse("2027-Q1", 2027_y / 1 / 1), at(2027_y / 3 / 31));
    CHECK(pr.title == "2027-Q1");
    REQUIRE(pr.goals.size() == 1);
    CHECK(pr.goals[0].goal.id == year.id);
    pr = goals.report(period::parse("2026-12-15..2027-04-02", 2027_y / 1 / 1));
    REQUIRE(pr.goals.size() == 3);
    CHECK(pr.goals[0].goal.id == year.id);
    CHECK(pr.goals[1].goal.id == q2.id);
    CHECK(pr.goals[2].goal.id == old.id);
}

TEST_CASE("history samples a goal at the end of each day, week or month", "[goals]") {
    fixture f;
    f.talk({f.hedy}, at(2027_y / 3 / 2, 9h));
    f.talk({f.grace}, at(2027_y / 3 / 16, 9h));
    f.talk({f.hedy}, at(2027_y / 4 / 2, 9h));
    auto g = f.s.goals().add(f.plan_goal("conversations", 10, "2027-03"));
    // As of 20 March 12:00 UTC: Sundays 7 and 14 March, then the step ending on the 20th.
    auto h = f.s.goals().history(g.id, sample_step::week, at(2027_y / 3 / 20, 12h));
    REQUIRE(h.size() == 3);
    CHECK(h[0] == progress_sample{2027_y / 3 / 7, 4, 4});  // Hedy, then Ada, Linus and the old friend at the meetup
    CHECK(h[1].date == 2027_y / 3 / 14);
    CHECK(h[1].value == 0);
    CHECK(h[1].cumulative == 4);
    CHECK(h[2] == progress_sample{2027_y / 3 / 20, 1, 5});
    // The whole month, as of later: 31 daily samples, the last on the period's last day.
    auto days = f.s.goals().history(g.id, sample_step::day, at(2027_y / 5 / 1));
    REQUIRE(days.size() == 31);
    CHECK(days.back().date == 2027_y / 3 / 31);
    CHECK(days.back().cumulative == 5);
    CHECK(days[1] == progress_sample{2027_y / 3 / 2, 1, 1});
    auto months = f.s.goals().history(g.id, sample_step::month, at(2027_y / 5 / 1));
    REQUIRE(months.size() == 1);
    CHECK(months[0] == progress_sample{2027_y / 3 / 31, 5, 5});
    CHECK(f.s.goals().history(g.id, sample_step::week, at(2027_y / 2 / 1)).empty());

    // An event goal: from the event's day.
    auto e = f.s.goals().add(f.event_goal("contacts_met", 5));
    auto eh = f.s.goals().history(e.id, sample_step::day, at(2027_y / 3 / 6, 12h));
    REQUIRE(eh.size() == 3);
    CHECK(eh[0] == progress_sample{2027_y / 3 / 4, 4, 4});
    CHECK(eh[2] == progress_sample{2027_y / 3 / 6, 0, 4});
    // The event's expenses carry no time: spent in its history's first step, not again in each.
    auto spend = f.s.goals().add(f.event_goal("spend", 80, {}, "EUR", comparison::at_most));
    auto sh = f.s.goals().history(spend.id, sample_step::day, at(2027_y / 3 / 6, 12h));
    REQUIRE(sh.size() == 3);
    CHECK(sh[0] == progress_sample{2027_y / 3 / 4, 35, 35});
    CHECK(sh[1] == progress_sample{2027_y / 3 / 5, 0, 35});
    CHECK(sh[2] == progress_sample{2027_y / 3 / 6, 0, 35});
}

TEST_CASE("the return on networking of an event and of a period", "[goals]") {
    fixture f;
    f.s.contacts().update([&] {
        auto c = f.s.contacts().get(f.linus);
        c.tags.push_back("potential-client");
        return c;
    }());
    auto r = f.s.goals().event_return(f.meetup);
    CHECK(r.title == "Paris SaaS meetup (2027-03-04)");
    CHECK(r.spend == std::vector<money>{{3500, "EUR"}, {900, "USD"}});
    CHECK(r.events == 1);
    CHECK(r.contacts_met == 4);
    CHECK(r.new_contacts == 3);
    CHECK(r.new_potential_clients == 3);
    CHECK(r.conversations == 3);
    CHECK(r.interactions == 3);
    CHECK(r.cost_per_new_contact == std::vector<money>{{1167, "EUR"}, {300, "USD"}});  // 11.666 -> 11.67
    CHECK(f.s.goals().event_return(f.meetup, "saas").new_potential_clients == 2);
    CHECK_THROWS_AS(f.s.goals().event_return(event_id{777}), not_found);

    const auto later = f.add_event("Workshop", "workshop", at(2027_y / 4 / 10, 8h), {{1000, "EUR"}});
    f.meet(later, f.hedy, at(2027_y / 4 / 10, 9h), true);
    auto q = f.s.goals().period_return(period::parse("2027-Q2", 2027_y / 1 / 1));
    CHECK(q.title == "2027-Q2");
    CHECK(q.events == 1);
    CHECK(q.spend == std::vector<money>{{1000, "EUR"}});
    CHECK(q.new_contacts == 1);  // Hedy, first met at the workshop
    CHECK(q.new_potential_clients == 0);
    CHECK(q.cost_per_new_contact == std::vector<money>{{1000, "EUR"}});
    auto y = f.s.goals().period_return(period::parse("2027", 2027_y / 1 / 1));
    CHECK(y.events == 2);
    CHECK(y.contacts_met == 5);
    CHECK(y.new_contacts == 4);
    CHECK(y.spend == std::vector<money>{{4500, "EUR"}, {900, "USD"}});
    auto none = f.s.goals().period_return(period::parse("2025", 2027_y / 1 / 1));
    CHECK(none.spend.empty());
    CHECK(none.cost_per_new_contact.empty());
}

TEST_CASE("a metric registered in C++ is measured like the built-in ones", "[goals]") {
    fixture f;
    metric m;
    m.name = "people_per_interaction";
    m.description = "people met per interaction logged";
    m.unit = "contacts";
    m.cumulative = false;
    m.evaluate = [](const network_queries& q, const metric_scope& s) {
        const auto n = q.interactions(s);
        return n ? double(q.contacts_met(s)) / double(n) : 0.0;
    };
    f.s.goals().register_metric(m);
    auto names = f.s.goals().metrics();
    REQUIRE(names.size() == 14);
    CHECK(names.front().name == "contacts_met");
    CHECK(names.back().name == "people_per_interaction");
    auto g = f.s.goals().add(f.event_goal("people_per_interaction", 1));
    auto p = f.s.goals().progress(g.id);
    CHECK(p.value == Approx(4.0 / 3));
    CHECK(p.met);
    CHECK(p.unit == "contacts");

    // Another store object on the same data does not know it: its goals name an unknown metric.
    metric bad;
    bad.name = "nothing";
    CHECK(invalid([&] { f.s.goals().register_metric(bad); }).find("no evaluate function") != std::string::npos);
    bad.name = " ";
    bad.evaluate = m.evaluate;
    CHECK(invalid([&] { f.s.goals().register_metric(bad); }).find("metric name") == 0);
}

TEST_CASE("a goal naming a metric this store object does not know fails listing the known ones", "[goals]") {
    crm::test::temp_dir dir;
    const auto path = dir.file("goals.db");
    goal_id id = 0;
    {
        auto s = store::open(path);
        s.set_time_zone("UTC");
        metric m;
        m.name = "custom";
        m.evaluate = [](const network_queries&, const metric_scope&) { return 1.0; };
        s.goals().register_metric(m);
        goal g;
        g.name = "custom goal";
        g.metric = "custom";
        g.target = 1;
        g.period = period::parse("2027", 2027_y / 1 / 1);
        id = s.goals().add(g).id;
        CHECK(s.goals().progress(id).met);
    }
    auto s = store::open(path);
    CHECK(s.goals().get(id).metric == "custom");
    CHECK_THROWS_WITH(s.goals().progress(id), Catch::StartsWith("metric: unknown metric 'custom'; known metrics: "));
}

// ---- the in-memory interaction log behind the span metrics: it must follow every change ----------

namespace {

// A store in a file (so that a second connection can write to it) with the 2027 plan goals the
// in-memory log answers: people talked with (plain, tagged, by kind, at meetups) and follow-up delays.
struct cached_fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{at(2027_y / 3 / 1, 12h)};
    std::string path = dir.file("crm.db");
    store s = store::open(path, crm::test::options_with_clock(clock.function()));
    contact_id ada = 0, grace = 0, linus = 0;
    event_id meetup = 0, dinner = 0;
    std::vector<goal> goals;

    cached_fixture() {
        s.set_time_zone("Europe/Paris");
        ada = person("Ada", {"potential-client"});
        grace = person("Grace", {});
        linus = person("Linus", {"potential-client"});
        meetup = add_event(s, "Meetup", "meetup", at(2027_y / 3 / 4, 18h));
        dinner = add_event(s, "Dinner", "dinner", at(2027_y / 3 / 6, 18h));
        attendee_options o;
        o.first_meeting = true;
        o.met_at = at(2027_y / 3 / 4, 19h);
        s.events().add_attendee(meetup, ada, o);
        s.events().add_attendee(meetup, grace, o);
        talk(s, {ada}, at(2027_y / 3 / 4, 19h, 30min), meetup);  // at the meetup: not a follow-up
        talk(s, {ada, grace}, at(2027_y / 3 / 6, 19h), dinner);   // 2 days after for both
        goal_filter potential;
        potential.tags = {"POTENTIAL-client"};
        goal_filter coffees;
        coffees.interaction_kinds = {interaction_kind::coffee};
        goal_filter meetups;
        meetups.event_kind = "meetup";
        goals = {plan("conversations", {}), plan("conversations", potential), plan("conversations", coffees),
                 plan("conversations", meetups), plan("median_follow_up_days", {})};
    }
    contact_id person(const std::string& name, std::vector<std::string> t) {
        contact c;
        c.display_name = name;
        c.tags = std::move(t);
        return s.contacts().add(c).id;
    }
    static event_id add_event(store& st, const std::string& name, const std::string& kind, date::sys_seconds starts) {
        event e;
        e.name = name;
        e.kind = kind;
        e.starts_at = starts;
        e.ends_at = starts + 4h;
        e.time_zone = "Europe/Paris";
        return st.events().add(e).id;
    }
    static interaction talk(store& st, std::vector<contact_id> who, date::sys_seconds when,
                            std::optional<event_id> e = std::nullopt,
                            interaction_kind kind = interaction_kind::conversation) {
        interaction i;
        i.kind = kind;
        i.contacts = std::move(who);
        i.event = e;
        i.at = when;
        return st.interactions().log(i);
    }
    goal plan(const std::string& metric, goal_filter f) {
        goal g;
        g.name = metric;
        g.metric = metric;
        g.target = 1;
        g.period = period::parse("2027", 2027_y / 3 / 1);
        g.filter = std::move(f);
        return g;
    }
    std::vector<double> values(store& st) {
        std::vector<double> out;
        for (const auto& g : goals) out.push_back(st.goals().evaluate(g, at(2027_y / 12 / 1, 1h)).value);
        return out;
    }
    // The values from this store (read from the activity summaries, kept up to date) equal those
    // of a store opened now on the same file reading the tables alone, and are returned.
    std::vector<double> checked_values(int line = __builtin_LINE()) {
        INFO("checked at line " << line);
        const auto refused = s.goals().summaries().refused;
        auto mine = values(s);
        CHECK(s.goals().summaries().refused == refused);  // the summaries answered, not the tables
        store fresh = store::open(path);
        fresh.goals().read_tables_only(true);
        auto truth = values(fresh);
        REQUIRE(mine.size() == truth.size());
        for (std::size_t i = 0; i < mine.size(); ++i) {
            INFO(goals[i].name << " " << i);
            if (std::isnan(truth[i])) CHECK(std::isnan(mine[i]));
            else CHECK(mine[i] == truth[i]);
        }
        return mine;
    }
};

}  // namespace

TEST_CASE("span metrics from memory start from what the database holds", "[goals][goal-cache]") {
    cached_fixture f;
    const auto v = f.checked_values();
    CHECK(v[0] == 2);             // Ada and Grace
    CHECK(v[1] == 1);             // Ada is a potential client
    CHECK(v[2] == 0);             // no coffee
    CHECK(v[3] == 1);             // Ada talked with at the meetup
    CHECK(v[4] == Approx(2));    // the talk at the meetup is not a follow-up; the dinner is
}

TEST_CASE("span metrics see interactions logged, changed and removed through this store", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    auto coffee = cached_fixture::talk(f.s, {f.linus}, at(2027_y / 5 / 1, 9h), std::nullopt, interaction_kind::coffee);
    auto v = f.checked_values();
    CHECK(v[0] == 3);
    CHECK(v[1] == 2);
    CHECK(v[2] == 1);
    coffee.contacts = {f.grace};  // the participants change
    coffee.kind = interaction_kind::call;
    f.s.interactions().update(coffee);
    v = f.checked_values();
    CHECK(v[0] == 2);
    CHECK(v[2] == 0);
    // Moved out of the year, after the meetup (moved before it, Grace would have been met before the
    // meetup: no first meeting there any more, see interaction_store_test.cpp).
    coffee.at = at(2028_y / 5 / 1, 9h);
    coffee.kind = interaction_kind::coffee;
    f.s.interactions().update(coffee);
    v = f.checked_values();
    CHECK(v[2] == 0);
    // Grace's first interaction after the meetup is now an earlier one elsewhere: half a day.
    auto early = cached_fixture::talk(f.s, {f.grace}, at(2027_y / 3 / 5, 7h), std::nullopt, interaction_kind::email);
    CHECK(f.checked_values()[4] == Approx((2 + 0.5) / 2));
    f.s.interactions().remove(early.id);
    CHECK(f.checked_values()[4] == Approx(2));
}

TEST_CASE("span metrics see contacts removed and merged, events removed and tags changed", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    cached_fixture::talk(f.s, {f.linus}, at(2027_y / 5 / 1, 9h));
    CHECK(f.checked_values()[0] == 3);
    f.s.contacts().merge(f.ada, f.linus);  // Linus's interaction is Ada's now
    CHECK(f.checked_values()[0] == 2);
    f.s.contacts().remove(f.grace);  // her participation goes with her (a foreign-key cascade)
    auto v = f.checked_values();
    CHECK(v[0] == 1);
    // Removing the dinner unlinks the talk there (ON DELETE SET NULL); a new event may take its id,
    // and that talk must not count as held at the new event.
    f.s.events().remove(f.dinner);
    const event_id brunch = cached_fixture::add_event(f.s, "Brunch", "meetup", at(2027_y / 4 / 4, 9h));
    CHECK(brunch == f.dinner);  // SQLite reuses the largest rowid once it is gone
    goal_filter there;
    there.event = brunch;
    f.goals.push_back(f.plan("conversations", there));
    v = f.checked_values();
    CHECK(v[3] == 1);  // Ada at the meetup
    CHECK(v.back() == 0);
    contact ada = f.s.contacts().get(f.ada);
    ada.tags = {};
    f.s.contacts().update(ada);
    CHECK(f.checked_values()[1] == 0);
}

TEST_CASE("span metrics see commits from another connection and ignore rolled-back writes", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    {
        store other = store::open(f.path);
        cached_fixture::talk(other, {f.linus}, at(2027_y / 6 / 1, 9h), std::nullopt, interaction_kind::coffee);
    }
    auto v = f.checked_values();
    CHECK(v[0] == 3);
    CHECK(v[2] == 1);
    {
        // Raw SQL from a plain SQLite connection, as another program would write.
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("DELETE FROM interaction_contacts WHERE contact_id = " + std::to_string(f.linus));
    }
    v = f.checked_values();
    CHECK(v[0] == 2);
    CHECK(v[2] == 0);
    // A write that fails halfway (after the interaction and Grace's row are written, Linus's row is
    // refused by a trigger another program put there) is rolled back: nothing to see.
    {
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("CREATE TRIGGER refuse_linus AFTER INSERT ON interaction_contacts WHEN NEW.contact_id = " +
                 std::to_string(f.linus) + " BEGIN SELECT RAISE(ABORT, 'refused'); END");
    }
    CHECK(f.checked_values()[0] == 2);
    CHECK_THROWS_AS(cached_fixture::talk(f.s, {f.grace, f.linus}, at(2027_y / 2 / 2, 9h), std::nullopt,
                                         interaction_kind::coffee),
                    storage_error);
    v = f.checked_values();
    CHECK(v[0] == 2);
    CHECK(v[2] == 0);
}

TEST_CASE("the activity summaries count the hours at the edges of a period in the user's zone", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    // 2027 in Paris begins at 2026-12-31 23:00 UTC: a coffee at 23:30 UTC counts, one at 22:30 not.
    cached_fixture::talk(f.s, {f.linus}, at(2026_y / 12 / 31, 23h, 30min), std::nullopt, interaction_kind::coffee);
    auto v = f.checked_values();
    CHECK(v[0] == 3);
    CHECK(v[2] == 1);
    const contact_id eve = f.person("Eve", {});
    cached_fixture::talk(f.s, {eve}, at(2026_y / 12 / 31, 22h, 30min), std::nullopt, interaction_kind::coffee);
    CHECK(f.checked_values()[0] == 3);
    // The evaluation is as of 2027-12-01 01:00 UTC: 00:30 that day counts, 01:30 not yet.
    cached_fixture::talk(f.s, {eve}, at(2027_y / 12 / 1, 1h, 30min));
    CHECK(f.checked_values()[0] == 3);
    cached_fixture::talk(f.s, {eve}, at(2027_y / 12 / 1, 0h, 30min));
    CHECK(f.checked_values()[0] == 4);
}

TEST_CASE("the activity summaries are rebuilt when asked and after a bulk load", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    const auto before = f.s.goals().summaries();
    {
        // What the migration to schema 6 leaves: a request to rebuild, no summary yet.
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("DELETE FROM activity_days; UPDATE event_attendees SET followed_up_at = NULL;"
                 "INSERT OR REPLACE INTO settings(key, value) VALUES ('activity', 'rebuild')");
    }
    auto v = f.checked_values();
    CHECK(v[0] == 2);
    CHECK(v[4] == Approx(2));
    CHECK(f.s.goals().summaries().rebuilds == before.rebuilds + 1);
    {
        // A bulk load by another program: 30,000 people talked with in 2027, more marks than are
        // worth folding in one by one.
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA foreign_keys = ON; BEGIN");
        SQLite::Statement c(raw, "INSERT INTO contacts(display_name, created_at, updated_at) VALUES ('x', 0, 0)");
        SQLite::Statement i(raw, "INSERT INTO interactions(kind, at, time_zone, created_at, updated_at)"
                                 " VALUES ('call', ?, 'UTC', 0, 0)");
        SQLite::Statement p(raw, "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (?, ?, ?)");
        for (int n = 0; n < 30000; ++n) {
            c.exec();
            c.reset();
            const auto who = raw.getLastInsertRowid();
            const std::int64_t when = at(2027_y / 2 / 1, 0h).time_since_epoch().count() + n * 577;
            i.bind(1, static_cast<int64_t>(when));
            i.exec();
            i.reset();
            p.bind(1, static_cast<int64_t>(raw.getLastInsertRowid()));
            p.bind(2, static_cast<int64_t>(who));
            p.bind(3, static_cast<int64_t>(when));
            p.exec();
            p.reset();
        }
        raw.exec("COMMIT");
    }
    v = f.checked_values();
    CHECK(v[0] == 30002);
    CHECK(f.s.goals().summaries().rebuilds == before.rebuilds + 2);
}

TEST_CASE("the activity summaries keep ids and instants of any size", "[goals][goal-cache]") {
    cached_fixture f;
    {
        // Contact ids past the bitmap and past 32 bits, a negative one, and talks before 1970.
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("PRAGMA foreign_keys = ON;"
                 "INSERT INTO contacts(id, display_name, created_at, updated_at) VALUES"
                 " (5000000000, 'big', 0, 0), (9223372036854775807, 'biggest', 0, 0), (-7, 'negative', 0, 0);"
                 "INSERT INTO interactions(id, kind, at, time_zone, created_at, updated_at) VALUES"
                 " (900, 'meal', 1805000000, 'UTC', 0, 0), (901, 'meal', -86401, 'UTC', 0, 0);"
                 "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES"
                 " (900, 5000000000, 1805000000), (900, 9223372036854775807, 1805000000), (900, -7, 1805000000),"
                 " (901, 5000000000, -86401)");
    }
    auto v = f.checked_values();  // 1805000000: 2027-03-14
    CHECK(v[0] == 5);
    goal ever = f.plan("conversations", {});
    ever.period = period{1969_y / 1 / 1, 1969_y / 12 / 31, "1969"};
    f.goals.push_back(ever);
    CHECK(f.checked_values().back() == 1);
}

TEST_CASE("a damaged activity summary is a storage error naming its day, not a wrong count", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    {
        SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
        raw.exec("UPDATE activity_days SET people = x'01ff' WHERE day = (SELECT min(day) FROM activity_days)");
    }
    try {
        f.values(f.s);
        FAIL("no error");
    } catch (const storage_error& e) {
        CHECK(std::string(e.what()).find("activity_days: the summary of day") != std::string::npos);
    }
}

TEST_CASE("goals read the tables when the activity summaries cannot be brought up to date", "[goals][goal-cache]") {
    cached_fixture f;
    f.checked_values();
    SQLite::Database raw(f.path, SQLite::OPEN_READWRITE);
    raw.exec("INSERT INTO interactions(id, kind, at, time_zone, created_at, updated_at) VALUES"
             " (700, 'coffee', 1805000000, 'UTC', 0, 0);"
             "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (700, " +
             std::to_string(f.linus) + ", 1805000000)");
    // Another program holds the write lock: the marks cannot be folded in now, and the reader does
    // not wait for it.
    raw.exec("BEGIN IMMEDIATE");
    const auto refused = f.s.goals().summaries().refused;
    const auto started = std::chrono::steady_clock::now();
    auto v = f.values(f.s);
    CHECK(std::chrono::steady_clock::now() - started < 2s);
    CHECK(f.s.goals().summaries().refused > refused);
    CHECK(v[0] == 3);
    CHECK(v[2] == 1);
    raw.exec("ROLLBACK");
    CHECK(f.checked_values()[0] == 3);  // and once the lock is free, the summaries catch up
}

// ---- follow-ups done on time, favours, introductions and the later return --------------------------

namespace {

// A follow-up for `who` due on `day` at 09:00 in the user's zone, completed at `done` (UTC) if set.
follow_up_id due_on(fixture& f, contact_id who, date::year_month_day day, std::optional<date::sys_seconds> done,
                    std::optional<event_id> e = std::nullopt) {
    auto fu = f.s.follow_ups().schedule(who, "write", due_time::on(day), e);
    if (done) f.s.follow_ups().complete(fu.id, std::nullopt, *done);
    return fu.id;
}

favor favour(fixture& f, favor_direction d, contact_id who, date::year_month_day on, double weight = 1,
             favor_status status = favor_status::done, favor_kind kind = favor_kind::advice) {
    favor x;
    x.direction = d;
    x.contact = who;
    x.on = on;
    x.weight = weight;
    x.status = status;
    x.kind = kind;
    return f.s.favors().add(x);
}

}  // namespace

TEST_CASE("a follow-up done by 23:59 of its due day in the user's zone is on time, at 00:01 it is late", "[goals]") {
    // Due 15 March 09:00 local. Kolkata (+05:30): the day ends at 18:30 UTC; Paris (+01:00): 23:00 UTC.
    const auto [zone, utc_2359, utc_0001] = GENERATE(table<std::string, date::sys_seconds, date::sys_seconds>({
        {"Asia/Kolkata", at(2027_y / 3 / 15, 18h, 29min), at(2027_y / 3 / 15, 18h, 31min)},
        {"Europe/Paris", at(2027_y / 3 / 15, 22h, 59min), at(2027_y / 3 / 15, 23h, 1min)},
    }));
    fixture f;
    f.s.set_time_zone(zone);
    f.clock.set(at(2027_y / 3 / 12, 12h));
    due_on(f, f.ada, 2027_y / 3 / 15, utc_2359);
    due_on(f, f.grace, 2027_y / 3 / 15, utc_0001);
    const auto on_time = f.plan_goal("follow_ups_on_time", 2, "2027-03");
    const auto rate = f.plan_goal("follow_up_on_time_rate", 90, "2027-03");
    const auto after = at(2027_y / 3 / 20, 12h);
    CHECK(f.value(on_time, after) == 1);
    auto p = f.s.goals().evaluate(rate, after);
    CHECK(p.value == Approx(50));
    CHECK(p.unit == "%");
    CHECK_FALSE(p.met);
    // The 00:01 one, seen at 23:59:30 local, is still open on its due day: not counted yet (100%).
    CHECK(f.value(rate, utc_2359 + 30s) == Approx(100));
    // Once the day is over, the late one counts against even before it is done.
    CHECK(f.value(rate, utc_0001 - 30s) == Approx(50));
}

TEST_CASE("follow-up metrics: open and late count against, cancelled are left out, none is no value", "[goals]") {
    fixture f;
    const auto rate = f.plan_goal("follow_up_on_time_rate", 80, "2027-03");
    CHECK(std::isnan(f.value(rate)));
    CHECK_FALSE(f.s.goals().evaluate(rate).met);
    CHECK_FALSE(f.s.goals().evaluate(rate).on_pace.has_value());
    due_on(f, f.ada, 2027_y / 3 / 5, at(2027_y / 3 / 4, 10h), f.meetup);  // done early: on time
    due_on(f, f.grace, 2027_y / 3 / 6, std::nullopt, f.meetup);            // open and late
    auto c = due_on(f, f.linus, 2027_y / 3 / 6, std::nullopt);
    f.s.follow_ups().cancel(c);
    due_on(f, f.hedy, 2027_y / 4 / 2, at(2027_y / 4 / 2, 10h));  // April: outside the period
    CHECK(f.value(rate) == Approx(50));
    CHECK(f.value(f.plan_goal("follow_ups_on_time", 1, "2027-03")) == 1);
    CHECK(f.value(f.plan_goal("follow_ups_on_time", 1, "2027-03", tags({"potential-client"}))) == 1);
    CHECK(f.value(f.plan_goal("follow_up_on_time_rate", 1, "2027-03", tags({"saas"}))) == Approx(100));
    goal_filter kind;
    kind.event_kind = "meetup";
    CHECK(f.value(f.plan_goal("follow_up_on_time_rate", 1, "2027-03", kind)) == Approx(50));
    kind.event_kind = "workshop";
    CHECK(std::isnan(f.value(f.plan_goal("follow_up_on_time_rate", 1, "2027-03", kind))));
    // An event goal: the follow-ups linked to the event (the April one is not).
    CHECK(f.value(f.event_goal("follow_ups_on_time", 1)) == 1);
    CHECK(f.value(f.event_goal("follow_up_on_time_rate", 1)) == Approx(50));
    CHECK_FALSE(f.s.goals().metrics().empty());
}

TEST_CASE("favours given and received sum done favours by weight on the period's days", "[goals]") {
    fixture f;
    favour(f, favor_direction::given, f.ada, 2027_y / 3 / 5, 2);
    favour(f, favor_direction::given, f.grace, 2027_y / 3 / 31, 0.5);  // the period's last day
    favour(f, favor_direction::given, f.hedy, 2027_y / 3 / 1);           // never met at an event
    favour(f, favor_direction::given, f.ada, 2027_y / 3 / 2, 3);         // before meeting Ada
    favour(f, favor_direction::given, f.ada, 2027_y / 3 / 6, 7, favor_status::offered);
    favour(f, favor_direction::given, f.ada, 2027_y / 3 / 6, 7, favor_status::declined);
    favour(f, favor_direction::given, f.ada, 2027_y / 4 / 1, 5);  // April
    favour(f, favor_direction::received, f.linus, 2027_y / 3 / 7, 1.5);
    const auto april = at(2027_y / 4 / 2, 12h);
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03"), april) == Approx(6.5));
    CHECK(f.value(f.plan_goal("favours_received", 1, "2027-03"), april) == Approx(1.5));
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03"), at(2027_y / 3 / 5, 12h)) == Approx(6));  // as of 5 March
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03", tags({"SAAS"})), april) == Approx(5));
    goal_filter kind;
    kind.event_kind = "meetup";  // met at a meetup on or before the favour's day
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03", kind), april) == Approx(2.5));
    goal_filter one;
    one.event = f.meetup;
    CHECK(f.value(f.plan_goal("favours_received", 1, "2027-03", one), april) == Approx(1.5));
    // An event goal: favours with the people met there, since they met, up to as_of (April's too).
    CHECK(f.value(f.event_goal("favours_given", 1), april) == Approx(7.5));
    CHECK(f.value(f.event_goal("favours_given", 1)) == Approx(2));  // as of 10 March: not Grace's of the 31st
}

TEST_CASE("a favour dated the last day of a period counts in the user's zone, not UTC's", "[goals]") {
    fixture f;
    f.s.set_time_zone("Asia/Kolkata");
    // 31 March 23:00 in Kolkata is 17:30 UTC: today there is the 31st.
    f.clock.set(at(2027_y / 3 / 31, 17h, 30min));
    favour(f, favor_direction::given, f.ada, {});
    CHECK(f.s.favors().list().back().on == 2027_y / 3 / 31);
    const auto g = f.plan_goal("favours_given", 1, "2027-03");
    CHECK(f.value(g, at(2027_y / 3 / 31, 17h, 31min)) == 1);
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-04"), at(2027_y / 4 / 2, 0h)) == 0);
}

TEST_CASE("introductions made count the user's, also after the first person is deleted", "[goals]") {
    fixture f;
    introduction mine;
    mine.first = f.ada;
    mine.second = f.grace;
    mine.on = 2027_y / 3 / 6;
    f.s.favors().introduce(mine);
    introduction theirs;  // Linus introduced the user to Hedy: not one the user made
    theirs.introducer = f.linus;
    theirs.second = f.hedy;
    theirs.on = 2027_y / 3 / 7;
    f.s.favors().introduce(theirs);
    favour(f, favor_direction::given, f.hedy, 2027_y / 3 / 8, 1, favor_status::done, favor_kind::introduction);
    favour(f, favor_direction::given, f.hedy, 2027_y / 3 / 8, 1, favor_status::offered, favor_kind::introduction);
    const auto g = f.plan_goal("introductions_made", 2, "2027-03");
    CHECK(f.value(g) == 2);
    CHECK(f.value(f.plan_goal("introductions_made", 2, "2027-04"), at(2027_y / 4 / 9, 0h)) == 0);
    CHECK(f.value(f.plan_goal("introductions_made", 2, "2027-03", tags({"potential-client"}))) == 1);  // Ada or Grace
    goal_filter kind;
    kind.event_kind = "meetup";
    CHECK(f.value(f.plan_goal("introductions_made", 2, "2027-03", kind)) == 1);  // Hedy was never met at one
    CHECK(f.value(f.event_goal("introductions_made", 1)) == 1);
    // Deleting Ada (first) and Linus (the introducer) leaves both ends of each record empty; the
    // favour given to Grace still tells that the user made the first one.
    f.s.contacts().remove(f.ada);
    f.s.contacts().remove(f.linus);
    CHECK(f.value(g) == 2);
}

TEST_CASE("an event's return counts favours and introductions that came later from people met there", "[goals]") {
    fixture f;
    favour(f, favor_direction::received, f.grace, 2027_y / 3 / 8, 2);     // after the meetup: counts
    favour(f, favor_direction::received, f.linus, 2027_y / 3 / 1, 5);     // before meeting Linus: no
    favour(f, favor_direction::received, f.ada, 2027_y / 3 / 4, 0.5);     // the meetup's day: counts
    favour(f, favor_direction::received, f.hedy, 2027_y / 3 / 8, 9);      // never met there: no
    favour(f, favor_direction::given, f.grace, 2027_y / 3 / 8, 4);        // given, not a return
    favour(f, favor_direction::received, f.grace, 2027_y / 3 / 9, 3, favor_status::offered);
    introduction theirs;  // Linus introduces the user to Hedy after the meetup
    theirs.introducer = f.linus;
    theirs.second = f.hedy;
    theirs.on = 2027_y / 3 / 9;
    f.s.favors().introduce(theirs, 1.5);
    introduction before;  // Grace introduced the user before they met: no
    before.introducer = f.grace;
    before.second = f.hedy;
    before.on = 2027_y / 3 / 2;
    f.s.favors().introduce(before);
    introduction mine;  // the user introduces Ada to Hedy afterwards: counts once
    mine.first = f.ada;
    mine.second = f.hedy;
    mine.on = 2027_y / 3 / 9;
    f.s.favors().introduce(mine);

    auto r = f.s.goals().event_return(f.meetup);
    CHECK(r.favours_later == Approx(2 + 0.5 + 1.5));  // Grace, Ada, and Linus's introduction
    CHECK(r.introductions_later == 2);
    // Over March: those first met in it (the old friend was not), whatever the favour's date.
    auto march = f.s.goals().period_return(period::parse("2027-03", 2027_y / 1 / 1));
    CHECK(march.favours_later == Approx(4));
    CHECK(march.introductions_later == 2);
    favour(f, favor_direction::received, f.ada, 2027_y / 6 / 1, 1);  // after the period: still March's
    CHECK(f.s.goals().period_return(period::parse("2027-03", 2027_y / 1 / 1)).favours_later == Approx(5));
    auto april = f.s.goals().period_return(period::parse("2027-04", 2027_y / 1 / 1));
    CHECK(april.favours_later == 0);
    CHECK(april.introductions_later == 0);
    // The old friend, met again at the meetup, credits it with what came after.
    favour(f, favor_direction::received, f.old_friend, 2027_y / 3 / 5, 1);
    CHECK(f.s.goals().event_return(f.meetup).favours_later == Approx(6));
    CHECK(f.s.goals().period_return(period::parse("2027-03", 2027_y / 1 / 1)).favours_later == Approx(5));
}

// ---- as_of includes its own second -----------------------------------------------------------------

TEST_CASE("as_of includes its own second: what happened at that very instant counts", "[goals][as-of]") {
    fixture f;
    // The meetup: Ada met at 18:30:00 UTC, a talk with her at 18:40:00.
    CHECK(f.value(f.event_goal("contacts_met", 3), at(2027_y / 3 / 4, 18h, 30min)) == 1);
    CHECK(f.value(f.event_goal("contacts_met", 3), at(2027_y / 3 / 4, 18h, 30min) - 1s) == 0);
    CHECK(f.value(f.event_goal("new_contacts", 3), at(2027_y / 3 / 4, 18h, 30min)) == 1);
    CHECK(f.value(f.event_goal("conversations", 3), at(2027_y / 3 / 4, 18h, 40min)) == 1);
    CHECK(f.value(f.event_goal("interactions", 3), at(2027_y / 3 / 4, 18h, 40min)) == 1);
    CHECK(f.value(f.plan_goal("contacts_met", 3, "2027-03"), at(2027_y / 3 / 4, 18h, 30min)) == 1);
    CHECK(f.value(f.plan_goal("new_contacts", 3, "2027-03", tags({"saas"})), at(2027_y / 3 / 4, 18h, 30min)) == 1);
    CHECK(f.value(f.plan_goal("interactions", 3, "2027-03"), at(2027_y / 3 / 4, 18h, 40min)) == 1);
    // A coffee logged this second counts now (the store's clock), not from the next second.
    const auto now = at(2027_y / 3 / 10, 12h);
    f.talk({f.hedy}, now, std::nullopt, interaction_kind::coffee);
    goal_filter coffees;
    coffees.interaction_kinds = {interaction_kind::coffee};
    CHECK(f.value(f.plan_goal("interactions", 40, "2027-Q1", coffees)) == 1);
    CHECK(f.value(f.plan_goal("conversations", 40, "2027-Q1", coffees)) == 1);
    // An event starting at as_of has started; a follow-up to Hedy at as_of is a follow-up.
    const auto talk_at = f.add_event("Talk", "talk", at(2027_y / 3 / 12, 18h));
    CHECK(f.value(f.plan_goal("events", 3, "2027-03"), at(2027_y / 3 / 12, 18h)) == 2);
    f.meet(talk_at, f.hedy, at(2027_y / 3 / 12, 18h), true);
    f.talk({f.hedy}, at(2027_y / 3 / 14, 18h));
    const auto median = f.plan_goal("median_follow_up_days", 3, "2027-03", tags({}), "", comparison::at_most);
    CHECK(std::isnan(f.value(median, at(2027_y / 3 / 14, 18h) - 1s)));
    CHECK(f.value(median, at(2027_y / 3 / 14, 18h)) == Approx(2));
}

TEST_CASE("a follow-up due and done at as_of is settled on time then", "[goals][as-of]") {
    fixture f;
    f.clock.set(at(2027_y / 3 / 12, 12h));
    // Due 15 March 09:00 Paris = 08:00 UTC, done at that very second.
    const auto due = at(2027_y / 3 / 15, 8h);
    due_on(f, f.ada, 2027_y / 3 / 15, due);
    CHECK(f.value(f.plan_goal("follow_ups_on_time", 1, "2027-03"), due) == 1);
    CHECK(f.value(f.plan_goal("follow_up_on_time_rate", 1, "2027-03"), due) == Approx(100));
    CHECK(std::isnan(f.value(f.plan_goal("follow_up_on_time_rate", 1, "2027-03"), due - 1s)));
}

TEST_CASE("a favour is seen on the day as_of falls on, also at midnight", "[goals][as-of]") {
    fixture f;
    favour(f, favor_direction::given, f.ada, 2027_y / 3 / 5, 2);
    // 5 March 00:00 in Paris is 4 March 23:00 UTC: as of that instant, 5 March has begun.
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03"), at(2027_y / 3 / 4, 23h)) == 2);
    CHECK(f.value(f.plan_goal("favours_given", 1, "2027-03"), at(2027_y / 3 / 4, 23h) - 1s) == 0);
}

TEST_CASE("history as of a midnight has a step for the day that midnight starts", "[goals][as-of]") {
    fixture f;
    // 2027-04 begins in Paris at 31 March 22:00 UTC; a call at that second.
    f.talk({f.hedy}, at(2027_y / 3 / 31, 22h), std::nullopt, interaction_kind::call);
    auto g = f.s.goals().add(f.plan_goal("interactions", 10, "2027-04"));
    auto h = f.s.goals().history(g.id, sample_step::day, at(2027_y / 3 / 31, 22h));
    REQUIRE(h.size() == 1);
    CHECK(h[0] == progress_sample{2027_y / 4 / 1, 1, 1});
    CHECK(f.s.goals().history(g.id, sample_step::day, at(2027_y / 3 / 31, 22h) - 1s).empty());
    CHECK(f.s.goals().progress(g.id, at(2027_y / 3 / 31, 22h)).value == 1);
    auto r = f.s.goals().report(period::parse("2027-04", 2027_y / 1 / 1), at(2027_y / 3 / 31, 22h));
    REQUIRE(r.goals.size() == 1);
    CHECK(r.goals[0].value == 1);
}

TEST_CASE("the activity summaries agree with the tables at the very second of as_of", "[goals][goal-cache][as-of]") {
    cached_fixture f;
    f.checked_values();
    // The evaluation is as of 2027-12-01 01:00:00 UTC: a call at that second counts, one a second later not.
    const contact_id eve = f.person("Eve", {});
    cached_fixture::talk(f.s, {eve}, at(2027_y / 12 / 1, 1h) + 1s);
    CHECK(f.checked_values()[0] == 2);
    cached_fixture::talk(f.s, {eve}, at(2027_y / 12 / 1, 1h), std::nullopt, interaction_kind::coffee);
    auto v = f.checked_values();
    CHECK(v[0] == 3);
    CHECK(v[2] == 1);
    // Linus first met on 1 December 00:00 UTC at a meetup, followed up at 01:00:00: a delay of 1/24 day.
    const auto late = cached_fixture::add_event(f.s, "Late meetup", "meetup", at(2027_y / 12 / 1, 0h));
    attendee_options o;
    o.first_meeting = true;
    o.met_at = at(2027_y / 12 / 1, 0h);
    f.s.events().add_attendee(late, f.linus, o);
    cached_fixture::talk(f.s, {f.linus}, at(2027_y / 12 / 1, 1h));
    auto late_only = f.plan("median_follow_up_days", {});
    late_only.filter.event = late;
    f.goals.push_back(late_only);
    v = f.checked_values();
    CHECK(v[0] == 4);
    CHECK(v[5] == Approx(1.0 / 24));
}
