#include "crm/goal.hpp"

#include "crm/error.hpp"

#include <algorithm>

namespace crm {

std::string_view to_string(comparison c) noexcept {
    switch (c) {
        case comparison::at_least: return ">=";
        case comparison::at_most: return "<=";
        case comparison::more_than: return ">";
        case comparison::less_than: return "<";
        case comparison::exactly: return "==";
    }
    return ">=";
}

comparison parse_comparison(std::string_view text) {
    for (auto c : {comparison::at_least, comparison::at_most, comparison::more_than, comparison::less_than,
                   comparison::exactly})
        if (text == to_string(c)) return c;
    throw invalid_input("comparison '" + std::string(text) + "': expected one of >=, <=, >, <, ==");
}

bool goal_filter::empty() const noexcept {
    return tags.empty() && !event_kind && !event && interaction_kinds.empty() && !category;
}

std::size_t goal_report::met() const noexcept {
    return static_cast<std::size_t>(std::count_if(goals.begin(), goals.end(), [](const goal_progress& p) { return p.met; }));
}

sample_step parse_sample_step(std::string_view text) {
    if (text == "day") return sample_step::day;
    if (text == "week") return sample_step::week;
    if (text == "month") return sample_step::month;
    throw invalid_input("every '" + std::string(text) + "': expected day, week or month");
}

}  // namespace crm
