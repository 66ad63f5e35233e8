// Goals: stored targets, and their progress computed from the data whenever asked.
//
// Built-in metrics (goal_store::metrics() lists them with these descriptions; README "Goals"):
//   contacts_met          distinct contacts met (attendance) at the event, or at events starting in
//                         the period. Filters: tags (the contact's), event_kind, event.
//   new_contacts          contacts met for the first time: at the event, or in the period (a first
//                         meeting at an event, or, without an event filter, a contact added in the
//                         period and never first met at an event). Filters: tags, event_kind, event.
//   conversations         distinct contacts with at least one interaction (at the event, or in the
//                         period). Filters: tags, interaction_kinds, event_kind, event.
//   interactions          interactions (at the event, or in the period). Filters as conversations;
//                         tags: an interaction with at least one such contact.
//   events                events starting in the period (plan goals only). Filters: event_kind,
//                         event, tags (the event's tags).
//   spend                 money: the expenses of the event, or of the events starting in the period,
//                         in the goal's currency (other currencies are not converted). Filters:
//                         category, event_kind, event, tags (the event's).
//   cost_per_new_contact  money: spend / new_contacts (as that metric counts them); with no
//                         new contact yet, the whole spend (what the first one would cost). Not
//                         cumulative: its pace is the target itself.
//   median_follow_up_days days from a first meeting at an event to the next interaction with that
//                         person that is not at the same event; people never followed up are left
//                         out; no value (NaN) until someone is. Lower is better: use at_most.
//                         Filters: tags, interaction_kinds (of the follow-up), event_kind, event.
//   follow_ups_on_time    follow-ups due in the period and before as_of (event goals: those linked
//                         to the event), not cancelled, completed before the midnight that ends
//                         their due day in the user's zone (23:59 that day is on time, 00:01 the
//                         next is not). Filters: tags (the contact's), event_kind and event (the
//                         event the follow-up is linked to).
//   follow_up_on_time_rate  follow_ups_on_time as a percentage of the settled follow-ups of the same
//                         scope: done by as_of, or whose due day has ended (open and late counts
//                         against; one due today and still open does not count yet); cancelled
//                         ones are left out. No value (NaN) without settled follow-ups: 0 of 0 is
//                         neither good nor bad. Not cumulative.
//   favours_given         sum of the weights of done favours given, dated (a calendar date) within
//   favours_received      the period's days, or up to today for an event goal, in the user's zone.
//                         Offered and declined favours do not count. Filters: tags (the contact's);
//                         event_kind, event and event goals: the contact was met at such an event
//                         (at this event) on or before the favour's date.
//   introductions_made    introductions the user made, dated as favours are: introduction records
//                         with the user as introducer (a record whose first person was deleted is
//                         still known by the favour given to the second), plus done favours given of
//                         kind introduction recorded without a record. Filters as favours_given, on
//                         either person introduced.
#include "crm/goal_store.hpp"

#include "crm/error.hpp"
#include "crm/interaction.hpp"
#include "crm/money.hpp"

#include "detail/iso_date.hpp"
#include "detail/activity.hpp"
#include "detail/read_back.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cctype>
#include <cmath>
#include <limits>
#include <map>
#include <mutex>
#include <sstream>
#include <tuple>

