#include "crm/follow_up_store.hpp"

#include "crm/error.hpp"
#include "crm/time_zone.hpp"
#include "detail/follow_up_hooks.hpp"
#include "detail/iso_date.hpp"
#include "detail/store_impl.hpp"
#include "detail/text.hpp"

#include <date/tz.h>

#include <algorithm>
#include <cmath>
#include <sstream>
#include <unordered_set>

namespace crm {

using detail::from_unix;
using detail::guarded;
using detail::to_unix;
using detail::write_transaction;

namespace {

// ---- statements ------------------------------------------------------------------------------

// Kept statements are reset when we are done with them, also on an exception: one left in the
// middle of its rows would hold a read transaction open on the connection.
struct reset_guard {
    SQLite::Statement& q;
    ~reset_guard() { q.tryReset(); }
};

template <class Bind, class Row>
void each(store::impl& s, const std::string& sql, Bind&& bind, Row&& row) {
    SQLite::Statement& q = s.prepared(sql);
    reset_guard g{q};
    bind(q);
    while (q.executeStep()) row(q);
}

template <class Bind>
int exec(store::impl& s, const std::string& sql, Bind&& bind) {
    SQLite::Statement& q = s.prepared(sql);
    reset_guard g{q};
    bind(q);
    return q.exec();
}

void bind_opt(SQLite::Statement& q, int index, const std::optional<std::int64_t>& v) {
    if (v)
        q.bind(index, *v);
    else
        q.bind(index);
}

template <class Bind>
bool exists(store::impl& s, const std::string& sql, Bind&& bind) {
    bool found = false;
    each(s, sql, bind, [&](SQLite::Statement&) { found = true; });
    return found;
}

// ---- time ------------------------------------------------------------------------------------

date::year_month_day local_day(date::sys_seconds t, const std::string& zone) {
    const auto local = date::locate_zone(zone)->to_local(t);
    return date::year_month_day{date::floor<date::days>(local)};
}

// The instant the local day of `t` starts in `zone` (a midnight in a DST gap: when the day begins).
date::sys_seconds start_of_day(date::sys_seconds t, const std::string& zone) {
    return due_instant(local_day(t, zone), zone, std::chrono::minutes{0});
}

// The same wall-clock time `days` later (a DST change in between keeps the wall clock, not 24 h).
date::sys_seconds days_later(date::sys_seconds t, std::chrono::days days, const std::string& zone) {
    const auto* z = date::locate_zone(zone);
    const auto local = z->to_local(t);
    const auto day = date::floor<date::days>(local);
    const auto tod = std::chrono::duration_cast<std::chrono::minutes>(local - day);
    const auto seconds = std::chrono::duration_cast<std::chrono::seconds>(local - day) - tod;
    return due_instant(date::year_month_day{day + days}, zone, tod) + seconds;
}

std::string step_text(step s) {
    std::string unit(to_string(s.unit));
    std::replace(unit.begin(), unit.end(), '_', ' ');
    if (s.count == 1) return "every " + unit.substr(0, unit.size() - 1);
    return "every " + std::to_string(s.count) + " " + unit;
}

// ---- follow-up rows --------------------------------------------------------------------------

constexpr const char* fu_columns =
    "id, contact_id, reason, due_at, time_zone, status, event_id, interaction_id, favor_id, rule_id, "
    "completed_at, completed_by, created_at, updated_at, sequence";

std::optional<std::int64_t> opt_id(SQLite::Statement& q, int col) {
    if (q.getColumn(col).isNull()) return std::nullopt;
    return q.getColumn(col).getInt64();
}

follow_up read_follow_up(SQLite::Statement& q) {
    follow_up f;
    f.id = q.getColumn(0).getInt64();
    f.contact = q.getColumn(1).getInt64();
    f.reason = q.getColumn(2).getString();
    f.due_at = from_unix(q.getColumn(3).getInt64());
    f.time_zone = q.getColumn(4).getString();
    f.status = parse_follow_up_status(q.getColumn(5).getString());
    f.event = opt_id(q, 6);
    f.interaction = opt_id(q, 7);
    f.favor = opt_id(q, 8);
    f.rule = opt_id(q, 9);
    if (auto c = opt_id(q, 10)) f.completed_at = from_unix(*c);
    f.completed_by = opt_id(q, 11);
    f.created_at = from_unix(q.getColumn(12).getInt64());
    f.updated_at = from_unix(q.getColumn(13).getInt64());
    f.sequence = q.getColumn(14).getInt();
    return f;
}

std::optional<follow_up> load(store::impl& s, follow_up_id id) {
    std::optional<follow_up> out;
    each(s, std::string("SELECT ") + fu_columns + " FROM follow_ups WHERE id = ?", [&](auto& q) { q.bind(1, id); },
         [&](auto& q) { out = read_follow_up(q); });
    return out;
}

follow_up load_or_throw(store::impl& s, follow_up_id id) {
    auto f = load(s, id);
    if (!f) throw not_found("follow-up", id);
    return *f;
}

void add_history(store::impl& s, follow_up_id id, follow_up_action action, std::optional<date::sys_seconds> before,
                 std::optional<date::sys_seconds> after, const std::string& note) {
    exec(s,
         "INSERT INTO follow_up_history(follow_up_id, seq, at, action, due_before, due_after, note) "
         "VALUES (?1, (SELECT COALESCE(MAX(seq), 0) + 1 FROM follow_up_history WHERE follow_up_id = ?1), "
         "?2, ?3, ?4, ?5, ?6)",
         [&](auto& q) {
             q.bind(1, id);
             q.bind(2, to_unix(s.now()));
             q.bind(3, std::string(to_string(action)));
             bind_opt(q, 4, before ? std::optional<std::int64_t>(to_unix(*before)) : std::nullopt);
             bind_opt(q, 5, after ? std::optional<std::int64_t>(to_unix(*after)) : std::nullopt);
             q.bind(6, note);
         });
}

// Stores a new follow-up (links already checked) with its `created` history entry.
follow_up insert(store::impl& s, follow_up f) {
    const auto now = s.now();
    f.status = follow_up_status::open;
    f.created_at = f.updated_at = now;
    f.sequence = 0;
    f.completed_at.reset();
    f.completed_by.reset();
    exec(s,
         "INSERT INTO follow_ups(contact_id, reason, due_at, time_zone, status, event_id, interaction_id, "
         "favor_id, rule_id, created_at, updated_at, sequence) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?, ?, ?, 0)",
         [&](auto& q) {
             q.bind(1, f.contact);
             q.bind(2, f.reason);
             q.bind(3, to_unix(f.due_at));
             q.bind(4, f.time_zone);
             bind_opt(q, 5, f.event);
             bind_opt(q, 6, f.interaction);
             bind_opt(q, 7, f.favor);
             bind_opt(q, 8, f.rule);
             q.bind(9, to_unix(now));
             q.bind(10, to_unix(now));
         });
    f.id = s.db.getLastInsertRowid();
    add_history(s, f.id, follow_up_action::created, std::nullopt, f.due_at, "");
    return f;
}

// Moves the due time of an open follow-up (snoozed, rescheduled, pushed), optionally to a new zone.
void move_due(store::impl& s, const follow_up& f, date::sys_seconds due, const std::string& zone,
              follow_up_action action, const std::string& note) {
    exec(s, "UPDATE follow_ups SET due_at = ?, time_zone = ?, updated_at = ?, sequence = sequence + 1 WHERE id = ?",
         [&](auto& q) {
             q.bind(1, to_unix(due));
             q.bind(2, zone);
             q.bind(3, to_unix(s.now()));
             q.bind(4, f.id);
         });
    add_history(s, f.id, action, f.due_at, due, note);
}

void set_status(store::impl& s, const follow_up& f, follow_up_status status, follow_up_action action,
                std::optional<date::sys_seconds> completed_at, std::optional<interaction_id> completed_by,
                const std::string& note) {
    exec(s,
         "UPDATE follow_ups SET status = ?, completed_at = ?, completed_by = ?, updated_at = ?, "
         "sequence = sequence + 1 WHERE id = ?",
         [&](auto& q) {
             q.bind(1, std::string(to_string(status)));
             bind_opt(q, 2, completed_at ? std::optional<std::int64_t>(to_unix(*completed_at)) : std::nullopt);
             bind_opt(q, 3, completed_by);
             q.bind(4, to_unix(s.now()));
             q.bind(5, f.id);
         });
    add_history(s, f.id, action, f.due_at, std::nullopt, note);
}

std::string checked_text(std::string_view field, const std::string& text, bool required) {
    detail::check_text(field, text);
    std::string t = detail::trim(text);
    if (required && t.empty()) throw invalid_input(std::string(field) + ": must not be empty");
    return t;
}

std::string resolve_zone(store::impl& s, const std::string& zone) {
    if (zone.empty()) return s.user_time_zone();
    check_time_zone(zone);
    return zone;
}

// A due_time as (instant, zone of its wall clock).
std::pair<date::sys_seconds, std::string> resolve_due(store::impl& s, const due_time& due, const char* field) {
    if (due.at.has_value() == due.day.has_value())
        throw invalid_input(std::string(field) + ": give either an instant or a day, not " +
                            (due.at ? "both" : "neither"));
    const std::string zone = resolve_zone(s, due.time_zone);
    if (due.at) return {*due.at, zone};
    if (!due.day->ok()) throw invalid_input(std::string(field) + ": not a valid calendar date");
    if (due.time_of_day < std::chrono::minutes{0} || due.time_of_day >= std::chrono::hours{24})
        throw invalid_input(std::string(field) + ": time of day must be 00:00 to 23:59");
    return {due_instant(*due.day, zone, due.time_of_day), zone};
}

follow_up open_or_throw(store::impl& s, follow_up_id id, const char* verb) {
    follow_up f = load_or_throw(s, id);
    if (f.status != follow_up_status::open)
        throw invalid_input("follow-up #" + std::to_string(id) + " is " + std::string(to_string(f.status)) +
                            ": only an open follow-up can be " + verb);
    return f;
}

// ---- rules -----------------------------------------------------------------------------------

constexpr const char* rule_columns =
    "id, kind, contact_id, tag, every, unit, time_of_day, holidays, reason, active, created_at";

follow_up_rule read_rule(SQLite::Statement& q) {
    follow_up_rule r;
    r.id = q.getColumn(0).getInt64();
    r.kind = parse_rule_kind(q.getColumn(1).getString());
    r.contact = opt_id(q, 2);
    r.tag = q.getColumn(3).getString();
    r.every = step{q.getColumn(4).getInt(), parse_step_unit(q.getColumn(5).getString())};
    r.time_of_day = std::chrono::minutes{q.getColumn(6).getInt()};
    r.holidays = q.getColumn(7).getString();
    r.reason = q.getColumn(8).getString();
    r.active = q.getColumn(9).getInt() != 0;
    r.created_at = from_unix(q.getColumn(10).getInt64());
    return r;
}

std::optional<follow_up_rule> load_rule(store::impl& s, follow_up_rule_id id) {
    std::optional<follow_up_rule> out;
    each(s, std::string("SELECT ") + rule_columns + " FROM follow_up_rules WHERE id = ?",
         [&](auto& q) { q.bind(1, id); }, [&](auto& q) { out = read_rule(q); });
    return out;
}

std::vector<follow_up_rule> active_rules(store::impl& s, rule_kind kind) {
    std::vector<follow_up_rule> out;
    each(s, std::string("SELECT ") + rule_columns + " FROM follow_up_rules WHERE kind = ? AND active = 1 ORDER BY id",
         [&](auto& q) { q.bind(1, std::string(to_string(kind))); },
         [&](auto& q) { out.push_back(read_rule(q)); });
    return out;
}

std::set<date::sys_days> holidays_of(store::impl& s, const std::string& calendar) {
    std::set<date::sys_days> out;
    if (calendar.empty()) return out;
    each(s, "SELECT day FROM holidays WHERE calendar = ?", [&](auto& q) { q.bind(1, calendar); },
         [&](auto& q) {
             if (auto d = detail::parse_iso_date(q.getColumn(0).getString())) out.insert(date::sys_days{*d});
         });
    return out;
}

bool has_tag(store::impl& s, contact_id contact, const std::string& tag) {
    return exists(s, "SELECT 1 FROM contact_tags WHERE contact_id = ? AND tag = ? COLLATE NOCASE", [&](auto& q) {
        q.bind(1, contact);
        q.bind(2, tag);
    });
}

// The rule's due instant for a follow-up counted from `day`: `every` later, at its time of day in
// the user's zone.
date::sys_seconds rule_due(store::impl& s, const follow_up_rule& r, date::year_month_day day, const std::string& zone) {
    return due_instant(advance(day, r.every, holidays_of(s, r.holidays)), zone, r.time_of_day);
}

std::optional<date::sys_seconds> last_interaction_at(store::impl& s, contact_id contact) {
    std::optional<date::sys_seconds> out;
    each(s, "SELECT MAX(at) FROM interaction_contacts WHERE contact_id = ?", [&](auto& q) { q.bind(1, contact); },
         [&](auto& q) {
             if (!q.getColumn(0).isNull()) out = from_unix(q.getColumn(0).getInt64());
         });
    return out;
}

std::string cadence_reason(const follow_up_rule& r) {
    return r.reason.empty() ? "Keep in touch (" + step_text(r.every) + ")" : r.reason;
}

// When one of this rule's follow-ups for the contact was last closed (done or cancelled).
std::optional<date::sys_seconds> last_closed_at(store::impl& s, const follow_up_rule& r, contact_id contact) {
    std::optional<date::sys_seconds> out;
    each(s,
         "SELECT MAX(COALESCE(completed_at, updated_at)) FROM follow_ups WHERE contact_id = ? AND rule_id = ? "
         "AND status <> 'open'",
         [&](auto& q) {
             q.bind(1, contact);
             q.bind(2, r.id);
         },
         [&](auto& q) {
             if (!q.getColumn(0).isNull()) out = from_unix(q.getColumn(0).getInt64());
         });
    return out;
}

std::optional<date::sys_seconds> latest(std::optional<date::sys_seconds> a, std::optional<date::sys_seconds> b) {
    if (!a) return b;
    if (!b) return a;
    return std::max(*a, *b);
}

std::vector<follow_up> open_of_rule(store::impl& s, follow_up_rule_id rule, std::optional<contact_id> contact) {
    std::vector<follow_up> out;
    std::string sql = std::string("SELECT ") + fu_columns + " FROM follow_ups WHERE rule_id = ? AND status = 'open'";
    if (contact) sql += " AND contact_id = ?";
    each(s, sql + " ORDER BY due_at, id",
         [&](auto& q) {
             q.bind(1, rule);
             if (contact) q.bind(2, *contact);
         },
         [&](auto& q) { out.push_back(read_follow_up(q)); });
    return out;
}

enum class sync_mode {
    refresh,   // create when missing; only ever push a due time later (a snooze is kept)
    rederive,  // the rule changed: its open follow-up is set to what the rule now says
};

// Makes sure one contact under a cadence has its open follow-up, counted from the right moment:
// the last interaction or the last time one was closed, whichever is later; failing both, from
// when the contact came under the rule (now). Returns 1 when one was created or moved.
std::size_t sync_cadence(store::impl& s, const follow_up_rule& r, contact_id contact, sync_mode mode) {
    const std::string zone = s.user_time_zone();
    const auto last = last_interaction_at(s, contact);
    const auto open = open_of_rule(s, r.id, contact);
    if (open.empty()) {
        const date::sys_seconds base = latest(last, last_closed_at(s, r, contact)).value_or(s.now());
        follow_up f;
        f.contact = contact;
        f.reason = cadence_reason(r);
        f.due_at = rule_due(s, r, local_day(base, zone), zone);
        f.time_zone = zone;
        f.rule = r.id;
        insert(s, std::move(f));
        return 1;
    }
    const follow_up& f = open.front();
    if (mode == sync_mode::refresh) {
        // Only a conversation moves an open one, and only later: a snooze stays.
        if (!last) return 0;
        const auto due = rule_due(s, r, local_day(*last, zone), zone);
        if (due <= f.due_at) return 0;
        move_due(s, f, due, zone, follow_up_action::pushed,
                 "counted from the last interaction on " + date::format("%F", local_day(*last, zone)));
        return 1;
    }
    const date::sys_seconds base = latest(latest(last, last_closed_at(s, r, contact)), f.created_at).value();
    const auto due = rule_due(s, r, local_day(base, zone), zone);
    if (due == f.due_at) return 0;
    move_due(s, f, due, zone, follow_up_action::rescheduled, "rule #" + std::to_string(r.id) + " changed");
    return 1;
}

std::vector<contact_id> covered_contacts(store::impl& s, const follow_up_rule& r) {
    std::vector<contact_id> out;
    if (r.contact) {
        out.push_back(*r.contact);
        return out;
    }
    each(s, "SELECT DISTINCT contact_id FROM contact_tags WHERE tag = ? COLLATE NOCASE ORDER BY contact_id",
         [&](auto& q) { q.bind(1, r.tag); }, [&](auto& q) { out.push_back(q.getColumn(0).getInt64()); });
    return out;
}

void cancel_open_of_rule(store::impl& s, follow_up_rule_id rule, const std::string& note,
                         const std::unordered_set<contact_id>* keep = nullptr) {
    for (const follow_up& f : open_of_rule(s, rule, std::nullopt)) {
        if (keep && keep->count(f.contact)) continue;
        set_status(s, f, follow_up_status::cancelled, follow_up_action::cancelled, std::nullopt, std::nullopt, note);
    }
}

// A cadence brought in line: every covered contact has its follow-up, uncovered ones lose theirs.
std::size_t sync_rule(store::impl& s, const follow_up_rule& r, sync_mode mode) {
    if (r.kind != rule_kind::cadence) return 0;
    if (!r.active) {
        cancel_open_of_rule(s, r.id, "rule #" + std::to_string(r.id) + " paused");
        return 0;
    }
    const auto contacts = covered_contacts(s, r);
    std::size_t changed = 0;
    for (contact_id c : contacts) changed += sync_cadence(s, r, c, mode);
    const std::unordered_set<contact_id> keep(contacts.begin(), contacts.end());
    cancel_open_of_rule(s, r.id, r.contact ? "rule #" + std::to_string(r.id) + " changed" : "no longer tagged " + r.tag,
                        &keep);
    return changed;
}

// After a rule-made follow-up is closed, its cadence goes on: the next one counts from now.
void continue_cadence(store::impl& s, const follow_up& f) {
    if (!f.rule) return;
    auto r = load_rule(s, *f.rule);
    if (!r || r->kind != rule_kind::cadence || !r->active) return;
    if (r->contact ? *r->contact != f.contact : !has_tag(s, f.contact, r->tag)) return;
    sync_cadence(s, *r, f.contact, sync_mode::refresh);
}

follow_up_rule checked_rule(store::impl& s, follow_up_rule r) {
    r.tag = checked_text("tag", r.tag, false);
    r.reason = checked_text("reason", r.reason, false);
    r.holidays = checked_text("holidays", r.holidays, false);
    if (r.every.count <= 0 || r.every.count > 10000)
        throw invalid_input("every: the count must be 1 to 10000, got " + std::to_string(r.every.count));
    if (r.time_of_day < std::chrono::minutes{0} || r.time_of_day >= std::chrono::hours{24})
        throw invalid_input("time_of_day: expected 00:00 to 23:59");
    if (r.kind == rule_kind::cadence) {
        if (r.contact.has_value() == !r.tag.empty())
            throw invalid_input("a cadence rule needs either a contact or a tag, not " +
                                std::string(r.contact ? "both" : "neither"));
    } else if (r.contact) {
        throw invalid_input("contact: only a cadence rule is for one contact; " + std::string(to_string(r.kind)) +
                            " rules can be limited by tag");
    }
    if (r.contact) detail::require_row(s, "contacts", "contact", *r.contact);
    return r;
}

void write_rule(store::impl& s, const follow_up_rule& r, bool insert_new) {
    const std::string sql =
        insert_new ? "INSERT INTO follow_up_rules(kind, contact_id, tag, every, unit, time_of_day, holidays, reason, "
                     "active, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                   : "UPDATE follow_up_rules SET kind = ?, contact_id = ?, tag = ?, every = ?, unit = ?, "
                     "time_of_day = ?, holidays = ?, reason = ?, active = ?, created_at = ? WHERE id = ?";
    exec(s, sql, [&](auto& q) {
        q.bind(1, std::string(to_string(r.kind)));
        bind_opt(q, 2, r.contact);
        q.bind(3, r.tag);
        q.bind(4, r.every.count);
        q.bind(5, std::string(to_string(r.every.unit)));
        q.bind(6, static_cast<int>(r.time_of_day.count()));
        q.bind(7, r.holidays);
        q.bind(8, r.reason);
        q.bind(9, r.active ? 1 : 0);
        q.bind(10, to_unix(r.created_at));
        if (!insert_new) q.bind(11, r.id);
    });
}

// ---- favour wording (the favour store owns favour names; these are words for a sentence) ------

const char* favor_words(favor_kind k) {
    switch (k) {
        case favor_kind::advice: return "the advice";
        case favor_kind::introduction: return "the introduction";
        case favor_kind::referral: return "the referral";
        case favor_kind::guest_post: return "the guest post";
        case favor_kind::cross_post: return "sharing your post";
        case favor_kind::resource: return "the resource";
        case favor_kind::loan: return "the loan";
        case favor_kind::other: return "the favour";
    }
    return "the favour";
}

std::string contact_name(store::impl& s, contact_id id) {
    std::string name;
    each(s, "SELECT display_name FROM contacts WHERE id = ?", [&](auto& q) { q.bind(1, id); },
         [&](auto& q) { name = q.getColumn(0).getString(); });
    return name;
}

std::string thank_reason(store::impl& s, const favor& f) {
    const std::string name = contact_name(s, f.contact);
    return "Thank " + (name.empty() ? std::string("them") : name) + " for " + favor_words(f.kind);
}

// ---- queries ---------------------------------------------------------------------------------

std::vector<due_follow_up> due_rows(store::impl& s, const std::string& where, std::size_t limit,
                                    date::sys_seconds now, date::sys_seconds from, std::optional<date::sys_seconds> to) {
    const date::sys_seconds today = start_of_day(now, s.user_time_zone());
    std::vector<due_follow_up> out;
    // status = 'open' written out (not bound): that is what lets SQLite pick the partial index
    // follow_ups_open_due, which is in (due_at, id) order, so LIMIT stops the scan.
    each(s, std::string("SELECT ") + fu_columns + " FROM follow_ups WHERE status = 'open' AND " + where +
                " ORDER BY due_at, id LIMIT ?",
         [&](auto& q) {
             int i = 1;
             q.bind(i++, to_unix(from));
             if (to) q.bind(i++, to_unix(*to));
             q.bind(i, limit ? static_cast<std::int64_t>(limit) : std::int64_t{-1});
         },
         [&](auto& q) {
             due_follow_up d;
             d.follow_up = read_follow_up(q);
             d.overdue = d.follow_up.due_at < today;
             d.late = d.follow_up.due_at < now ? now - d.follow_up.due_at : std::chrono::seconds{0};
             out.push_back(std::move(d));
         });
    return out;
}

}  // namespace

// ---- hooks -----------------------------------------------------------------------------------

namespace detail {

void on_attendee_added(store::impl& s, event_id event, contact_id contact) {
    const auto rules = active_rules(s, rule_kind::after_event);
    if (rules.empty()) return;
    std::string name, event_zone;
    date::sys_seconds starts{};
    bool found = false;
    each(s, "SELECT name, starts_at, time_zone FROM events WHERE id = ?", [&](auto& q) { q.bind(1, event); },
         [&](auto& q) {
             name = q.getColumn(0).getString();
             starts = from_unix(q.getColumn(1).getInt64());
             event_zone = q.getColumn(2).getString();
             found = true;
         });
    if (!found) throw not_found("event", event);
    const std::string zone = s.user_time_zone();
    // The day the user was there, on the event's own wall clock.
    const date::year_month_day day = local_day(starts, event_zone);
    for (const auto& r : rules) {
        if (!r.tag.empty() && !has_tag(s, contact, r.tag)) continue;
        const bool made = exists(s, "SELECT 1 FROM follow_ups WHERE contact_id = ? AND rule_id = ? AND event_id = ?",
                                 [&](auto& q) {
                                     q.bind(1, contact);
                                     q.bind(2, r.id);
                                     q.bind(3, event);
                                 });
        if (made) continue;
        follow_up f;
        f.contact = contact;
        f.reason = r.reason.empty() ? "Follow up after " + name : r.reason;
        f.due_at = rule_due(s, r, day, zone);
        f.time_zone = zone;
        f.event = event;
        f.rule = r.id;
        insert(s, std::move(f));
    }
}

void on_favor_received(store::impl& s, const favor& fav, bool thank) {
    if (fav.direction != favor_direction::received || fav.status == favor_status::declined) return;
    const std::string zone = s.user_time_zone();
    for (const auto& r : active_rules(s, rule_kind::after_favor)) {
        if (!r.tag.empty() && !has_tag(s, fav.contact, r.tag)) continue;
        const bool made = exists(s, "SELECT 1 FROM follow_ups WHERE favor_id = ? AND rule_id = ?", [&](auto& q) {
            q.bind(1, fav.id);
            q.bind(2, r.id);
        });
        if (made) continue;
        follow_up f;
        f.contact = fav.contact;
        f.reason = r.reason.empty() ? thank_reason(s, fav) : r.reason;
        f.due_at = rule_due(s, r, fav.on, zone);
        f.time_zone = zone;
        f.favor = fav.id;
        f.rule = r.id;
        insert(s, std::move(f));
    }
    if (!thank) return;
    const bool made = exists(s, "SELECT 1 FROM follow_ups WHERE favor_id = ? AND rule_id IS NULL",
                             [&](auto& q) { q.bind(1, fav.id); });
    if (made) return;
    follow_up f;
    f.contact = fav.contact;
    f.reason = thank_reason(s, fav);
    f.due_at = due_instant(advance(fav.on, step{1, step_unit::business_days}), zone);
    f.time_zone = zone;
    f.favor = fav.id;
    insert(s, std::move(f));
}

void on_interaction_logged(store::impl& s, const std::vector<contact_id>& contacts, date::sys_seconds at,
                           interaction_id id) {
    const std::string zone = s.user_time_zone();
    for (contact_id c : contacts) {
        std::vector<follow_up> made_by_rules;
        each(s,
             std::string("SELECT ") + fu_columns + " FROM follow_ups WHERE contact_id = ? AND status = 'open' "
                                                   "AND rule_id IS NOT NULL ORDER BY due_at, id",
             [&](auto& q) { q.bind(1, c); }, [&](auto& q) { made_by_rules.push_back(read_follow_up(q)); });
        for (const follow_up& f : made_by_rules) {
            auto rule = load_rule(s, *f.rule);
            if (!rule || rule->kind != rule_kind::cadence || !rule->active) continue;
            const auto due = rule_due(s, *rule, local_day(at, zone), zone);
            // An interaction logged late (older than the one counted from) moves nothing back.
            if (due <= f.due_at) continue;
            move_due(s, f, due, zone, follow_up_action::pushed, "interaction #" + std::to_string(id));
        }
    }
}

}  // namespace detail

// ---- the store -------------------------------------------------------------------------------

follow_up_store::follow_up_store(store::impl& impl) : s_(impl) {}

follow_up follow_up_store::schedule(contact_id contact, std::string reason, const due_time& due,
                                    std::optional<event_id> event, std::optional<interaction_id> interaction) {
    return guarded(s_, [&] {
        follow_up f;
        f.contact = contact;
        f.reason = checked_text("reason", reason, true);
        auto [at, zone] = resolve_due(s_, due, "due");
        f.due_at = at;
        f.time_zone = zone;
        f.event = event;
        f.interaction = interaction;
        return write_transaction(s_, [&] {
            detail::require_row(s_, "contacts", "contact", contact);
            if (event) detail::require_row(s_, "events", "event", *event);
            if (interaction) detail::require_row(s_, "interactions", "interaction", *interaction);
            return insert(s_, std::move(f));
        });
    });
}

follow_up follow_up_store::get(follow_up_id id) const {
    return guarded(s_, [&] { return load_or_throw(s_, id); });
}

std::optional<follow_up> follow_up_store::find(follow_up_id id) const {
    return guarded(s_, [&] { return load(s_, id); });
}

namespace {

std::string filter_sql(const follow_up_filter& f) {
    std::string where = " WHERE 1";
    if (f.contact) where += " AND contact_id = :contact";
    if (f.favor) where += " AND favor_id = :favor";
    if (f.status) where += " AND status = '" + std::string(to_string(*f.status)) + "'";
    if (f.due_from) where += " AND due_at >= :from";
    if (f.due_to) where += " AND due_at < :to";
    return where;
}

void bind_filter(SQLite::Statement& q, const follow_up_filter& f) {
    if (f.contact) q.bind(":contact", *f.contact);
    if (f.favor) q.bind(":favor", *f.favor);
    if (f.due_from) q.bind(":from", to_unix(*f.due_from));
    if (f.due_to) q.bind(":to", to_unix(*f.due_to));
}

}  // namespace

std::vector<follow_up> follow_up_store::list(const follow_up_filter& filter) const {
    return guarded(s_, [&] {
        std::vector<follow_up> out;
        const std::string sql = std::string("SELECT ") + fu_columns + " FROM follow_ups" + filter_sql(filter) +
                                " ORDER BY due_at, id LIMIT :limit OFFSET :offset";
        each(s_, sql,
             [&](auto& q) {
                 bind_filter(q, filter);
                 q.bind(":limit", filter.limit ? static_cast<std::int64_t>(filter.limit) : std::int64_t{-1});
                 q.bind(":offset", static_cast<std::int64_t>(filter.offset));
             },
             [&](auto& q) { out.push_back(read_follow_up(q)); });
        return out;
    });
}

std::size_t follow_up_store::count(const follow_up_filter& filter) const {
    return guarded(s_, [&] {
        std::size_t n = 0;
        each(s_, "SELECT COUNT(*) FROM follow_ups" + filter_sql(filter), [&](auto& q) { bind_filter(q, filter); },
             [&](auto& q) { n = static_cast<std::size_t>(q.getColumn(0).getInt64()); });
        return n;
    });
}

void follow_up_store::remove(follow_up_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            if (exec(s_, "DELETE FROM follow_ups WHERE id = ?", [&](auto& q) { q.bind(1, id); }) == 0)
                throw not_found("follow-up", id);
        });
    });
}

