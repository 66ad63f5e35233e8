// The contact rows of the store, for the parts of libcrm that write contacts in bulk (the
// importer) besides contact_store itself. Callers hold the store's lock and a write transaction.
#pragma once

#include "crm/contact.hpp"
#include "detail/store_impl.hpp"

#include <string>
#include <vector>

namespace crm::detail {

// Whole contacts for `ids`, in that order; missing ids are left out.
std::vector<contact> load_contacts(store::impl& s, const std::vector<contact_id>& ids);
// Validates, normalizes and stamps unstamped notes (throws invalid_input).
void prepare_contact(contact& c, date::sys_seconds now);
// Inserts c with children, match keys and search entry; returns it with its id. An id of 0 gets a
// new one; another id is kept (restoring an export).
contact insert_contact(store::impl& s, contact c);
// Replaces the stored contact c.id with c, children, keys and search entry included.
void rewrite_contact(store::impl& s, const contact& c);
// Deletes a contact and its search entry; false when there was none.
bool delete_contact(store::impl& s, contact_id id);

// Unites `other` into `keep`: lists without duplicates, empty fields filled, notes and extra
// properties added, and fields that differ recorded in a note headed by `conflict_heading`.
void absorb(contact& keep, const contact& other, date::sys_seconds now, const std::string& conflict_heading);

}  // namespace crm::detail
