// Instants and dates across the boundary, without going through the process's local time zone
// (which pybind11/chrono.h does): date::sys_seconds <-> aware datetime in UTC (a naive datetime is
// refused with netcrm.InvalidInput, a ValueError), date::year_month_day <-> datetime.date. A value going
// out that Python cannot hold came from a damaged database: it raises netcrm.StorageError.
#pragma once

#include <pybind11/pybind11.h>

#include "crm/error.hpp"

#include <date/date.h>

#include <datetime.h>

#include <string>

namespace pybind11::detail {

// datetime.h's PyDateTimeAPI is a static of each translation unit, and the inline functions below
// are merged across translation units by the linker: the one kept may belong to a file that never
// imported the API. So every function that uses the API imports it itself, into the very static its
// own body reads (a helper function would be merged separately and could fill another file's copy).
#define NETCRM_IMPORT_DATETIME()                         \
    do {                                                 \
        if (!PyDateTimeAPI) PyDateTime_IMPORT;           \
        if (!PyDateTimeAPI) throw error_already_set();   \
    } while (false)

template <>
struct type_caster<date::sys_seconds> {
    PYBIND11_TYPE_CASTER(date::sys_seconds, const_name("datetime.datetime"));

    bool load(handle src, bool) {
        NETCRM_IMPORT_DATETIME();
        if (!src || !PyDateTime_Check(src.ptr())) return false;
        object tz = src.attr("tzinfo");
        if (tz.is_none() || src.attr("utcoffset")().is_none())
            throw crm::invalid_input(
                "a naive datetime has no time zone; pass an aware one, e.g. "
                "datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo('Europe/Paris'))");
        // Exact integer arithmetic: (src - 1970-01-01T00:00Z) as days and seconds, floored.
        object utc = module_::import("datetime").attr("timezone").attr("utc");
        object epoch = module_::import("datetime").attr("datetime")(1970, 1, 1, 0, 0, 0, 0, utc);
        object delta = src - epoch;
        long long days = delta.attr("days").cast<long long>();
        long long secs = delta.attr("seconds").cast<long long>();
        value = date::sys_seconds{std::chrono::seconds{days * 86400 + secs}};
        return true;
    }

    static handle cast(const date::sys_seconds& t, return_value_policy, handle) {
        NETCRM_IMPORT_DATETIME();
        object dt = module_::import("datetime");
        object utc = dt.attr("timezone").attr("utc");
        object epoch = dt.attr("datetime")(1970, 1, 1, 0, 0, 0, 0, utc);
        try {
            object delta = dt.attr("timedelta")(0, t.time_since_epoch().count());
            return (epoch + delta).release();
        } catch (const error_already_set& e) {
            if (!e.matches(PyExc_OverflowError)) throw;
            throw crm::storage_error("the database holds a time out of any calendar (" +
                                         std::to_string(t.time_since_epoch().count()) +
                                         " seconds from 1970): it is damaged",
                                     11 /* SQLITE_CORRUPT */);
        }
    }
};

template <>
struct type_caster<date::year_month_day> {
    PYBIND11_TYPE_CASTER(date::year_month_day, const_name("datetime.date"));

    bool load(handle src, bool) {
        NETCRM_IMPORT_DATETIME();
        if (!src || !PyDate_Check(src.ptr()) || PyDateTime_Check(src.ptr())) return false;
        value = date::year{PyDateTime_GET_YEAR(src.ptr())} / unsigned(PyDateTime_GET_MONTH(src.ptr())) /
                unsigned(PyDateTime_GET_DAY(src.ptr()));
        return true;
    }

    static handle cast(const date::year_month_day& d, return_value_policy, handle) {
        NETCRM_IMPORT_DATETIME();
        if (!d.ok() || int(d.year()) < 1 || int(d.year()) > 9999)
            throw crm::storage_error("the database holds an impossible date (" + std::to_string(int(d.year())) + "-" +
                                         std::to_string(unsigned(d.month())) + "-" + std::to_string(unsigned(d.day())) +
                                         "): it is damaged",
                                     11 /* SQLITE_CORRUPT */);
        return PyDate_FromDate(int(d.year()), int(unsigned(d.month())), int(unsigned(d.day())));
    }
};

}  // namespace pybind11::detail
