// The first-meeting rule's one shared step, for the event store and the importer: when the meeting
// that held a contact's first meeting is gone or moved later, the earliest meeting left takes it,
// unless an interaction elsewhere came before that one too. Defined in event_store.cpp.
#pragma once

#include "crm/contact.hpp"
#include "detail/store_impl.hpp"

namespace crm::detail {

void promote_first_meeting(store::impl& s, contact_id contact);

}  // namespace crm::detail
