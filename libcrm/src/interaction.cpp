#include "crm/interaction.hpp"

#include "crm/error.hpp"

#include <array>
#include <utility>

namespace crm {

namespace {

// The names are also the values of interactions.kind (see its CHECK in schema.cpp): keep both in step.
constexpr std::array<std::pair<interaction_kind, std::string_view>, 8> kind_names{{
    {interaction_kind::conversation, "conversation"},
    {interaction_kind::meeting, "meeting"},
    {interaction_kind::call, "call"},
    {interaction_kind::email, "email"},
    {interaction_kind::message, "message"},
    {interaction_kind::coffee, "coffee"},
    {interaction_kind::meal, "meal"},
    {interaction_kind::other, "other"},
}};

}  // namespace

std::string_view to_string(interaction_kind k) noexcept {
    for (const auto& [kind, name] : kind_names)
        if (kind == k) return name;
    return "other";  // only a value cast from an out-of-range integer gets here
}

interaction_kind parse_interaction_kind(std::string_view name) {
    for (const auto& [kind, n] : kind_names)
        if (n == name) return kind;
    std::string accepted;
    for (const auto& [kind, n] : kind_names) {
        if (!accepted.empty()) accepted += ", ";
        accepted += n;
    }
    throw invalid_input("kind: unknown interaction kind '" + std::string(name) + "'; expected one of " + accepted);
}

}  // namespace crm