namespace crm {

using detail::from_unix;
using detail::guarded;
using detail::to_unix;
using detail::write_transaction;

namespace {

constexpr double nan = std::numeric_limits<double>::quiet_NaN();

// The money of `currency` in a list by currency, in major units (12.5 for 12.50 EUR).
double major_units(const std::vector<money>& spend, const std::string& currency) {
    for (const auto& m : spend)
        if (m.currency == currency) return double(m.minor) / std::pow(10.0, currency_exponent(m.currency).value_or(2));
    return 0;
}

std::vector<metric> builtin_metrics() {
    auto count = [](std::size_t (network_queries::*q)(const metric_scope&) const) {
        return [q](const network_queries& n, const metric_scope& s) { return double((n.*q)(s)); };
    };
    std::vector<metric> m;
    m.push_back({"contacts_met", "distinct contacts met at the event, or at events starting in the period", "contacts",
                 false, metric_scopes::both, true, count(&network_queries::contacts_met)});
    m.push_back({"new_contacts",
                 "contacts met for the first time: at the event, or in the period (at an event, or added then)",
                 "contacts", false, metric_scopes::both, true, count(&network_queries::new_contacts)});
    m.push_back({"conversations", "distinct contacts with at least one interaction at the event or in the period",
                 "contacts", false, metric_scopes::both, true, count(&network_queries::conversation_partners)});
    m.push_back({"interactions", "interactions at the event or in the period", "interactions", false,
                 metric_scopes::both, true, count(&network_queries::interactions)});
    m.push_back({"events", "events starting in the period", "events", false, metric_scopes::period, true,
                 count(&network_queries::events)});
    m.push_back({"spend", "expenses of the event, or of the events starting in the period, in the goal's currency", "",
                 true, metric_scopes::both, true,
                 [](const network_queries& n, const metric_scope& s) { return major_units(n.spend(s), s.currency); }});
    m.push_back({"cost_per_new_contact", "spend divided by new_contacts (the whole spend while there are none)",
                 "", true, metric_scopes::both, false, [](const network_queries& n, const metric_scope& s) {
                     const double spent = major_units(n.spend(s), s.currency);
                     const auto people = n.new_contacts(s);
                     return people ? spent / double(people) : spent;
                 }});
    m.push_back({"median_follow_up_days",
                 "median days from a first meeting at an event to the next interaction with that person (lower is better)",
                 "days", false, metric_scopes::both, false, [](const network_queries& n, const metric_scope& s) {
                     return n.median_follow_up_days(s).value_or(nan);
                 }});
    m.push_back({"follow_ups_on_time",
                 "follow-ups due in the period (or linked to the event) done by the end of their due day",
                 "follow-ups", false, metric_scopes::both, true, [](const network_queries& n, const metric_scope& s) {
                     return double(n.follow_ups_on_time(s).on_time);
                 }});
    m.push_back({"follow_up_on_time_rate",
                 "percentage of the settled follow-ups (done, or past their due day) done by the end of their due day",
                 "%", false, metric_scopes::both, false, [](const network_queries& n, const metric_scope& s) {
                     const auto t = n.follow_ups_on_time(s);
                     return t.settled ? 100.0 * double(t.on_time) / double(t.settled) : nan;
                 }});
    m.push_back({"favours_given", "weights of the done favours given, dated in the period (or since the event)",
                 "favours", false, metric_scopes::both, true, [](const network_queries& n, const metric_scope& s) {
                     return n.favours(s, favor_direction::given);
                 }});
    m.push_back({"favours_received", "weights of the done favours received, dated in the period (or since the event)",
                 "favours", false, metric_scopes::both, true, [](const network_queries& n, const metric_scope& s) {
                     return n.favours(s, favor_direction::received);
                 }});
    m.push_back({"introductions_made", "introductions the user made, dated in the period (or since the event)",
                 "introductions", false, metric_scopes::both, true, count(&network_queries::introductions_made)});
    return m;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

std::string iso(date::year_month_day d) { return date::format("%F", d); }

date::year_month_day parse_iso(const std::string& s) {
    auto d = detail::parse_iso_date(s);
    if (!d) throw storage_error("goals: unreadable period date '" + s + "'", 0);
    return *d;
}

std::string filter_json(const goal_filter& f) {
    nlohmann::json j = nlohmann::json::object();
    if (!f.tags.empty()) j["tags"] = f.tags;
    if (f.event_kind) j["event_kind"] = *f.event_kind;
    if (f.event) j["event"] = *f.event;
    if (!f.interaction_kinds.empty()) {
        std::vector<std::string> kinds;
        for (auto k : f.interaction_kinds) kinds.emplace_back(to_string(k));
        j["interaction_kinds"] = kinds;
    }
    if (f.category) j["category"] = *f.category;
    return j.dump();
}

goal_filter filter_from_json(const std::string& text) {
    const auto j = nlohmann::json::parse(text);
    goal_filter f;
    if (j.contains("tags")) f.tags = j["tags"].get<std::vector<std::string>>();
    if (j.contains("event_kind")) f.event_kind = j["event_kind"].get<std::string>();
    if (j.contains("event")) f.event = j["event"].get<event_id>();
    if (j.contains("interaction_kinds"))
        for (const auto& k : j["interaction_kinds"]) f.interaction_kinds.push_back(parse_interaction_kind(k.get<std::string>()));
    if (j.contains("category")) f.category = j["category"].get<std::string>();
    return f;
}

constexpr const char* goal_columns =
    "id, name, metric, comparison, target, currency, event_id, period_first, period_last, period_label, filter, created_at";

goal read_goal_row(SQLite::Statement& q) {
    goal g;
    g.id = q.getColumn(0).getInt64();
    g.name = q.getColumn(1).getString();
    detail::check_text("name", g.name);
    g.metric = q.getColumn(2).getString();
    g.compare = parse_comparison(q.getColumn(3).getString());
    g.target = q.getColumn(4).getDouble();
    g.currency = q.getColumn(5).getString();
    if (!q.getColumn(6).isNull()) g.event = q.getColumn(6).getInt64();
    if (!q.getColumn(7).isNull())
        g.period = period{parse_iso(q.getColumn(7).getString()), parse_iso(q.getColumn(8).getString()),
                          q.getColumn(9).getString()};
    g.filter = filter_from_json(q.getColumn(10).getString());
    g.created_at = from_unix(q.getColumn(11).getInt64());
    return g;
}

// A stored goal that breaks the rules it was stored under (a name that is not UTF-8, an unknown
// comparison) was damaged or written by another program: storage_error naming it (read_back).
goal read_goal(SQLite::Statement& q) {
    return detail::read_back("goal", q.getColumn(0).getInt64(), [&] { return read_goal_row(q); });
}

bool compare(double value, comparison c, double target) {
    if (std::isnan(value)) return false;
    switch (c) {
        case comparison::at_least: return value >= target;
        case comparison::at_most: return value <= target;
        case comparison::more_than: return value > target;
        case comparison::less_than: return value < target;
        case comparison::exactly: return std::fabs(value - target) <= 1e-9 * std::max(1.0, std::fabs(target));
    }
    return false;
}

bool lower_is_better(comparison c) { return c == comparison::at_most || c == comparison::less_than; }

// A text field: valid UTF-8, no NUL, trimmed; `what` names it in errors.
std::string clean(const std::string& field, const std::string& s) {
    detail::check_text(field, s);
    return detail::trim(s);
}

struct event_row {
    std::string name;
    date::sys_seconds starts_at;
    std::string time_zone;
};

std::optional<event_row> read_event(store::impl& s, event_id id) {
    SQLite::Statement& q = s.prepared("SELECT name, starts_at, time_zone FROM events WHERE id = ?");
    q.bind(1, static_cast<int64_t>(id));
    std::optional<event_row> out;
    if (q.executeStep()) out = event_row{q.getColumn(0).getString(), from_unix(q.getColumn(1).getInt64()), q.getColumn(2).getString()};
    q.reset();
    return out;
}

std::string event_title(const event_row& e) {
    return e.name + " (" + iso(local_date(e.starts_at, e.time_zone)) + ")";
}

// The instant `d` ends at (midnight after it) in `zone`.
date::sys_seconds end_of(date::year_month_day d, const std::string& zone) {
    return period{d, d, {}}.instants(zone).second;
}

std::vector<money> cost_per(const std::vector<money>& spend, std::size_t people) {
    std::vector<money> out;
    if (people == 0) return out;
    const auto n = static_cast<std::int64_t>(people);
    for (const auto& m : spend) out.push_back({(m.minor + n / 2) / n, m.currency});  // half up (amounts >= 0)
    return out;
}

}  // namespace

struct goal_store::state {
    std::mutex mutex;  // guards metrics (register_metric may run while another thread evaluates)
    std::vector<std::string> builtin_order;
    std::map<std::string, metric> metrics;
    // What keeping the activity summaries has cost (used under the store's lock), and whether
    // metrics read them (goal_store::read_tables_only).
    detail::activity::settle_stats summaries;
    std::atomic<bool> tables_only{false};
    detail::activity::settle_stats* stats() { return tables_only ? nullptr : &summaries; }