follow_up follow_up_store::complete(follow_up_id id, std::optional<interaction_id> by,
                                    std::optional<date::sys_seconds> at, std::string note) {
    return guarded(s_, [&] {
        const std::string n = checked_text("note", note, false);
        return write_transaction(s_, [&] {
            const follow_up f = open_or_throw(s_, id, "completed");
            if (by) detail::require_row(s_, "interactions", "interaction", *by);
            set_status(s_, f, follow_up_status::done, follow_up_action::completed, at.value_or(s_.now()), by, n);
            continue_cadence(s_, f);
            return load_or_throw(s_, id);
        });
    });
}

follow_up follow_up_store::snooze(follow_up_id id, std::chrono::seconds by, std::string note) {
    return guarded(s_, [&] {
        if (by <= std::chrono::seconds{0}) throw invalid_input("by: a snooze must be longer than zero");
        const std::string n = checked_text("note", note, false);
        return write_transaction(s_, [&] {
            const follow_up f = open_or_throw(s_, id, "snoozed");
            // Snoozing something already due puts it off from now, not from when it was due.
            const auto due = std::max(f.due_at, s_.now()) + by;
            move_due(s_, f, due, f.time_zone, follow_up_action::snoozed, n);
            return load_or_throw(s_, id);
        });
    });
}

