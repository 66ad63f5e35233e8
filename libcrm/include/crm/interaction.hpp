// One thing that happened between the user and people: a conversation at a meetup, a call, a
// coffee. The log of them is what networking goals, follow-ups and "not heard from" are measured on.
#pragma once

#include "crm/contact.hpp"
#include "crm/event.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

using interaction_id = std::int64_t;

enum class interaction_kind { conversation, meeting, call, email, message, coffee, meal, other };

std::string_view to_string(interaction_kind k) noexcept;  // "conversation" ...
// Throws invalid_input listing the accepted names.
interaction_kind parse_interaction_kind(std::string_view name);

struct interaction {
    interaction_id id = 0;  // 0 until stored
    interaction_kind kind = interaction_kind::conversation;
    std::vector<contact_id> contacts;  // one or more, no duplicates
    std::optional<event_id> event;     // where it happened, if at an event
    date::sys_seconds at{};
    std::string time_zone;  // the wall clock it happened on; "" when storing: the event's, else the store's
    std::string notes;      // what they said, need, care about
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};

    friend bool operator==(const interaction&, const interaction&) = default;
};

}  // namespace crm
