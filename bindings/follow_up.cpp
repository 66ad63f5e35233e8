// Follow-ups, their rules and holidays as methods of netcrm._core.Store. Values cross as plain dicts
// (statuses, actions, kinds and units as str; instants as aware UTC datetimes; days as dates);
// python/netcrm/follow_ups.py makes them dataclasses. A due time crosses as (at, day, minutes, zone):
// exactly one of at/day, checked by the store.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/follow_up_store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace netcrm_py {

namespace {

// An instant as an aware UTC datetime, built through datetime's C API: the due-now query converts
// hundreds of follow-ups with three instants each, and the generic caster's Python-level
// arithmetic (epoch + timedelta) costs more than the query itself. Same value as the caster gives.
py::object instant(date::sys_seconds t) {
    const auto day = date::floor<date::days>(t);
    const date::year_month_day ymd{day};
    const date::hh_mm_ss hms{t - day};
    PyObject* o = PyDateTimeAPI->DateTime_FromDateAndTime(
        int(ymd.year()), int(unsigned(ymd.month())), int(unsigned(ymd.day())), int(hms.hours().count()),
        int(hms.minutes().count()), int(hms.seconds().count()), 0, PyDateTime_TimeZone_UTC,
        PyDateTimeAPI->DateTimeType);
    if (!o) throw py::error_already_set();
    return py::reinterpret_steal<py::object>(o);
}

py::object opt(const std::optional<date::sys_seconds>& v) { return v ? instant(*v) : py::none(); }

template <class T>
py::object opt(const std::optional<T>& v) {
    return v ? py::cast(*v) : py::none();
}

py::dict follow_up_to_py(const crm::follow_up& f) {
    py::dict d;
    d["id"] = f.id;
    d["contact"] = f.contact;
    d["reason"] = f.reason;
    d["due"] = instant(f.due_at);
    d["time_zone"] = f.time_zone;
    d["status"] = std::string(crm::to_string(f.status));
    d["event"] = opt(f.event);
    d["interaction"] = opt(f.interaction);
    d["favor"] = opt(f.favor);
    d["rule"] = opt(f.rule);
    d["completed_at"] = opt(f.completed_at);
    d["completed_by"] = opt(f.completed_by);
    d["created_at"] = instant(f.created_at);
    d["updated_at"] = instant(f.updated_at);
    d["sequence"] = f.sequence;
    return d;
}

py::dict due_to_py(const crm::due_follow_up& d) {
    py::dict out;
    out["follow_up"] = follow_up_to_py(d.follow_up);
    out["overdue"] = d.overdue;
    out["late"] = d.late.count();  // seconds
    return out;
}

py::list due_list(const std::vector<crm::due_follow_up>& v) {
    py::list out;
    for (const auto& d : v) out.append(due_to_py(d));
    return out;
}

py::dict rule_to_py(const crm::follow_up_rule& r) {
    py::dict d;
    d["id"] = r.id;
    d["kind"] = std::string(crm::to_string(r.kind));
    d["contact"] = opt(r.contact);
    d["tag"] = r.tag;
    d["every"] = r.every.count;
    d["unit"] = std::string(crm::to_string(r.every.unit));
    d["time_of_day"] = r.time_of_day.count();  // minutes after midnight
    d["holidays"] = r.holidays;
    d["reason"] = r.reason;
    d["active"] = r.active;
    d["created_at"] = py::cast(r.created_at);
    return d;
}

template <class T>
T item(const py::dict& d, const char* key) {
    if (!d.contains(key)) throw crm::invalid_input(std::string("rule: missing \"") + key + "\"");
    try {
        return d[key].cast<T>();
    } catch (const py::cast_error&) {
        throw crm::invalid_input(std::string(key) + ": wrong type");
    }
}

crm::follow_up_rule rule_from_py(const py::dict& d) {
    crm::follow_up_rule r;
    if (d.contains("id") && !d["id"].is_none()) r.id = item<crm::follow_up_rule_id>(d, "id");
    r.kind = crm::parse_rule_kind(text_from_py(d["kind"], "kind"));
    if (d.contains("contact") && !d["contact"].is_none()) r.contact = item<crm::contact_id>(d, "contact");
    if (d.contains("tag")) r.tag = text_from_py(d["tag"], "tag");
    r.every.count = item<int>(d, "every");
    r.every.unit = crm::parse_step_unit(text_from_py(d["unit"], "unit"));
    r.time_of_day = std::chrono::minutes{item<int>(d, "time_of_day")};
    if (d.contains("holidays")) r.holidays = text_from_py(d["holidays"], "holidays");
    if (d.contains("reason")) r.reason = text_from_py(d["reason"], "reason");
    if (d.contains("active")) r.active = item<bool>(d, "active");
    return r;
}

crm::due_time make_due(std::optional<date::sys_seconds> at, std::optional<date::year_month_day> day, int minutes,
                       const std::string& zone) {
    crm::due_time d;
    d.at = at;
    d.day = day;
    d.time_of_day = std::chrono::minutes{minutes};
    d.time_zone = zone;
    return d;
}

crm::follow_up_filter make_filter(std::optional<crm::contact_id> contact, py::handle status,
                                  std::optional<date::sys_seconds> due_from, std::optional<date::sys_seconds> due_to,
                                  std::size_t limit, std::size_t offset) {
    crm::follow_up_filter f;
    f.contact = contact;
    if (!status.is_none()) f.status = crm::parse_follow_up_status(text_from_py(status, "status"));
    f.due_from = due_from;
    f.due_to = due_to;
    f.limit = limit;
    f.offset = offset;
    return f;
}

// Runs fn on the store with the GIL released and converts its result with the GIL held.
template <class Fn, class Conv>
auto call(const py_store& s, Fn&& fn, Conv&& conv) {
    auto st = s.get();
    std::optional<decltype(fn(*st))> r;
    {
        py::gil_scoped_release nogil;
        r.emplace(fn(*st));
    }
    return conv(*r);
}

template <class Fn>
void call_void(const py_store& s, Fn&& fn) {
    auto st = s.get();
    py::gil_scoped_release nogil;
    fn(*st);
}

}  // namespace

