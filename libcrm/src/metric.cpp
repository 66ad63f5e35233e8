// The named queries goals are measured with: every piece of SQL a metric needs is here, built from a
// scope's filter by the rules below and prepared once per shape (the statement cache of the store).
//
// Parameters, numbered the same in every statement so that each filter binds one way:
//   ?1 the scope's event   ?2 from   ?3 to   ?4 tags (JSON array)   ?5 event kind   ?6 filter event
//   ?7 interaction kinds (JSON array)   ?8 expense category   ?9 as_of
//   ?10 ?11 the scope's first and last calendar day in the user's zone (ISO text, as favours and
//   introductions are dated): from `from` to the day before min(to, as_of) ends
// Index use (checked with EXPLAIN QUERY PLAN on the bench database, see tests/cpp/goal_store_test.cpp):
// events by events_starts_at, attendance by its primary key (event_id, contact_id) or, for first
// meetings over a span, event_attendees_first; interactions by interactions_at or interactions_event;
// participants by interaction_contacts_interaction, and follow-ups by the primary key
// (contact_id, at, interaction_id); tags through contact_tags_tag into a set built once per query.
#include "crm/metric.hpp"

#include "crm/interaction.hpp"

#include "detail/participant_index.hpp"
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

// The calendar days a scope covers in the user's zone, as ISO text: the favour ledger is dated by
// day, so a favour dated the last day of a period counts whatever time it was done.
std::pair<std::string, std::string> scope_days(const metric_scope& s) {
    const std::string zone = zone_of(s);
    const auto upper = std::min(s.to, s.as_of);
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
    if (has(9)) q.bind(9, static_cast<int64_t>(to_unix(s.as_of)));
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
network_queries::network_queries(store::impl& impl, detail::participant_index* index) : s_(impl), index_(index) {}

namespace {

// What an interaction must be to count, from a plan scope's filter, for the in-memory log.
struct entry_filter {
    unsigned kinds = 0;  // bit per interaction_kind; 0: any
    std::optional<std::int64_t> event;
    std::optional<std::unordered_set<std::int64_t>> events;  // of the filter's event kind
    bool operator()(const detail::participant_index::entry& e) const {
        if (kinds && !(kinds & (1u << e.kind))) return false;
        if (event && e.event != *event) return false;
        if (events && !events->count(e.event)) return false;
        return true;
    }
};

entry_filter filter_for(store::impl& s, const metric_scope& scope) {
    entry_filter out;
    for (auto k : scope.filter.interaction_kinds) out.kinds |= 1u << unsigned(k);
    if (scope.filter.event) out.event = *scope.filter.event;
    if (scope.filter.event_kind) {
        out.events.emplace();
        run(s, "SELECT id FROM events WHERE kind = ?5 COLLATE NOCASE", scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) out.events->insert(q.getColumn(0).getInt64());
        });
    }
    return out;
}

std::vector<std::int64_t> tagged_contacts(store::impl& s, const metric_scope& scope) {
    std::vector<std::int64_t> out;
    run(s, std::string("SELECT DISTINCT contact_id FROM (") + tag_set + ")", scope, [&](SQLite::Statement& q) {
        while (q.executeStep()) out.push_back(q.getColumn(0).getInt64());
    });
    return out;
}

