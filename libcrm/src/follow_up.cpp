#include "crm/follow_up.hpp"

#include "crm/error.hpp"

namespace crm {

std::string_view to_string(follow_up_status s) noexcept {
    switch (s) {
        case follow_up_status::open: return "open";
        case follow_up_status::done: return "done";
        case follow_up_status::cancelled: return "cancelled";
    }
    return "open";
}

follow_up_status parse_follow_up_status(std::string_view text) {
    if (text == "open") return follow_up_status::open;
    if (text == "done") return follow_up_status::done;
    if (text == "cancelled") return follow_up_status::cancelled;
    throw invalid_input("status '" + std::string(text) + "': expected one of open, done, cancelled");
}

std::string_view to_string(follow_up_action a) noexcept {
    switch (a) {
        case follow_up_action::created: return "created";
        case follow_up_action::snoozed: return "snoozed";
        case follow_up_action::rescheduled: return "rescheduled";
        case follow_up_action::completed: return "completed";
        case follow_up_action::cancelled: return "cancelled";
        case follow_up_action::reopened: return "reopened";
        case follow_up_action::pushed: return "pushed";
    }
    return "created";
}

std::string_view to_string(rule_kind k) noexcept {
    switch (k) {
        case rule_kind::after_event: return "after_event";
        case rule_kind::after_favor: return "after_favor";
        case rule_kind::cadence: return "cadence";
    }
    return "cadence";
}

rule_kind parse_rule_kind(std::string_view text) {
    if (text == "after_event") return rule_kind::after_event;
    if (text == "after_favor" || text == "after_favour") return rule_kind::after_favor;
    if (text == "cadence") return rule_kind::cadence;
    throw invalid_input("rule kind '" + std::string(text) + "': expected one of after_event, after_favor, cadence");
}

}  // namespace crm
