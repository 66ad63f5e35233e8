// The follow-ups of a store: schedule them by hand or by rule, act on them, and ask what is due.
// Every query takes the instant it is asked "as of", so answers are testable and reproducible.
#pragma once

#include "crm/follow_up.hpp"
#include "crm/interaction_store.hpp"
#include "crm/store.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace crm {

// When a follow-up falls due: an instant, or a calendar day at a local time of day (09:00 unless
// said) in a zone ("" : the user's).
struct due_time {
    std::optional<date::sys_seconds> at;
    std::optional<date::year_month_day> day;
    std::chrono::minutes time_of_day{9 * 60};
    std::string time_zone;
    static due_time instant(date::sys_seconds t) { return {t, std::nullopt, std::chrono::minutes{9 * 60}, ""}; }
    static due_time on(date::year_month_day d, std::chrono::minutes time_of_day = std::chrono::hours{9},
                       std::string zone = "") {
        return {std::nullopt, d, time_of_day, std::move(zone)};
    }
};

struct follow_up_filter {
    std::optional<contact_id> contact;
    std::optional<follow_up_status> status;  // empty: all
    std::optional<date::sys_seconds> due_from;
    std::optional<date::sys_seconds> due_to;  // before
    std::size_t limit = 0;
    std::size_t offset = 0;
    std::optional<favor_id> favor;  // the follow-ups of (thank-yous for) this favour
};

// An open follow-up as seen at an instant: how late it is, in the user's calendar.
struct due_follow_up {
    crm::follow_up follow_up;
    bool overdue = false;  // due on a day before today (local), not just earlier today
    std::chrono::seconds late{0};  // how long past due (0 when upcoming)
    friend bool operator==(const due_follow_up&, const due_follow_up&) = default;
};

struct warmth {
    contact_id contact = 0;
    double score = 0;  // 0 (cold) to 100 (just talked), see follow_up_store::warmth
    std::optional<date::sys_seconds> last_interaction;
    friend bool operator==(const warmth&, const warmth&) = default;
};

class follow_up_store {
public:
    explicit follow_up_store(struct store::impl& impl);  // made by store; use store::follow_ups()

    // Schedules a follow-up. Throws not_found for an unknown contact/event/interaction/favour,
    // invalid_input for an empty reason, an unknown zone, a due_time with neither or both of at/day.
    follow_up schedule(contact_id contact, std::string reason, const due_time& due,
                       std::optional<event_id> event = std::nullopt,
                       std::optional<interaction_id> interaction = std::nullopt);
    follow_up get(follow_up_id id) const;  // throws not_found
    std::optional<follow_up> find(follow_up_id id) const;
    std::vector<follow_up> list(const follow_up_filter& filter = {}) const;  // by due time, then id
    std::size_t count(const follow_up_filter& filter = {}) const;
    void remove(follow_up_id id);

    // Acting on one. Each records a change in its history; acting on a follow-up that is not open
    // (except reopen) throws invalid_input saying its status.
    follow_up complete(follow_up_id id, std::optional<interaction_id> by = std::nullopt,
                       std::optional<date::sys_seconds> at = std::nullopt, std::string note = "");
    follow_up snooze(follow_up_id id, std::chrono::seconds by, std::string note = "");  // from now if already due
    follow_up snooze_until(follow_up_id id, const due_time& until, std::string note = "");
    follow_up reschedule(follow_up_id id, const due_time& due, std::string note = "");
    follow_up cancel(follow_up_id id, std::string note = "");
    follow_up reopen(follow_up_id id, std::string note = "");
    std::vector<follow_up_change> history(follow_up_id id) const;  // oldest first

    // Open follow-ups due at or before `now`, most urgent (earliest due) first.
    std::vector<due_follow_up> due(date::sys_seconds now, std::size_t limit = 0) const;
    // Open follow-ups due on a day before today in the user's zone.
    std::vector<due_follow_up> overdue(date::sys_seconds now, std::size_t limit = 0) const;
    // Open follow-ups due after `now` and within `days`, soonest first.
    std::vector<due_follow_up> upcoming(date::sys_seconds now, std::chrono::days days, std::size_t limit = 0) const;

    // Contacts once talked to and not heard from in the `days` before `now` (interactions after
    // `now` do not count), those who went quiet most recently first: what a daily look shows as
    // newly gone cold. (interaction_store::not_heard_from also lists those never talked to.)
    std::vector<quiet_contact> going_cold(date::sys_seconds now, std::chrono::days days, std::size_t limit = 0) const;
    // Warmth: each interaction adds 100 * 0.5^(age / half_life) (a conversation 30 days ago with a
    // 30-day half-life adds 50), capped at 100. Contacts never met score 0.
    warmth warmth_of(contact_id contact, date::sys_seconds now,
                     std::chrono::days half_life = std::chrono::days{30}) const;

    // Rules. Adding a cadence creates the open follow-up of every contact it covers at once; an
    // interaction logged with a contact pushes that contact's cadence follow-ups; tagging a contact
    // later brings it under a tag cadence at the next refresh_rules() (run by the digest).
    follow_up_rule add_rule(follow_up_rule r);
    follow_up_rule get_rule(follow_up_rule_id id) const;
    std::vector<follow_up_rule> rules() const;
    follow_up_rule update_rule(follow_up_rule r);
    void remove_rule(follow_up_rule_id id);  // its open follow-ups are cancelled, done ones kept
    // Brings the cadence follow-ups in line with the rules, tags and interactions; returns how many
    // follow-ups were created or moved.
    std::size_t refresh_rules();

    // Holiday calendars for business-day rules: a name ("FR", "my-office") and its days.
    void set_holidays(const std::string& calendar, const std::vector<std::pair<date::year_month_day, std::string>>& days);
    std::set<date::sys_days> holidays(const std::string& calendar) const;

private:
    struct store::impl& s_;
};

}  // namespace crm
