#include "crm/archive.hpp"

#include "crm/error.hpp"
#include "detail/contact_json.hpp"
#include "detail/contact_rows.hpp"
#include "detail/store_impl.hpp"

#include "crm/interaction.hpp"
#include "crm/time_zone.hpp"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <utility>

namespace crm {

using detail::from_unix;
using detail::iso8601;
using detail::parse_iso8601;
using detail::to_unix;
using nlohmann::json;

namespace {

constexpr std::size_t page = 1000;

json column_json(const SQLite::Column& c) {
    if (c.isNull()) return nullptr;
    if (c.isInteger()) return c.getInt64();
    if (c.isFloat()) return c.getDouble();  // goals.target
    return c.getString();
}

// The current row of q as a JSON object keyed by column name; instants stay integers (seconds,
// UTC) except where named, which become ISO 8601.
json row_json(SQLite::Statement& q, const std::vector<std::string>& instants) {
    json row = json::object();
    for (int i = 0; i < q.getColumnCount(); ++i) {
        std::string name = q.getColumnName(i);
        json v = column_json(q.getColumn(i));
        if (!v.is_null() && std::find(instants.begin(), instants.end(), name) != instants.end())
            v = iso8601(from_unix(v.get<std::int64_t>()));
        row[name] = std::move(v);
    }
    return row;
}

// Rows of a query as row_json() shapes them.
json rows(SQLite::Database& db, const std::string& sql, std::optional<std::int64_t> id,
          const std::vector<std::string>& instants) {
    SQLite::Statement q(db, sql);
    if (id) q.bind(1, *id);
    json out = json::array();
    while (q.executeStep()) out.push_back(row_json(q, instants));
    return out;
}

template <class T>
T need(const json& j, const char* key, const std::string& where) {
    if (!j.is_object() || !j.contains(key))
        throw invalid_input(where + ": missing \"" + key + "\"");
    try {
        return j.at(key).get<T>();
    } catch (const json::exception& e) {
        throw invalid_input(where + ": \"" + key + "\" has the wrong type (" + e.what() + ")");
    }
}

std::int64_t instant_or_null(const json& j, const char* key, const std::string& where, bool& is_null) {
    is_null = !j.contains(key) || j.at(key).is_null();
    if (is_null) return 0;
    return to_unix(parse_iso8601(need<std::string>(j, key, where)));
}

std::optional<std::int64_t> id_or_null(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return need<std::int64_t>(j, key, where);
}

void bind_optional(SQLite::Statement& q, int index, const std::optional<std::int64_t>& v) {
    if (v)
        q.bind(index, *v);
    else
        q.bind(index);
}

void bind_optional(SQLite::Statement& q, int index, const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j.at(key).is_null())
        q.bind(index);
    else
        q.bind(index, need<std::string>(j, key, where));
}

// Runs one INSERT of a restored row; a row the schema refuses (a CHECK, a duplicate id) is bad
// input, reported with where it is in the document.
void insert_row(SQLite::Statement& q, const std::string& where) {
    try {
        q.exec();
    } catch (const SQLite::Exception& e) {
        throw invalid_input(where + ": refused by the database: " + e.what());
    }
    q.reset();
}

std::string checked_zone(const json& j, const std::string& where) {
    auto zone = need<std::string>(j, "time_zone", where);
    try {
        check_time_zone(zone);
    } catch (const invalid_input& e) {
        throw invalid_input(where + ": time_zone: " + e.what());
    }
    return zone;
}

// Events with their tags (in order), expenses (amounts in minor units, as stored) and attendees.
void restore_events(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement e(s_.db,
                        "INSERT INTO events(id, name, kind, starts_at, ends_at, time_zone, location, notes, created_at, "
                        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement t(s_.db, "INSERT INTO event_tags(event_id, position, tag) VALUES (?, ?, ?)");
    SQLite::Statement x(s_.db,
                        "INSERT INTO event_expenses(id, event_id, amount, currency, category, note) VALUES (?, ?, ?, ?, ?, ?)");
    SQLite::Statement a(s_.db,
                        "INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting, introduced_by) "
                        "VALUES (?, ?, ?, ?, ?)");
    for (const auto& j : doc.value("events", json::array())) {
        std::string where = source + ": events[" + std::to_string(summary.events) + "]";
        const auto id = need<std::int64_t>(j, "id", where);
        bool no_end = false, unused = false;
        e.bind(1, id);
        e.bind(2, need<std::string>(j, "name", where));
        e.bind(3, need<std::string>(j, "kind", where));
        e.bind(4, instant_or_null(j, "starts_at", where, unused));
        const auto ends = instant_or_null(j, "ends_at", where, no_end);
        if (no_end)
            e.bind(5);
        else
            e.bind(5, ends);
        e.bind(6, checked_zone(j, where));
        e.bind(7, need<std::string>(j, "location", where));
        e.bind(8, need<std::string>(j, "notes", where));
        e.bind(9, to_unix(parse_iso8601(need<std::string>(j, "created_at", where))));
        e.bind(10, to_unix(parse_iso8601(need<std::string>(j, "updated_at", where))));
        insert_row(e, where);
        std::int64_t position = 0;
        for (const auto& tag : need<json>(j, "tags", where)) {
            t.bind(1, id);
            t.bind(2, position++);
            if (!tag.is_string()) throw invalid_input(where + ": tags: expected strings");
            t.bind(3, tag.get<std::string>());
            insert_row(t, where + ".tags");
        }
        std::size_t k = 0;
        for (const auto& ex : need<json>(j, "expenses", where)) {
            std::string w = where + ".expenses[" + std::to_string(k++) + "]";
            x.bind(1, need<std::int64_t>(ex, "id", w));
            x.bind(2, id);
            x.bind(3, need<std::int64_t>(ex, "amount_minor", w));
            x.bind(4, need<std::string>(ex, "currency", w));
            x.bind(5, need<std::string>(ex, "category", w));
            x.bind(6, need<std::string>(ex, "note", w));
            insert_row(x, w);
        }
        k = 0;
        for (const auto& at : need<json>(j, "attendees", where)) {
            std::string w = where + ".attendees[" + std::to_string(k++) + "]";
            a.bind(1, id);
            a.bind(2, need<std::int64_t>(at, "contact_id", w));
            a.bind(3, to_unix(parse_iso8601(need<std::string>(at, "met_at", w))));
            a.bind(4, need<bool>(at, "first_meeting", w) ? 1 : 0);
            bind_optional(a, 5, id_or_null(at, "introduced_by", w));
            insert_row(a, w);
        }
        ++summary.events;
    }
}

// Interactions with their participants; the participants' `at` is the interaction's (the schema
// repeats it for the "last interaction per contact" key).
void restore_interactions(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO interactions(id, kind, at, time_zone, event_id, notes, created_at, updated_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement p(s_.db, "INSERT INTO interaction_contacts(interaction_id, contact_id, at) VALUES (?, ?, ?)");
    for (const auto& j : doc.value("interactions", json::array())) {
        std::string where = source + ": interactions[" + std::to_string(summary.interactions) + "]";
        const auto id = need<std::int64_t>(j, "id", where);
        std::string kind = need<std::string>(j, "kind", where);
        try {
            (void)parse_interaction_kind(kind);
        } catch (const invalid_input& e) {
            throw invalid_input(where + ": " + e.what());
        }
        const auto at = to_unix(parse_iso8601(need<std::string>(j, "at", where)));
        q.bind(1, id);
        q.bind(2, kind);
        q.bind(3, at);
        q.bind(4, checked_zone(j, where));
        bind_optional(q, 5, id_or_null(j, "event_id", where));
        q.bind(6, need<std::string>(j, "notes", where));
        q.bind(7, to_unix(parse_iso8601(need<std::string>(j, "created_at", where))));
        q.bind(8, to_unix(parse_iso8601(need<std::string>(j, "updated_at", where))));
        insert_row(q, where);
        const auto contacts = need<std::vector<std::int64_t>>(j, "contacts", where);
        if (contacts.empty()) throw invalid_input(where + ": contacts: an interaction needs at least one contact");
        for (auto c : contacts) {
            p.bind(1, id);
            p.bind(2, c);
            p.bind(3, at);
            insert_row(p, where + ".contacts");
        }
        ++summary.interactions;
    }
}

// Goals as their rows: evaluated from the data whenever asked, they hold nothing else.
void restore_goals(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO goals(id, name, metric, comparison, target, currency, event_id, period_first, "
                        "period_last, period_label, filter, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& j : doc.value("goals", json::array())) {
        std::string where = source + ": goals[" + std::to_string(summary.goals) + "]";
        q.bind(1, need<std::int64_t>(j, "id", where));
        q.bind(2, need<std::string>(j, "name", where));
        q.bind(3, need<std::string>(j, "metric", where));
        q.bind(4, need<std::string>(j, "comparison", where));
        q.bind(5, need<double>(j, "target", where));
        q.bind(6, need<std::string>(j, "currency", where));
        bind_optional(q, 7, id_or_null(j, "event_id", where));
        bind_optional(q, 8, j, "period_first", where);
        bind_optional(q, 9, j, "period_last", where);
        q.bind(10, need<std::string>(j, "period_label", where));
        const auto filter = need<json>(j, "filter", where);
        if (!filter.is_object()) throw invalid_input(where + ": \"filter\" must be a JSON object");
        q.bind(11, filter.dump());
        q.bind(12, to_unix(parse_iso8601(need<std::string>(j, "created_at", where))));
        insert_row(q, where);
        ++summary.goals;
    }
}

// ---- Schema 4: follow-ups and their rules, holiday calendars, the favour ledger ----

// The array under `key`, or an empty one when an older export has no such key.
const json& array_of(const json& doc, const char* key, const std::string& source) {
    static const json none = json::array();
    if (!doc.contains(key)) return none;
    if (!doc.at(key).is_array()) throw invalid_input(source + ": \"" + key + "\" must be an array");
    return doc.at(key);
}

std::int64_t instant(const json& j, const char* key, const std::string& where) {
    const auto text = need<std::string>(j, key, where);
    try {
        return to_unix(parse_iso8601(text));
    } catch (const invalid_input& e) {
        throw invalid_input(where + ": " + key + ": " + e.what());
    }
}

std::optional<std::int64_t> optional_instant(const json& j, const char* key, const std::string& where) {
    if (!j.contains(key) || j.at(key).is_null()) return std::nullopt;
    return instant(j, key, where);
}

// A calendar date as the stores write it (YYYY-MM-DD): the schema keeps it as text and would take
// anything, and every date query compares those strings.
std::string iso_day(const json& j, const char* key, const std::string& where) {
    const auto text = need<std::string>(j, key, where);
    bool shaped = text.size() == 10;
    for (std::size_t i = 0; shaped && i < text.size(); ++i)
        shaped = (i == 4 || i == 7) ? text[i] == '-' : text[i] >= '0' && text[i] <= '9';
    const auto number = [&](std::size_t at, std::size_t n) { return shaped ? std::stoi(text.substr(at, n)) : 0; };
    const date::year_month_day day = date::year{number(0, 4)} / date::month(unsigned(number(5, 2))) /
                                     date::day(unsigned(number(8, 2)));
    if (!shaped || int(day.year()) < 1 || !day.ok())
        throw invalid_input(where + ": " + key + ": '" + text + "' is not a calendar date (YYYY-MM-DD)");
    return text;
}

void restore_introductions(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO introductions(id, introducer_id, first_id, second_id, on_date, note, created_at) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& j : array_of(doc, "introductions", source)) {
        std::string where = source + ": introductions[" + std::to_string(summary.introductions) + "]";
        q.bind(1, need<std::int64_t>(j, "id", where));
        bind_optional(q, 2, id_or_null(j, "introducer_id", where));
        bind_optional(q, 3, id_or_null(j, "first_id", where));
        q.bind(4, need<std::int64_t>(j, "second_id", where));
        q.bind(5, iso_day(j, "on_date", where));
        q.bind(6, need<std::string>(j, "note", where));
        q.bind(7, instant(j, "created_at", where));
        insert_row(q, where);
        ++summary.introductions;
    }
}

void restore_favors(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO favors(id, direction, contact_id, kind, weight, on_date, note, status, "
                        "introduction_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& j : array_of(doc, "favors", source)) {
        std::string where = source + ": favors[" + std::to_string(summary.favors) + "]";
        q.bind(1, need<std::int64_t>(j, "id", where));
        q.bind(2, need<std::string>(j, "direction", where));
        q.bind(3, need<std::int64_t>(j, "contact_id", where));
        q.bind(4, need<std::string>(j, "kind", where));
        q.bind(5, need<double>(j, "weight", where));
        q.bind(6, iso_day(j, "on_date", where));
        q.bind(7, need<std::string>(j, "note", where));
        q.bind(8, need<std::string>(j, "status", where));
        bind_optional(q, 9, id_or_null(j, "introduction_id", where));
        q.bind(10, instant(j, "created_at", where));
        q.bind(11, instant(j, "updated_at", where));
        insert_row(q, where);
        ++summary.favors;
    }
}

void restore_follow_up_rules(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO follow_up_rules(id, kind, contact_id, tag, every, unit, time_of_day, holidays, "
                        "reason, active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    for (const auto& j : array_of(doc, "follow_up_rules", source)) {
        std::string where = source + ": follow_up_rules[" + std::to_string(summary.follow_up_rules) + "]";
        q.bind(1, need<std::int64_t>(j, "id", where));
        q.bind(2, need<std::string>(j, "kind", where));
        bind_optional(q, 3, id_or_null(j, "contact_id", where));
        q.bind(4, need<std::string>(j, "tag", where));
        q.bind(5, need<std::int64_t>(j, "every", where));
        q.bind(6, need<std::string>(j, "unit", where));
        q.bind(7, need<std::int64_t>(j, "time_of_day", where));
        q.bind(8, need<std::string>(j, "holidays", where));
        q.bind(9, need<std::string>(j, "reason", where));
        q.bind(10, need<bool>(j, "active", where) ? 1 : 0);
        q.bind(11, instant(j, "created_at", where));
        insert_row(q, where);
        ++summary.follow_up_rules;
    }
}

// Follow-ups with their history (the iCalendar SEQUENCE and the history's numbering kept as they were).
void restore_follow_ups(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO follow_ups(id, contact_id, reason, due_at, time_zone, status, event_id, "
                        "interaction_id, favor_id, rule_id, completed_at, completed_by, created_at, updated_at, "
                        "sequence) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    SQLite::Statement h(s_.db,
                        "INSERT INTO follow_up_history(follow_up_id, seq, at, action, due_before, due_after, note) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)");
    for (const auto& j : array_of(doc, "follow_ups", source)) {
        std::string where = source + ": follow_ups[" + std::to_string(summary.follow_ups) + "]";
        const auto id = need<std::int64_t>(j, "id", where);
        q.bind(1, id);
        q.bind(2, need<std::int64_t>(j, "contact_id", where));
        q.bind(3, need<std::string>(j, "reason", where));
        q.bind(4, instant(j, "due_at", where));
        q.bind(5, checked_zone(j, where));
        q.bind(6, need<std::string>(j, "status", where));
        bind_optional(q, 7, id_or_null(j, "event_id", where));
        bind_optional(q, 8, id_or_null(j, "interaction_id", where));
        bind_optional(q, 9, id_or_null(j, "favor_id", where));
        bind_optional(q, 10, id_or_null(j, "rule_id", where));
        bind_optional(q, 11, optional_instant(j, "completed_at", where));
        bind_optional(q, 12, id_or_null(j, "completed_by", where));
        q.bind(13, instant(j, "created_at", where));
        q.bind(14, instant(j, "updated_at", where));
        q.bind(15, need<std::int64_t>(j, "sequence", where));
        insert_row(q, where);
        std::size_t k = 0;
        for (const auto& c : array_of(j, "history", where)) {
            std::string w = where + ".history[" + std::to_string(k++) + "]";
            h.bind(1, id);
            h.bind(2, need<std::int64_t>(c, "seq", w));
            h.bind(3, instant(c, "at", w));
            h.bind(4, need<std::string>(c, "action", w));
            bind_optional(h, 5, optional_instant(c, "due_before", w));
            bind_optional(h, 6, optional_instant(c, "due_after", w));
            h.bind(7, need<std::string>(c, "note", w));
            insert_row(h, w);
            ++summary.follow_up_history;
        }
        ++summary.follow_ups;
    }
}

void restore_asks(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db,
                        "INSERT INTO asks(id, contact_id, text, status, created_at, closed_at) VALUES (?, ?, ?, ?, ?, ?)");
    for (const auto& j : array_of(doc, "asks", source)) {
        std::string where = source + ": asks[" + std::to_string(summary.asks) + "]";
        q.bind(1, need<std::int64_t>(j, "id", where));
        q.bind(2, need<std::int64_t>(j, "contact_id", where));
        q.bind(3, need<std::string>(j, "text", where));
        q.bind(4, need<std::string>(j, "status", where));
        q.bind(5, instant(j, "created_at", where));
        bind_optional(q, 6, optional_instant(j, "closed_at", where));
        insert_row(q, where);
        ++summary.asks;
    }
}

// One row per holiday; a calendar is the set of rows with its name.
void restore_holidays(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    SQLite::Statement q(s_.db, "INSERT INTO holidays(calendar, day, name) VALUES (?, ?, ?)");
    for (const auto& j : array_of(doc, "holidays", source)) {
        std::string where = source + ": holidays[" + std::to_string(summary.holidays) + "]";
        const auto calendar = need<std::string>(j, "calendar", where);
        if (calendar.empty()) throw invalid_input(where + ": calendar: a holiday calendar needs a name");
        q.bind(1, calendar);
        q.bind(2, iso_day(j, "day", where));
        q.bind(3, need<std::string>(j, "name", where));
        insert_row(q, where);
        ++summary.holidays;
    }
}

// The rows of an export, inserted with their ids; the caller holds the write transaction.
void restore_rows(store::impl& s_, const json& doc, const std::string& source, restore_summary& summary) {
    {
        {
            {
                std::size_t i = 0;
                for (const auto& j : doc.value("contacts", json::array())) {
                    std::string where = source + ": contacts[" + std::to_string(i++) + "]";
                    contact c;
                    try {
                        c = detail::contact_from_json(j);
                        normalize_and_validate(c);
                    } catch (const invalid_input& e) {
                        throw invalid_input(where + ": " + e.what());
                    }
                    if (c.id <= 0) throw invalid_input(where + ": \"id\" must be a positive number");
                    detail::insert_contact(s_, std::move(c));
                    ++summary.contacts;
                }
            }
            SQLite::Statement m(s_.db, "INSERT INTO contact_merges(id, survivor_id, merged_id, merged_at, snapshot) VALUES (?, ?, ?, ?, ?)");
            for (const auto& j : doc.value("merges", json::array())) {
                std::string where = source + ": merges[" + std::to_string(summary.merges) + "]";
                m.bind(1, need<std::int64_t>(j, "id", where));
                m.bind(2, need<std::int64_t>(j, "survivor_id", where));
                m.bind(3, need<std::int64_t>(j, "merged_id", where));
                m.bind(4, to_unix(parse_iso8601(need<std::string>(j, "merged_at", where))));
                m.bind(5, need<json>(j, "snapshot", where).dump());
                m.exec();
                m.reset();
                ++summary.merges;
            }
            restore_events(s_, doc, source, summary);
            restore_interactions(s_, doc, source, summary);
            restore_goals(s_, doc, source, summary);
            // Schema 4, in dependency order; absent from older exports, so nothing is restored then.
            restore_introductions(s_, doc, source, summary);
            restore_favors(s_, doc, source, summary);
            restore_follow_up_rules(s_, doc, source, summary);
            restore_follow_ups(s_, doc, source, summary);
            restore_asks(s_, doc, source, summary);
            restore_holidays(s_, doc, source, summary);
            // event_id and attended are absent from exports older than schema 3: NULL and 0 then.
            SQLite::Statement b(s_.db,
                                "INSERT INTO import_batches(id, source, format, policy, tags, how_met, started_at, "
                                "finished_at, added, merged, skipped, rejected, undone_at, event_id) VALUES "
                                "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
            SQLite::Statement ch(s_.db,
                                 "INSERT INTO import_changes(batch_id, contact_id, action, before, attended) "
                                 "VALUES (?, ?, ?, ?, ?)");
            SQLite::Statement pr(s_.db,
                                 "INSERT INTO import_problems(batch_id, kind, source, line, col, reason, contact_id, "
                                 "other_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            for (const auto& j : doc.value("imports", json::array())) {
                std::string where = source + ": imports[" + std::to_string(summary.batches) + "]";
                std::int64_t id = need<std::int64_t>(j, "id", where);
                bool null_undone = false, unused = false;
                b.bind(1, id);
                b.bind(2, need<std::string>(j, "source", where));
                b.bind(3, need<std::string>(j, "format", where));
                b.bind(4, need<std::string>(j, "policy", where));
                b.bind(5, need<json>(j, "tags", where).dump());
                b.bind(6, need<std::string>(j, "how_met", where));
                b.bind(7, instant_or_null(j, "started_at", where, unused));
                b.bind(8, instant_or_null(j, "finished_at", where, unused));
                b.bind(9, need<std::int64_t>(j, "added", where));
                b.bind(10, need<std::int64_t>(j, "merged", where));
                b.bind(11, need<std::int64_t>(j, "skipped", where));
                b.bind(12, need<std::int64_t>(j, "rejected", where));
                std::int64_t undone = instant_or_null(j, "undone_at", where, null_undone);
                if (null_undone)
                    b.bind(13);
                else
                    b.bind(13, undone);
                bind_optional(b, 14, id_or_null(j, "event_id", where));
                b.exec();
                b.reset();
                for (const auto& c : j.value("changes", json::array())) {
                    ch.bind(1, id);
                    ch.bind(2, need<std::int64_t>(c, "contact_id", where));
                    ch.bind(3, need<std::string>(c, "action", where));
                    if (c.contains("before") && !c.at("before").is_null())
                        ch.bind(4, c.at("before").dump());
                    else
                        ch.bind(4);
                    ch.bind(5, c.contains("attended") ? (need<bool>(c, "attended", where) ? 1 : 0) : 0);
                    ch.exec();
                    ch.reset();
                }
                for (const auto& p : j.value("problems", json::array())) {
                    pr.bind(1, id);
                    pr.bind(2, need<std::string>(p, "kind", where));
                    pr.bind(3, need<std::string>(p, "source", where));
                    pr.bind(4, need<std::int64_t>(p, "line", where));
                    pr.bind(5, need<std::int64_t>(p, "col", where));
                    pr.bind(6, need<std::string>(p, "reason", where));
                    if (p.contains("contact_id") && !p.at("contact_id").is_null())
                        pr.bind(7, p.at("contact_id").get<std::int64_t>());
                    else
                        pr.bind(7);
                    if (p.contains("other_id") && !p.at("other_id").is_null())
                        pr.bind(8, p.at("other_id").get<std::int64_t>());
                    else
                        pr.bind(8);
                    pr.exec();
                    pr.reset();
                }
                ++summary.batches;
            }
            // Deferred checks run at COMMIT; say which reference is wrong instead of a bare failure.
            SQLite::Statement fk(s_.db, "SELECT \"table\", parent FROM pragma_foreign_key_check LIMIT 1");
            if (fk.executeStep()) {
                const std::string table = fk.getColumn(0).getString(), parent = fk.getColumn(1).getString();
                static const std::map<std::string, std::string> ids{
                    {"contacts", "a contact id"},        {"events", "an event id"},
                    {"interactions", "an interaction id"}, {"introductions", "an introduction id"},
                    {"favors", "a favour id"},           {"follow_up_rules", "a follow-up rule id"},
                    {"follow_ups", "a follow-up id"}};
                const auto named = ids.find(parent);
                const std::string what = named != ids.end() ? named->second : "a " + parent + " row";
                throw invalid_input(source + ": " + (table == "contact_merges" ? "a merge" : "a row of " + table) +
                                    " refers to " + what + " the export does not have");
            }
        }
    }
}

// One event a line, with its tags in order, expenses (amount_minor: minor units of the currency,
// exactly as stored) and the contacts met there.
void write_events(SQLite::Database& db, std::ostream& out) {
    SQLite::Statement q(db, "SELECT id FROM events ORDER BY id");
    bool first = true;
    while (q.executeStep()) {
        const std::int64_t id = q.getColumn(0).getInt64();
        json e = rows(db,
                      "SELECT id, name, kind, starts_at, ends_at, time_zone, location, notes, created_at, updated_at "
                      "FROM events WHERE id = ?",
                      id, {"starts_at", "ends_at", "created_at", "updated_at"})
                     .at(0);
        json tags = json::array();
        for (const auto& t : rows(db, "SELECT tag FROM event_tags WHERE event_id = ? ORDER BY position", id, {}))
            tags.push_back(t.at("tag"));
        e["tags"] = std::move(tags);
        e["expenses"] = rows(db,
                             "SELECT id, amount AS amount_minor, currency, category, note FROM event_expenses "
                             "WHERE event_id = ? ORDER BY id",
                             id, {});
        e["attendees"] = rows(db,
                              "SELECT contact_id, met_at, first_meeting, introduced_by FROM event_attendees "
                              "WHERE event_id = ? ORDER BY met_at, contact_id",
                              id, {"met_at"});
        for (auto& a : e["attendees"]) a["first_meeting"] = a["first_meeting"].get<std::int64_t>() != 0;
        out << (first ? "\n  " : ",\n  ") << e.dump();
        first = false;
    }
}

// One interaction a line with its participants' ids. The log can hold a million rows: both tables
// are read once, in interaction id order, side by side (the participants by their
// (interaction_id, contact_id) index), not a query per interaction.
void write_interactions(SQLite::Database& db, std::ostream& out) {
    SQLite::Statement q(db,
                        "SELECT id, kind, at, time_zone, event_id, notes, created_at, updated_at FROM interactions "
                        "ORDER BY id");
    SQLite::Statement p(db,
                        "SELECT interaction_id, contact_id FROM interaction_contacts "
                        "ORDER BY interaction_id, contact_id");
    bool more = p.executeStep();
    bool first = true;
    while (q.executeStep()) {
        const std::int64_t id = q.getColumn(0).getInt64();
        json contacts = json::array();
        while (more && p.getColumn(0).getInt64() < id) more = p.executeStep();  // orphans: none by design
        while (more && p.getColumn(0).getInt64() == id) {
            contacts.push_back(p.getColumn(1).getInt64());
            more = p.executeStep();
        }
        json i{{"id", id},
               {"kind", q.getColumn(1).getString()},
               {"at", iso8601(from_unix(q.getColumn(2).getInt64()))},
               {"time_zone", q.getColumn(3).getString()},
               {"event_id", column_json(q.getColumn(4))},
               {"notes", q.getColumn(5).getString()},
               {"created_at", iso8601(from_unix(q.getColumn(6).getInt64()))},
               {"updated_at", iso8601(from_unix(q.getColumn(7).getInt64()))},
               {"contacts", std::move(contacts)}};
        out << (first ? "\n  " : ",\n  ") << i.dump();
        first = false;
    }
}

// The goals table as it is; "filter" as the JSON object it holds.
void write_goals(SQLite::Database& db, std::ostream& out) {
    SQLite::Statement q(db, "SELECT id FROM goals ORDER BY id");
    bool first = true;
    while (q.executeStep()) {
        json g = rows(db,
                      "SELECT id, name, metric, comparison, target, currency, event_id, period_first, period_last, "
                      "period_label, filter, created_at FROM goals WHERE id = ?",
                      q.getColumn(0).getInt64(), {"created_at"})
                     .at(0);
        g["filter"] = json::parse(g["filter"].get<std::string>());
        out << (first ? "\n  " : ",\n  ") << g.dump();
        first = false;
    }
}


// Streams the rows of `sql` one a line, shaped as rows() shapes them; `shape` turns stored
// integers into what they mean (booleans) before the row is written.
template <class Shape>
void write_rows(SQLite::Database& db, std::ostream& out, const std::string& sql,
                const std::vector<std::string>& instants, Shape&& shape) {
    SQLite::Statement q(db, sql);
    bool first = true;
    while (q.executeStep()) {
        json row = row_json(q, instants);
        shape(row);
        out << (first ? "\n  " : ",\n  ") << row.dump();
        first = false;
    }
}

constexpr auto as_is = [](json&) {};

void write_follow_up_rules(SQLite::Database& db, std::ostream& out) {
    write_rows(db, out,
               "SELECT id, kind, contact_id, tag, every, unit, time_of_day, holidays, reason, active, created_at "
               "FROM follow_up_rules ORDER BY id",
               {"created_at"}, [](json& r) { r["active"] = r["active"].get<std::int64_t>() != 0; });
}

void write_holidays(SQLite::Database& db, std::ostream& out) {
    write_rows(db, out, "SELECT calendar, day, name FROM holidays ORDER BY calendar, day", {}, as_is);
}

void write_introductions(SQLite::Database& db, std::ostream& out) {
    write_rows(db, out,
               "SELECT id, introducer_id, first_id, second_id, on_date, note, created_at FROM introductions "
               "ORDER BY id",
               {"created_at"}, as_is);
}

// weight is REAL: column_json keeps it a JSON number with its fraction.
void write_favors(SQLite::Database& db, std::ostream& out) {
    write_rows(db, out,
               "SELECT id, direction, contact_id, kind, weight, on_date, note, status, introduction_id, created_at, "
               "updated_at FROM favors ORDER BY id",
               {"created_at", "updated_at"}, as_is);
}

void write_asks(SQLite::Database& db, std::ostream& out) {
    write_rows(db, out, "SELECT id, contact_id, text, status, created_at, closed_at FROM asks ORDER BY id",
               {"created_at", "closed_at"}, as_is);
}

// One follow-up a line with its history. As with interactions, both tables are read once side by
// side (the history by its (follow_up_id, seq) key), not a query per follow-up.
void write_follow_ups(SQLite::Database& db, std::ostream& out) {
    SQLite::Statement q(db,
                        "SELECT id, contact_id, reason, due_at, time_zone, status, event_id, interaction_id, favor_id, "
                        "rule_id, completed_at, completed_by, created_at, updated_at, sequence FROM follow_ups "
                        "ORDER BY id");
    SQLite::Statement h(db,
                        "SELECT follow_up_id, seq, at, action, due_before, due_after, note FROM follow_up_history "
                        "ORDER BY follow_up_id, seq");
    const std::vector<std::string> instants{"due_at", "completed_at", "created_at", "updated_at"};
    const std::vector<std::string> history_instants{"at", "due_before", "due_after"};
    bool more = h.executeStep();
    bool first = true;
    while (q.executeStep()) {
        json f = row_json(q, instants);
        const std::int64_t id = f["id"].get<std::int64_t>();
        json history = json::array();
        while (more && h.getColumn(0).getInt64() < id) more = h.executeStep();  // orphans: none by design
        while (more && h.getColumn(0).getInt64() == id) {
            json c = row_json(h, history_instants);
            c.erase("follow_up_id");
            history.push_back(std::move(c));
            more = h.executeStep();
        }
        f["history"] = std::move(history);
        out << (first ? "\n  " : ",\n  ") << f.dump();
        first = false;
    }
}

// Every table that holds rows of the user's (not settings, not derived keys): a restore needs
// them all empty, or ids would collide and the result would be neither store.
constexpr std::pair<const char*, const char*> stored_tables[] = {
    {"contacts", "contacts"},
    {"import_batches", "imports"},
    {"events", "events"},
    {"interactions", "interactions"},
    {"goals", "goals"},
    {"introductions", "introductions"},
    {"favors", "favours"},
    {"follow_up_rules", "follow-up rules"},
    {"follow_ups", "follow-ups"},
    {"asks", "asks"},
    {"holidays", "holidays"},
};

}  // namespace

archive::archive(store::impl& impl) : s_(impl) {}

void archive::write(std::ostream& out) {
    detail::guarded(s_, [&] {
        // One read transaction: a consistent picture even while another process writes.
        s_.db.exec("BEGIN");
        try {
            json head{{"format", "netcrm"},
                      {"schema_version", store::schema_version},
                      {"exported_at", iso8601(s_.now())}};
            json settings = json::object();
            {
                // Not the internal "activity" request to rebuild the derived summaries (detail/activity.hpp).
                SQLite::Statement q(s_.db, "SELECT key, value FROM settings WHERE key <> 'activity' ORDER BY key");
                while (q.executeStep()) settings[q.getColumn(0).getString()] = q.getColumn(1).getString();
            }
            head["settings"] = settings;
            std::string h = head.dump(1);
            h.pop_back();  // the closing brace: the big arrays follow
            while (!h.empty() && (h.back() == '\n' || h.back() == ' ')) h.pop_back();
            out << h << ",\n \"contacts\": [";
            contact_id after = 0;
            bool first = true;
            for (;;) {
                std::vector<contact_id> ids;
                SQLite::Statement q(s_.db, "SELECT id FROM contacts WHERE id > ? ORDER BY id LIMIT " + std::to_string(page));
                q.bind(1, after);
                while (q.executeStep()) ids.push_back(q.getColumn(0).getInt64());
                if (ids.empty()) break;
                for (const auto& c : detail::load_contacts(s_, ids)) {
                    out << (first ? "\n  " : ",\n  ") << detail::to_json(c).dump();
                    first = false;
                }
                after = ids.back();
            }
            out << "\n ],\n \"merges\": [";
            {
                SQLite::Statement q(s_.db, "SELECT id, survivor_id, merged_id, merged_at, snapshot FROM contact_merges ORDER BY id");
                first = true;
                while (q.executeStep()) {
                    json m{{"id", q.getColumn(0).getInt64()},
                           {"survivor_id", q.getColumn(1).getInt64()},
                           {"merged_id", q.getColumn(2).getInt64()},
                           {"merged_at", iso8601(from_unix(q.getColumn(3).getInt64()))},
                           {"snapshot", json::parse(q.getColumn(4).getString())}};
                    out << (first ? "\n  " : ",\n  ") << m.dump();
                    first = false;
                }
            }
            out << "\n ],\n \"imports\": [";
            {
                SQLite::Statement q(s_.db, "SELECT id FROM import_batches ORDER BY id");
                first = true;
                while (q.executeStep()) {
                    std::int64_t id = q.getColumn(0).getInt64();
                    json b = rows(s_.db, "SELECT * FROM import_batches WHERE id = ?", id,
                                  {"started_at", "finished_at", "undone_at"})
                                 .at(0);
                    b["tags"] = json::parse(b["tags"].get<std::string>());
                    b["changes"] = rows(s_.db,
                                        "SELECT contact_id, action, before, attended FROM import_changes WHERE batch_id = ? "
                                        "ORDER BY contact_id",
                                        id, {});
                    for (auto& c : b["changes"]) {
                        if (!c["before"].is_null()) c["before"] = json::parse(c["before"].get<std::string>());
                        c["attended"] = c["attended"].get<std::int64_t>() != 0;
                    }
                    b["problems"] = rows(s_.db,
                                         "SELECT kind, source, line, col, reason, contact_id, other_id FROM "
                                         "import_problems WHERE batch_id = ? ORDER BY rowid",
                                         id, {});
                    out << (first ? "\n  " : ",\n  ") << b.dump();
                    first = false;
                }
            }
            out << "\n ],\n \"events\": [";
            write_events(s_.db, out);
            out << "\n ],\n \"interactions\": [";
            write_interactions(s_.db, out);
            out << "\n ],\n \"goals\": [";
            write_goals(s_.db, out);
            out << "\n ],\n \"introductions\": [";
            write_introductions(s_.db, out);
            out << "\n ],\n \"favors\": [";
            write_favors(s_.db, out);
            out << "\n ],\n \"follow_up_rules\": [";
            write_follow_up_rules(s_.db, out);
            out << "\n ],\n \"follow_ups\": [";
            write_follow_ups(s_.db, out);
            out << "\n ],\n \"asks\": [";
            write_asks(s_.db, out);
            out << "\n ],\n \"holidays\": [";
            write_holidays(s_.db, out);
            out << "\n ]\n}\n";
            s_.db.exec("COMMIT");
        } catch (...) {
            try {
                s_.db.exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
        if (!out) throw error("could not write the export (disk full?)");
    });
}

restore_summary archive::restore(std::istream& in, const std::string& source) {
    json doc;
    try {
        doc = json::parse(in);
    } catch (const json::parse_error& e) {
        throw invalid_input(source + ": not valid JSON at byte " + std::to_string(e.byte) + ": " + e.what());
    }
    if (!doc.is_object() || doc.value("format", "") != "netcrm")
        throw invalid_input(source + ": not a netcrm export (no \"format\": \"netcrm\")");
    int version = need<int>(doc, "schema_version", source);
    if (version > store::schema_version)
        throw incompatible_database(source + " was exported by a newer netcrm (schema version " + std::to_string(version) +
                                        "); this netcrm reads up to " + std::to_string(store::schema_version),
                                    source, version, store::schema_version);
    restore_summary summary;
    detail::guarded(s_, [&] {
        detail::write_transaction(s_, [&] {
            // Settings are not counted: every database has some (its store_id, the time zone).
            for (const auto& [table, what] : stored_tables) {
                if (s_.db.execAndGet(std::string("SELECT EXISTS (SELECT 1 FROM ") + table + ")").getInt() != 0)
                    throw invalid_input("restoring " + source + " needs an empty database; this one has " + what);
            }
            // Contacts may point at contacts restored after them (introduced_by).
            s_.db.exec("PRAGMA defer_foreign_keys = ON");
            if (doc.contains("settings"))
                for (const auto& [key, value] : doc.at("settings").items()) {
                    if (!value.is_string()) throw invalid_input(source + ": setting \"" + key + "\" is not a string");
                    // The archive's store_id replaces the one this new file got: calendar
                    // exports of the restored store keep their UIDs, so calendars update in place.
                    if (key == "store_id" && value.get<std::string>().empty())
                        throw invalid_input(source + ": setting \"store_id\" is empty");
                    s_.set_setting(key, value.get<std::string>());
                }
            // Keys are computed with the restored region; the old one comes back if the restore fails.
            phone_normalizer previous = s_.phones;
            s_.phones = phone_normalizer(s_.setting("default_region").value_or(""));
            try {
                restore_rows(s_, doc, source, summary);
            } catch (...) {
                s_.phones = previous;
                throw;
            }
        });
    });
    return summary;
}

}  // namespace crm
