// The contact rows of the store, for the parts of libcrm that write contacts in bulk (the
// importer) besides contact_store itself. Callers hold the store's lock and a write transaction.
#pragma once

#include "crm/contact.hpp"
#include "detail/store_impl.hpp"

#include <memory>
#include <string>
#include <unordered_set>
#include <vector>

namespace crm::detail {

// A UID the contact had before a merge took the survivor's (see absorb): a match key still.
inline constexpr const char* merged_uid_property = "X-NETCRM-MERGED-UID";

// Sets each phone's e164 from its value: with the region of the contact's first address whose country
// is a region code (phone_region), else with the store's default region.
void fill_e164(contact& c, const phone_normalizer& phones);

// Recomputes every stored phone's E.164 form and the phone match keys with `phones` (the store's
// default region changed, or schema 7 added the column). Inside a write transaction.
void refresh_phones(store::impl& s, const phone_normalizer& phones);

// The part of the migration to schema 7 that needs C++ (see migration_7 in schema.cpp): IM URIs
// stored as URLs become ims, phones get their E.164 form. Runs once, inside the migration's
// transaction, when the 'upgrade_contacts_7' setting asks for it; clears the setting.
void upgrade_contacts_to_7(store::impl& s);

// Whole contacts for `ids`, in that order; missing ids are left out.
std::vector<contact> load_contacts(store::impl& s, const std::vector<contact_id>& ids);
// Validates, normalizes and stamps unstamped notes (throws invalid_input).
void prepare_contact(contact& c, date::sys_seconds now);
// The same for a contact normalize_and_validate() went through already: only stamps the notes.
void prepare_normalized_contact(contact& c, date::sys_seconds now);
// Inserts c with children, match keys and search entry; returns it with its id. An id of 0 gets a
// new one; another id is kept (restoring an export). `keys`: match_keys(c) when the caller has them.
contact insert_contact(store::impl& s, contact c, const key_list* keys = nullptr);
// Replaces the stored contact c.id with c, children, keys and search entry included. `keys`:
// match_keys(c) when the caller has them.
void rewrite_contact(store::impl& s, const contact& c, const key_list* keys = nullptr);
// Deletes a contact and its search entry; false when there was none.
bool delete_contact(store::impl& s, contact_id id);

// Writes `after`: the stored contact `before` (as loaded) with facts added, as an import's merge adds
// them. Only what changed is written: rows for what lists gained at their end (a list changed in any
// other way is written again whole), match keys by difference with the stored ones (`keys` =
// match_keys(after)), the search entry when its text changed. Same result as rewrite_contact(after).
// `keys` null: the match keys are left alone (a bulk import holds those of the contacts it added
// and writes them itself, see importer.cpp).
void update_contact(store::impl& s, const contact& before, const contact& after, const key_list* keys);

// New contacts written many at a time, for the importer. add() gives a contact the id SQLite would
// give it (one past the highest) and keeps it; flush() writes every kept contact - main rows,
// children, match keys, search entries - table by table with multi-row INSERTs, which cost far less
// than a statement a row. A kept contact is not in the database yet: callers flush before reading one
// back, and add contacts by no other way while some are kept (changing stored ones is fine: rows then
// land in another order than the calls, which only raw row ids show). A batch destroyed unflushed
// writes nothing.
class contact_batch {
public:
    explicit contact_batch(store::impl& s);  // inside the write transaction
    ~contact_batch();
    contact_batch(const contact_batch&) = delete;
    contact_batch& operator=(const contact_batch&) = delete;

    // c prepared (prepare_contact) with its times set, its id 0; keys = match_keys(c). Returns its id.
    contact_id add(contact c, key_list keys);
    std::size_t size() const noexcept;
    // Whether this batch added the contact `id` (kept or written).
    bool added(contact_id id) const noexcept;
    // Whether the contact `id` is kept, not written yet.
    bool kept(contact_id id) const noexcept;
    // Writes the kept contacts; returns their ids, in the order they were added.
    std::vector<contact_id> flush();

private:
    struct state;
    std::unique_ptr<state> st_;
};

// The most match keys a bulk import holds in memory before it writes them (see pending_keys in
// importer.cpp). Tests lower it to reach that write with a few cards.
extern std::size_t bulk_import_key_capacity;

// Unites `other` into `keep`: lists without duplicates, empty fields filled, notes and extra
// properties added, and fields that differ recorded in a note headed by `conflict_heading`.
void absorb(contact& keep, const contact& other, date::sys_seconds now, const std::string& conflict_heading);

}  // namespace crm::detail
