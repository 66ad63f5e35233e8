// The reciprocity ledger of a store: favours, introductions and asks, and the balances they add up
// to. Every write is one transaction; no SQL shows here.
#pragma once

#include "crm/favor.hpp"
#include "crm/store.hpp"

#include <cstddef>
#include <optional>
#include <vector>

namespace crm {

struct favor_filter {
    std::optional<contact_id> contact;
    std::optional<favor_direction> direction;
    std::optional<favor_kind> kind;
    std::optional<favor_status> status;
    std::optional<date::year_month_day> from;  // on or after
    std::optional<date::year_month_day> to;    // on or before
    std::size_t limit = 0;
    std::size_t offset = 0;
};

struct favor_options {
    // For a favour received: also schedule a thank-you follow-up (after_favor rules do it for every
    // favour received; this does it for one). Due the next business day at 09:00, user's zone.
    bool thank = false;
};

class favor_store {
public:
    explicit favor_store(struct store::impl& impl);  // made by store; use store::favors()

    // Records a favour; `on` unset (year 0) means today in the user's zone. A received favour also
    // runs the after_favor rules. Throws not_found for an unknown contact, invalid_input for a
    // weight <= 0 or an invalid date.
    favor add(favor f, const favor_options& options = {});
    favor get(favor_id id) const;
    std::optional<favor> find(favor_id id) const;
    favor update(favor f);
    void remove(favor_id id);
    std::vector<favor> list(const favor_filter& filter = {}) const;  // by date, then id

    // Records an introduction and the favours it counts as: the user introducing A to B is a favour
    // given to A and one given to B; C introducing the user to D is a favour received from C. D gets
    // "introduced by C" when it has no introducer yet. Returns it with its id; favours_of() lists them.
    introduction introduce(introduction i, double weight = 1);
    std::vector<introduction> introductions(std::optional<contact_id> involving = std::nullopt) const;
    std::vector<favor> favours_of(introduction_id id) const;
    void remove_introduction(introduction_id id);  // with its favours

    ask add_ask(contact_id contact, std::string text);
    ask close_ask(ask_id id, ask_status status);  // met or dropped
    std::vector<ask> asks(std::optional<contact_id> contact = std::nullopt, bool open_only = true) const;

    favor_balance balance(contact_id contact) const;
    // Contacts who helped the user more than the user helped them (balance < 0), most owed first.
    std::vector<favor_balance> owed() const;
    // Contacts with open asks, those the user owes most first, then the oldest ask.
    std::vector<ask> could_help() const;

private:
    struct store::impl& s_;
};

}  // namespace crm
