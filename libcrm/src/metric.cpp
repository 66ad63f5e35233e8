// The named queries goals are measured with: every piece of SQL a metric needs is here, built from a
// scope's filter by the rules below and prepared once per shape (the statement cache of the store).
//
// Parameters, numbered the same in every statement so that each filter binds one way:
//   ?1 the scope's event   ?2 from   ?3 to   ?4 tags (JSON array)   ?5 event kind   ?6 filter event
//   ?7 interaction kinds (JSON array)   ?8 expense category   ?9 the second after as_of (as_of is
//   included: what happened at that very second is seen, so `x < ?9` reads "at or before as_of")
//   ?10 ?11 the scope's first and last calendar day in the user's zone (ISO text, as favours and
//   introductions are dated): from `from` to the day of the last second seen
// Index use (checked with EXPLAIN QUERY PLAN on the bench database, see tests/cpp/goal_store_test.cpp):
// events by events_starts_at, attendance by its primary key (event_id, contact_id) or, for first
// meetings over a span, event_attendees_first; interactions by interactions_at or interactions_event;
// participants by interaction_contacts_interaction, and follow-ups by the primary key
// (contact_id, at, interaction_id); tags through contact_tags_tag into a set built once per query.
#include "crm/metric.hpp"

#include "crm/interaction.hpp"

#include "detail/activity.hpp"
#include "detail/store_impl.hpp"

#include <sqlite3.h>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <limits>
#include <map>
#include <unordered_set>