follow_up follow_up_store::snooze_until(follow_up_id id, const due_time& until, std::string note) {
    return guarded(s_, [&] {
        const std::string n = checked_text("note", note, false);
        auto [due, zone] = resolve_due(s_, until, "until");
        return write_transaction(s_, [&] {
            const follow_up f = open_or_throw(s_, id, "snoozed");
            if (due <= s_.now())
                throw invalid_input("until: a snooze must end in the future, got " + date::format("%FT%TZ", due));
            move_due(s_, f, due, until.at ? f.time_zone : zone, follow_up_action::snoozed, n);
            return load_or_throw(s_, id);
        });
    });
}

follow_up follow_up_store::reschedule(follow_up_id id, const due_time& due, std::string note) {
    return guarded(s_, [&] {
        const std::string n = checked_text("note", note, false);
        auto [at, zone] = resolve_due(s_, due, "due");
        return write_transaction(s_, [&] {
            const follow_up f = open_or_throw(s_, id, "rescheduled");
            move_due(s_, f, at, due.at ? f.time_zone : zone, follow_up_action::rescheduled, n);
            return load_or_throw(s_, id);
        });
    });
}

follow_up follow_up_store::cancel(follow_up_id id, std::string note) {
    return guarded(s_, [&] {
        const std::string n = checked_text("note", note, false);
        return write_transaction(s_, [&] {
            const follow_up f = open_or_throw(s_, id, "cancelled");
            set_status(s_, f, follow_up_status::cancelled, follow_up_action::cancelled, std::nullopt, std::nullopt, n);
            continue_cadence(s_, f);
            return load_or_throw(s_, id);
        });
    });
}