    std::optional<metric> find(const std::string& name) {
        std::lock_guard lock(mutex);
        auto it = metrics.find(name);
        if (it == metrics.end()) return std::nullopt;
        return it->second;
    }

    std::string names() {
        std::lock_guard lock(mutex);
        std::string out;
        for (const auto& [name, m] : metrics) out += (out.empty() ? "" : ", ") + name;
        return out;
    }
};

goal_store::goal_store(store::impl& impl) : s_(impl), state_(std::make_unique<state>()) {
    for (auto& m : builtin_metrics()) {
        state_->builtin_order.push_back(m.name);
        state_->metrics.emplace(m.name, std::move(m));
    }
}
goal_store::~goal_store() = default;

void goal_store::read_tables_only(bool yes) { state_->tables_only = yes; }

goal_store::summary_stats goal_store::summaries() const {
    return detail::guarded(s_, [&] {
        const auto& st = state_->summaries;
        return summary_stats{st.marks, st.rebuilds, st.refused};
    });
}

namespace {

// Checks a goal and returns it with its texts trimmed and its filter in canonical form. Reads the
// database (events exist): call with the lock held.
goal checked(store::impl& s, goal g, const std::optional<metric>& m, const std::string& known) {
    g.name = clean("name", g.name);
    if (g.name.empty()) throw invalid_input("name: a goal needs a name, e.g. 'Cards from potential clients'");
    if (!m) throw invalid_input("metric: unknown metric '" + g.metric + "'; known metrics: " + known);
    if (g.event.has_value() == g.period.has_value())
        throw invalid_input("a goal is measured either on an event (event) or over a period (period): give exactly one");
    if (g.event && m->scopes == metric_scopes::period)
        throw invalid_input("metric: " + g.metric + " is measured over a period, not on one event");
    if (g.period && m->scopes == metric_scopes::event)
        throw invalid_input("metric: " + g.metric + " is measured on an event, not over a period");
    if (g.period) {
        if (!g.period->first.ok() || !g.period->last.ok()) throw invalid_input("period: not a valid calendar date");
        if (g.period->last < g.period->first) throw invalid_input("period: it ends before it starts");
        g.period->label = clean("period label", g.period->label);
        if (g.period->label.empty()) g.period->label = iso(g.period->first) + ".." + iso(g.period->last);
    }
    if (!std::isfinite(g.target) || g.target < 0)
        throw invalid_input("target: a number of at least 0, not " + std::to_string(g.target));
    if (m->money) {
        if (g.currency.empty())
            throw invalid_input("currency: " + g.metric + " is money; give the ISO 4217 code of the target, e.g. EUR");
        g.currency = checked_currency(g.currency);
    } else if (!g.currency.empty()) {
        throw invalid_input("currency: " + g.metric + " is not measured in money; leave the currency empty");
    }
    auto& f = g.filter;
    if (g.event && (f.event || f.event_kind))
        throw invalid_input("filter: an event goal is measured on its own event; event and event_kind filter plan goals");
    std::vector<std::string> tags;
    for (const auto& t : f.tags) {
        std::string tag = clean("tags", t);
        if (tag.empty()) throw invalid_input("tags: an empty tag");
        if (std::none_of(tags.begin(), tags.end(), [&](const std::string& x) { return lower(x) == lower(tag); }))
            tags.push_back(std::move(tag));
    }
    f.tags = std::move(tags);
    auto kind_like = [](const char* field, std::optional<std::string>& v) {
        if (!v) return;
        v = lower(clean(field, *v));
        if (v->empty()) throw invalid_input(std::string(field) + ": empty (leave it unset to count every one)");
    };
    kind_like("event_kind", f.event_kind);
    kind_like("category", f.category);
    std::vector<interaction_kind> kinds;
    for (auto k : f.interaction_kinds)
        if (std::find(kinds.begin(), kinds.end(), k) == kinds.end()) kinds.push_back(k);
    f.interaction_kinds = std::move(kinds);
    if (g.event && !read_event(s, *g.event)) throw not_found("event", *g.event);
    if (f.event && !read_event(s, *f.event)) throw not_found("event", *f.event);
    return g;
}

void bind_goal(SQLite::Statement& q, const goal& g) {
    q.bind(1, g.name);
    q.bind(2, g.metric);
    q.bind(3, std::string(to_string(g.compare)));
    q.bind(4, g.target);
    q.bind(5, g.currency);
    g.event ? q.bind(6, static_cast<int64_t>(*g.event)) : q.bind(6);
    if (g.period) {
        q.bind(7, iso(g.period->first));
        q.bind(8, iso(g.period->last));
        q.bind(9, g.period->label);
    } else {
        q.bind(7);
        q.bind(8);
        q.bind(9, std::string());
    }
    q.bind(10, filter_json(g.filter));
}

}  // namespace

goal goal_store::add(goal g) {
    auto m = state_->find(g.metric);
    const std::string known = state_->names();
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            goal c = checked(s_, std::move(g), m, known);
            c.created_at = s_.now();
            SQLite::Statement& q = s_.prepared(
                "INSERT INTO goals(name, metric, comparison, target, currency, event_id, period_first, period_last,"
                " period_label, filter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            bind_goal(q, c);
            q.bind(11, static_cast<int64_t>(to_unix(c.created_at)));
            q.exec();
            q.reset();
            c.id = s_.db.getLastInsertRowid();
            return c;
        });
    });
}