py::dict due_follow_up_to_py(const crm::due_follow_up& d) { return due_to_py(d); }

void init_follow_up(py::module_& m) {
    // For instant(): datetime.h's PyDateTimeAPI is a static of this translation unit.
    PyDateTime_IMPORT;
    if (!PyDateTimeAPI) throw py::error_already_set();
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    const auto fu = [](crm::store& st) -> crm::follow_up_store& { return st.follow_ups(); };

    store
        .def(
            "follow_up_schedule",
            [fu](const py_store& s, crm::contact_id contact, py::handle reason, std::optional<date::sys_seconds> at,
                 std::optional<date::year_month_day> day, int minutes, const std::string& zone,
                 std::optional<crm::event_id> event, std::optional<crm::interaction_id> interaction) {
                std::string r = text_from_py(reason, "reason");
                auto due = make_due(at, day, minutes, zone);
                return call(
                    s, [&](crm::store& st) { return fu(st).schedule(contact, r, due, event, interaction); },
                    follow_up_to_py);
            },
            py::arg("contact"), py::arg("reason"), py::arg("at") = py::none(), py::arg("day") = py::none(),
            py::arg("time_of_day") = 540, py::arg("time_zone") = "", py::arg("event") = py::none(),
            py::arg("interaction") = py::none())
        .def("follow_up_get",
             [fu](const py_store& s, crm::follow_up_id id) {
                 return call(s, [&](crm::store& st) { return fu(st).get(id); }, follow_up_to_py);
             })
        .def("follow_up_find",
             [fu](const py_store& s, crm::follow_up_id id) {
                 return call(s, [&](crm::store& st) { return fu(st).find(id); },
                             [](const std::optional<crm::follow_up>& f) -> py::object {
                                 return f ? py::object(follow_up_to_py(*f)) : py::object(py::none());
                             });
             })
        .def(
            "follow_up_list",
            [fu](const py_store& s, std::optional<crm::contact_id> contact, py::handle status,
                 std::optional<date::sys_seconds> due_from, std::optional<date::sys_seconds> due_to, std::size_t limit,
                 std::size_t offset) {
                auto f = make_filter(contact, status, due_from, due_to, limit, offset);
                return call(s, [&](crm::store& st) { return fu(st).list(f); },
                            [](const std::vector<crm::follow_up>& v) {
                                py::list out;
                                for (const auto& x : v) out.append(follow_up_to_py(x));
                                return out;
                            });
            },
            py::arg("contact") = py::none(), py::arg("status") = py::none(), py::arg("due_from") = py::none(),
            py::arg("due_to") = py::none(), py::arg("limit") = 0, py::arg("offset") = 0)
        .def(
            "follow_up_count",
            [fu](const py_store& s, std::optional<crm::contact_id> contact, py::handle status,
                 std::optional<date::sys_seconds> due_from, std::optional<date::sys_seconds> due_to) {
                auto f = make_filter(contact, status, due_from, due_to, 0, 0);
                return call(s, [&](crm::store& st) { return fu(st).count(f); }, [](std::size_t n) { return n; });
            },
            py::arg("contact") = py::none(), py::arg("status") = py::none(), py::arg("due_from") = py::none(),
            py::arg("due_to") = py::none())
        .def("follow_up_remove",
             [fu](const py_store& s, crm::follow_up_id id) { call_void(s, [&](crm::store& st) { fu(st).remove(id); }); })
        .def(
            "follow_up_complete",
            [fu](const py_store& s, crm::follow_up_id id, std::optional<crm::interaction_id> by,
                 std::optional<date::sys_seconds> at, py::handle note) {
                std::string n = text_from_py(note, "note");
                return call(s, [&](crm::store& st) { return fu(st).complete(id, by, at, n); }, follow_up_to_py);
            },
            py::arg("id"), py::arg("by") = py::none(), py::arg("at") = py::none(), py::arg("note") = "")
        .def(
            "follow_up_snooze",
            [fu](const py_store& s, crm::follow_up_id id, long long seconds, py::handle note) {
                std::string n = text_from_py(note, "note");
                return call(
                    s, [&](crm::store& st) { return fu(st).snooze(id, std::chrono::seconds{seconds}, n); },
                    follow_up_to_py);
            },
            py::arg("id"), py::arg("seconds"), py::arg("note") = "")
        .def(
            "follow_up_snooze_until",
            [fu](const py_store& s, crm::follow_up_id id, std::optional<date::sys_seconds> at,
                 std::optional<date::year_month_day> day, int minutes, const std::string& zone, py::handle note) {
                std::string n = text_from_py(note, "note");
                auto due = make_due(at, day, minutes, zone);
                return call(s, [&](crm::store& st) { return fu(st).snooze_until(id, due, n); }, follow_up_to_py);
            },
            py::arg("id"), py::arg("at") = py::none(), py::arg("day") = py::none(), py::arg("time_of_day") = 540,
            py::arg("time_zone") = "", py::arg("note") = "")
        .def(
            "follow_up_reschedule",
            [fu](const py_store& s, crm::follow_up_id id, std::optional<date::sys_seconds> at,
                 std::optional<date::year_month_day> day, int minutes, const std::string& zone, py::handle note) {
                std::string n = text_from_py(note, "note");
                auto due = make_due(at, day, minutes, zone);
                return call(s, [&](crm::store& st) { return fu(st).reschedule(id, due, n); }, follow_up_to_py);
            },
            py::arg("id"), py::arg("at") = py::none(), py::arg("day") = py::none(), py::arg("time_of_day") = 540,
            py::arg("time_zone") = "", py::arg("note") = "")
        .def(
            "follow_up_cancel",
            [fu](const py_store& s, crm::follow_up_id id, py::handle note) {
                std::string n = text_from_py(note, "note");
                return call(s, [&](crm::store& st) { return fu(st).cancel(id, n); }, follow_up_to_py);
            },
            py::arg("id"), py::arg("note") = "")
        .def(
            "follow_up_reopen",
            [fu](const py_store& s, crm::follow_up_id id, py::handle note) {
                std::string n = text_from_py(note, "note");
                return call(s, [&](crm::store& st) { return fu(st).reopen(id, n); }, follow_up_to_py);
            },
            py::arg("id"), py::arg("note") = "")
        .def("follow_up_history",
             [fu](const py_store& s, crm::follow_up_id id) {
                 return call(s, [&](crm::store& st) { return fu(st).history(id); },
                             [](const std::vector<crm::follow_up_change>& v) {
                                 py::list out;
                                 for (const auto& c : v) {
                                     py::dict d;
                                     d["at"] = py::cast(c.at);
                                     d["action"] = std::string(crm::to_string(c.action));
                                     d["due_before"] = opt(c.due_before);
                                     d["due_after"] = opt(c.due_after);
                                     d["note"] = c.note;
                                     out.append(d);
                                 }
                                 return out;
                             });
             })
        .def(
            "follow_up_due",
            [fu](const py_store& s, date::sys_seconds now, std::size_t limit) {
                return call(s, [&](crm::store& st) { return fu(st).due(now, limit); }, due_list);
            },
            py::arg("now"), py::arg("limit") = 0)
        .def(
            "follow_up_overdue",
            [fu](const py_store& s, date::sys_seconds now, std::size_t limit) {
                return call(s, [&](crm::store& st) { return fu(st).overdue(now, limit); }, due_list);
            },
            py::arg("now"), py::arg("limit") = 0)
        .def(
            "follow_up_upcoming",
            [fu](const py_store& s, date::sys_seconds now, int days, std::size_t limit) {
                return call(s, [&](crm::store& st) { return fu(st).upcoming(now, date::days{days}, limit); },
                            due_list);
            },
            py::arg("now"), py::arg("days"), py::arg("limit") = 0)
        .def(
            "follow_up_going_cold",
            [fu](const py_store& s, date::sys_seconds now, int days, std::size_t limit) {
                return call(s, [&](crm::store& st) { return fu(st).going_cold(now, date::days{days}, limit); },
                            [](const std::vector<crm::quiet_contact>& v) {
                                py::list out;
                                for (const auto& q : v) {
                                    if (q.last)
                                        out.append(py::make_tuple(q.contact, q.last->interaction, q.last->at));
                                    else
                                        out.append(py::make_tuple(q.contact, py::none(), py::none()));
                                }
                                return out;
                            });
            },
            py::arg("now"), py::arg("days"), py::arg("limit") = 0)
        .def(
            "follow_up_warmth",
            [fu](const py_store& s, crm::contact_id contact, date::sys_seconds now, int half_life_days) {
                return call(s, [&](crm::store& st) { return fu(st).warmth_of(contact, now, date::days{half_life_days}); },
                            [](const crm::warmth& w) {
                                py::dict d;
                                d["contact"] = w.contact;
                                d["score"] = w.score;
                                d["last_interaction"] = opt(w.last_interaction);
                                return d;
                            });
            },
            py::arg("contact"), py::arg("now"), py::arg("half_life_days") = 30)
        .def("follow_up_rule_add",
             [fu](const py_store& s, py::dict d) {
                 auto r = rule_from_py(d);
                 return call(s, [&](crm::store& st) { return fu(st).add_rule(r); }, rule_to_py);
             })
        .def("follow_up_rule_get",
             [fu](const py_store& s, crm::follow_up_rule_id id) {
                 return call(s, [&](crm::store& st) { return fu(st).get_rule(id); }, rule_to_py);
             })
        .def("follow_up_rules",
             [fu](const py_store& s) {
                 return call(s, [&](crm::store& st) { return fu(st).rules(); },
                             [](const std::vector<crm::follow_up_rule>& v) {
                                 py::list out;
                                 for (const auto& r : v) out.append(rule_to_py(r));
                                 return out;
                             });
             })
        .def("follow_up_rule_update",
             [fu](const py_store& s, py::dict d) {
                 auto r = rule_from_py(d);
                 return call(s, [&](crm::store& st) { return fu(st).update_rule(r); }, rule_to_py);
             })
        .def("follow_up_rule_remove",
             [fu](const py_store& s, crm::follow_up_rule_id id) {
                 call_void(s, [&](crm::store& st) { fu(st).remove_rule(id); });
             })
        .def("follow_up_refresh_rules",
             [fu](const py_store& s) {
                 return call(s, [&](crm::store& st) { return fu(st).refresh_rules(); }, [](std::size_t n) { return n; });
             })
        .def("follow_up_set_holidays",
             [fu](const py_store& s, py::handle calendar, const std::vector<std::pair<date::year_month_day, std::string>>& days) {
                 std::string c = text_from_py(calendar, "calendar");
                 call_void(s, [&](crm::store& st) { fu(st).set_holidays(c, days); });
             })
        .def("follow_up_holidays", [fu](const py_store& s, const std::string& calendar) {
            return call(s, [&](crm::store& st) { return fu(st).holidays(calendar); },
                        [](const std::set<date::sys_days>& days) {
                            py::list out;
                            for (auto d : days) out.append(py::cast(date::year_month_day{d}));
                            return out;
                        });
        });
}

}  // namespace netcrm_py