follow_up follow_up_store::reopen(follow_up_id id, std::string note) {
    return guarded(s_, [&] {
        const std::string n = checked_text("note", note, false);
        return write_transaction(s_, [&] {
            const follow_up f = load_or_throw(s_, id);
            if (f.status == follow_up_status::open)
                throw invalid_input("follow-up #" + std::to_string(id) + " is open: only a done or cancelled one can be reopened");
            set_status(s_, f, follow_up_status::open, follow_up_action::reopened, std::nullopt, std::nullopt, n);
            return load_or_throw(s_, id);
        });
    });
}

std::vector<follow_up_change> follow_up_store::history(follow_up_id id) const {
    return guarded(s_, [&] {
        (void)load_or_throw(s_, id);
        std::vector<follow_up_change> out;
        each(s_,
             "SELECT at, action, due_before, due_after, note FROM follow_up_history WHERE follow_up_id = ? ORDER BY seq",
             [&](auto& q) { q.bind(1, id); },
             [&](auto& q) {
                 follow_up_change c;
                 c.at = from_unix(q.getColumn(0).getInt64());
                 const std::string a = q.getColumn(1).getString();
                 for (auto act : {follow_up_action::created, follow_up_action::snoozed, follow_up_action::rescheduled,
                                  follow_up_action::completed, follow_up_action::cancelled, follow_up_action::reopened,
                                  follow_up_action::pushed})
                     if (to_string(act) == a) c.action = act;
                 if (auto b = opt_id(q, 2)) c.due_before = from_unix(*b);
                 if (auto b = opt_id(q, 3)) c.due_after = from_unix(*b);
                 c.note = q.getColumn(4).getString();
                 out.push_back(std::move(c));
             });
        return out;
    });
}

