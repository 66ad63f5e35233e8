// The daily digest: what to do today, in one value a cron job or an automation platform can send.
// Due and overdue follow-ups, people to thank, people going cold, goals at risk; as text and JSON.
#pragma once

#include "crm/favor.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal.hpp"
#include "crm/store.hpp"

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace crm {

struct digest_options {
    std::chrono::days cold_after{90};  // people not heard from in this long are going cold
    std::chrono::days upcoming{7};     // follow-ups due in the next days
    std::size_t limit = 20;            // at most this many items per section
};

struct digest {
    date::sys_seconds as_of{};
    std::string time_zone;
    date::year_month_day today{};
    std::vector<due_follow_up> due;       // due today or earlier, most urgent first
    std::vector<due_follow_up> upcoming;  // due later, within `upcoming`
    std::vector<favor> thank;             // favours received with no thank-you follow-up completed
    std::vector<quiet_contact> going_cold;
    std::vector<goal_progress> goals_at_risk;  // running plan goals off pace; unmet goals of events in the last or next 7 days
    std::map<contact_id, std::string> names;   // the display name of every contact mentioned above

    std::string to_text() const;  // a readable plain-text page
    std::string to_json() const;  // the same as a JSON object (schema in the README)
};

// Builds the digest as of `now` (the store's clock when empty). Refreshes cadence rules first.
digest make_digest(store& s, std::optional<date::sys_seconds> now = std::nullopt, const digest_options& options = {});

}  // namespace crm
