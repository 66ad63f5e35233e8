// The interaction rows that other parts of the storage layer must keep right: deleting a contact
// must not leave an interaction with nobody in it. Callers hold the lock and a write transaction.
#pragma once

#include "crm/contact.hpp"
#include "detail/store_impl.hpp"

namespace crm::detail {

// Deletes the interactions whose only participant is `contact`; call it before deleting the
// contact (its interaction_contacts rows go by ON DELETE CASCADE, which cannot see that the
// interaction is left empty). Interactions shared with others stay, without this contact.
void drop_interactions_only_with(store::impl& s, contact_id contact);

}  // namespace crm::detail