std::vector<due_follow_up> follow_up_store::due(date::sys_seconds now, std::size_t limit) const {
    return guarded(s_, [&] { return due_rows(s_, "due_at <= ?", limit, now, now, std::nullopt); });
}

std::vector<due_follow_up> follow_up_store::overdue(date::sys_seconds now, std::size_t limit) const {
    return guarded(s_, [&] {
        const auto today = start_of_day(now, s_.user_time_zone());
        return due_rows(s_, "due_at < ?", limit, now, today, std::nullopt);
    });
}

std::vector<due_follow_up> follow_up_store::upcoming(date::sys_seconds now, std::chrono::days days,
                                                     std::size_t limit) const {
    return guarded(s_, [&] {
        if (days < std::chrono::days{0}) throw invalid_input("days: must not be negative");
        const auto until = days_later(now, days, s_.user_time_zone());
        return due_rows(s_, "due_at > ? AND due_at <= ?", limit, now, now, until);
    });
}

std::vector<quiet_contact> follow_up_store::going_cold(date::sys_seconds now, std::chrono::days days,
                                                       std::size_t limit) const {
    return guarded(s_, [&] {
        if (days < std::chrono::days{0}) throw invalid_input("days: must not be negative");
        const auto since = now - days;
        std::vector<quiet_contact> out;
        // Walks the log backwards from the threshold: the first time a contact shows up there is its
        // last interaction before it, and it is going cold when nothing follows up to `now`. So the
        // people who went quiet most recently come first, and a digest asking for 20 reads a few
        // dozen rows instead of grouping the whole log (a million rows: 120 ms).
        std::unordered_set<contact_id> seen;
        SQLite::Statement& later = s_.prepared(
            "SELECT 1 FROM interaction_contacts WHERE contact_id = ? AND at >= ? AND at <= ? LIMIT 1");
        SQLite::Statement walk(s_.db,
                               "SELECT c.contact_id, i.id, i.at FROM interactions i INDEXED BY interactions_at "
                               "JOIN interaction_contacts c ON c.interaction_id = i.id "
                               "WHERE i.at < ? ORDER BY i.at DESC, i.id DESC, c.contact_id");
        walk.bind(1, to_unix(since));
        while (walk.executeStep() && (!limit || out.size() < limit)) {
            const contact_id who = walk.getColumn(0).getInt64();
            if (!seen.insert(who).second) continue;
            later.reset();
            later.bind(1, who);
            later.bind(2, to_unix(since));
            later.bind(3, to_unix(now));
            if (later.executeStep()) continue;  // heard from since the threshold
            out.push_back({who, last_interaction{who, walk.getColumn(1).getInt64(),
                                                 from_unix(walk.getColumn(2).getInt64())}});
        }
        later.reset();
        return out;
    });
}

