// A contact as JSON and back, losslessly: merge snapshots, import undo records and the JSON
// export all use this one shape. Instants are ISO 8601 UTC ("2026-10-08T17:40:00Z").
#pragma once

#include "crm/contact.hpp"

#include <nlohmann/json.hpp>

namespace crm::detail {

nlohmann::json to_json(const contact& c);
// Throws invalid_input naming the field when the JSON does not have the shape to_json writes.
contact contact_from_json(const nlohmann::json& j);

std::string iso8601(date::sys_seconds t);
date::sys_seconds parse_iso8601(const std::string& text);  // throws invalid_input

}  // namespace crm::detail
