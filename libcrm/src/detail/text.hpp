// Text rules shared by every value netcrm stores: valid UTF-8, no NUL bytes, trimmed edges.
#pragma once

#include <string>
#include <string_view>

namespace crm::detail {

// Offset of the first byte that breaks UTF-8 (overlongs, surrogates and NUL included), or npos.
std::size_t invalid_utf8_at(std::string_view s) noexcept;

// Throws invalid_input("<field> ...") when s is not valid UTF-8 or holds a NUL byte.
void check_text(std::string_view field, std::string_view s);

// Removes ASCII and Unicode-agnostic whitespace (space, tab, CR, LF) from both ends.
std::string trim(std::string_view s);

}  // namespace crm::detail
