// A networking goal: a target on a metric ("cards from potential clients >= 5" at an event, "new
// contacts >= 60" in 2027), and its progress, which is always computed from the data at the moment
// asked and never stored as a tick.
#pragma once

#include "crm/event.hpp"
#include "crm/interaction.hpp"
#include "crm/period.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

using goal_id = std::int64_t;

enum class comparison { at_least, at_most, more_than, less_than, exactly };
std::string_view to_string(comparison c) noexcept;  // ">=", "<=", ">", "<", "=="
comparison parse_comparison(std::string_view text);  // the symbols above; throws invalid_input

// What a metric counts. Empty members do not filter.
struct goal_filter {
    std::vector<std::string> tags;                  // contacts carrying any of these tags (case-insensitive)
    std::optional<std::string> event_kind;          // at events of this kind (plan goals)
    std::optional<event_id> event;                  // at this event (plan goals; event goals have their own)
    std::vector<interaction_kind> interaction_kinds;  // interactions of these kinds
    std::optional<std::string> category;            // expenses of this category
    bool empty() const noexcept;
    friend bool operator==(const goal_filter&, const goal_filter&) = default;
};

struct goal {
    goal_id id = 0;  // 0 until stored
    std::string name;
    std::string metric;  // a registered metric: "contacts_met", "new_contacts", "spend" ... (goal_store::metrics())
    comparison compare = comparison::at_least;
    double target = 0;
    std::string currency;  // money metrics: the ISO 4217 code the target is in
    // Exactly one of these: an event goal is measured on the event, a plan goal over the period.
    std::optional<event_id> event;
    std::optional<crm::period> period;
    goal_filter filter;
    date::sys_seconds created_at{};

    friend bool operator==(const goal&, const goal&) = default;
};

struct goal_progress {
    crm::goal goal;
    double value = 0;
    double target = 0;
    // value / target: 1 and beyond means an at-least target is reached; for at-most goals (a budget)
    // it is the share used. 1 when the target is 0 and the value too, else 0 for a zero target.
    double fraction = 0;
    bool met = false;
    std::string unit;             // "contacts", "interactions", "days", or the currency code
    date::sys_seconds as_of{};
    // Plan goals only: how far through the period as_of is (0 to 1), the value a steady pace would
    // have reached by now, and whether the goal is on that pace (for at-most goals: not above it).
    std::optional<double> elapsed;
    std::optional<double> expected;
    std::optional<bool> on_pace;
    friend bool operator==(const goal_progress&, const goal_progress&) = default;
};

// The goals of an event, or the plan goals overlapping a period, each with its progress.
struct goal_report {
    std::string title;  // "Paris SaaS meetup (2027-03-04)", "2027-Q1"
    std::optional<event_id> event;
    std::optional<crm::period> period;
    date::sys_seconds as_of{};
    std::vector<goal_progress> goals;
    std::size_t met() const noexcept;
};

// The value of a goal's metric at one moment, for plotting growth: `cumulative` counts from the start
// of the goal's scope to the end of `date`, `value` only within the step that ends on `date`.
struct progress_sample {
    date::year_month_day date;
    double value = 0;
    double cumulative = 0;
    friend bool operator==(const progress_sample&, const progress_sample&) = default;
};

enum class sample_step { day, week, month };
sample_step parse_sample_step(std::string_view text);  // "day", "week", "month"; throws invalid_input

}  // namespace crm
