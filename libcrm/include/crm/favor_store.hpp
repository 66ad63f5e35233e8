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

    // Records a favour; `on` unset (year_month_day{}) means today in the user's zone (store clock).
    // A favour received and done also runs the after_favor rules (an offer has not been received
    // yet). Throws not_found for an unknown contact, invalid_input for a weight <= 0 or not finite,
    // an invalid date, `introduction` set (introduce() makes those), or options.thank on a favour
    // that is not received and done.
    favor add(favor f, const favor_options& options = {});
    favor get(favor_id id) const;  // not_found
    std::optional<favor> find(favor_id id) const;
    // Rewrites a favour (created_at kept). A favour that counts for an introduction may change its
    // weight, date, note and status (a "declined" introduction stops counting); its contact,
    // direction, kind and introduction come from who introduced whom and are refused
    // (invalid_input): remove the introduction and record it again. No favour moves into or out of
    // an introduction. A received favour that becomes done runs the after_favor rules then, once.
    favor update(favor f);
    // not_found; invalid_input for a favour of an introduction (remove_introduction() removes it
    // with the introduction's other favours).
    void remove(favor_id id);
    // By date, then id. invalid_input when `from` is after `to`.
    std::vector<favor> list(const favor_filter& filter = {}) const;
    // How many favours list(filter) would give, without reading them (limit and offset ignored).
    std::size_t count(const favor_filter& filter = {}) const;

    // Records an introduction and the favours it counts as, in one transaction: the user
    // introducing A to B (first = A, no introducer) is a favour given to A and one given to B; C
    // introducing the user to D (introducer = C, no first) is a favour received from C (running the
    // after_favor rules). D gets "introduced by C" when it has no introducer yet. The favours are
    // done, of kind introduction, with the introduction's date, note and `weight`. Throws
    // invalid_input unless exactly one of introducer and first is set, when second is one of them,
    // or for a bad weight or date; not_found for an unknown contact. Returns it with its id and
    // date; favours_of() lists its favours.
    introduction introduce(introduction i, double weight = 1);
    // Oldest first (date, then id); `involving`: where the contact is introducer, first or second.
    // When a contact is deleted its place in an introduction becomes empty (schema: SET NULL), so an
    // introduction with neither introducer nor first has lost its other party.
    std::vector<introduction> introductions(std::optional<contact_id> involving = std::nullopt) const;
    std::vector<favor> favours_of(introduction_id id) const;  // by id; not_found
    // With its favours. The contact's introduced_by is left as it is (it may predate the record).
    void remove_introduction(introduction_id id);

    // Text trimmed, not empty (invalid_input); not_found for an unknown contact.
    ask add_ask(contact_id contact, std::string text);
    // Met or dropped (invalid_input otherwise, or when the ask is not open); closed_at = now.
    ask close_ask(ask_id id, ask_status status);
    std::vector<ask> asks(std::optional<contact_id> contact = std::nullopt, bool open_only = true) const;  // oldest first

    // See favor_balance for the rule. not_found for an unknown contact; zeros when no favours.
    favor_balance balance(contact_id contact) const;
    // Contacts who helped the user more than the user helped them (balance < 0), most owed first;
    // between equal balances the one whose last help is oldest first, then by contact id.
    std::vector<favor_balance> owed() const;
    // Open asks: those of the contacts the user owes most first (lowest balance; no favours counts
    // as 0, so asks of contacts the user already helped more come last), then the oldest ask.
    std::vector<ask> could_help() const;

private:
    struct store::impl& s_;
};

}  // namespace crm
