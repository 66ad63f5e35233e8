// The contacts of a store: add, read, change, delete, list, search and merge. Every write is one
// transaction; values go in and come out, and no SQL or SQLite type shows here.
#pragma once

#include "crm/contact.hpp"
#include "crm/store.hpp"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace crm {

struct contact_filter {
    std::optional<std::string> tag;           // contacts carrying this tag (ASCII case-insensitive)
    std::optional<std::string> organization;  // contacts at this organization (ASCII case-insensitive)
    std::size_t limit = 0;                    // 0: no limit
    std::size_t offset = 0;
};

struct tag_count {
    std::string tag;
    std::size_t contacts = 0;
    friend bool operator==(const tag_count&, const tag_count&) = default;
};

class contact_store {
public:
    explicit contact_store(struct store::impl& impl);  // made by store; use store::contacts()

    // Stores a new contact (its id is ignored) and returns it as stored: with its id, a derived
    // display name when none was given, and created/updated times from the store's clock.
    // Notes without a time get the current instant. Throws invalid_input.
    contact add(contact c);

    contact get(contact_id id) const;  // throws not_found
    std::optional<contact> find(contact_id id) const;
    bool contains(contact_id id) const;

    // Replaces the stored contact with c (matched by c.id); returns it as stored. Keeps created_at.
    contact update(contact c);

    // Deletes the contact with its channels, tags and notes; contacts it introduced keep existing.
    void remove(contact_id id);

    // Appends a note (now when `at` is empty) and returns the contact as stored.
    contact add_note(contact_id id, std::string text, std::optional<date::sys_seconds> at = std::nullopt);

    // In display-name order (case-insensitive), then id.
    std::vector<contact> list(const contact_filter& filter = {}) const;
    std::size_t count(const contact_filter& filter = {}) const;
    std::vector<tag_count> tags() const;

    // Full-text search over names, emails, phones, URLs, organization, title, tags and notes.
    // Every word must match (as a prefix); case and accents are ignored. Best matches first.
    std::vector<contact> search(std::string_view query, std::size_t limit = 100) const;

    // Merges `other` into `survivor` and deletes `other`. Every fact survives on the survivor:
    // lists are united without duplicates, empty fields are filled, conflicting fields are kept in a
    // note, notes and history move over, and references to `other` now point at the survivor.
    // A snapshot of `other` as it was is kept (see merge_history). Returns the survivor as stored.
    contact merge(contact_id survivor, contact_id other);

    // Snapshots (JSON) of contacts merged into this one, oldest first.
    std::vector<std::string> merge_history(contact_id survivor) const;

private:
    struct store::impl& s_;
};

}  // namespace crm