warmth follow_up_store::warmth_of(contact_id contact, date::sys_seconds now, std::chrono::days half_life) const {
    return guarded(s_, [&] {
        if (half_life <= std::chrono::days{0}) throw invalid_input("half_life: must be at least one day");
        detail::require_row(s_, "contacts", "contact", contact);
        warmth w;
        w.contact = contact;
        const double h = static_cast<double>(std::chrono::seconds{half_life}.count());
        each(s_, "SELECT at FROM interaction_contacts WHERE contact_id = ? AND at <= ? ORDER BY at",
             [&](auto& q) {
                 q.bind(1, contact);
                 q.bind(2, to_unix(now));
             },
             [&](auto& q) {
                 const auto at = from_unix(q.getColumn(0).getInt64());
                 w.score += 100.0 * std::exp2(-static_cast<double>((now - at).count()) / h);
                 w.last_interaction = at;
             });
        w.score = std::min(w.score, 100.0);
        return w;
    });
}

follow_up_rule follow_up_store::add_rule(follow_up_rule r) {
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            r = checked_rule(s_, std::move(r));
            r.created_at = s_.now();
            write_rule(s_, r, true);
            r.id = s_.db.getLastInsertRowid();
            sync_rule(s_, r, sync_mode::refresh);
            return r;
        });
    });
}

