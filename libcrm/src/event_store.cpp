#include "crm/event_store.hpp"

#include "crm/time_zone.hpp"

#include "detail/follow_up_hooks.hpp"
#include "detail/first_meeting.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <algorithm>
#include <unordered_map>
#include <unordered_set>

namespace crm {

using detail::from_unix;
using detail::guarded;
using detail::to_unix;
using detail::write_transaction;

namespace {

constexpr const char* event_columns =
    "id, name, kind, starts_at, ends_at, time_zone, location, notes, created_at, updated_at";

std::string lower_ascii(std::string s) {
    for (auto& ch : s)
        if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
    return s;
}

std::string show_instant(date::sys_seconds t) { return date::format("%FT%TZ", t); }

// Checks and normalizes one expense; `where` names it in messages ("expenses[2]", "expense").
void prepare_expense(expense& x, const std::string& where) {
    x.amount.currency = [&] {
        try {
            return checked_currency(x.amount.currency);
        } catch (const invalid_input& e) {
            throw invalid_input(where + ".currency: " + e.what());
        }
    }();
    if (x.amount.minor < 0)
        throw invalid_input(where + ".amount: " + x.amount.to_string() + " is negative; an expense is what was spent");
    detail::check_text(where + ".category", x.category);
    detail::check_text(where + ".note", x.note);
    x.category = lower_ascii(detail::trim(x.category));
    if (x.category.empty()) x.category = "other";
}

// Everything add() and update() check that needs no database. The zone is checked later, once ""
// has become the store's.
void prepare(event& e) {
    detail::check_text("name", e.name);
    e.name = detail::trim(e.name);
    if (e.name.empty()) throw invalid_input("name: an event needs a name");
    detail::check_text("kind", e.kind);
    e.kind = lower_ascii(detail::trim(e.kind));
    detail::check_text("time_zone", e.time_zone);
    e.time_zone = detail::trim(e.time_zone);
    detail::check_text("location", e.location);
    e.location = detail::trim(e.location);
    detail::check_text("notes", e.notes);
    if (e.ends_at && *e.ends_at < e.starts_at)
        throw invalid_input("ends_at: the event ends (" + show_instant(*e.ends_at) + ") before it starts (" +
                            show_instant(e.starts_at) + ")");
    std::vector<std::string> tags;
    std::unordered_set<std::string> seen;
    for (std::size_t i = 0; i < e.tags.size(); ++i) {
        detail::check_text("tags[" + std::to_string(i) + "]", e.tags[i]);
        std::string t = detail::trim(e.tags[i]);
        if (!t.empty() && seen.insert(t).second) tags.push_back(std::move(t));
    }
    e.tags = std::move(tags);
    for (std::size_t i = 0; i < e.expenses.size(); ++i) prepare_expense(e.expenses[i], "expenses[" + std::to_string(i) + "]");
}

void resolve_zone(store::impl& s, event& e) {
    if (e.time_zone.empty()) e.time_zone = s.user_time_zone();
    try {
        check_time_zone(e.time_zone);
    } catch (const invalid_input& x) {
        throw invalid_input(std::string("time_zone: ") + x.what());
    }
}

event read_event(SQLite::Statement& q) {
    event e;
    e.id = q.getColumn(0).getInt64();
    e.name = q.getColumn(1).getString();
    e.kind = q.getColumn(2).getString();
    e.starts_at = from_unix(q.getColumn(3).getInt64());
    if (!q.getColumn(4).isNull()) e.ends_at = from_unix(q.getColumn(4).getInt64());
    e.time_zone = q.getColumn(5).getString();
    e.location = q.getColumn(6).getString();
    e.notes = q.getColumn(7).getString();
    e.created_at = from_unix(q.getColumn(8).getInt64());
    e.updated_at = from_unix(q.getColumn(9).getInt64());
    return e;
}

expense read_expense(SQLite::Statement& q, int first) {
    expense x;
    x.id = q.getColumn(first).getInt64();
    x.amount.minor = q.getColumn(first + 1).getInt64();
    x.amount.currency = q.getColumn(first + 2).getString();
    x.category = q.getColumn(first + 3).getString();
    x.note = q.getColumn(first + 4).getString();
    return x;
}

std::string id_array(const std::vector<event_id>& ids) {
    std::string out = "[";
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (i) out += ',';
        out += std::to_string(ids[i]);
    }
    return out + "]";
}

// Tags and expenses of events already read (main rows), one query per table.
void load_children(store::impl& s, std::vector<event>& events) {
    if (events.empty()) return;
    std::unordered_map<event_id, event*> by_id;
    std::vector<event_id> ids;
    for (auto& e : events) {
        by_id.emplace(e.id, &e);
        ids.push_back(e.id);
    }
    const std::string arr = id_array(ids);
    {
        SQLite::Statement q(s.db, "SELECT event_id, tag FROM event_tags WHERE event_id IN (SELECT value FROM json_each(?)) "
                                  "ORDER BY event_id, position");
        q.bind(1, arr);
        while (q.executeStep()) by_id.at(q.getColumn(0).getInt64())->tags.push_back(q.getColumn(1).getString());
    }
    {
        SQLite::Statement q(s.db, "SELECT event_id, id, amount, currency, category, note FROM event_expenses "
                                  "WHERE event_id IN (SELECT value FROM json_each(?)) ORDER BY event_id, id");
        q.bind(1, arr);
        while (q.executeStep()) by_id.at(q.getColumn(0).getInt64())->expenses.push_back(read_expense(q, 1));
    }
}

std::optional<event> load_one(store::impl& s, event_id id) {
    SQLite::Statement q(s.db, std::string("SELECT ") + event_columns + " FROM events WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    std::vector<event> one{read_event(q)};
    load_children(s, one);
    return std::move(one.front());
}

void bind_main(SQLite::Statement& q, const event& e) {
    q.bind(1, e.name);
    q.bind(2, e.kind);
    q.bind(3, to_unix(e.starts_at));
    if (e.ends_at)
        q.bind(4, to_unix(*e.ends_at));
    else
        q.bind(4);
    q.bind(5, e.time_zone);
    q.bind(6, e.location);
    q.bind(7, e.notes);
    q.bind(8, to_unix(e.created_at));
    q.bind(9, to_unix(e.updated_at));
}

void write_tags(store::impl& s, const event& e) {
    SQLite::Statement del(s.db, "DELETE FROM event_tags WHERE event_id = ?");
    del.bind(1, e.id);
    del.exec();
    SQLite::Statement ins(s.db, "INSERT INTO event_tags(event_id, position, tag) VALUES (?, ?, ?)");
    for (std::size_t i = 0; i < e.tags.size(); ++i) {
        ins.bind(1, e.id);
        ins.bind(2, static_cast<std::int64_t>(i));
        ins.bind(3, e.tags[i]);
        ins.exec();
        ins.reset();
    }
}

expense insert_expense(store::impl& s, event_id id, expense x) {
    SQLite::Statement q(s.db, "INSERT INTO event_expenses(event_id, amount, currency, category, note) VALUES (?, ?, ?, ?, ?)");
    q.bind(1, id);
    q.bind(2, x.amount.minor);
    q.bind(3, x.amount.currency);
    q.bind(4, x.category);
    q.bind(5, x.note);
    q.exec();
    x.id = s.db.getLastInsertRowid();
    return x;
}

bool event_exists(store::impl& s, event_id id) { return detail::row_exists(s, "events", id); }
bool contact_exists(store::impl& s, contact_id id) { return detail::row_exists(s, "contacts", id); }

void touch_event(store::impl& s, event_id id, date::sys_seconds now) {
    SQLite::Statement u(s.db, "UPDATE events SET updated_at = ? WHERE id = ?");
    u.bind(1, to_unix(now));
    u.bind(2, id);
    u.exec();
}

// The WHERE clause of list() and count(); parameters are numbered so each is bound once.
std::string where_clause(const event_filter& f) {
    std::string w = " WHERE 1";
    if (f.from) w += " AND starts_at >= ?1";
    if (f.to) w += " AND starts_at < ?2";
    if (f.kind) w += " AND kind = ?3 COLLATE NOCASE";
    if (f.tag) w += " AND id IN (SELECT event_id FROM event_tags WHERE tag = ?4 COLLATE NOCASE)";
    if (f.attendee) w += " AND id IN (SELECT event_id FROM event_attendees WHERE contact_id = ?5)";
    return w;
}

void bind_filter(SQLite::Statement& q, const event_filter& f) {
    if (f.from) q.bind(1, to_unix(*f.from));
    if (f.to) q.bind(2, to_unix(*f.to));
    if (f.kind) q.bind(3, detail::trim(*f.kind));
    if (f.tag) q.bind(4, detail::trim(*f.tag));
    if (f.attendee) q.bind(5, *f.attendee);
}

void check_filter(const event_filter& f) {
    if (f.kind) detail::check_text("kind", *f.kind);
    if (f.tag) detail::check_text("tag", *f.tag);
}

constexpr const char* attendance_columns = "event_id, contact_id, met_at, first_meeting, introduced_by";

attendance read_attendance(SQLite::Statement& q) {
    attendance a;
    a.event = q.getColumn(0).getInt64();
    a.contact = q.getColumn(1).getInt64();
    a.met_at = from_unix(q.getColumn(2).getInt64());
    a.first_meeting = q.getColumn(3).getInt() != 0;
    if (!q.getColumn(4).isNull()) a.introduced_by = q.getColumn(4).getInt64();
    return a;
}

std::optional<attendance> first_meeting_of(store::impl& s, contact_id contact) {
    SQLite::Statement q(s.db, std::string("SELECT ") + attendance_columns +
                                  " FROM event_attendees WHERE contact_id = ? AND first_meeting = 1 "
                                  "ORDER BY met_at, event_id LIMIT 1");
    q.bind(1, contact);
    if (!q.executeStep()) return std::nullopt;
    return read_attendance(q);
}

std::string event_name(store::impl& s, event_id id) {
    SQLite::Statement q(s.db, "SELECT name FROM events WHERE id = ?");
    q.bind(1, id);
    return q.executeStep() ? q.getColumn(0).getString() : std::string();
}

}  // namespace

event_store::event_store(store::impl& impl) : s_(impl) {}

event event_store::add(event e) {
    prepare(e);
    return guarded(s_, [&] {
        resolve_zone(s_, e);
        e.created_at = e.updated_at = s_.now();
        return write_transaction(s_, [&] {
            SQLite::Statement q(s_.db, "INSERT INTO events(name, kind, starts_at, ends_at, time_zone, location, notes, "
                                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)");
            bind_main(q, e);
            q.exec();
            e.id = s_.db.getLastInsertRowid();
            write_tags(s_, e);
            for (auto& x : e.expenses) x = insert_expense(s_, e.id, std::move(x));
            return e;
        });
    });
}

std::optional<event> event_store::find(event_id id) const {
    return guarded(s_, [&] { return load_one(s_, id); });
}

event event_store::get(event_id id) const {
    auto e = find(id);
    if (!e) throw not_found("event", id);
    return std::move(*e);
}

event event_store::update(event e) {
    prepare(e);
    return guarded(s_, [&] {
        resolve_zone(s_, e);
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            SQLite::Statement created(s_.db, "SELECT created_at FROM events WHERE id = ?");
            created.bind(1, e.id);
            if (!created.executeStep()) throw not_found("event", e.id);
            e.created_at = from_unix(created.getColumn(0).getInt64());
            e.updated_at = now;

            // Expenses that keep their id stay that row; the others of this event go; id 0 is new.
            std::unordered_set<expense_id> stored;
            {
                SQLite::Statement q(s_.db, "SELECT id FROM event_expenses WHERE event_id = ?");
                q.bind(1, e.id);
                while (q.executeStep()) stored.insert(q.getColumn(0).getInt64());
            }
            std::unordered_set<expense_id> kept;
            for (std::size_t i = 0; i < e.expenses.size(); ++i) {
                const expense_id xid = e.expenses[i].id;
                if (xid == 0) continue;
                if (!stored.count(xid))
                    throw invalid_input("expenses[" + std::to_string(i) + "].id: event " + std::to_string(e.id) +
                                        " has no expense " + std::to_string(xid) + " (use id 0 for a new one)");
                if (!kept.insert(xid).second)
                    throw invalid_input("expenses[" + std::to_string(i) + "].id: expense " + std::to_string(xid) +
                                        " is listed twice");
            }

            SQLite::Statement q(s_.db, "UPDATE events SET name = ?, kind = ?, starts_at = ?, ends_at = ?, time_zone = ?, "
                                       "location = ?, notes = ?, created_at = ?, updated_at = ? WHERE id = ?");
            bind_main(q, e);
            q.bind(10, e.id);
            q.exec();
            write_tags(s_, e);
            for (auto& x : e.expenses) {
                if (x.id == 0) {
                    x = insert_expense(s_, e.id, std::move(x));
                    continue;
                }
                SQLite::Statement u(s_.db, "UPDATE event_expenses SET amount = ?, currency = ?, category = ?, note = ? "
                                           "WHERE id = ?");
                u.bind(1, x.amount.minor);
                u.bind(2, x.amount.currency);
                u.bind(3, x.category);
                u.bind(4, x.note);
                u.bind(5, x.id);
                u.exec();
            }
            // Dropped ones go last, so that a new expense cannot take the id of one just dropped
            // (SQLite hands out max(id) + 1) and a stale reference to it never hits the new one.
            for (expense_id xid : stored)
                if (!kept.count(xid)) {
                    SQLite::Statement d(s_.db, "DELETE FROM event_expenses WHERE id = ?");
                    d.bind(1, xid);
                    d.exec();
                }
            // Read back: expenses come in the order they were added (by id), whatever order was handed in.
            return *load_one(s_, e.id);
        });
    });
}

