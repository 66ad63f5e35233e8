// What other stores tell the follow-up rules, inside their own write transaction (lock held):
// a contact met at an event (after_event rules), a favour received (after_favor rules), an
// interaction logged (cadences count from the last interaction, so it pushes their due times).
// Defined in follow_up_store.cpp.
#pragma once

#include "crm/event.hpp"
#include "crm/favor.hpp"
#include "crm/interaction.hpp"
#include "crm/store.hpp"

#include <vector>

namespace crm::detail {

void on_attendee_added(store::impl& s, event_id event, contact_id contact);
void on_favor_received(store::impl& s, const favor& f, bool thank);
void on_interaction_logged(store::impl& s, const std::vector<contact_id>& contacts, date::sys_seconds at,
                           interaction_id id);

}  // namespace crm::detail