std::optional<goal> goal_store::find(goal_id id) const {
    return guarded(s_, [&]() -> std::optional<goal> {
        SQLite::Statement& q = s_.prepared(std::string("SELECT ") + goal_columns + " FROM goals WHERE id = ?");
        q.bind(1, static_cast<int64_t>(id));
        std::optional<goal> out;
        if (q.executeStep()) out = read_goal(q);
        q.reset();
        return out;
    });
}

goal goal_store::get(goal_id id) const {
    auto g = find(id);
    if (!g) throw not_found("goal", id);
    return *g;
}

goal goal_store::update(goal g) {
    auto m = state_->find(g.metric);
    const std::string known = state_->names();
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            SQLite::Statement& created = s_.prepared("SELECT created_at FROM goals WHERE id = ?");
            created.bind(1, static_cast<int64_t>(g.id));
            if (!created.executeStep()) {
                created.reset();
                throw not_found("goal", g.id);
            }
            const auto created_at = from_unix(created.getColumn(0).getInt64());
            created.reset();
            goal c = checked(s_, std::move(g), m, known);
            c.created_at = created_at;
            SQLite::Statement& q = s_.prepared(
                "UPDATE goals SET name = ?, metric = ?, comparison = ?, target = ?, currency = ?, event_id = ?,"
                " period_first = ?, period_last = ?, period_label = ?, filter = ? WHERE id = ?");
            bind_goal(q, c);
            q.bind(11, static_cast<int64_t>(c.id));
            q.exec();
            q.reset();
            return c;
        });
    });
}

