#include "crm/time_zone.hpp"

#include "crm/error.hpp"

#include <date/tz.h>

namespace crm {

void check_time_zone(const std::string& name) {
    try {
        (void)date::locate_zone(name);
    } catch (const std::exception&) {
        throw invalid_input("unknown time zone '" + name + "': expected an IANA name such as 'Europe/Paris'");
    }
}

}  // namespace crm