namespace crm {

using detail::guarded;
using detail::to_unix;

namespace {

std::string json_array(const std::vector<std::string>& vs) {
    std::string out = "[";
    for (std::size_t i = 0; i < vs.size(); ++i) {
        if (i) out += ',';
        out += '"';
        for (char c : vs[i]) {  // tags are checked UTF-8 without NUL; escape what JSON needs
            if (c == '"' || c == '\\') out += '\\';
            if (static_cast<unsigned char>(c) < 0x20) {
                static constexpr char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[(c >> 4) & 0xf];
                out += hex[c & 0xf];
                continue;
            }
            out += c;
        }
        out += '"';
    }
    return out + "]";
}

// Contacts carrying any of the filter's tags (NOCASE, as contacts.list(tag=) compares), two ways:
// as a set SQLite builds once per statement from the tag index, for when many rows are tested (a
// year of first meetings); or row by row through that index's (tag, contact_id) entries, for when
// few are (the people of one event), where building the set would cost more than all the tests.
constexpr const char* tag_set =
    "SELECT contact_id FROM contact_tags WHERE tag COLLATE NOCASE IN (SELECT value FROM json_each(?4))";
std::string tagged(const std::string& contact_column) { return std::string(" AND ") + contact_column + " IN (" + tag_set + ")"; }
std::string tagged_each(const std::string& contact_column) {
    return " AND EXISTS (SELECT 1 FROM contact_tags t WHERE t.contact_id = " + contact_column +
           " AND t.tag COLLATE NOCASE IN (SELECT value FROM json_each(?4)))";
}

std::string iso_day(date::year_month_day d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
    return buf;
}

std::string zone_of(const metric_scope& s) { return s.time_zone.empty() ? std::string("UTC") : s.time_zone; }

// The first instant a scope does not see: the second after as_of (times are whole seconds), or the
// end of time. as_of is included, so a coffee logged at the very second asked about counts.
date::sys_seconds unseen_from(const metric_scope& s) {
    return s.as_of == date::sys_seconds::max() ? s.as_of : s.as_of + std::chrono::seconds{1};
}

// The calendar days a scope covers in the user's zone, as ISO text: the favour ledger is dated by
// day, so a favour dated the last day of a period counts whatever time it was done.
std::pair<std::string, std::string> scope_days(const metric_scope& s) {
    const std::string zone = zone_of(s);
    const auto upper = std::min(s.to, unseen_from(s));
    std::string first = s.from == date::sys_seconds::min() ? "0000-01-01" : iso_day(local_date(s.from, zone));
    std::string last = upper == date::sys_seconds::max() ? "9999-12-31"
                       : upper <= s.from                 ? "0000-00-00"  // an empty span: no day
                                                         : iso_day(local_date(upper - std::chrono::seconds{1}, zone));
    return {first, last};
}

// Binds every parameter the statement has (unused numbers in between are allowed by SQLite).
void bind_scope(SQLite::Statement& q, const metric_scope& s, const std::string& tags, const std::string& kinds) {
    const int n = q.getBindParameterCount();
    auto has = [&](int i) { return i <= n; };
    if (has(1)) s.event ? q.bind(1, static_cast<int64_t>(*s.event)) : q.bind(1);
    if (has(2)) q.bind(2, static_cast<int64_t>(to_unix(s.from)));
    if (has(3)) q.bind(3, static_cast<int64_t>(to_unix(s.to)));
    if (has(4)) q.bind(4, tags);
    if (has(5)) s.filter.event_kind ? q.bind(5, *s.filter.event_kind) : q.bind(5);
    if (has(6)) s.filter.event ? q.bind(6, static_cast<int64_t>(*s.filter.event)) : q.bind(6);
    if (has(7)) q.bind(7, kinds);
    if (has(8)) s.filter.category ? q.bind(8, *s.filter.category) : q.bind(8);
    if (has(9)) q.bind(9, static_cast<int64_t>(to_unix(unseen_from(s))));
    if (has(10)) {
        const auto [first, last] = scope_days(s);
        q.bind(10, first);
        if (has(11)) q.bind(11, last);
    }
}

std::string kinds_json(const goal_filter& f) {
    std::vector<std::string> names;
    for (auto k : f.interaction_kinds) names.emplace_back(to_string(k));
    return json_array(names);
}

// Runs a statement from the cache with the scope bound; fn reads its rows. The statement is reset
// on the way out, so no read transaction outlives the call.
template <class Fn>
void run(store::impl& s, const std::string& sql, const metric_scope& scope, Fn&& fn) {
    SQLite::Statement& q = s.prepared(sql);
    struct reset_on_exit {
        SQLite::Statement& q;
        ~reset_on_exit() { q.tryReset(); }
    } reset{q};
    bind_scope(q, scope, json_array(scope.filter.tags), kinds_json(scope.filter));
    fn(q);
}

std::size_t count(store::impl& s, const std::string& sql, const metric_scope& scope) {
    std::size_t n = 0;
    run(s, sql, scope, [&](SQLite::Statement& q) {
        if (q.executeStep()) n = static_cast<std::size_t>(q.getColumn(0).getInt64());
    });
    return n;
}

// What makes two runs of a statement the same: its text and every value it is bound to.
std::string memo_key(const std::string& sql, const metric_scope& s) {
    std::string k = sql;
    k += '\x1f' + (s.event ? std::to_string(*s.event) : "-") + '\x1f' + std::to_string(to_unix(s.from)) + '\x1f' +
         std::to_string(to_unix(s.to)) + '\x1f' + std::to_string(to_unix(s.as_of)) + '\x1f' + json_array(s.filter.tags) +
         '\x1f' + s.filter.event_kind.value_or("-") + '\x1f' + (s.filter.event ? std::to_string(*s.filter.event) : "-") +
         '\x1f' + kinds_json(s.filter) + '\x1f' + s.filter.category.value_or("-");
    return k;
}

// Conditions on the events table `e` from a plan scope's filter.
std::string event_conditions(const goal_filter& f, bool event_tags) {
    std::string w;
    if (f.event_kind) w += " AND e.kind = ?5 COLLATE NOCASE";
    if (f.event) w += " AND e.id = ?6";
    if (event_tags && !f.tags.empty())
        w += " AND e.id IN (SELECT event_id FROM event_tags WHERE tag COLLATE NOCASE IN (SELECT value FROM json_each(?4)))";
    return w;
}

// Conditions on an interaction `i` from the filter: its kind, and (plan scopes) its event.
std::string interaction_conditions(const metric_scope& scope) {
    std::string w;
    const auto& f = scope.filter;
    if (!f.interaction_kinds.empty()) w += " AND i.kind IN (SELECT value FROM json_each(?7))";
    if (!scope.event) {
        if (f.event) w += " AND i.event_id = ?6";
        if (f.event_kind) w += " AND i.event_id IN (SELECT id FROM events WHERE kind = ?5 COLLATE NOCASE)";
    }
    return w;
}

}  // namespace

network_queries::network_queries(store::impl& impl) : s_(impl) {}
network_queries::network_queries(store::impl& impl, detail::activity::settle_stats* summaries)
    : s_(impl), summaries_(summaries) {}

bool network_queries::summaries_current() const {
    if (!summaries_) return false;
    if (!settled_) settled_ = detail::activity::settle(s_, *summaries_);
    return *settled_;
}

namespace {

std::vector<std::int64_t> tagged_contacts(store::impl& s, const metric_scope& scope) {
    std::vector<std::int64_t> out;
    run(s, std::string("SELECT DISTINCT contact_id FROM (") + tag_set + ")", scope, [&](SQLite::Statement& q) {
        while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    });
    return out;
}

std::int64_t upper_instant(const metric_scope& s) { return std::min(to_unix(s.to), to_unix(unseen_from(s))); }

}  // namespace

// Every count goes through here: memoized per object, run under the store's lock.
#define NETCRM_COUNT(sql)                                                          \
    do {                                                                           \
        const std::string key = memo_key(sql, scope);                              \
        if (auto it = counted_.find(key); it != counted_.end()) return it->second; \
        const auto n = guarded(s_, [&] { return count(s_, sql, scope); });         \
        counted_.emplace(key, n);                                                  \
        return n;                                                                  \
    } while (false)

std::size_t network_queries::contacts_met(const metric_scope& scope) const {
    const auto& f = scope.filter;
    std::string sql;
    if (scope.event) {
        // Attendance is one row per (event, contact): count(*) counts people.
        sql = "SELECT count(*) FROM event_attendees a WHERE a.event_id = ?1 AND a.met_at >= ?2 AND a.met_at < ?3"
              " AND a.met_at < ?9";
        if (!f.tags.empty()) sql += tagged_each("a.contact_id");
    } else {
        // Met at events starting in the span (an event across midnight belongs to the day it starts),
        // seen by as_of: events_starts_at, then attendance by its primary key.
        sql = "SELECT count(DISTINCT a.contact_id) FROM events e JOIN event_attendees a ON a.event_id = e.id"
              " WHERE e.starts_at >= ?2 AND e.starts_at < ?3 AND a.met_at < ?9" +
              event_conditions(f, false);
        if (!f.tags.empty()) sql += tagged("a.contact_id");
    }
    NETCRM_COUNT(sql);
}

std::size_t network_queries::new_contacts(const metric_scope& scope) const {
    const auto& f = scope.filter;
    std::string sql;
    if (scope.event) {
        sql = "SELECT count(*) FROM event_attendees a WHERE a.event_id = ?1 AND a.first_meeting = 1"
              " AND a.met_at >= ?2 AND a.met_at < ?3 AND a.met_at < ?9";
        if (!f.tags.empty()) sql += tagged_each("a.contact_id");
    } else {
        // First meetings at events in the span, by when they met (event_attendees_first) ...
        std::string met = "SELECT count(*) FROM event_attendees a";
        if (f.event_kind) met += " JOIN events e ON e.id = a.event_id";
        met += " WHERE a.first_meeting = 1 AND a.met_at >= ?2 AND a.met_at < ?3 AND a.met_at < ?9";
        if (f.event_kind) met += " AND e.kind = ?5 COLLATE NOCASE";
        if (f.event) met += " AND a.event_id = ?6";
        if (!f.tags.empty()) met += tagged("a.contact_id");
        if (f.event_kind || f.event || scope.at_events_only) {
            sql = met;
        } else {
            // ... plus the people added in the span who were never first met at an event (a card
            // from a business lunch, a LinkedIn import): their first meeting is when they arrived.
            // contacts has no index on created_at (schema 3): this part scans the contacts table.
            // NOT EXISTS through event_attendees_contact, not NOT IN: building the set of every
            // contact ever first met costs more than looking up the few added in the span.
            std::string added =
                "SELECT count(*) FROM contacts c WHERE c.created_at >= ?2 AND c.created_at < ?3 AND c.created_at < ?9"
                " AND NOT EXISTS (SELECT 1 FROM event_attendees f WHERE f.contact_id = c.id AND f.first_meeting = 1)";
            if (!f.tags.empty()) added += tagged("c.id");
            sql = "SELECT (" + met + ") + (" + added + ")";
        }
    }
    NETCRM_COUNT(sql);
}

std::size_t network_queries::conversation_partners(const metric_scope& scope) const {
    const auto& f = scope.filter;
    std::string sql;
    if (scope.event) {
        // The event's interactions (interactions_event), then their people: CROSS JOIN keeps that
        // order, which SQLite would otherwise turn around when a tag set is there to start from.
        sql = "SELECT count(DISTINCT ic.contact_id) FROM interactions i CROSS JOIN interaction_contacts ic"
              " ON ic.interaction_id = i.id WHERE i.event_id = ?1 AND i.at >= ?2 AND i.at < ?3 AND i.at < ?9" +
              interaction_conditions(scope);
        if (!f.tags.empty()) sql += tagged_each("ic.contact_id");
    } else if (f.interaction_kinds.empty() && !f.event && !f.event_kind) {
        // A span without interaction filters needs only interaction_contacts, whose primary key
        // (contact_id, at, ...) answers "did this person have one in the span" with one seek per
        // person: every contact, or only the tagged ones. Cheaper than gathering the span's
        // participants and removing duplicates, by about half on a year of a million-row log.
        // The people in id order (NOT INDEXED: the table itself, not some index of contacts the
        // planner finds narrower, such as one by created_at), so that the seeks walk the primary key
        // forward and stay in cached pages; in random order they cost three times as much.
        const std::string who = f.tags.empty() ? std::string("SELECT id AS contact_id FROM contacts NOT INDEXED")
                                               : std::string("SELECT DISTINCT contact_id FROM (") + tag_set + ")";
        sql = "SELECT count(*) FROM (" + who + ") p WHERE EXISTS (SELECT 1 FROM interaction_contacts ic"
              " WHERE ic.contact_id = p.contact_id AND ic.at >= ?2 AND ic.at < ?3 AND ic.at < ?9)";
    } else {
        sql = "SELECT count(DISTINCT ic.contact_id) FROM interactions i CROSS JOIN interaction_contacts ic"
              " ON ic.interaction_id = i.id WHERE i.at >= ?2 AND i.at < ?3 AND i.at < ?9" +
              interaction_conditions(scope);
        if (!f.tags.empty()) sql += tagged("ic.contact_id");
    }
    if (!scope.event && !f.event && !f.event_kind && summaries_) {
        // A span: the people of each whole UTC day inside it from the day summaries, the few hours
        // at either edge (the user's midnight is not UTC's) from the log.
        const std::string key = "summary:partners" + memo_key(sql, scope);
        if (auto it = counted_.find(key); it != counted_.end()) return it->second;
        const auto n = guarded(s_, [&]() -> std::size_t {
            if (!summaries_current()) return count(s_, sql, scope);
            return partners_from_summaries(scope);
        });
        counted_.emplace(key, n);
        return n;
    }
    NETCRM_COUNT(sql);
}

std::size_t network_queries::partners_from_summaries(const metric_scope& scope) const {
    using detail::activity::day_of;
    using detail::activity::day_seconds;
    constexpr auto lowest = std::numeric_limits<std::int64_t>::min(), highest = std::numeric_limits<std::int64_t>::max();
    const auto& f = scope.filter;
    const bool open_start = scope.from == date::sys_seconds::min();
    const bool open_end = std::min(scope.to, scope.as_of) == date::sys_seconds::max();
    const std::int64_t lo = open_start ? lowest : to_unix(scope.from);
    const std::int64_t hi = open_end ? highest : upper_instant(scope);
    if (hi <= lo) return 0;
    // Whole days [first, end): the first day starting at or after lo, the last ending at or before hi.
    const std::int64_t first = open_start ? lowest / day_seconds : day_of(lo) + (lo % day_seconds != 0 ? 1 : 0);
    const std::int64_t end = open_end ? highest / day_seconds : day_of(hi);
    detail::activity::people_set people;
    const std::string edge_sql =
        "SELECT DISTINCT ic.contact_id FROM interactions i CROSS JOIN interaction_contacts ic"
        " ON ic.interaction_id = i.id WHERE i.at >= ?2 AND i.at < ?3 AND i.at < ?9" +
        interaction_conditions(scope);
    auto from_log = [&](std::int64_t a, std::int64_t b) {
        if (a >= b) return;
        metric_scope edge = scope;
        edge.from = detail::from_unix(a);
        edge.to = detail::from_unix(b);
        run(s_, edge_sql, edge, [&](SQLite::Statement& q) {
            while (q.executeStep()) people.add(q.getColumn(0).getInt64());
        });
    };
    if (first < end) {
        unsigned kinds = 0;
        for (auto k : f.interaction_kinds) kinds |= 1u << unsigned(k);
        detail::activity::add_days(s_, first, end, kinds, people);
        if (!open_start) from_log(lo, first * day_seconds);
        if (!open_end) from_log(end * day_seconds, hi);
    } else {
        from_log(lo, hi);
    }
    if (f.tags.empty()) return people.size();
    std::size_t n = 0;
    for (std::int64_t c : tagged_contacts(s_, scope)) n += people.has(c);
    return n;
}

std::size_t network_queries::interactions(const metric_scope& scope) const {
    const auto& f = scope.filter;
    std::string sql;
    if (f.tags.empty() || scope.event) {
        sql = "SELECT count(*) FROM interactions i WHERE i.at >= ?2 AND i.at < ?3 AND i.at < ?9";
        if (scope.event) sql += " AND i.event_id = ?1";
        sql += interaction_conditions(scope);
        if (!f.tags.empty())
            sql += " AND EXISTS (SELECT 1 FROM interaction_contacts ic WHERE ic.interaction_id = i.id" +
                   tagged_each("ic.contact_id") + ")";
    } else {
        // Over a span with tags: from the tagged people through the primary key (contact_id, at),
        // rather than testing every interaction of the span.
        sql = std::string("SELECT count(DISTINCT ic.interaction_id) FROM (SELECT DISTINCT contact_id FROM (") + tag_set +
              ")) p CROSS JOIN interaction_contacts ic ON ic.contact_id = p.contact_id"
              " AND ic.at >= ?2 AND ic.at < ?3 AND ic.at < ?9";
        const std::string more = interaction_conditions(scope);
        if (!more.empty()) sql += " JOIN interactions i ON i.id = ic.interaction_id WHERE 1" + more;
    }
    NETCRM_COUNT(sql);
}

std::size_t network_queries::events(const metric_scope& scope) const {
    std::string sql = "SELECT count(*) FROM events e WHERE e.starts_at >= ?2 AND e.starts_at < ?3 AND e.starts_at < ?9";
    if (scope.event) sql += " AND e.id = ?1";
    sql += event_conditions(scope.filter, true);
    NETCRM_COUNT(sql);
}

#undef NETCRM_COUNT

std::vector<money> network_queries::spend(const metric_scope& scope) const {
    const auto& f = scope.filter;
    // An event's expenses carry no time: they count whole for the event (a ticket bought weeks before
    // is spent on it), in the first step of its history and not again in the later ones (a scope
    // of an event starting after the beginning of time); over a span, with the events starting in it.
    if (scope.event && scope.from != date::sys_seconds::min()) return {};
    std::string sql = "SELECT x.currency, sum(x.amount) FROM events e JOIN event_expenses x ON x.event_id = e.id WHERE ";
    if (scope.event) sql += "e.id = ?1";
    else sql += "e.starts_at >= ?2 AND e.starts_at < ?3 AND e.starts_at < ?9" + event_conditions(f, true);
    if (f.category) sql += " AND x.category = ?8";
    sql += " GROUP BY x.currency ORDER BY x.currency";
    const std::string key = memo_key(sql, scope);
    if (auto it = spent_.find(key); it != spent_.end()) return it->second;
    std::vector<money> out;
    guarded(s_, [&] {
        run(s_, sql, scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) out.push_back({q.getColumn(1).getInt64(), q.getColumn(0).getString()});
        });
    });
    spent_.emplace(key, out);
    return out;
}

