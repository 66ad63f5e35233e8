// What every fuzz target does with a card: reads each field and each byte of it, so that ASan sees
// any read of freed or uninitialised memory a reader left behind, and checks the promises the
// readers make about their output (valid dates, problems with a line).
#pragma once

#include "crm/card.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

namespace crm::fuzz {

// Folds every byte into a value the optimiser cannot drop.
struct toucher {
    std::uint64_t h = 1469598103934665603ull;

    void operator()(const std::string& s) {
        for (unsigned char c : s) h = (h ^ c) * 1099511628211ull;
        h ^= s.size();
    }
    void operator()(const labeled_value& v) {
        (*this)(v.value);
        (*this)(v.kind);
    }
    void operator()(const card_property& p) {
        (*this)(p.group);
        (*this)(p.name);
        for (const auto& param : p.parameters) {
            (*this)(param.name);
            for (const auto& v : param.values) (*this)(v);
        }
        (*this)(p.value);
    }
    template <class T>
    void operator()(const std::vector<T>& vs) {
        for (const auto& v : vs) (*this)(v);
    }
};

inline void touch(toucher& t, const contact& c) {
    t(c.display_name);
    t(c.name.prefix);
    t(c.name.given);
    t(c.name.additional);
    t(c.name.family);
    t(c.name.suffix);
    t(c.name.formatted());
    t(c.organization);
    t(c.title);
    t(c.emails);
    t(c.phones);
    t(c.urls);
    for (const auto& a : c.addresses) {
        t(a.kind);
        t(a.po_box);
        t(a.extended);
        t(a.street);
        t(a.locality);
        t(a.region);
        t(a.postal_code);
        t(a.country);
    }
    t(c.tags);
    if (c.birthday) {
        // A reader hands over only dates that exist (Feb 29 without a year included).
        if (!c.birthday->ok()) std::abort();
        t(c.birthday->to_string());
    }
    for (const auto& n : c.notes) {
        t.h ^= static_cast<std::uint64_t>(n.at.time_since_epoch().count());
        t(n.text);
    }
    t(c.how_met);
    t(c.source);
    t(c.extra);
}

inline void touch(toucher& t, const card& c) {
    touch(t, c.person);
    t(c.uid);
    t(c.kind);
    t(c.format);
    t(c.properties);
    t(c.source);
    t.h ^= static_cast<std::uint64_t>(c.line);
}

inline void touch(toucher& t, const read_summary& s) {
    t(s.format);
    t.h ^= s.cards;
    for (const auto& p : s.problems) {
        t(p.source);
        t(p.reason);
        t.h ^= static_cast<std::uint64_t>(p.line) ^ static_cast<std::uint64_t>(p.column);
    }
}

// Keeps the folded value alive across calls so no touch is optimised away.
inline volatile std::uint64_t sink_result = 0;

}  // namespace crm::fuzz