void goal_store::remove(goal_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            SQLite::Statement& q = s_.prepared("DELETE FROM goals WHERE id = ?");
            q.bind(1, static_cast<int64_t>(id));
            const int n = q.exec();
            q.reset();
            if (n == 0) throw not_found("goal", id);
        });
    });
}

std::vector<goal> goal_store::list(const goal_list_filter& filter) const {
    std::string sql = std::string("SELECT ") + goal_columns + " FROM goals WHERE 1";
    if (filter.event) sql += " AND event_id = ?1";
    if (filter.plan_only) sql += " AND period_first IS NOT NULL";
    sql += " ORDER BY id";
    return guarded(s_, [&] {
        SQLite::Statement& q = s_.prepared(sql);
        if (filter.event) q.bind(1, static_cast<int64_t>(*filter.event));
        std::vector<goal> out;
        while (q.executeStep()) out.push_back(read_goal(q));
        q.reset();
        return out;
    });
}

goal_progress goal_store::progress(goal_id id, std::optional<date::sys_seconds> as_of) const {
    goal g = get(id);
    return evaluate(g, as_of);
}

namespace {

// Value of a metric over a scope; the scope's bounds come from the goal.
struct goal_scope {
    metric_scope scope;
    std::optional<std::pair<date::sys_seconds, date::sys_seconds>> bounds;  // plan goals
};

goal_scope scope_of(const goal& g, const std::string& zone, date::sys_seconds as_of) {
    goal_scope out;
    auto& s = out.scope;
    s.filter = g.filter;
    s.currency = g.currency;
    s.time_zone = zone;
    s.as_of = as_of;
    // as_of is included: what happened at that second counts (times are whole seconds).
    const auto unseen = as_of + std::chrono::seconds{1};
    if (g.event) {
        s.event = g.event;
        s.to = unseen;
    } else {
        out.bounds = g.period->instants(zone);
        s.from = out.bounds->first;
        s.to = std::min(out.bounds->second, unseen);
        if (s.to < s.from) s.to = s.from;  // asked before the period starts: nothing yet
    }
    return out;
}

}  // namespace

