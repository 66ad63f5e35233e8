#include "crm/favor_store.hpp"

#include "crm/error.hpp"
#include "crm/favor.hpp"

#include "detail/follow_up_hooks.hpp"
#include "detail/iso_date.hpp"
#include "detail/read_back.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <date/tz.h>

#include <cmath>
#include <cstdio>
#include <string>

namespace crm {

using detail::from_unix;
using detail::guarded;
using detail::to_unix;
using detail::write_transaction;

namespace {

constexpr const char* favor_columns =
    "id, direction, contact_id, kind, weight, on_date, note, status, introduction_id, created_at, updated_at";
constexpr const char* introduction_columns = "id, introducer_id, first_id, second_id, on_date, note, created_at";
constexpr const char* ask_columns = "id, contact_id, text, status, created_at, closed_at";

std::string iso(date::year_month_day d) { return detail::iso_date(d); }

// Only this file writes on_date, always as YYYY-MM-DD.
date::year_month_day from_iso(const std::string& s) {
    auto d = detail::parse_iso_date(s);
    if (!d) throw storage_error("stored date '" + s + "' is not YYYY-MM-DD", 0);
    return *d;
}

// Today on the user's wall clock: a favour done at 23:30 in Paris was done that day, not the UTC one.
date::year_month_day today(store::impl& s) {
    const auto zone = s.user_time_zone();
    const auto* z = date::locate_zone(zone);
    return date::year_month_day{date::floor<date::days>(z->to_local(s.now()))};
}

bool unset(date::year_month_day d) { return d == date::year_month_day{}; }

// `on` unset becomes today; anything else must be a real calendar date.
date::year_month_day resolve_date(store::impl& s, date::year_month_day d, const char* field) {
    if (unset(d)) return today(s);
    if (!d.ok())
        throw invalid_input(std::string(field) + ": " + std::to_string(int(d.year())) + "-" +
                            std::to_string(unsigned(d.month())) + "-" + std::to_string(unsigned(d.day())) +
                            " is not a calendar date");
    if (int(d.year()) < 1 || int(d.year()) > 9999)
        throw invalid_input(std::string(field) + ": the year must be between 1 and 9999");
    return d;
}

template <class E>
bool known(E v, E last) {
    return static_cast<int>(v) >= 0 && static_cast<int>(v) <= static_cast<int>(last);
}

void check_weight(double w) {
    if (!std::isfinite(w) || w <= 0)
        throw invalid_input("weight: " + std::to_string(w) + " is not a positive number; a favour weighs more than 0 "
                            "(1 is an ordinary favour)");
}

// Checks of a favour's own values, without the database.
void check_values(favor& f) {
    if (!known(f.direction, favor_direction::received)) throw invalid_input("direction: not given or received");
    if (!known(f.kind, favor_kind::other)) throw invalid_input("kind: not a known favour kind");
    if (!known(f.status, favor_status::declined)) throw invalid_input("status: not a known favour status");
    check_weight(f.weight);
    detail::check_text("note", f.note);
    f.note = detail::trim(f.note);
}

void require_contact(store::impl& s, contact_id id) { detail::require_row(s, "contacts", "contact", id); }

favor read_favor(SQLite::Statement& q) {
    favor f;
    f.id = q.getColumn(0).getInt64();
    f.direction = detail::read_back("favour", f.id, [&] { return parse_favor_direction(q.getColumn(1).getString()); });
    f.contact = q.getColumn(2).getInt64();
    f.kind = detail::read_back("favour", f.id, [&] { return parse_favor_kind(q.getColumn(3).getString()); });
    f.weight = q.getColumn(4).getDouble();
    f.on = from_iso(q.getColumn(5).getString());
    f.note = q.getColumn(6).getString();
    f.status = detail::read_back("favour", f.id, [&] { return parse_favor_status(q.getColumn(7).getString()); });
    if (!q.getColumn(8).isNull()) f.introduction = q.getColumn(8).getInt64();
    f.created_at = from_unix(q.getColumn(9).getInt64());
    f.updated_at = from_unix(q.getColumn(10).getInt64());
    return f;
}

introduction read_introduction(SQLite::Statement& q) {
    introduction i;
    i.id = q.getColumn(0).getInt64();
    if (!q.getColumn(1).isNull()) i.introducer = q.getColumn(1).getInt64();
    if (!q.getColumn(2).isNull()) i.first = q.getColumn(2).getInt64();
    i.second = q.getColumn(3).getInt64();
    i.on = from_iso(q.getColumn(4).getString());
    i.note = q.getColumn(5).getString();
    i.created_at = from_unix(q.getColumn(6).getInt64());
    return i;
}

ask read_ask(SQLite::Statement& q) {
    ask a;
    a.id = q.getColumn(0).getInt64();
    a.contact = q.getColumn(1).getInt64();
    a.text = q.getColumn(2).getString();
    a.status = parse_ask_status(q.getColumn(3).getString());
    a.created_at = from_unix(q.getColumn(4).getInt64());
    if (!q.getColumn(5).isNull()) a.closed_at = from_unix(q.getColumn(5).getInt64());
    return a;
}

std::optional<favor> load_favor(store::impl& s, favor_id id) {
    SQLite::Statement q(s.db, std::string("SELECT ") + favor_columns + " FROM favors WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_favor(q);
}

std::optional<introduction> load_introduction(store::impl& s, introduction_id id) {
    SQLite::Statement q(s.db, std::string("SELECT ") + introduction_columns + " FROM introductions WHERE id = ?");
    q.bind(1, id);
    if (!q.executeStep()) return std::nullopt;
    return read_introduction(q);
}

std::vector<favor> favours_of_introduction(store::impl& s, introduction_id id) {
    SQLite::Statement q(s.db, std::string("SELECT ") + favor_columns + " FROM favors WHERE introduction_id = ? ORDER BY id");
    q.bind(1, id);
    std::vector<favor> out;
    while (q.executeStep()) out.push_back(read_favor(q));
    return out;
}

// Inserts a checked favour (contact known, date resolved); fills in id and times.
void insert_favor(store::impl& s, favor& f) {
    const auto now = s.now();
    f.created_at = now;
    f.updated_at = now;
    SQLite::Statement q(s.db, "INSERT INTO favors(direction, contact_id, kind, weight, on_date, note, status, "
                              "introduction_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
    q.bind(1, std::string(to_string(f.direction)));
    q.bind(2, f.contact);
    q.bind(3, std::string(to_string(f.kind)));
    q.bind(4, f.weight);
    q.bind(5, iso(f.on));
    q.bind(6, f.note);
    q.bind(7, std::string(to_string(f.status)));
    if (f.introduction) q.bind(8, *f.introduction);
    else q.bind(8);
    q.bind(9, to_unix(now));
    q.bind(10, to_unix(now));
    q.exec();
    f.id = s.db.getLastInsertRowid();
}

// The SQL of a balance: done favours only, summed per contact.
constexpr const char* balance_select = R"sql(
    SELECT contact_id,
           coalesce(sum(CASE WHEN direction = 'given' THEN weight END), 0) AS given,
           coalesce(sum(CASE WHEN direction = 'received' THEN weight END), 0) AS received,
           max(CASE WHEN direction = 'received' THEN on_date END) AS last_received
    FROM favors WHERE status = 'done')sql";

favor_balance read_balance(SQLite::Statement& q) {
    favor_balance b;
    b.contact = q.getColumn(0).getInt64();
    b.given = q.getColumn(1).getDouble();
    b.received = q.getColumn(2).getDouble();
    b.balance = b.given - b.received;
    if (!q.getColumn(3).isNull()) b.last_received = from_iso(q.getColumn(3).getString());
    return b;
}

}  // namespace

favor_store::favor_store(store::impl& impl) : s_(impl) {}

favor favor_store::add(favor f, const favor_options& options) {
    check_values(f);
    if (f.introduction)
        throw invalid_input("introduction: the favours of an introduction are recorded by introduce(), not add()");
    if (options.thank && f.direction != favor_direction::received)
        throw invalid_input("thank: a thank-you follows a favour received; this one is given");
    if (options.thank && f.status != favor_status::done)
        throw invalid_input("thank: a thank-you follows a favour done; this one is " + std::string(to_string(f.status)));
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            require_contact(s_, f.contact);
            f.on = resolve_date(s_, f.on, "on");
            insert_favor(s_, f);
            if (f.direction == favor_direction::received && f.status == favor_status::done)
                detail::on_favor_received(s_, f, options.thank);
            return f;
        });
    });
}

