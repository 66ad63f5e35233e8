// A card as a reader found it: the contact it describes, plus every property exactly as the file
// carried it, so nothing a card said is lost even when netcrm has no field for it. Readers (vCard,
// MECARD, CSV) produce cards and know nothing of storage; the importer normalizes and stores them.
#pragma once

#include "crm/contact.hpp"
#include "crm/property.hpp"

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace crm {

struct card {
    contact person;     // the fields netcrm understands, as written (not yet normalized)
    std::string uid;    // vCard UID, when present
    std::string kind;   // vCard KIND / X-ADDRESSBOOKSERVER-KIND: "individual", "group", "org" ...
    std::string format; // "vcard-2.1", "vcard-3.0", "vcard-4.0", "mecard", "csv-linkedin" ...
    std::vector<card_property> properties;  // everything, in file order, including what was mapped
    std::string source;  // file name or caller's label
    int line = 0;        // 1-based line where the record starts
};

// A record a reader could not use; the rest of the input is still read.
struct read_problem {
    std::string source;
    int line = 0;
    int column = 0;
    std::string reason;
    friend bool operator==(const read_problem&, const read_problem&) = default;
};

// Readers hand each card to a sink as soon as it is complete, so memory does not grow with the file.
using card_sink = std::function<void(card&&)>;

// How many problems a read or an import lists with their detail; the rest are only counted, so that
// a file of junk costs no more memory (nor rows of an import's report) than a file of cards.
inline constexpr std::size_t max_listed_problems = 1000;

// The problems of a read, in the order they were found: the first max_listed_problems kept whole,
// the ones after them counted in more().
class problem_list {
public:
    void push_back(read_problem p) {
        if (list_.size() < max_listed_problems)
            list_.push_back(std::move(p));
        else
            ++more_;
    }
    std::size_t size() const noexcept { return list_.size(); }  // the listed ones
    bool empty() const noexcept { return list_.empty(); }
    std::size_t more() const noexcept { return more_; }  // found after the listed ones, counted only
    std::size_t total() const noexcept { return list_.size() + more_; }

    read_problem& operator[](std::size_t i) { return list_[i]; }
    const read_problem& operator[](std::size_t i) const { return list_[i]; }
    const read_problem& front() const { return list_.front(); }
    const read_problem& back() const { return list_.back(); }
    auto begin() noexcept { return list_.begin(); }
    auto end() noexcept { return list_.end(); }
    auto begin() const noexcept { return list_.begin(); }
    auto end() const noexcept { return list_.end(); }
    friend bool operator==(const problem_list&, const problem_list&) = default;

private:
    std::vector<read_problem> list_;
    std::size_t more_ = 0;
};

struct read_summary {
    std::string format;  // what was read: "vcard", "mecard", "csv" (set by read_cards)
    std::size_t cards = 0;
    problem_list problems;
};

}  // namespace crm