namespace {

// A goal's progress with `queries` (a report shares one across its goals, so that queries that
// several goals make run once).
goal_progress measure(store::impl& s, const network_queries& queries, const std::optional<metric>& m,
                      const std::string& known, const goal& g_in, std::optional<date::sys_seconds> as_of_in) {
    std::string zone;
    date::sys_seconds as_of{};
    goal g = guarded(s, [&] {
        zone = s.user_time_zone();
        as_of = as_of_in.value_or(s.now());
        return checked(s, g_in, m, known);
    });
    const auto gs = scope_of(g, zone, as_of);

    goal_progress p;
    p.value = m->evaluate(queries, gs.scope);
    p.goal = std::move(g);
    p.target = p.goal.target;
    p.as_of = as_of;
    p.unit = m->money ? p.goal.currency : m->unit;
    if (std::isnan(p.value)) p.fraction = 0;
    else if (p.target == 0) p.fraction = p.value == 0 ? 1 : 0;
    else p.fraction = p.value / p.target;
    p.met = compare(p.value, p.goal.compare, p.target);
    if (gs.bounds) {
        const auto [begin, end] = *gs.bounds;
        const double span = double((end - begin).count());
        const double done = double((std::clamp(as_of, begin, end) - begin).count());
        p.elapsed = span > 0 ? done / span : 1.0;
        // A count grows through the period: the pace is the share of the target that time has used
        // up. For a budget (at most) that reads "not spending faster than the budget lasts": an early
        // ticket puts it off pace until the weeks catch up, while `met` still says it is within the
        // budget. A ratio or a median has no such growth: its pace is the target itself.
        p.expected = m->cumulative ? p.target * *p.elapsed : p.target;
        if (!std::isnan(p.value))
            p.on_pace = lower_is_better(p.goal.compare) ? p.value <= *p.expected : p.value >= *p.expected;
    }
    return p;
}

}  // namespace