favor favor_store::get(favor_id id) const {
    auto f = find(id);
    if (!f) throw not_found("favour", id);
    return *f;
}

std::optional<favor> favor_store::find(favor_id id) const {
    return guarded(s_, [&] { return load_favor(s_, id); });
}

favor favor_store::update(favor f) {
    check_values(f);
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            auto old = load_favor(s_, f.id);
            if (!old) throw not_found("favour", f.id);
            if (f.introduction != old->introduction)
                throw invalid_input("introduction: a favour cannot be moved into or out of an introduction");
            // Who did what for whom is the introduction's: only how much it mattered, when, the note
            // and the status are the favour's own.
            if (old->introduction) {
                const auto why = " of favour " + std::to_string(f.id) + " comes from introduction " +
                                 std::to_string(*old->introduction) + "; remove the introduction and record it again";
                if (f.contact != old->contact) throw invalid_input("contact" + why);
                if (f.direction != old->direction) throw invalid_input("direction" + why);
                if (f.kind != old->kind) throw invalid_input("kind" + why);
            }
            if (f.contact != old->contact) require_contact(s_, f.contact);
            f.on = resolve_date(s_, f.on, "on");
            f.created_at = old->created_at;
            f.updated_at = s_.now();
            SQLite::Statement q(s_.db, "UPDATE favors SET direction = ?, contact_id = ?, kind = ?, weight = ?, "
                                       "on_date = ?, note = ?, status = ?, updated_at = ? WHERE id = ?");
            q.bind(1, std::string(to_string(f.direction)));
            q.bind(2, f.contact);
            q.bind(3, std::string(to_string(f.kind)));
            q.bind(4, f.weight);
            q.bind(5, iso(f.on));
            q.bind(6, f.note);
            q.bind(7, std::string(to_string(f.status)));
            q.bind(8, to_unix(f.updated_at));
            q.bind(9, f.id);
            q.exec();
            // The moment a received favour becomes done is when it was received: the after_favor
            // rules run then, once (an offer recorded earlier had not run them).
            const bool received_now = f.direction == favor_direction::received && f.status == favor_status::done;
            const bool received_before =
                old->direction == favor_direction::received && old->status == favor_status::done;
            if (received_now && !received_before) detail::on_favor_received(s_, f, false);
            return f;
        });
    });
}