std::optional<double> network_queries::median_follow_up_days(const metric_scope& scope) const {
    const auto& f = scope.filter;
    // The next interaction with the person after the first meeting, not at the event where they met
    // (talking again at the same meetup is not following up), seen by as_of. The primary key
    // (contact_id, at, interaction_id) is read forward from the meeting: usually one step.
    std::string next =
        "(SELECT ic.at FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id"
        " WHERE ic.contact_id = a.contact_id AND ic.at > a.met_at AND ic.at < ?9"
        " AND (i.event_id IS NULL OR i.event_id <> a.event_id)";
    if (!f.interaction_kinds.empty()) next += " AND i.kind IN (SELECT value FROM json_each(?7))";
    next += " ORDER BY ic.at LIMIT 1)";
    std::string sql = "SELECT a.met_at, " + next + " FROM event_attendees a";
    if (!scope.event && f.event_kind) sql += " JOIN events e ON e.id = a.event_id";
    sql += " WHERE a.first_meeting = 1 AND a.met_at >= ?2 AND a.met_at < ?3 AND a.met_at < ?9";
    if (scope.event) sql += " AND a.event_id = ?1";
    else {
        if (f.event_kind) sql += " AND e.kind = ?5 COLLATE NOCASE";
        if (f.event) sql += " AND a.event_id = ?6";
    }
    if (!f.tags.empty()) sql += tagged("a.contact_id");
    std::vector<double> delays;
    auto from_tables = [&] {
        run(s_, sql, scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) {
                if (q.getColumn(1).isNull()) continue;  // never followed up: left out
                delays.push_back(double(q.getColumn(1).getInt64() - q.getColumn(0).getInt64()) / 86400.0);
            }
        });
    };
    if (summaries_ && f.interaction_kinds.empty()) {
        // Each first meeting carries its first follow-up (any kind), kept by the summaries; one
        // seen after as_of was not there yet then.
        const std::string stored = "SELECT a.met_at, a.followed_up_at FROM event_attendees a" +
                                   sql.substr(sql.find(" FROM event_attendees a") + 23);
        guarded(s_, [&] {
            if (!summaries_current()) return from_tables();
            const std::int64_t unseen = to_unix(unseen_from(scope));
            run(s_, stored, scope, [&](SQLite::Statement& q) {
                while (q.executeStep()) {
                    if (q.getColumn(1).isNull()) continue;
                    const std::int64_t met = q.getColumn(0).getInt64(), next = q.getColumn(1).getInt64();
                    if (next < unseen) delays.push_back(double(next - met) / 86400.0);
                }
            });
        });
    } else {
        guarded(s_, from_tables);
    }
    if (delays.empty()) return std::nullopt;
    const std::size_t mid = delays.size() / 2;
    std::nth_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(mid), delays.end());
    if (delays.size() % 2) return delays[mid];
    const double upper = delays[mid];
    const double lower = *std::max_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2;
}