goal_progress goal_store::evaluate(const goal& g, std::optional<date::sys_seconds> as_of) const {
    return measure(s_, network_queries(s_, state_->stats()), state_->find(g.metric), state_->names(), g, as_of);
}

goal_report goal_store::report(event_id event, std::optional<date::sys_seconds> as_of) const {
    goal_report r;
    r.event = event;
    guarded(s_, [&] {
        auto e = read_event(s_, event);
        if (!e) throw not_found("event", event);
        r.title = event_title(*e);
        r.as_of = as_of.value_or(s_.now());
    });
    goal_list_filter f;
    f.event = event;
    const network_queries queries(s_, state_->stats());
    const std::string known = state_->names();
    for (const auto& g : list(f)) r.goals.push_back(measure(s_, queries, state_->find(g.metric), known, g, r.as_of));
    return r;
}

goal_report goal_store::report(const period& p, std::optional<date::sys_seconds> as_of) const {
    goal_report r;
    r.period = p;
    r.title = p.label.empty() ? iso(p.first) + ".." + iso(p.last) : p.label;
    r.as_of = guarded(s_, [&] { return as_of.value_or(s_.now()); });
    goal_list_filter f;
    f.plan_only = true;
    const network_queries queries(s_, state_->stats());
    const std::string known = state_->names();
    for (const auto& g : list(f))
        if (g.period->first <= p.last && p.first <= g.period->last)
            r.goals.push_back(measure(s_, queries, state_->find(g.metric), known, g, r.as_of));
    return r;
}

std::vector<progress_sample> goal_store::history(goal_id id, sample_step step,
                                                 std::optional<date::sys_seconds> as_of_in) const {
    const goal g = get(id);
    auto m = state_->find(g.metric);
    if (!m) throw invalid_input("metric: unknown metric '" + g.metric + "'; known metrics: " + state_->names());
    std::string zone;
    date::sys_seconds as_of{};
    std::optional<event_row> ev;
    guarded(s_, [&] {
        zone = s_.user_time_zone();
        as_of = as_of_in.value_or(s_.now());
        if (g.event) ev = read_event(s_, *g.event);
    });
    if (g.event && !ev) throw not_found("event", *g.event);

    const auto base = scope_of(g, zone, as_of).scope;
    date::sys_seconds begin;
    date::year_month_day first, last;
    if (g.event) {
        // From the event's day (the user's calendar), whatever was recorded before it.
        first = local_date(ev->starts_at, zone);
        begin = period{first, first, {}}.instants(zone).first;
        if (as_of < begin) return {};
        last = local_date(as_of, zone);  // as_of is included: at midnight, the day it starts
    } else {
        begin = base.from;
        first = g.period->first;
        if (as_of < begin) return {};
        last = std::min(g.period->last, local_date(as_of, zone));
    }

    const network_queries queries(s_, state_->stats());
    std::vector<progress_sample> out;
    auto value_over = [&](date::sys_seconds from, date::sys_seconds to) {
        metric_scope s = base;
        s.from = g.event ? (from == begin ? date::sys_seconds::min() : from) : from;
        s.to = std::min(to, as_of + std::chrono::seconds{1});
        s.as_of = s.to - std::chrono::seconds{1};  // the data as it stood at the step's last second
        return m->evaluate(queries, s);
    };
    date::sys_seconds step_begin = begin;
    for (date::sys_days d{first}; d <= date::sys_days{last}; d += date::days{1}) {
        const date::year_month_day ymd{d};
        bool end_of_step = d == date::sys_days{last};
        switch (step) {
            case sample_step::day: end_of_step = true; break;
            case sample_step::week: end_of_step = end_of_step || date::weekday{d} == date::Sunday; break;
            case sample_step::month:
                end_of_step = end_of_step || ymd.day() == (ymd.year() / ymd.month() / date::last).day();
                break;
        }
        if (!end_of_step) continue;
        const auto step_end = end_of(ymd, zone);
        progress_sample sample;
        sample.date = ymd;
        sample.value = value_over(step_begin, step_end);
        sample.cumulative = value_over(begin, step_end);
        out.push_back(sample);
        step_begin = step_end;
    }
    return out;
}

