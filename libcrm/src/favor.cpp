#include "crm/favor.hpp"

#include "crm/error.hpp"

#include <array>
#include <string>
#include <utility>

namespace crm {

namespace {

template <class E, std::size_t N>
using name_table = std::array<std::pair<E, std::string_view>, N>;

constexpr name_table<favor_direction, 2> direction_names{{
    {favor_direction::given, "given"},
    {favor_direction::received, "received"},
}};

constexpr name_table<favor_kind, 8> kind_names{{
    {favor_kind::advice, "advice"},
    {favor_kind::introduction, "introduction"},
    {favor_kind::referral, "referral"},
    {favor_kind::guest_post, "guest_post"},
    {favor_kind::cross_post, "cross_post"},
    {favor_kind::resource, "resource"},
    {favor_kind::loan, "loan"},
    {favor_kind::other, "other"},
}};

constexpr name_table<favor_status, 3> status_names{{
    {favor_status::offered, "offered"},
    {favor_status::done, "done"},
    {favor_status::declined, "declined"},
}};

constexpr name_table<ask_status, 3> ask_status_names{{
    {ask_status::open, "open"},
    {ask_status::met, "met"},
    {ask_status::dropped, "dropped"},
}};

template <class E, std::size_t N>
std::string_view name_of(const name_table<E, N>& names, E value) noexcept {
    for (const auto& [v, n] : names)
        if (v == value) return n;
    return "unknown";
}

// People type "Guest post", "guest-post" or "guest_post" for the same thing: compare with case,
// spaces and hyphens folded to the stored spelling. Surrounding blanks do not count either.
std::string folded(std::string_view text) {
    std::size_t b = 0, e = text.size();
    while (b < e && (text[b] == ' ' || text[b] == '\t')) ++b;
    while (e > b && (text[e - 1] == ' ' || text[e - 1] == '\t')) --e;
    std::string out;
    for (char c : text.substr(b, e - b)) {
        if (c == ' ' || c == '-') c = '_';
        else if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        out += c;
    }
    return out;
}

template <class E, std::size_t N>
E parse_name(const name_table<E, N>& names, std::string_view text, const char* field, const char* what) {
    const std::string key = folded(text);
    for (const auto& [v, n] : names)
        if (n == key) return v;
    std::string accepted;
    for (const auto& [v, n] : names) {
        if (!accepted.empty()) accepted += ", ";
        accepted += n;
    }
    throw invalid_input(std::string(field) + ": unknown " + what + " '" + std::string(text) + "'; expected one of " +
                        accepted);
}

}  // namespace

std::string_view to_string(favor_direction d) noexcept { return name_of(direction_names, d); }
std::string_view to_string(favor_kind k) noexcept { return name_of(kind_names, k); }
std::string_view to_string(favor_status s) noexcept { return name_of(status_names, s); }
std::string_view to_string(ask_status s) noexcept { return name_of(ask_status_names, s); }

favor_direction parse_favor_direction(std::string_view text) {
    return parse_name(direction_names, text, "direction", "favour direction");
}
favor_kind parse_favor_kind(std::string_view text) { return parse_name(kind_names, text, "kind", "favour kind"); }
favor_status parse_favor_status(std::string_view text) {
    return parse_name(status_names, text, "status", "favour status");
}
ask_status parse_ask_status(std::string_view text) { return parse_name(ask_status_names, text, "status", "ask status"); }

}  // namespace crm