void favor_store::remove(favor_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            auto old = load_favor(s_, id);
            if (!old) throw not_found("favour", id);
            if (old->introduction)
                throw invalid_input("favour " + std::to_string(id) + " counts for introduction " +
                                    std::to_string(*old->introduction) +
                                    ": remove_introduction() removes it with its favours, or set its status to declined");
            SQLite::Statement q(s_.db, "DELETE FROM favors WHERE id = ?");
            q.bind(1, id);
            q.exec();
        });
    });
}

namespace {

// The WHERE clause of a favour filter (its values bound by bind_filter); checks the dates.
std::string filter_sql(const favor_filter& filter) {
    if (filter.from && !filter.from->ok()) throw invalid_input("from: not a calendar date");
    if (filter.to && !filter.to->ok()) throw invalid_input("to: not a calendar date");
    if (filter.from && filter.to && *filter.from > *filter.to)
        throw invalid_input("from: " + iso(*filter.from) + " is after to " + iso(*filter.to));
    std::string sql = " WHERE 1";
    if (filter.contact) sql += " AND contact_id = :contact";
    if (filter.direction) sql += " AND direction = :direction";
    if (filter.kind) sql += " AND kind = :kind";
    if (filter.status) sql += " AND status = :status";
    if (filter.from) sql += " AND on_date >= :from";
    if (filter.to) sql += " AND on_date <= :to";
    return sql;
}

void bind_filter(SQLite::Statement& q, const favor_filter& filter) {
    if (filter.contact) q.bind(":contact", *filter.contact);
    if (filter.direction) q.bind(":direction", std::string(to_string(*filter.direction)));
    if (filter.kind) q.bind(":kind", std::string(to_string(*filter.kind)));
    if (filter.status) q.bind(":status", std::string(to_string(*filter.status)));
    if (filter.from) q.bind(":from", iso(*filter.from));
    if (filter.to) q.bind(":to", iso(*filter.to));
}

}  // namespace

std::size_t favor_store::count(const favor_filter& filter) const {
    const std::string sql = "SELECT count(*) FROM favors" + filter_sql(filter);
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, sql);
        bind_filter(q, filter);
        return q.executeStep() ? static_cast<std::size_t>(q.getColumn(0).getInt64()) : std::size_t{0};
    });
}

