// The interaction log of a store: record what happened with whom, and ask who was seen when.
// Every write is one transaction; no SQL shows here.
#pragma once

#include "crm/interaction.hpp"
#include "crm/store.hpp"

#include <chrono>
#include <cstddef>
#include <optional>
#include <vector>

namespace crm {

struct interaction_filter {
    std::optional<contact_id> contact;  // with this contact among others
    std::optional<event_id> event;
    std::optional<interaction_kind> kind;
    std::optional<date::sys_seconds> from;  // at or after
    std::optional<date::sys_seconds> to;    // before
    bool newest_first = false;
    std::size_t limit = 0;  // 0: no limit
    std::size_t offset = 0;
};

// The last time the user interacted with a contact.
struct last_interaction {
    contact_id contact = 0;
    interaction_id interaction = 0;
    date::sys_seconds at{};
    friend bool operator==(const last_interaction&, const last_interaction&) = default;
};

// A contact not heard from: `last` is empty when there was never an interaction.
struct quiet_contact {
    contact_id contact = 0;
    std::optional<last_interaction> last;
    friend bool operator==(const quiet_contact&, const quiet_contact&) = default;
};

class interaction_store {
public:
    explicit interaction_store(struct store::impl& impl);  // made by store; use store::interactions()

    // Records an interaction and returns it as stored (its id and times ignored and set). Checks: at
    // least one contact, no contact twice, every contact and the event exist (not_found names the
    // missing one), a known zone. Contacts come back in id order (the log keeps no other).
    interaction log(interaction i);
    interaction get(interaction_id id) const;  // throws not_found
    std::optional<interaction> find(interaction_id id) const;
    // Replaces the stored one (matched by id; not_found) with the same checks as log(); keeps
    // created_at. "" as time_zone is resolved again (the event's, else the store's).
    interaction update(interaction i);
    void remove(interaction_id id);  // throws not_found

    // log() and update() push the participants' cadence follow-ups (follow_up_store), in the same
    // transaction. An interaction dated before a participant's first meeting at an event (and not
    // at that event) means they had met before: that attendance is no longer a first meeting.
    // Deleting a contact (contact_store::remove, an import's undo) takes it out of its interactions;
    // one left with nobody is deleted with it. Merging contacts moves the merged one's interactions
    // to the survivor (once, when both took part). Deleting an event keeps its interactions, unlinked.

    // In time order (oldest first unless newest_first), then id. An unknown contact or event in
    // the filter matches nothing.
    std::vector<interaction> list(const interaction_filter& filter = {}) const;
    // How many list() would give without limit and offset.
    std::size_t count(const interaction_filter& filter = {}) const;
    // Everything with a contact, oldest first. Throws not_found for an unknown contact.
    std::vector<interaction> with_contact(contact_id contact) const;

    // The latest (by `at`, then id: the last of with_contact()); empty when the contact has none.
    // Throws not_found for an unknown contact.
    std::optional<last_interaction> last_with(contact_id contact) const;
    // The last interaction of every contact that has one, most recent first (then interaction id,
    // newest first, then contact id).
    std::vector<last_interaction> last_per_contact() const;
    // Contacts with no interaction in the `days` before `now`, i.e. whose last interaction at or
    // before `now` is earlier than now - days (one exactly `days` ago counts as heard from;
    // interactions after `now` do not count, so "as of" a past date works), plus those with none.
    // Longest silence first: never-met contacts first (by name, then id), then by last `at`
    // (then name, id). `last` is that last interaction at or before `now`. Throws invalid_input
    // for negative days.
    std::vector<quiet_contact> not_heard_from(std::chrono::days days, date::sys_seconds now) const;

private:
    struct store::impl& s_;
};

}  // namespace crm
