// The daily digest: each section as of a fixed instant in the user's zone, what leaves it when done,
// and the text and JSON forms.
#include "crm/contact_store.hpp"
#include "crm/digest.hpp"
#include "crm/event_store.hpp"
#include "crm/favor_store.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"
#include "crm/time_zone.hpp"

#include "test_support.hpp"

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <string>

using namespace date::literals;
using namespace std::chrono_literals;
using crm::due_time;
using crm::store;
using crm::test::at;

namespace {

// 2026-12-01 08:00 UTC is 09:00 in Paris.
const date::sys_seconds now = at(2026_y / 12 / 1, 8h);

struct fixture {
    crm::test::temp_dir dir;
    crm::test::manual_clock clock{now};
    store s = store::open(dir.file("crm.db"), crm::test::options_with_clock(clock.function()));
    fixture() { s.set_time_zone("Europe/Paris"); }
    crm::contact_id person(const std::string& name) {
        crm::contact c;
        c.display_name = name;
        return s.contacts().add(c).id;
    }
    void talk(crm::contact_id who, date::sys_seconds when) {
        crm::interaction i;
        i.kind = crm::interaction_kind::coffee;
        i.contacts = {who};
        i.at = when;
        s.interactions().log(i);
    }
};

}  // namespace

TEST_CASE("nothing to do gives an empty digest that says so", "[digest]") {
    fixture f;
    auto d = crm::make_digest(f.s);
    CHECK(d.as_of == now);
    CHECK(d.today == 2026_y / 12 / 1);
    CHECK(d.time_zone == "Europe/Paris");
    CHECK(d.due.empty());
    CHECK(d.to_text() == "netcrm digest for 2026-12-01 (Europe/Paris)\n\nNothing to do today.\n");
    auto j = nlohmann::json::parse(d.to_json());
    CHECK(j["today"] == "2026-12-01");
    CHECK(j["due"].empty());
}

TEST_CASE("due, overdue and upcoming follow-ups are listed most urgent first", "[digest]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob"), cy = f.person("Cy");
    f.s.follow_ups().schedule(ada, "today", due_time::on(2026_y / 12 / 1));       // 09:00 Paris: due now
    f.s.follow_ups().schedule(bob, "late", due_time::on(2026_y / 11 / 28));       // three days late
    f.s.follow_ups().schedule(cy, "soon", due_time::on(2026_y / 12 / 4));         // upcoming
    f.s.follow_ups().schedule(cy, "later", due_time::on(2026_y / 12 / 20));       // beyond 7 days
    auto d = crm::make_digest(f.s);
    REQUIRE(d.due.size() == 2);
    CHECK(d.due[0].follow_up.reason == "late");
    CHECK(d.due[0].overdue);
    CHECK(d.due[1].follow_up.reason == "today");
    CHECK_FALSE(d.due[1].overdue);
    REQUIRE(d.upcoming.size() == 1);
    CHECK(d.upcoming[0].follow_up.reason == "soon");
    CHECK(d.names.at(bob) == "Bob");
    const std::string text = d.to_text();
    CHECK(text.find("Due (2):\n  - Bob: late (3 days late)\n  - Ada: today (due 2026-12-01 09:00)\n") !=
          std::string::npos);
    CHECK(text.find("Coming up (1):\n  - 2026-12-04 09:00  Cy: soon\n") != std::string::npos);

    crm::digest_options small;
    small.limit = 1;
    CHECK(crm::make_digest(f.s, std::nullopt, small).due.size() == 1);
}

TEST_CASE("a favour received is to be thanked until a thank-you follow-up is done", "[digest]") {
    fixture f;
    auto ada = f.person("Ada");
    crm::favor fav;
    fav.direction = crm::favor_direction::received;
    fav.contact = ada;
    fav.kind = crm::favor_kind::introduction;
    fav.on = 2026_y / 11 / 25;
    fav.note = "to Grace";
    crm::favor_options thank;
    thank.thank = true;
    fav = f.s.favors().add(fav, thank);
    auto d = crm::make_digest(f.s);
    REQUIRE(d.thank.size() == 1);
    CHECK(d.thank[0].id == fav.id);
    CHECK(d.to_text().find("Say thank you (1):\n  - Ada: introduction on 2026-11-25 (to Grace)\n") != std::string::npos);

    // The thank-you follow-up the favour scheduled, done: nothing left to thank.
    auto fus = f.s.follow_ups().list();
    REQUIRE(fus.size() == 1);
    CHECK(fus[0].favor == fav.id);
    f.s.follow_ups().complete(fus[0].id);
    CHECK(crm::make_digest(f.s).thank.empty());

    // An old favour (more than 30 days) is not listed.
    crm::favor old = fav;
    old.id = 0;
    old.on = 2026_y / 10 / 1;
    old.note = "";
    f.s.favors().add(old);
    CHECK(crm::make_digest(f.s).thank.empty());
}

TEST_CASE("people not talked to in cold_after days are going cold", "[digest]") {
    fixture f;
    auto ada = f.person("Ada"), bob = f.person("Bob");
    f.talk(ada, now - date::days{100});
    f.talk(bob, now - date::days{10});
    auto d = crm::make_digest(f.s);
    REQUIRE(d.going_cold.size() == 1);
    CHECK(d.going_cold[0].contact == ada);
    auto j = nlohmann::json::parse(d.to_json());
    CHECK(j["going_cold"][0]["contact"]["name"] == "Ada");
    crm::digest_options longer;
    longer.cold_after = date::days{120};
    CHECK(crm::make_digest(f.s, std::nullopt, longer).going_cold.empty());
}

TEST_CASE("plan goals behind pace and unmet goals of recent events are at risk", "[digest]") {
    fixture f;
    crm::goal plan;
    plan.name = "New contacts this year";
    plan.metric = "new_contacts";
    plan.target = 100;
    plan.period = crm::period::parse("2026", 2026_y / 12 / 1);
    f.s.goals().add(plan);

    crm::goal done_plan = plan;
    done_plan.name = "Some contacts";
    done_plan.target = 1;
    f.clock.set(now - 1h);
    f.person("Ada");  // one new contact this year: on pace for a target of 1
    f.clock.set(now);
    f.s.goals().add(done_plan);

    crm::event e;
    e.name = "Paris SaaS meetup";
    e.starts_at = now - date::days{2};
    e.time_zone = "Europe/Paris";
    e = f.s.events().add(e);
    crm::goal at_event;
    at_event.name = "Three new people";
    at_event.metric = "new_contacts";
    at_event.target = 3;
    at_event.event = e.id;
    f.s.goals().add(at_event);

    crm::event long_ago = e;
    long_ago.id = 0;
    long_ago.starts_at = now - date::days{60};
    long_ago = f.s.events().add(long_ago);
    crm::goal old_goal = at_event;
    old_goal.event = long_ago.id;
    old_goal.name = "Old event goal";
    f.s.goals().add(old_goal);

    auto d = crm::make_digest(f.s);
    REQUIRE(d.goals_at_risk.size() == 2);
    CHECK(d.goals_at_risk[0].goal.name == "New contacts this year");
    CHECK(d.goals_at_risk[1].goal.name == "Three new people");
    auto j = nlohmann::json::parse(d.to_json());
    CHECK(j["goals_at_risk"][1]["met"] == false);
    CHECK(d.to_text().find("Goals at risk (2):") != std::string::npos);
}
