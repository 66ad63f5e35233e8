#include "crm/time_zone.hpp"

#include "crm/error.hpp"

#include <date/tz.h>

namespace crm {

namespace {

const date::time_zone* zone_or_throw(const std::string& name) {
    try {
        return date::locate_zone(name);
    } catch (const std::exception&) {
        throw invalid_input("unknown time zone '" + name + "': expected an IANA name such as 'Europe/Paris'");
    }
}

std::string wall(date::local_seconds t) { return date::format("%F %H:%M:%S", t); }

}  // namespace

void check_time_zone(const std::string& name) { (void)zone_or_throw(name); }

date::sys_seconds from_local(date::local_seconds wall_clock, const std::string& time_zone, ambiguous_time choose) {
    const date::time_zone* zone = zone_or_throw(time_zone);
    const date::local_info info = zone->get_info(wall_clock);
    if (info.result == date::local_info::unique) return date::sys_seconds{wall_clock.time_since_epoch() - info.first.offset};
    // Around a change the wall clock reads with the offset before it or after it: two instants.
    // For a repeated hour both are real; for a skipped one, reading it with the old offset lands
    // after the gap (02:30 -> 03:30) and with the new one before it (02:30 -> 01:30).
    const date::sys_seconds with_first{wall_clock.time_since_epoch() - info.first.offset};
    const date::sys_seconds with_second{wall_clock.time_since_epoch() - info.second.offset};
    const auto earliest = std::min(with_first, with_second), latest = std::max(with_first, with_second);
    if (choose == ambiguous_time::earliest) return earliest;
    if (choose == ambiguous_time::latest) return latest;
    if (info.result == date::local_info::nonexistent)
        throw invalid_input(wall(wall_clock) + " does not exist in " + time_zone + ": the clocks skip from " +
                            wall(date::local_seconds{info.second.begin.time_since_epoch() + info.first.offset}) +
                            " to " +
                            wall(date::local_seconds{info.second.begin.time_since_epoch() + info.second.offset}));
    throw invalid_input(wall(wall_clock) + " happens twice in " + time_zone + " (UTC offsets " +
                        date::format("%z", date::zoned_seconds(zone, earliest)) + " and " +
                        date::format("%z", date::zoned_seconds(zone, latest)) + "): say which one");
}

date::local_seconds to_local(date::sys_seconds instant, const std::string& time_zone) {
    return date::zoned_seconds(zone_or_throw(time_zone), instant).get_local_time();
}

}  // namespace crm