follow_up_rule follow_up_store::get_rule(follow_up_rule_id id) const {
    return guarded(s_, [&] {
        auto r = load_rule(s_, id);
        if (!r) throw not_found("follow-up rule", id);
        return *r;
    });
}

std::vector<follow_up_rule> follow_up_store::rules() const {
    return guarded(s_, [&] {
        std::vector<follow_up_rule> out;
        each(s_, std::string("SELECT ") + rule_columns + " FROM follow_up_rules ORDER BY id", [](auto&) {},
             [&](auto& q) { out.push_back(read_rule(q)); });
        return out;
    });
}

follow_up_rule follow_up_store::update_rule(follow_up_rule r) {
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            auto old = load_rule(s_, r.id);
            if (!old) throw not_found("follow-up rule", r.id);
            if (old->kind != r.kind)
                throw invalid_input("kind: a rule's kind cannot change (remove it and add a " +
                                    std::string(to_string(r.kind)) + " rule)");
            r = checked_rule(s_, std::move(r));
            r.created_at = old->created_at;
            write_rule(s_, r, false);
            if (r.kind == rule_kind::cadence) {
                const bool same_schedule = old->every == r.every && old->time_of_day == r.time_of_day &&
                                           old->holidays == r.holidays;
                sync_rule(s_, r, same_schedule ? sync_mode::refresh : sync_mode::rederive);
                if (r.reason != old->reason)
                    exec(s_,
                         "UPDATE follow_ups SET reason = ?, updated_at = ?, sequence = sequence + 1 "
                         "WHERE rule_id = ? AND status = 'open'",
                         [&](auto& q) {
                             q.bind(1, cadence_reason(r));
                             q.bind(2, to_unix(s_.now()));
                             q.bind(3, r.id);
                         });
            } else if (!r.active) {
                cancel_open_of_rule(s_, r.id, "rule #" + std::to_string(r.id) + " paused");
            }
            return r;
        });
    });
}

