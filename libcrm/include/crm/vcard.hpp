// The vCard reader: .vcf bytes as phones, mail programs and address books export them (vCard 2.1,
// 3.0, 4.0) turned into crm::card records one at a time. It decodes, unfolds and unescapes; it knows
// nothing of storage, and a broken record becomes a read_problem, never an exception.
#pragma once

#include "crm/card.hpp"

#include <cstddef>
#include <istream>
#include <string>
#include <string_view>

namespace crm::vcard {

// A property value longer than this (a PHOTO, SOUND or KEY in practice) is not read into memory: the
// property is kept with an empty value and a read_problem says so.
inline constexpr std::size_t max_value_size = std::size_t{1} << 20;

// Reads every card in `in`, handing each to `sink` as soon as its END:VCARD is read, so memory does
// not grow with the input. Problems are collected in the summary with source, line and column; the rest
// of the input is still read. Exceptions thrown by `sink` propagate.
read_summary read(std::istream& in, const std::string& source, const card_sink& sink);
read_summary read(std::string_view bytes, const std::string& source, const card_sink& sink);

// Content sniffing for format detection: true when the first bytes of a file (after a BOM, decoded
// from UTF-16 when they are UTF-16) start, after blank space, with BEGIN:VCARD.
bool looks_like_vcard(std::string_view head);

}  // namespace crm::vcard
