// The named queries goals are measured with: every piece of SQL a metric needs is here, built from a
// scope's filter by the rules below and prepared once per shape (the statement cache of the store).
//
// Parameters, numbered the same in every statement so that each filter binds one way:
//   ?1 the scope's event   ?2 from   ?3 to   ?4 tags (JSON array)   ?5 event kind   ?6 filter event
//   ?7 interaction kinds (JSON array)   ?8 expense category   ?9 as_of
// Index use (checked with EXPLAIN QUERY PLAN on the bench database, see tests/cpp/goal_store_test.cpp):
// events by events_starts_at, attendance by its primary key (event_id, contact_id) or, for first
// meetings over a span, event_attendees_first; interactions by interactions_at or interactions_event;
// participants by interaction_contacts_interaction, and follow-ups by the primary key
// (contact_id, at, interaction_id); tags through contact_tags_tag into a set built once per query.
#include "crm/metric.hpp"

#include "crm/interaction.hpp"

#include "detail/store_impl.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

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
    guarded(s_, [&] {
        run(s_, sql, scope, [&](SQLite::Statement& q) {
            while (q.executeStep()) {
                if (q.getColumn(1).isNull()) continue;  // never followed up: left out
                delays.push_back(double(q.getColumn(1).getInt64() - q.getColumn(0).getInt64()) / 86400.0);
            }
        });
    });
    if (delays.empty()) return std::nullopt;
    const std::size_t mid = delays.size() / 2;
    std::nth_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(mid), delays.end());
    if (delays.size() % 2) return delays[mid];
    const double upper = delays[mid];
    const double lower = *std::max_element(delays.begin(), delays.begin() + static_cast<std::ptrdiff_t>(mid));
    return (lower + upper) / 2;
}

}  // namespace crm