namespace {

// The contact's earliest meeting (as of ?9) at the events a scope's event conditions name, for a
// ledger row `r`; "NULL" when the scope names none. The day of that meeting is then compared with
// the row's date in C++ (SQLite knows no IANA zones).
std::string met_at_events(const metric_scope& scope) {
    const auto& f = scope.filter;
    std::string w;
    if (scope.event) w = " AND a.event_id = ?1";
    else {
        if (f.event) w += " AND a.event_id = ?6";
        if (f.event_kind) w += " AND a.event_id IN (SELECT id FROM events WHERE kind = ?5 COLLATE NOCASE)";
    }
    if (w.empty()) return "NULL";
    return "(SELECT min(a.met_at) FROM event_attendees a WHERE a.contact_id = r.contact_id AND a.met_at < ?9" + w + ")";
}

// The people a return credits: met at the scope's event (any attendance), or first met at an event
// in [from, to).
std::string met_for_return(const metric_scope& scope) {
    if (scope.event)
        return "(SELECT min(a.met_at) FROM event_attendees a WHERE a.contact_id = r.contact_id AND a.event_id = ?1"
               " AND a.met_at < ?9)";
    return "(SELECT min(a.met_at) FROM event_attendees a WHERE a.contact_id = r.contact_id AND a.first_meeting = 1"
           " AND a.met_at >= ?2 AND a.met_at < ?3 AND a.met_at < ?9)";
}

// Done favours in one direction, as ledger rows (key, on_date, contact_id, weight).
std::string favour_rows(favor_direction d) {
    return std::string("SELECT 'f' || f.id AS key, f.on_date AS on_date, f.contact_id AS contact_id, f.weight AS weight"
                       " FROM favors f WHERE f.status = 'done' AND f.direction = '") +
           std::string(to_string(d)) + "'";
}

// Introductions the user made, one row per person introduced still in the store, and the done
// favours given of kind introduction recorded without a record. The user made an introduction when
// `first` is set (the schema allows no introducer then) or when a favour given points at it: a
// deleted `first` leaves both ends NULL, like a deleted introducer, and only the favour given to
// `second` (which the user's own introductions alone have) tells them apart.
constexpr const char* made_introduction_rows =
    "SELECT 'i' || i.id AS key, i.on_date AS on_date, i.first_id AS contact_id, 1.0 AS weight FROM introductions i"
    " WHERE i.introducer_id IS NULL AND i.first_id IS NOT NULL"
    " UNION ALL SELECT 'i' || i.id, i.on_date, i.second_id, 1.0 FROM introductions i WHERE i.introducer_id IS NULL"
    " AND (i.first_id IS NOT NULL OR EXISTS (SELECT 1 FROM favors g WHERE g.introduction_id = i.id"
    " AND g.direction = 'given'))"
    " UNION ALL SELECT 'g' || f.id, f.on_date, f.contact_id, 1.0 FROM favors f WHERE f.direction = 'given'"
    " AND f.kind = 'introduction' AND f.status = 'done' AND f.introduction_id IS NULL";

// Introductions in which someone introduced the user to a person: one row, for the introducer.
constexpr const char* received_introduction_rows =
    "SELECT 'i' || i.id AS key, i.on_date AS on_date, i.introducer_id AS contact_id, 1.0 AS weight"
    " FROM introductions i WHERE i.introducer_id IS NOT NULL";

struct ledger_total {
    double weight = 0;
    std::size_t count = 0;
};

// Sums ledger rows by distinct key: a row counts when its contact passes the tag filter and, when
// `met` is not "NULL", was met (that subquery) on or before the row's date in the user's zone.
// `window`: only rows dated within the scope's days.
ledger_total ledger(store::impl& s, const std::string& rows, const std::string& met, bool window, const metric_scope& scope) {
    std::string sql = "SELECT r.key, r.on_date, r.weight, " + met + " FROM (" + rows + ") r WHERE 1";
    if (window) sql += " AND r.on_date >= ?10 AND r.on_date <= ?11";
    if (!scope.filter.tags.empty()) sql += tagged_each("r.contact_id");
    const std::string zone = zone_of(scope);
    std::map<std::string, double> passed;
    run(s, sql, scope, [&](SQLite::Statement& q) {
        while (q.executeStep()) {
            if (met != "NULL") {
                if (q.getColumn(3).isNull()) continue;
                const std::string met_day = iso_day(local_date(detail::from_unix(q.getColumn(3).getInt64()), zone));
                if (met_day > q.getColumn(1).getString()) continue;  // before they met
            }
            passed.emplace(q.getColumn(0).getString(), q.getColumn(2).getDouble());
        }
    });
    ledger_total t;
    for (const auto& [key, w] : passed) t.weight += w;
    t.count = passed.size();
    return t;
}

}  // namespace