std::vector<favor> favor_store::list(const favor_filter& filter) const {
    std::string sql = std::string("SELECT ") + favor_columns + " FROM favors" + filter_sql(filter);
    sql += " ORDER BY on_date, id";
    if (filter.limit || filter.offset) sql += " LIMIT :limit OFFSET :offset";
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, sql);
        bind_filter(q, filter);
        if (filter.limit || filter.offset) {
            q.bind(":limit", filter.limit ? static_cast<std::int64_t>(filter.limit) : std::int64_t{-1});
            q.bind(":offset", static_cast<std::int64_t>(filter.offset));
        }
        std::vector<favor> out;
        while (q.executeStep()) out.push_back(read_favor(q));
        return out;
    });
}

introduction favor_store::introduce(introduction i, double weight) {
    check_weight(weight);
    detail::check_text("note", i.note);
    i.note = detail::trim(i.note);
    if (i.introducer && i.first)
        throw invalid_input("introducer: the user is the introducer or one of the two introduced; give either "
                            "introducer (someone introduced the user to second) or first (the user introduced first "
                            "to second), not both");
    if (!i.introducer && !i.first)
        throw invalid_input("first: say whom the user introduced to second, or who (introducer) introduced the user "
                            "to second");
    if (i.first && *i.first == i.second)
        throw invalid_input("second: contact " + std::to_string(i.second) + " cannot be introduced to themselves");
    if (i.introducer && *i.introducer == i.second)
        throw invalid_input("second: contact " + std::to_string(i.second) + " cannot introduce the user to themselves");
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            if (i.introducer) require_contact(s_, *i.introducer);
            if (i.first) require_contact(s_, *i.first);
            require_contact(s_, i.second);
            i.on = resolve_date(s_, i.on, "on");
            const auto now = s_.now();
            i.created_at = now;
            SQLite::Statement q(s_.db, "INSERT INTO introductions(introducer_id, first_id, second_id, on_date, note, "
                                       "created_at) VALUES (?, ?, ?, ?, ?, ?)");
            if (i.introducer) q.bind(1, *i.introducer);
            else q.bind(1);
            if (i.first) q.bind(2, *i.first);
            else q.bind(2);
            q.bind(3, i.second);
            q.bind(4, iso(i.on));
            q.bind(5, i.note);
            q.bind(6, to_unix(now));
            q.exec();
            i.id = s_.db.getLastInsertRowid();

            auto favour = [&](favor_direction d, contact_id who) {
                favor f;
                f.direction = d;
                f.contact = who;
                f.kind = favor_kind::introduction;
                f.weight = weight;
                f.on = i.on;
                f.note = i.note;
                f.status = favor_status::done;
                f.introduction = i.id;
                insert_favor(s_, f);
                return f;
            };
            if (i.first) {
                // The user did both of them a favour: each met someone through the user.
                favour(favor_direction::given, *i.first);
                favour(favor_direction::given, i.second);
            } else {
                const favor f = favour(favor_direction::received, *i.introducer);
                detail::on_favor_received(s_, f, false);
                // Only a contact with no introducer yet: an introducer already recorded (or set by
                // hand) is the earlier, truer answer to "who introduced us".
                SQLite::Statement c(s_.db, "UPDATE contacts SET introduced_by = ?, updated_at = ? "
                                           "WHERE id = ? AND introduced_by IS NULL");
                c.bind(1, *i.introducer);
                c.bind(2, to_unix(now));
                c.bind(3, i.second);
                c.exec();
            }
            return i;
        });
    });
}

std::vector<introduction> favor_store::introductions(std::optional<contact_id> involving) const {
    return guarded(s_, [&] {
        std::string sql = std::string("SELECT ") + introduction_columns + " FROM introductions";
        if (involving) sql += " WHERE introducer_id = ?1 OR first_id = ?1 OR second_id = ?1";
        sql += " ORDER BY on_date, id";
        SQLite::Statement q(s_.db, sql);
        if (involving) q.bind(1, *involving);
        std::vector<introduction> out;
        while (q.executeStep()) out.push_back(read_introduction(q));
        return out;
    });
}

std::vector<favor> favor_store::favours_of(introduction_id id) const {
    return guarded(s_, [&] {
        if (!load_introduction(s_, id)) throw not_found("introduction", id);
        return favours_of_introduction(s_, id);
    });
}