void event_store::remove(event_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            // Tags, expenses and attendance go with it (ON DELETE CASCADE); interactions logged
            // there keep existing with event_id NULL (ON DELETE SET NULL).
            SQLite::Statement q(s_.db, "DELETE FROM events WHERE id = ?");
            q.bind(1, id);
            if (q.exec() == 0) throw not_found("event", id);
        });
    });
}

std::vector<event> event_store::list(const event_filter& filter) const {
    check_filter(filter);
    return guarded(s_, [&] {
        std::string sql = std::string("SELECT ") + event_columns + " FROM events" + where_clause(filter) +
                          " ORDER BY starts_at, id";
        if (filter.limit) sql += " LIMIT " + std::to_string(filter.limit);
        if (filter.offset)
            sql += (filter.limit ? "" : " LIMIT -1") + std::string(" OFFSET ") + std::to_string(filter.offset);
        SQLite::Statement q(s_.db, sql);
        bind_filter(q, filter);
        std::vector<event> out;
        while (q.executeStep()) out.push_back(read_event(q));
        load_children(s_, out);
        return out;
    });
}

std::size_t event_store::count(const event_filter& filter) const {
    check_filter(filter);
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, "SELECT count(*) FROM events" + where_clause(filter));
        bind_filter(q, filter);
        q.executeStep();
        return static_cast<std::size_t>(q.getColumn(0).getInt64());
    });
}