follow_up_tally network_queries::follow_ups_on_time(const metric_scope& scope) const {
    const auto& f = scope.filter;
    std::string sql = "SELECT f.due_at, f.completed_at, f.status = 'done' FROM follow_ups f";
    if (!scope.event && f.event_kind) sql += " JOIN events e ON e.id = f.event_id";
    sql += " WHERE f.status <> 'cancelled' AND f.due_at >= ?2 AND f.due_at < ?3 AND f.due_at < ?9";
    if (scope.event) sql += " AND f.event_id = ?1";
    else {
        if (f.event) sql += " AND f.event_id = ?6";
        if (f.event_kind) sql += " AND e.kind = ?5 COLLATE NOCASE";
    }
    if (!f.tags.empty()) sql += tagged_each("f.contact_id");
    const std::string key = memo_key(sql, scope) + '\x1f' + zone_of(scope);
    if (auto it = counted_.find("on_time" + key); it != counted_.end())
        return {it->second, counted_.at("settled" + key)};
    follow_up_tally t;
    guarded(s_, [&] {
        const std::string zone = zone_of(scope);
        const std::int64_t as_of = to_unix(scope.as_of), unseen = to_unix(unseen_from(scope));
        run(s_, sql, scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) {
                const auto due = detail::from_unix(q.getColumn(0).getInt64());
                const auto day = local_date(due, zone);
                const std::int64_t day_ends = to_unix(period{day, day, {}}.instants(zone).second);
                const bool done = q.getColumn(2).getInt() != 0 && !q.getColumn(1).isNull() &&
                                  q.getColumn(1).getInt64() < unseen;
                if (done) {
                    ++t.settled;
                    if (q.getColumn(1).getInt64() < day_ends) ++t.on_time;
                } else if (day_ends <= as_of) {
                    ++t.settled;  // its day is over and it is not done: late, whenever it gets done
                }
            }
        });
    });
    counted_.emplace("on_time" + key, t.on_time);
    counted_.emplace("settled" + key, t.settled);
    return t;
}