void favor_store::remove_introduction(introduction_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            // Its favours go by ON DELETE CASCADE. The contact's introduced_by stays: it may have been
            // set before, or by hand, and the contact still came from that person as far as we know.
            SQLite::Statement q(s_.db, "DELETE FROM introductions WHERE id = ?");
            q.bind(1, id);
            if (q.exec() == 0) throw not_found("introduction", id);
        });
    });
}

ask favor_store::add_ask(contact_id contact, std::string text) {
    detail::check_text("text", text);
    text = detail::trim(text);
    if (text.empty()) throw invalid_input("text: say what the contact needs, e.g. \"a designer for their landing page\"");
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            require_contact(s_, contact);
            ask a;
            a.contact = contact;
            a.text = std::move(text);
            a.created_at = s_.now();
            SQLite::Statement q(s_.db, "INSERT INTO asks(contact_id, text, status, created_at) VALUES (?, ?, 'open', ?)");
            q.bind(1, contact);
            q.bind(2, a.text);
            q.bind(3, to_unix(a.created_at));
            q.exec();
            a.id = s_.db.getLastInsertRowid();
            return a;
        });
    });
}

ask favor_store::close_ask(ask_id id, ask_status status) {
    if (status != ask_status::met && status != ask_status::dropped)
        throw invalid_input("status: an ask is closed as met or dropped, not " + std::string(to_string(status)));
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            SQLite::Statement r(s_.db, std::string("SELECT ") + ask_columns + " FROM asks WHERE id = ?");
            r.bind(1, id);
            if (!r.executeStep()) throw not_found("ask", id);
            ask a = read_ask(r);
            r.reset();
            if (a.status != ask_status::open)
                throw invalid_input("status: ask " + std::to_string(id) + " is already " + std::string(to_string(a.status)));
            a.status = status;
            a.closed_at = s_.now();
            SQLite::Statement q(s_.db, "UPDATE asks SET status = ?, closed_at = ? WHERE id = ?");
            q.bind(1, std::string(to_string(status)));
            q.bind(2, to_unix(*a.closed_at));
            q.bind(3, id);
            q.exec();
            return a;
        });
    });
}

std::vector<ask> favor_store::asks(std::optional<contact_id> contact, bool open_only) const {
    std::string sql = std::string("SELECT ") + ask_columns + " FROM asks WHERE 1";
    if (contact) sql += " AND contact_id = :contact";
    if (open_only) sql += " AND status = 'open'";
    sql += " ORDER BY created_at, id";
    return guarded(s_, [&] {
        SQLite::Statement q(s_.db, sql);
        if (contact) q.bind(":contact", *contact);
        std::vector<ask> out;
        while (q.executeStep()) out.push_back(read_ask(q));
        return out;
    });
}

favor_balance favor_store::balance(contact_id contact) const {
    return guarded(s_, [&] {
        require_contact(s_, contact);
        SQLite::Statement q(s_.db, std::string(balance_select) + " AND contact_id = ? GROUP BY contact_id");
        q.bind(1, contact);
        if (!q.executeStep()) return favor_balance{contact, 0, 0, 0, std::nullopt};
        return read_balance(q);
    });
}

std::vector<favor_balance> favor_store::owed() const {
    return guarded(s_, [&] {
        // Most owed first; between equals, the one whose help is oldest has waited longest.
        SQLite::Statement q(s_.db, std::string("SELECT * FROM (") + balance_select +
                                       " GROUP BY contact_id) WHERE given - received < 0 "
                                       "ORDER BY given - received, last_received, contact_id");
        std::vector<favor_balance> out;
        while (q.executeStep()) out.push_back(read_balance(q));
        return out;
    });
}

std::vector<ask> favor_store::could_help() const {
    return guarded(s_, [&] {
        // Owing a contact is the best reason to answer their ask: lowest balance first (a contact
        // with no favours stands at 0), then the ask that has waited longest.
        SQLite::Statement q(s_.db, std::string("SELECT a.id, a.contact_id, a.text, a.status, a.created_at, a.closed_at "
                                               "FROM asks a LEFT JOIN (") +
                                       balance_select +
                                       " GROUP BY contact_id) b ON b.contact_id = a.contact_id "
                                       "WHERE a.status = 'open' "
                                       "ORDER BY coalesce(b.given - b.received, 0), a.created_at, a.id");
        std::vector<ask> out;
        while (q.executeStep()) out.push_back(read_ask(q));
        return out;
    });
}

}  // namespace crm
