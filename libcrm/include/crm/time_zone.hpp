// Wall clocks and instants. netcrm stores instants (UTC) with the IANA zone they were lived in and
// converts between the two only through the tz database, never through the process's local zone.
#pragma once

#include <date/date.h>

#include <string>

namespace crm {

// An instant from a wall-clock time in an IANA zone ("2026-03-29 02:30" in Europe/Paris does not
// exist; "2026-10-25 02:30" happens twice). Throws invalid_input for an unknown zone, and for a time
// that does not exist or is ambiguous unless `choose` says which (earliest or latest) to take.
// Either way the two candidates are the wall clock read with the UTC offset before the change and
// with the one after it: for a repeated time, its first and second occurrence; for a skipped time,
// latest reads it with the old offset (02:30 in the spring gap is 03:30 summer time, as RFC 5545
// and Python's fold=0 do) and earliest with the new one (01:30 winter time).
enum class ambiguous_time { reject, earliest, latest };
date::sys_seconds from_local(date::local_seconds wall_clock, const std::string& time_zone,
                             ambiguous_time choose = ambiguous_time::reject);
// The wall-clock time of an instant in a zone. Throws invalid_input for an unknown zone.
date::local_seconds to_local(date::sys_seconds instant, const std::string& time_zone);
// Throws invalid_input unless `name` is an IANA zone known to the tz database.
void check_time_zone(const std::string& name);

}  // namespace crm