void follow_up_store::remove_rule(follow_up_rule_id id) {
    guarded(s_, [&] {
        write_transaction(s_, [&] {
            if (!load_rule(s_, id)) throw not_found("follow-up rule", id);
            cancel_open_of_rule(s_, id, "rule #" + std::to_string(id) + " removed");
            exec(s_, "DELETE FROM follow_up_rules WHERE id = ?", [&](auto& q) { q.bind(1, id); });
        });
    });
}

std::size_t follow_up_store::refresh_rules() {
    return guarded(s_, [&] {
        return write_transaction(s_, [&] {
            std::vector<follow_up_rule> all;
            each(s_, std::string("SELECT ") + rule_columns + " FROM follow_up_rules WHERE kind = 'cadence' ORDER BY id",
                 [](auto&) {}, [&](auto& q) { all.push_back(read_rule(q)); });
            std::size_t changed = 0;
            for (const auto& r : all) changed += sync_rule(s_, r, sync_mode::refresh);
            return changed;
        });
    });
}

void follow_up_store::set_holidays(const std::string& calendar,
                                   const std::vector<std::pair<date::year_month_day, std::string>>& days) {
    guarded(s_, [&] {
        const std::string name = checked_text("calendar", calendar, true);
        for (const auto& [day, label] : days) {
            if (!day.ok()) throw invalid_input("holidays: not a valid calendar date");
            detail::check_text("holiday name", label);
        }
        write_transaction(s_, [&] {
            exec(s_, "DELETE FROM holidays WHERE calendar = ?", [&](auto& q) { q.bind(1, name); });
            for (const auto& [day, label] : days)
                exec(s_, "INSERT OR REPLACE INTO holidays(calendar, day, name) VALUES (?, ?, ?)", [&](auto& q) {
                    q.bind(1, name);
                    q.bind(2, date::format("%F", day));
                    q.bind(3, detail::trim(label));
                });
        });
    });
}

std::set<date::sys_days> follow_up_store::holidays(const std::string& calendar) const {
    return guarded(s_, [&] { return holidays_of(s_, calendar); });
}

}  // namespace crm
