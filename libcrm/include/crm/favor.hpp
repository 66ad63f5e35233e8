// Reciprocity: favours given and received (advice, introductions, referrals ...), introductions as
// first-class records, and asks (what a contact needs). Being useful is how a card becomes a
// relationship; the ledger shows who helped the user and whom the user could help.
#pragma once

#include "crm/contact.hpp"
#include "crm/follow_up.hpp"

#include <date/date.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

using introduction_id = std::int64_t;
using ask_id = std::int64_t;

enum class favor_direction { given, received };
enum class favor_kind { advice, introduction, referral, guest_post, cross_post, resource, loan, other };
enum class favor_status { offered, done, declined };
std::string_view to_string(favor_direction d) noexcept;
std::string_view to_string(favor_kind k) noexcept;  // "guest_post" ...
std::string_view to_string(favor_status s) noexcept;
// The parsers fold case, spaces and hyphens ("Guest post", "guest-post" and "guest_post" are one
// kind) and throw invalid_input naming the field and listing the accepted names.
favor_direction parse_favor_direction(std::string_view text);
favor_kind parse_favor_kind(std::string_view text);
favor_status parse_favor_status(std::string_view text);

struct favor {
    favor_id id = 0;  // 0 until stored
    favor_direction direction = favor_direction::given;
    contact_id contact = 0;  // given to / received from
    favor_kind kind = favor_kind::other;
    double weight = 1;       // > 0: how much it mattered (a loan of a flat 5, an article share 0.5)
    date::year_month_day on{};  // year_month_day{} when adding: today in the user's zone
    std::string note;
    favor_status status = favor_status::done;
    std::optional<introduction_id> introduction;  // the introduction it counts for
    date::sys_seconds created_at{};
    date::sys_seconds updated_at{};
    friend bool operator==(const favor&, const favor&) = default;
};

// Who introduced whom. The user is the introducer (introducer empty) of `first` to `second`, or
// is introduced (first empty) by `introducer` to `second`.
struct introduction {
    introduction_id id = 0;
    std::optional<contact_id> introducer;
    std::optional<contact_id> first;
    contact_id second = 0;
    date::year_month_day on{};  // year_month_day{} when adding: today in the user's zone
    std::string note;
    date::sys_seconds created_at{};
    friend bool operator==(const introduction&, const introduction&) = default;
};

enum class ask_status { open, met, dropped };
std::string_view to_string(ask_status s) noexcept;
ask_status parse_ask_status(std::string_view text);  // throws invalid_input listing the names

// What a contact needs or is looking for ("a designer for their landing page").
struct ask {
    ask_id id = 0;
    contact_id contact = 0;
    std::string text;
    ask_status status = ask_status::open;
    date::sys_seconds created_at{};
    std::optional<date::sys_seconds> closed_at;
    friend bool operator==(const ask&, const ask&) = default;
};

// The balance with one contact: sum of the weights of favours done given, minus those received.
// Offered and declined favours do not count (an offer is not yet help; a declined one never was).
// Positive: the user has helped more than received; negative: the user owes. An introduction the
// user makes counts in full with both people introduced; one made for the user counts with the
// introducer only (the person met did nothing yet).
struct favor_balance {
    contact_id contact = 0;
    double given = 0;
    double received = 0;
    double balance = 0;  // given - received
    std::optional<date::year_month_day> last_received;
    friend bool operator==(const favor_balance&, const favor_balance&) = default;
};

}  // namespace crm