expense event_store::add_expense(event_id id, expense e) {
    e.id = 0;
    prepare_expense(e, "expense");
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            if (!event_exists(s_, id)) throw not_found("event", id);
            expense stored = insert_expense(s_, id, std::move(e));
            touch_event(s_, id, now);
            return stored;
        });
    });
}

void event_store::remove_expense(expense_id id) {
    guarded(s_, [&] {
        const auto now = s_.now();
        write_transaction(s_, [&] {
            SQLite::Statement q(s_.db, "SELECT event_id FROM event_expenses WHERE id = ?");
            q.bind(1, id);
            if (!q.executeStep()) throw not_found("expense", id);
            const event_id owner = q.getColumn(0).getInt64();
            SQLite::Statement d(s_.db, "DELETE FROM event_expenses WHERE id = ?");
            d.bind(1, id);
            d.exec();
            touch_event(s_, owner, now);
        });
    });
}

attendance event_store::add_attendee(event_id event_id_, contact_id contact, const attendee_options& options) {
    if (options.introduced_by && *options.introduced_by == contact)
        throw invalid_input("introduced_by: contact " + std::to_string(contact) + " cannot introduce themselves");
    return guarded(s_, [&] {
        const auto now = s_.now();
        return write_transaction(s_, [&] {
            SQLite::Statement ev(s_.db, "SELECT starts_at FROM events WHERE id = ?");
            ev.bind(1, event_id_);
            if (!ev.executeStep()) throw not_found("event", event_id_);
            if (!contact_exists(s_, contact)) throw not_found("contact", contact);
            if (options.introduced_by && !contact_exists(s_, *options.introduced_by))
                throw invalid_input("introduced_by: no contact with id " + std::to_string(*options.introduced_by));

            attendance a;
            a.event = event_id_;
            a.contact = contact;
            a.met_at = options.met_at.value_or(from_unix(ev.getColumn(0).getInt64()));
            a.introduced_by = options.introduced_by;

            // The first meeting recorded elsewhere, if any: this event's own row is being replaced.
            std::optional<attendance> first;
            bool moved_first = false;
            {
                SQLite::Statement q(s_.db, std::string("SELECT ") + attendance_columns +
                                               " FROM event_attendees WHERE contact_id = ? AND first_meeting = 1 "
                                               "AND event_id <> ? ORDER BY met_at, event_id LIMIT 1");
                q.bind(1, contact);
                q.bind(2, event_id_);
                if (q.executeStep()) first = read_attendance(q);
            }
            if (options.first_meeting) {
                a.first_meeting = *options.first_meeting;
                if (a.first_meeting && first)
                    throw invalid_input("first_meeting: contact " + std::to_string(contact) +
                                        " was already first met at event " + std::to_string(first->event) + " (\"" +
                                        event_name(s_, first->event) + "\", " + show_instant(first->met_at) +
                                        "); clear that first");
            } else {
                // The first meeting is the earliest one recorded, whatever the order of entry: met
                // here first unless met before, at another event or in an interaction (not one at
                // this event: talking here is meeting here). A first meeting recorded later (this
                // year's conference, then last year's meetup backfilled) moves here; one at the
                // same instant stays.
                SQLite::Statement earlier(s_.db,
                                          "SELECT EXISTS (SELECT 1 FROM event_attendees WHERE contact_id = ?1 "
                                          "AND event_id <> ?2 AND met_at < ?3) "
                                          "OR EXISTS (SELECT 1 FROM interaction_contacts ic JOIN interactions i "
                                          "ON i.id = ic.interaction_id WHERE ic.contact_id = ?1 AND ic.at < ?3 "
                                          "AND i.event_id IS NOT ?2)");
                earlier.bind(1, contact);
                earlier.bind(2, event_id_);
                earlier.bind(3, to_unix(a.met_at));
                earlier.executeStep();
                a.first_meeting = earlier.getColumn(0).getInt() == 0 && !(first && first->met_at <= a.met_at);
                if (a.first_meeting && first) {
                    SQLite::Statement clear(s_.db, "UPDATE event_attendees SET first_meeting = 0 "
                                                   "WHERE contact_id = ? AND event_id = ?");
                    clear.bind(1, contact);
                    clear.bind(2, first->event);
                    clear.exec();
                }
                // This row was the first meeting and is moved later than another meeting: the first
                // meeting goes to the earliest one, unless an interaction came before that too.
                SQLite::Statement was(s_.db, "SELECT first_meeting FROM event_attendees WHERE event_id = ? "
                                             "AND contact_id = ?");
                was.bind(1, event_id_);
                was.bind(2, contact);
                moved_first = !a.first_meeting && was.executeStep() && was.getColumn(0).getInt() != 0;
            }

            SQLite::Statement ins(s_.db, "INSERT INTO event_attendees(event_id, contact_id, met_at, first_meeting, "
                                         "introduced_by) VALUES (?, ?, ?, ?, ?) ON CONFLICT(event_id, contact_id) DO "
                                         "UPDATE SET met_at = excluded.met_at, first_meeting = excluded.first_meeting, "
                                         "introduced_by = excluded.introduced_by");
            ins.bind(1, a.event);
            ins.bind(2, a.contact);
            ins.bind(3, to_unix(a.met_at));
            ins.bind(4, a.first_meeting ? 1 : 0);
            if (a.introduced_by)
                ins.bind(5, *a.introduced_by);
            else
                ins.bind(5);
            ins.exec();
            if (moved_first) detail::promote_first_meeting(s_, contact);

            if (a.introduced_by) {
                // The contact's own record says who introduced them, unless it says so already.
                SQLite::Statement u(s_.db, "UPDATE contacts SET introduced_by = ?, updated_at = ? "
                                           "WHERE id = ? AND introduced_by IS NULL");
                u.bind(1, *a.introduced_by);
                u.bind(2, to_unix(now));
                u.bind(3, contact);
                u.exec();
            }
            detail::on_attendee_added(s_, a.event, a.contact);  // after_event follow-up rules
            return a;
        });
    });
}