std::int64_t upper_instant(const metric_scope& s) { return std::min(to_unix(s.to), to_unix(s.as_of)); }

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
        // before as_of: events_starts_at, then attendance by its primary key.
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
    } else if (index_) {
        // A span: each person's log in memory, from the first entry at or after `from` (a binary
        // search) until one matches or the span ends.
        const std::string key = "memory:partners" + memo_key("", scope);
        if (auto it = counted_.find(key); it != counted_.end()) return it->second;
        const auto n = guarded(s_, [&] {
            index_->refresh(s_);
            const entry_filter match = filter_for(s_, scope);
            const std::int64_t lo = to_unix(scope.from), hi = upper_instant(scope);
            auto talked = [&](const std::vector<detail::participant_index::entry>& v) {
                auto it = std::lower_bound(v.begin(), v.end(), lo, [](const auto& e, std::int64_t t) { return e.at < t; });
                for (; it != v.end() && it->at < hi; ++it)
                    if (match(*it)) return true;
                return false;
            };
            std::size_t people = 0;
            if (f.tags.empty()) {
                for (const auto& v : index_->people()) people += talked(v);
            } else {
                for (std::int64_t c : tagged_contacts(s_, scope))
                    if (const auto* v = index_->of(c)) people += talked(*v);
            }
            return people;
        });
        counted_.emplace(key, n);
        return n;
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
    NETCRM_COUNT(sql);
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
    // is spent on it); over a span, with the events starting in it.
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
    if (index_) {
        // The first meetings from SQL (event_attendees_first), the next interaction from memory.
        std::string met = "SELECT a.contact_id, a.met_at, a.event_id FROM event_attendees a";
        if (!scope.event && f.event_kind) met += " JOIN events e ON e.id = a.event_id";
        met += sql.substr(sql.find(" WHERE a.first_meeting"));
        guarded(s_, [&] {
            index_->refresh(s_);
            entry_filter match;
            for (auto k : f.interaction_kinds) match.kinds |= 1u << unsigned(k);
            const std::int64_t as_of = to_unix(scope.as_of);
            run(s_, met, scope, [&](SQLite::Statement& q) {
                while (q.executeStep()) {
                    const auto* v = index_->of(q.getColumn(0).getInt64());
                    if (!v) continue;
                    const std::int64_t met_at = q.getColumn(1).getInt64(), event = q.getColumn(2).getInt64();
                    auto it = std::upper_bound(v->begin(), v->end(), met_at,
                                               [](std::int64_t t, const auto& e) { return t < e.at; });
                    for (; it != v->end() && it->at < as_of; ++it) {
                        if (it->event == event || !match(*it)) continue;  // same event: not a follow-up
                        delays.push_back(double(it->at - met_at) / 86400.0);
                        break;
                    }
                }
            });
        });
    } else {
        guarded(s_, [&] {
            run(s_, sql, scope, [&](SQLite::Statement& q) {
                while (q.executeStep()) {
                    if (q.getColumn(1).isNull()) continue;  // never followed up: left out
                    delays.push_back(double(q.getColumn(1).getInt64() - q.getColumn(0).getInt64()) / 86400.0);
                }
            });
        });
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
        const std::int64_t as_of = to_unix(scope.as_of);
        run(s_, sql, scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) {
                const auto due = detail::from_unix(q.getColumn(0).getInt64());
                const auto day = local_date(due, zone);
                const std::int64_t day_ends = to_unix(period{day, day, {}}.instants(zone).second);
                const bool done = q.getColumn(2).getInt() != 0 && !q.getColumn(1).isNull() &&
                                  q.getColumn(1).getInt64() < as_of;
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

// ---- the participant index (detail/participant_index.hpp) ------------------------------------------

namespace detail {

namespace {

// interactions.kind as stored (schema 3's CHECK allows only these) -> interaction_kind, without a
// string per row: a load reads a million of them.
std::uint8_t kind_code(const char* k) {
    switch (k[0]) {
        case 'c':
            if (k[1] == 'a') return std::uint8_t(interaction_kind::call);
            return std::uint8_t(k[2] == 'n' ? interaction_kind::conversation : interaction_kind::coffee);
        case 'm':  // meeting, message, meal
            if (k[2] == 'e') return std::uint8_t(interaction_kind::meeting);
            return std::uint8_t(k[2] == 's' ? interaction_kind::message : interaction_kind::meal);
        case 'e': return std::uint8_t(interaction_kind::email);
        default: return std::uint8_t(interaction_kind::other);
    }
}

bool before(const participant_index::entry& a, const participant_index::entry& b) {
    return a.at != b.at ? a.at < b.at : a.interaction < b.interaction;
}

// Past this many touched interactions, one load costs less than re-reading each.
constexpr std::size_t reread_limit = 20000;

// The C API for the two scans of a load (two million rows): SQLiteCpp's column objects cost a
// shared-pointer copy each.
class raw_statement {
public:
    raw_statement(store::impl& s, const char* sql) : db_(s.db.getHandle()) {
        if (sqlite3_prepare_v2(db_, sql, -1, &q_, nullptr) != SQLITE_OK) fail();
    }
    ~raw_statement() { sqlite3_finalize(q_); }
    raw_statement(const raw_statement&) = delete;
    raw_statement& operator=(const raw_statement&) = delete;
    bool step() {
        const int rc = sqlite3_step(q_);
        if (rc == SQLITE_ROW) return true;
        if (rc != SQLITE_DONE) fail();
        return false;
    }
    sqlite3_stmt* get() const { return q_; }

private:
    [[noreturn]] void fail() { throw SQLite::Exception(db_, sqlite3_errcode(db_)); }
    sqlite3* db_;
    sqlite3_stmt* q_ = nullptr;
};

std::int64_t one_int(store::impl& s, const std::string& sql) {
    SQLite::Statement& q = s.prepared(sql);
    std::int64_t v = 0;
    if (q.executeStep()) v = q.getColumn(0).getInt64();
    q.reset();
    return v;
}

}  // namespace

std::vector<participant_index::entry>& participant_index::slot(std::int64_t contact) {
    auto [it, fresh] = slot_.try_emplace(contact, static_cast<std::uint32_t>(people_.size()));
    if (fresh) people_.emplace_back();
    return people_[it->second];
}

void participant_index::refresh(store::impl& s) {
    if (!triggers_) {
        // TEMP: they exist and fire only on this connection (other connections are seen through
        // data_version), and only once goals have been evaluated: other users of a store pay nothing.
        s.db.exec(R"sql(
CREATE TEMP TABLE IF NOT EXISTS netcrm_goal_touched (interaction_id INTEGER NOT NULL, contact_id INTEGER);
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_i_ins AFTER INSERT ON main.interactions BEGIN
  INSERT INTO netcrm_goal_touched VALUES (NEW.id, NULL); END;
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_i_upd AFTER UPDATE ON main.interactions BEGIN
  INSERT INTO netcrm_goal_touched VALUES (OLD.id, NULL), (NEW.id, NULL); END;
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_i_del AFTER DELETE ON main.interactions BEGIN
  INSERT INTO netcrm_goal_touched VALUES (OLD.id, NULL); END;
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_p_ins AFTER INSERT ON main.interaction_contacts BEGIN
  INSERT INTO netcrm_goal_touched VALUES (NEW.interaction_id, NEW.contact_id); END;
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_p_upd AFTER UPDATE ON main.interaction_contacts BEGIN
  INSERT INTO netcrm_goal_touched VALUES (OLD.interaction_id, OLD.contact_id), (NEW.interaction_id, NEW.contact_id);
END;
CREATE TEMP TRIGGER IF NOT EXISTS netcrm_goal_p_del AFTER DELETE ON main.interaction_contacts BEGIN
  INSERT INTO netcrm_goal_touched VALUES (OLD.interaction_id, OLD.contact_id); END;
)sql");
        triggers_ = true;
    }
    if (!loaded_ || one_int(s, "PRAGMA data_version") != data_version_) return load(s);
    std::vector<std::pair<std::int64_t, std::int64_t>> touched;  // (interaction, contact or 0)
    SQLite::Statement& q = s.prepared("SELECT interaction_id, ifnull(contact_id, 0) FROM temp.netcrm_goal_touched");
    while (q.executeStep()) {
        touched.emplace_back(q.getColumn(0).getInt64(), q.getColumn(1).getInt64());
        if (touched.size() > reread_limit) break;
    }
    q.reset();
    if (touched.empty()) return;
    if (touched.size() > reread_limit) return load(s);
    reread(s, touched);
}

void participant_index::load(store::impl& s) {
    loaded_ = false;
    slot_.clear();
    people_.clear();
    // One read transaction: both tables and data_version from the same snapshot.
    s.db.exec("BEGIN");
    try {
        // interaction id -> (kind, event), dense when ids are (they are unless rows were deleted en masse).
        struct facts {
            std::int64_t event = 0;
            std::uint8_t kind = 0;
            bool present = false;
        };
        const std::int64_t max_id = one_int(s, "SELECT ifnull(max(id), 0) FROM interactions");
        data_version_ = one_int(s, "PRAGMA data_version");
        const std::int64_t rows = one_int(s, "SELECT count(*) FROM interactions");
        const bool dense = max_id <= 4 * rows + 4096;
        std::vector<facts> by_id(dense ? static_cast<std::size_t>(max_id) + 1 : 0);
        std::vector<std::pair<std::int64_t, facts>> sparse;
        {
            raw_statement q(s, "SELECT id, kind, ifnull(event_id, 0) FROM interactions");
            while (q.step()) {
                const char* kind = reinterpret_cast<const char*>(sqlite3_column_text(q.get(), 1));
                const facts f{sqlite3_column_int64(q.get(), 2), kind_code(kind ? kind : ""), true};
                const std::int64_t id = sqlite3_column_int64(q.get(), 0);
                if (dense && id >= 0 && id <= max_id) by_id[static_cast<std::size_t>(id)] = f;
                else sparse.emplace_back(id, f);  // rowid order: sorted
            }
        }
        auto facts_of = [&](std::int64_t id) -> facts {
            if (dense && id >= 0 && id <= max_id) return by_id[static_cast<std::size_t>(id)];
            auto it = std::lower_bound(sparse.begin(), sparse.end(), id,
                                       [](const auto& p, std::int64_t v) { return p.first < v; });
            return it != sparse.end() && it->first == id ? it->second : facts{};
        };
        // The primary key (contact_id, at, interaction_id): each person's rows arrive together, in
        // time order, which is the order kept in memory.
        // ORDER BY: otherwise SQLite may read the narrower (interaction_id, contact_id) index instead.
        raw_statement q(s, "SELECT contact_id, at, interaction_id FROM interaction_contacts ORDER BY contact_id, at, interaction_id");
        std::int64_t current = 0;
        std::vector<entry>* list = nullptr;
        while (q.step()) {
            const std::int64_t c = sqlite3_column_int64(q.get(), 0);
            if (!list || c != current) {
                current = c;
                list = &slot(c);
            }
            const std::int64_t id = sqlite3_column_int64(q.get(), 2);
            const facts f = facts_of(id);
            list->push_back({sqlite3_column_int64(q.get(), 1), id, f.event, f.kind});
        }
        for (auto& v : people_)  // already so, from the key; the searches depend on it
            if (!std::is_sorted(v.begin(), v.end(), before)) std::sort(v.begin(), v.end(), before);
        s.db.exec("DELETE FROM temp.netcrm_goal_touched");
        s.db.exec("COMMIT");
    } catch (...) {
        try {
            s.db.exec("ROLLBACK");
        } catch (...) {
        }
        slot_.clear();
        people_.clear();
        throw;
    }
    ++loads;
    loaded_ = true;
}

void participant_index::reread(store::impl& s, const std::vector<std::pair<std::int64_t, std::int64_t>>& touched) {
    std::map<std::int64_t, std::vector<std::int64_t>> contacts;  // interaction -> contacts it had or has
    for (const auto& [i, c] : touched) {
        auto& v = contacts[i];
        if (c) v.push_back(c);
    }
    SQLite::Statement& row = s.prepared("SELECT kind, ifnull(event_id, 0) FROM interactions WHERE id = ?");
    SQLite::Statement& who = s.prepared("SELECT contact_id, at FROM interaction_contacts WHERE interaction_id = ?");
    for (auto& [id, had] : contacts) {
        row.reset();
        row.bind(1, id);
        const bool exists = row.executeStep();
        entry e{0, id, 0, 0};
        if (exists) {
            e.event = row.getColumn(1).getInt64();
            e.kind = kind_code(row.getColumn(0).getText());
        }
        row.reset();
        std::vector<std::pair<std::int64_t, std::int64_t>> now;  // (contact, at)
        who.reset();
        who.bind(1, id);
        while (who.executeStep()) now.emplace_back(who.getColumn(0).getInt64(), who.getColumn(1).getInt64());
        who.reset();
        // Gone, and nobody recorded as having taken part: the people who had it are unknown here.
        if (!exists && had.empty()) return load(s);
        for (const auto& [c, at] : now) had.push_back(c);
        std::sort(had.begin(), had.end());
        had.erase(std::unique(had.begin(), had.end()), had.end());
        for (std::int64_t c : had) {
            auto it = slot_.find(c);
            if (it == slot_.end()) continue;
            auto& v = people_[it->second];
            v.erase(std::remove_if(v.begin(), v.end(), [&](const entry& x) { return x.interaction == id; }), v.end());
        }
        if (!exists) continue;  // participants without their interaction cannot be (foreign key)
        for (const auto& [c, at] : now) {
            auto& v = slot(c);
            e.at = at;
            v.insert(std::upper_bound(v.begin(), v.end(), e, before), e);
        }
        ++interactions_reread;
    }
    s.db.exec("DELETE FROM temp.netcrm_goal_touched");
}

}  // namespace detail

}  // namespace crm
