// The interaction log in memory, by person: what the expensive goal metrics read ("people talked with
// in the year", "days to follow up"), answered by binary searches instead of a hundred thousand index
// seeks. Owned by a goal_store; every member is used with the store's lock held.
//
// Staying true to the database is the whole point, so it is checked before every use:
//  - commits from other connections or processes: PRAGMA data_version moves -> everything is reloaded;
//  - writes through this connection (any store object, any API, raw SQL included): TEMP triggers on
//    interactions and interaction_contacts write the touched interaction ids to a temp table. They
//    are transactional (a rolled-back write leaves nothing), and they fire for foreign-key actions
//    too (a deleted contact or event). The touched interactions are then re-read from the database
//    and replaced in memory: logging a few interactions costs a few lookups, not a reload.
#pragma once

#include "crm/store.hpp"

#include <cstddef>
#include <cstdint>
#include <unordered_map>
#include <vector>

namespace crm::detail {

struct participant_index {
    // One person's part in one interaction. event 0: none (event ids start at 1).
    struct entry {
        std::int64_t at;
        std::int64_t interaction;
        std::int64_t event;
        std::uint8_t kind;  // interaction_kind
    };

    // Brings the index up to date with the database; call with the store's lock held, outside a
    // write transaction of this connection.
    void refresh(store::impl& s);

    // The entries of a contact, sorted by (at, interaction); null when it has none.
    const std::vector<entry>* of(std::int64_t contact) const {
        auto it = slot_.find(contact);
        return it == slot_.end() ? nullptr : &people_[it->second];
    }
    const std::vector<std::vector<entry>>& people() const { return people_; }

    // For tests and the benchmark: how often it was loaded whole, and how many interactions were
    // re-read one by one.
    std::size_t loads = 0;
    std::size_t interactions_reread = 0;

private:
    void load(store::impl& s);
    void reread(store::impl& s, const std::vector<std::pair<std::int64_t, std::int64_t>>& touched);
    std::vector<entry>& slot(std::int64_t contact);

    bool loaded_ = false;
    bool triggers_ = false;
    std::int64_t data_version_ = 0;
    std::unordered_map<std::int64_t, std::uint32_t> slot_;  // contact id -> index in people_
    std::vector<std::vector<entry>> people_;
};

}  // namespace crm::detail