void event_store::remove_attendee(event_id event, contact_id contact) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            SQLite::Statement q(s_.db, "DELETE FROM event_attendees WHERE event_id = ? AND contact_id = ?");
            q.bind(1, event);
            q.bind(2, contact);
            if (q.exec() == 0) {
                if (!event_exists(s_, event)) throw not_found("event", event);
                if (!contact_exists(s_, contact)) throw not_found("contact", contact);
                throw not_found("attendance of contact " + std::to_string(contact) + " at event", event);
            }
        });
    });
}

std::vector<attendance> event_store::attendees(event_id event) const {
    return guarded(s_, [&] {
        if (!event_exists(s_, event)) throw not_found("event", event);
        SQLite::Statement q(s_.db, std::string("SELECT ") + attendance_columns +
                                       " FROM event_attendees WHERE event_id = ? ORDER BY met_at, contact_id");
        q.bind(1, event);
        std::vector<attendance> out;
        while (q.executeStep()) out.push_back(read_attendance(q));
        return out;
    });
}

std::vector<attendance> event_store::attended(contact_id contact) const {
    return guarded(s_, [&] {
        if (!contact_exists(s_, contact)) throw not_found("contact", contact);
        SQLite::Statement q(s_.db, std::string("SELECT ") + attendance_columns +
                                       " FROM event_attendees WHERE contact_id = ? ORDER BY met_at, event_id");
        q.bind(1, contact);
        std::vector<attendance> out;
        while (q.executeStep()) out.push_back(read_attendance(q));
        return out;
    });
}

std::optional<attendance> event_store::first_met(contact_id contact) const {
    return guarded(s_, [&] {
        if (!contact_exists(s_, contact)) throw not_found("contact", contact);
        return first_meeting_of(s_, contact);
    });
}

namespace detail {

void promote_first_meeting(store::impl& s, contact_id contact) {
    SQLite::Statement promote(s.db, R"sql(
        UPDATE event_attendees SET first_meeting = 1
        WHERE contact_id = ?1 AND event_id = (
            SELECT a.event_id FROM event_attendees a WHERE a.contact_id = ?1
            ORDER BY a.met_at, a.event_id LIMIT 1)
          AND NOT EXISTS (SELECT 1 FROM interaction_contacts ic JOIN interactions i ON i.id = ic.interaction_id
                          WHERE ic.contact_id = ?1 AND ic.at < event_attendees.met_at
                            AND i.event_id IS NOT event_attendees.event_id))sql");
    promote.bind(1, contact);
    promote.exec();
}

}  // namespace detail

}  // namespace crm