double network_queries::favours(const metric_scope& scope, favor_direction direction) const {
    const std::string rows = favour_rows(direction), met = met_at_events(scope);
    const std::string key = "favours" + memo_key(rows + met, scope) + '\x1f' + zone_of(scope);
    if (auto it = summed_.find(key); it != summed_.end()) return it->second;
    const double w = guarded(s_, [&] { return ledger(s_, rows, met, true, scope).weight; });
    summed_.emplace(key, w);
    return w;
}

std::size_t network_queries::introductions_made(const metric_scope& scope) const {
    const std::string met = met_at_events(scope);
    const std::string key = "made" + memo_key(made_introduction_rows + met, scope) + '\x1f' + zone_of(scope);
    if (auto it = counted_.find(key); it != counted_.end()) return it->second;
    const auto n = guarded(s_, [&] { return ledger(s_, made_introduction_rows, met, true, scope).count; });
    counted_.emplace(key, n);
    return n;
}

double network_queries::favours_received_later(const metric_scope& scope) const {
    const std::string rows = favour_rows(favor_direction::received), met = met_for_return(scope);
    return guarded(s_, [&] { return ledger(s_, rows, met, false, scope).weight; });
}

std::size_t network_queries::introductions_later(const metric_scope& scope) const {
    const std::string rows = std::string(received_introduction_rows) + " UNION ALL " + made_introduction_rows;
    return guarded(s_, [&] { return ledger(s_, rows, met_for_return(scope), false, scope).count; });
}

}  // namespace crm
