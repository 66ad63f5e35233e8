// An event the user goes to (a meetup, a conference, a dinner): when and where it happens, what it
// cost, and whom the user met there. Plain values; the event store keeps them.
#pragma once

#include "crm/contact.hpp"
#include "crm/money.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace crm {

using event_id = std::int64_t;
using expense_id = std::int64_t;

// What attending cost: the ticket, the train, the dinner receipt that otherwise ends up in a drawer.
struct expense {
    expense_id id = 0;  // 0 until stored
    money amount;
    std::string category = "other";  // "ticket", "travel", "meal", "lodging", "other" ... (lower case)
    std::string note;
    friend bool operator==(const expense&, const expense&) = default;
};

struct event {
    event_id id = 0;  // 0 until stored
    std::string name;
    std::string kind;  // "meetup", "conference", "dinner", "workshop", "online" ... (lower case)
    date::sys_seconds starts_at{};
    std::optional<date::sys_seconds> ends_at;
    // The IANA zone of the event's wall clock: a 19:00 Europe/Paris meetup stays at 19:00 in Paris
    // whatever the offset that day. "" when storing: the store's time zone.
    std::string time_zone;
    std::string location;
    std::string notes;
    std::vector<std::string> tags;
    std::vector<expense> expenses;  // in the order they were added
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};

    friend bool operator==(const event&, const event&) = default;
};

// A contact met at an event.
struct attendance {
    event_id event = 0;
    contact_id contact = 0;
    date::sys_seconds met_at{};  // when they met; the event's start unless said otherwise
    bool first_meeting = false;  // the user met this person for the first time here
    std::optional<contact_id> introduced_by;
    friend bool operator==(const attendance&, const attendance&) = default;
};

}  // namespace crm
