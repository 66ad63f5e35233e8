// A follow-up: something to do for a contact by a due time (write after the meetup, say thank you,
// get back in touch). It can be completed, snoozed, rescheduled or cancelled, and keeps its history.
// Rules create them: after meeting someone at an event, after a favour received, and keep-in-touch
// cadences per contact or tag that count from the last interaction.
#pragma once

#include "crm/contact.hpp"
#include "crm/event.hpp"
#include "crm/interaction.hpp"
#include "crm/schedule.hpp"

#include <date/date.h>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

using follow_up_id = std::int64_t;
using follow_up_rule_id = std::int64_t;
using favor_id = std::int64_t;

enum class follow_up_status { open, done, cancelled };
std::string_view to_string(follow_up_status s) noexcept;
follow_up_status parse_follow_up_status(std::string_view text);  // throws invalid_input

struct follow_up {
    follow_up_id id = 0;  // 0 until stored
    contact_id contact = 0;
    std::string reason;
    date::sys_seconds due_at{};
    std::string time_zone;  // the zone of its due time ("" when storing: the user's)
    follow_up_status status = follow_up_status::open;
    std::optional<event_id> event;              // what it follows up on
    std::optional<interaction_id> interaction;
    std::optional<favor_id> favor;              // a thank-you for this favour
    std::optional<follow_up_rule_id> rule;      // the rule that made it
    std::optional<date::sys_seconds> completed_at;
    std::optional<interaction_id> completed_by;  // the interaction that did it
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};
    int sequence = 0;  // how many times it changed (iCalendar SEQUENCE)
    friend bool operator==(const follow_up&, const follow_up&) = default;
};

enum class follow_up_action { created, snoozed, rescheduled, completed, cancelled, reopened, pushed };
std::string_view to_string(follow_up_action a) noexcept;

// One change in a follow-up's life. `pushed`: a logged interaction moved a cadence's due time.
struct follow_up_change {
    date::sys_seconds at{};
    follow_up_action action = follow_up_action::created;
    std::optional<date::sys_seconds> due_before;
    std::optional<date::sys_seconds> due_after;
    std::string note;
    friend bool operator==(const follow_up_change&, const follow_up_change&) = default;
};

enum class rule_kind { after_event, after_favor, cadence };
std::string_view to_string(rule_kind k) noexcept;
rule_kind parse_rule_kind(std::string_view text);  // throws invalid_input

// after_event: when a contact is recorded as met at an event, a follow-up `every` after the event's
// day (only contacts with `tag` when set). after_favor: when a favour is received, a thank-you
// `every` after its date. cadence: keep in touch with `contact`, or everyone carrying `tag`, every
// `every` counted from the last interaction (or from when the rule or the contact was added).
struct follow_up_rule {
    follow_up_rule_id id = 0;
    rule_kind kind = rule_kind::cadence;
    std::optional<contact_id> contact;
    std::string tag;
    step every{2, step_unit::business_days};
    std::chrono::minutes time_of_day{9 * 60};  // local, in the user's zone
    std::string holidays;                      // a holiday calendar's name, for business days
    std::string reason;                        // "" when storing: a reason derived from the rule
    bool active = true;
    date::sys_seconds created_at{};
    friend bool operator==(const follow_up_rule&, const follow_up_rule&) = default;
};

}  // namespace crm
