// The events of a store: add, read, change, delete and list them, record what they cost and whom
// the user met there. Every write is one transaction; no SQL shows here.
#pragma once

#include "crm/event.hpp"
#include "crm/store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

namespace crm {

struct event_filter {
    std::optional<date::sys_seconds> from;  // events starting at or after
    std::optional<date::sys_seconds> to;    // events starting before
    std::optional<std::string> kind;        // ASCII case-insensitive
    std::optional<std::string> tag;         // ASCII case-insensitive
    std::optional<contact_id> attendee;     // events where this contact was met
    std::size_t limit = 0;                  // 0: no limit
    std::size_t offset = 0;
};

struct attendee_options {
    std::optional<date::sys_seconds> met_at;  // empty: the event's start
    // empty: the first meeting is the earliest one recorded, whatever the order of entry. A first
    // meeting when the contact has no earlier attendance and no earlier interaction (other than at
    // this event); a first meeting recorded later at another event then moves here (one at the same
    // instant stays). Moving this event's first meeting after another attendance moves it to the
    // earliest one (unless an interaction came before that too).
    std::optional<bool> first_meeting;
    std::optional<contact_id> introduced_by;  // also becomes the contact's introduced_by when it has none
};

class event_store {
public:
    explicit event_store(struct store::impl& impl);  // made by store; use store::events()

    // Stores a new event (its id and the expenses' ids are ignored) and returns it as stored.
    // Checks: a name, a known IANA zone ("" takes the store's), ends not before starts, kind and
    // categories lower-cased and trimmed, ISO 4217 currencies, amounts not negative, tags trimmed
    // without duplicates. Throws invalid_input naming the field.
    event add(event e);
    event get(event_id id) const;  // throws not_found
    std::optional<event> find(event_id id) const;
    // Replaces the stored event (matched by e.id) including its tags and expenses; keeps created_at.
    event update(event e);
    // Deletes the event with its expenses and attendance; interactions logged there stay, unlinked.
    void remove(event_id id);

    // In order of start, then id.
    std::vector<event> list(const event_filter& filter = {}) const;
    std::size_t count(const event_filter& filter = {}) const;

    expense add_expense(event_id id, expense e);  // returns it with its id
    void remove_expense(expense_id id);           // throws not_found

    // Records that the user met `contact` at the event; meeting them again there replaces the record.
    // Throws not_found for an unknown event or contact, invalid_input when first_meeting is asked
    // for a contact already first met elsewhere (naming that event), or introduced_by is the contact
    // itself or no contact.
    attendance add_attendee(event_id event, contact_id contact, const attendee_options& options = {});
    void remove_attendee(event_id event, contact_id contact);  // throws not_found
    // These three throw not_found for an unknown event or contact (an empty answer means "none").
    std::vector<attendance> attendees(event_id event) const;   // in order met, then contact id
    std::vector<attendance> attended(contact_id contact) const;  // a contact's events, in order met
    // Where and when the user first met the contact, if it was at an event.
    std::optional<attendance> first_met(contact_id contact) const;

private:
    struct store::impl& s_;
};

}  // namespace crm