namespace {

networking_return measure_return(const network_queries& q, metric_scope s, const std::string& client_tag) {
    networking_return r;
    r.spend = q.spend(s);
    r.events = s.event ? 1 : q.events(s);
    r.contacts_met = q.contacts_met(s);
    r.conversations = q.conversation_partners(s);
    r.interactions = q.interactions(s);
    s.at_events_only = true;
    r.new_contacts = q.new_contacts(s);
    s.filter.tags = {client_tag};
    r.new_potential_clients = q.new_contacts(s);
    r.cost_per_new_contact = cost_per(r.spend, r.new_contacts);
    s.filter.tags.clear();
    r.favours_later = q.favours_received_later(s);
    r.introductions_later = q.introductions_later(s);
    return r;
}

}  // namespace

networking_return goal_store::event_return(event_id event, const std::string& client_tag) const {
    const std::string tag = clean("client_tag", client_tag);
    if (tag.empty()) throw invalid_input("client_tag: the tag that marks potential clients, e.g. 'potential-client'");
    metric_scope s;
    std::string title;
    guarded(s_, [&] {
        auto e = read_event(s_, event);
        if (!e) throw not_found("event", event);
        title = event_title(*e);
        s.time_zone = s_.user_time_zone();
    });
    s.event = event;
    auto r = measure_return(network_queries(s_, state_->stats()), s, tag);
    r.title = title;
    r.event = event;
    return r;
}

networking_return goal_store::period_return(const period& p, const std::string& client_tag) const {
    const std::string tag = clean("client_tag", client_tag);
    if (tag.empty()) throw invalid_input("client_tag: the tag that marks potential clients, e.g. 'potential-client'");
    if (!p.first.ok() || !p.last.ok() || p.last < p.first) throw invalid_input("period: not a valid span of days");
    metric_scope s;
    s.time_zone = guarded(s_, [&] { return s_.user_time_zone(); });
    std::tie(s.from, s.to) = p.instants(s.time_zone);
    auto r = measure_return(network_queries(s_, state_->stats()), s, tag);
    r.title = p.label.empty() ? iso(p.first) + ".." + iso(p.last) : p.label;
    r.period = p;
    return r;
}

period goal_store::parse_period(std::string_view text, std::optional<date::sys_seconds> at) const {
    const auto today = guarded(s_, [&] { return local_date(at.value_or(s_.now()), s_.user_time_zone()); });
    return period::parse(text, today);
}

std::vector<metric> goal_store::metrics() const {
    std::lock_guard lock(state_->mutex);
    std::vector<metric> out;
    for (const auto& name : state_->builtin_order) out.push_back(state_->metrics.at(name));
    for (const auto& [name, m] : state_->metrics)
        if (std::find(state_->builtin_order.begin(), state_->builtin_order.end(), name) == state_->builtin_order.end())
            out.push_back(m);
    return out;
}

void goal_store::register_metric(metric m) {
    m.name = clean("metric name", m.name);
    if (m.name.empty()) throw invalid_input("metric name: empty");
    if (!m.evaluate) throw invalid_input("metric " + m.name + ": no evaluate function");
    detail::check_text("metric description", m.description);
    detail::check_text("metric unit", m.unit);
    std::lock_guard lock(state_->mutex);
    state_->metrics.insert_or_assign(m.name, std::move(m));
}

}  // namespace crm
