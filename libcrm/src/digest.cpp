// The daily digest: gathered from the stores' named queries, so it holds no SQL of its own.
#include "crm/digest.hpp"

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/favor_store.hpp"
#include "crm/goal_store.hpp"
#include "crm/interaction_store.hpp"
#include "crm/time_zone.hpp"

#include <date/date.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <sstream>

namespace crm {

namespace {

using nlohmann::json;

// Favours received this long ago or less are listed to thank until a thank-you follow-up is done;
// older ones are assumed thanked in ways netcrm did not see.
constexpr std::chrono::days thank_window{30};
// Event goals are "at risk" around the event: a week before (prepare) to a week after (follow up).
constexpr std::chrono::days event_goal_window{7};

std::string iso_instant(date::sys_seconds t) { return date::format("%Y-%m-%dT%H:%M:%SZ", t); }
std::string iso_day(date::year_month_day d) { return date::format("%Y-%m-%d", d); }

std::string local_time(date::sys_seconds t, const std::string& zone) {
    return date::format("%Y-%m-%d %H:%M", to_local(t, zone));
}

std::string human_late(std::chrono::seconds late) {
    auto days = std::chrono::duration_cast<std::chrono::days>(late).count();
    if (days >= 1) return std::to_string(days) + (days == 1 ? " day late" : " days late");
    auto hours = std::chrono::duration_cast<std::chrono::hours>(late).count();
    if (hours >= 1) return std::to_string(hours) + (hours == 1 ? " hour late" : " hours late");
    return "due now";
}

std::string number(double v) {
    if (std::abs(v - std::round(v)) < 1e-9) return std::to_string(static_cast<long long>(std::llround(v)));
    std::ostringstream o;
    o.precision(2);
    o << std::fixed << v;
    return o.str();
}

}  // namespace

digest make_digest(store& s, std::optional<date::sys_seconds> now_opt, const digest_options& options) {
    digest d;
    d.as_of = now_opt.value_or(s.now());
    d.time_zone = s.time_zone();
    d.today = local_date(d.as_of, d.time_zone);
    const std::size_t limit = options.limit;

    // Cadences that a tag change brought in since the last refresh.
    s.follow_ups().refresh_rules();

    d.due = s.follow_ups().due(d.as_of, limit);
    d.upcoming = s.follow_ups().upcoming(d.as_of, options.upcoming, limit);
    d.going_cold = s.follow_ups().going_cold(d.as_of, options.cold_after, limit);

    favor_filter received;
    received.direction = favor_direction::received;
    received.status = favor_status::done;
    received.from = date::year_month_day{date::sys_days{d.today} - thank_window};
    received.to = d.today;  // a favour dated later is not one to thank for yet
    for (favor& f : s.favors().list(received)) {
        follow_up_filter thank_you;
        thank_you.favor = f.id;
        thank_you.status = follow_up_status::done;
        if (s.follow_ups().count(thank_you) == 0) d.thank.push_back(std::move(f));
    }
    std::reverse(d.thank.begin(), d.thank.end());  // most recent first
    if (limit && d.thank.size() > limit) d.thank.resize(limit);

    // Through reports: the goals of one report share the queries they have in common.
    period today_only{d.today, d.today, ""};
    for (goal_progress& p : s.goals().report(today_only, d.as_of).goals)
        if (p.on_pace && !*p.on_pace) d.goals_at_risk.push_back(std::move(p));
    std::vector<event_id> around;
    for (const goal& g : s.goals().list())
        if (g.event && std::find(around.begin(), around.end(), *g.event) == around.end()) around.push_back(*g.event);
    for (event_id id : around) {
        auto e = s.events().find(id);
        if (!e) continue;
        auto day = date::sys_days{local_date(e->starts_at, e->time_zone)};
        if (day < date::sys_days{d.today} - event_goal_window || day > date::sys_days{d.today} + event_goal_window)
            continue;
        for (goal_progress& p : s.goals().report(id, d.as_of).goals)
            if (!p.met) d.goals_at_risk.push_back(std::move(p));
    }
    if (limit && d.goals_at_risk.size() > limit) d.goals_at_risk.resize(limit);

    auto name = [&](contact_id id) {
        if (d.names.count(id)) return;
        auto c = s.contacts().find(id);
        d.names[id] = c ? c->display_name : "contact #" + std::to_string(id);
    };
    for (const auto& x : d.due) name(x.follow_up.contact);
    for (const auto& x : d.upcoming) name(x.follow_up.contact);
    for (const auto& x : d.thank) name(x.contact);
    for (const auto& x : d.going_cold) name(x.contact);
    return d;
}

std::string digest::to_text() const {
    std::ostringstream o;
    auto who = [&](contact_id id) {
        auto it = names.find(id);
        return it == names.end() ? "contact #" + std::to_string(id) : it->second;
    };
    o << "netcrm digest for " << iso_day(today) << " (" << time_zone << ")\n";
    if (due.empty() && upcoming.empty() && thank.empty() && going_cold.empty() && goals_at_risk.empty()) {
        o << "\nNothing to do today.\n";
        return o.str();
    }
    if (!due.empty()) {
        o << "\nDue (" << due.size() << "):\n";
        for (const auto& x : due)
            o << "  - " << who(x.follow_up.contact) << ": " << x.follow_up.reason << " ("
              << (x.overdue ? human_late(x.late) : "due " + local_time(x.follow_up.due_at, time_zone)) << ")\n";
    }
    if (!upcoming.empty()) {
        o << "\nComing up (" << upcoming.size() << "):\n";
        for (const auto& x : upcoming)
            o << "  - " << local_time(x.follow_up.due_at, time_zone) << "  " << who(x.follow_up.contact) << ": "
              << x.follow_up.reason << "\n";
    }
    if (!thank.empty()) {
        o << "\nSay thank you (" << thank.size() << "):\n";
        for (const auto& f : thank) {
            o << "  - " << who(f.contact) << ": " << to_string(f.kind) << " on " << iso_day(f.on);
            if (!f.note.empty()) o << " (" << f.note << ")";
            o << "\n";
        }
    }
    if (!going_cold.empty()) {
        o << "\nGoing cold (" << going_cold.size() << "):\n";
        for (const auto& q : going_cold) {
            o << "  - " << who(q.contact) << ": ";
            if (q.last)
                o << "last talked " << iso_day(local_date(q.last->at, time_zone)) << " ("
                  << std::chrono::duration_cast<std::chrono::days>(as_of - q.last->at).count() << " days ago)";
            else
                o << "no interaction logged";
            o << "\n";
        }
    }
    if (!goals_at_risk.empty()) {
        o << "\nGoals at risk (" << goals_at_risk.size() << "):\n";
        for (const auto& p : goals_at_risk) {
            o << "  - " << p.goal.name << ": " << number(p.value) << " " << to_string(p.goal.compare) << " "
              << number(p.target) << (p.unit.empty() ? "" : " " + p.unit);
            if (p.expected) o << ", " << number(*p.expected) << " expected by now";
            o << "\n";
        }
    }
    return o.str();
}

std::string digest::to_json() const {
    auto who = [&](contact_id id) {
        auto it = names.find(id);
        return it == names.end() ? std::string() : it->second;
    };
    auto fu_json = [&](const due_follow_up& x) {
        const follow_up& f = x.follow_up;
        json j{{"id", f.id},
               {"contact", {{"id", f.contact}, {"name", who(f.contact)}}},
               {"reason", f.reason},
               {"due_at", iso_instant(f.due_at)},
               {"due_local", local_time(f.due_at, f.time_zone)},
               {"time_zone", f.time_zone},
               {"overdue", x.overdue},
               {"late_seconds", x.late.count()}};
        j["event"] = f.event ? json(*f.event) : json(nullptr);
        return j;
    };
    json j;
    j["as_of"] = iso_instant(as_of);
    j["time_zone"] = time_zone;
    j["today"] = iso_day(today);
    j["due"] = json::array();
    for (const auto& x : due) j["due"].push_back(fu_json(x));
    j["upcoming"] = json::array();
    for (const auto& x : upcoming) j["upcoming"].push_back(fu_json(x));
    j["thank"] = json::array();
    for (const auto& f : thank)
        j["thank"].push_back({{"favor", f.id},
                              {"contact", {{"id", f.contact}, {"name", who(f.contact)}}},
                              {"kind", std::string(to_string(f.kind))},
                              {"on", iso_day(f.on)},
                              {"note", f.note}});
    j["going_cold"] = json::array();
    for (const auto& q : going_cold) {
        json c{{"contact", {{"id", q.contact}, {"name", who(q.contact)}}}};
        c["last_interaction"] = q.last ? json(iso_instant(q.last->at)) : json(nullptr);
        j["going_cold"].push_back(std::move(c));
    }
    j["goals_at_risk"] = json::array();
    for (const auto& p : goals_at_risk) {
        json g{{"goal", p.goal.id},      {"name", p.goal.name},  {"metric", p.goal.metric},
               {"comparison", std::string(to_string(p.goal.compare))},
               {"value", p.value},       {"target", p.target},   {"unit", p.unit},
               {"fraction", p.fraction}, {"met", p.met}};
        g["expected"] = p.expected ? json(*p.expected) : json(nullptr);
        g["on_pace"] = p.on_pace ? json(*p.on_pace) : json(nullptr);
        j["goals_at_risk"].push_back(std::move(g));
    }
    try {
        return j.dump(2);
    } catch (const json::type_error&) {
        // Only text from the database can be invalid here (every input is checked as it is stored).
        throw storage_error(
            "the database holds text that is not valid UTF-8 in a follow-up, favour, goal or name of "
            "the digest (the file is damaged, or another program wrote to it)",
            11 /* SQLITE_CORRUPT */);
    }
}

}  // namespace crm
