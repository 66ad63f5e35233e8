// crm::event_store and the store's time zone as methods of netcrm._core.Store. Events, expenses
// and attendance cross as dicts (the contract with python/netcrm/events.py); amounts cross as
// decimal strings ("12.50"), never floats, and are parsed by crm::money.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/event_store.hpp"
#include "crm/store.hpp"

namespace netcrm_py {

namespace {

py::dict expense_to_py(const crm::expense& x) {
    py::dict d;
    d["id"] = x.id;
    d["amount"] = x.amount.amount_string();
    d["currency"] = x.amount.currency;
    d["category"] = x.category;
    d["note"] = x.note;
    return d;
}

std::string text_field(const py::dict& d, const char* key, const std::string& field) {
    if (!d.contains(key) || d[key].is_none()) return {};
    return text_from_py(d[key], field);
}

crm::expense expense_from_py(py::handle obj, const std::string& where) {
    if (!PyDict_Check(obj.ptr())) throw crm::invalid_input(where + " must be given as a dict");
    auto d = py::reinterpret_borrow<py::dict>(obj);
    crm::expense x;
    if (d.contains("id") && !d["id"].is_none()) x.id = d["id"].cast<crm::expense_id>();
    const std::string amount = text_field(d, "amount", where + ".amount");
    const std::string currency = text_field(d, "currency", where + ".currency");
    try {
        x.amount = crm::money::parse(amount, currency);
    } catch (const crm::invalid_input& e) {
        throw crm::invalid_input(where + ": " + e.what());
    }
    if (d.contains("category") && !d["category"].is_none()) x.category = text_from_py(d["category"], where + ".category");
    x.note = text_field(d, "note", where + ".note");
    return x;
}

py::dict event_to_py(const crm::event& e) {
    py::dict d;
    d["id"] = e.id;
    d["name"] = e.name;
    d["kind"] = e.kind;
    d["starts_at"] = py::cast(e.starts_at);
    d["ends_at"] = e.ends_at ? py::cast(*e.ends_at) : py::none();
    d["time_zone"] = e.time_zone;
    d["location"] = e.location;
    d["notes"] = e.notes;
    d["tags"] = py::cast(e.tags);
    py::list expenses;
    for (const auto& x : e.expenses) expenses.append(expense_to_py(x));
    d["expenses"] = expenses;
    d["created_at"] = py::cast(e.created_at);
    d["updated_at"] = py::cast(e.updated_at);
    return d;
}

crm::event event_from_py(py::handle obj) {
    if (!PyDict_Check(obj.ptr())) throw crm::invalid_input("an event must be given as a dict");
    auto d = py::reinterpret_borrow<py::dict>(obj);
    crm::event e;
    if (d.contains("id") && !d["id"].is_none()) e.id = d["id"].cast<crm::event_id>();
    e.name = text_field(d, "name", "name");
    e.kind = text_field(d, "kind", "kind");
    if (!d.contains("starts_at") || d["starts_at"].is_none()) throw crm::invalid_input("starts_at: an event needs a start");
    e.starts_at = d["starts_at"].cast<date::sys_seconds>();
    if (d.contains("ends_at") && !d["ends_at"].is_none()) e.ends_at = d["ends_at"].cast<date::sys_seconds>();
    e.time_zone = text_field(d, "time_zone", "time_zone");
    e.location = text_field(d, "location", "location");
    e.notes = text_field(d, "notes", "notes");
    if (d.contains("tags")) {
        std::size_t i = 0;
        for (py::handle t : py::iterable(d["tags"])) e.tags.push_back(text_from_py(t, "tags[" + std::to_string(i++) + "]"));
    }
    if (d.contains("expenses")) {
        std::size_t i = 0;
        for (py::handle x : py::iterable(d["expenses"]))
            e.expenses.push_back(expense_from_py(x, "expenses[" + std::to_string(i++) + "]"));
    }
    return e;
}

py::dict attendance_to_py(const crm::attendance& a) {
    py::dict d;
    d["event"] = a.event;
    d["contact"] = a.contact;
    d["met_at"] = py::cast(a.met_at);
    d["first_meeting"] = a.first_meeting;
    d["introduced_by"] = a.introduced_by ? py::object(py::int_(*a.introduced_by)) : py::none();
    return d;
}

py::list attendances_to_py(const std::vector<crm::attendance>& as) {
    py::list out;
    for (const auto& a : as) out.append(attendance_to_py(a));
    return out;
}

crm::event_filter make_filter(py::handle kind, py::handle tag, std::optional<date::sys_seconds> start,
                              std::optional<date::sys_seconds> end, std::optional<crm::contact_id> attendee,
                              std::size_t limit, std::size_t offset) {
    crm::event_filter f;
    if (!kind.is_none()) f.kind = text_from_py(kind, "kind");
    if (!tag.is_none()) f.tag = text_from_py(tag, "tag");
    f.from = start;
    f.to = end;
    f.attendee = attendee;
    f.limit = limit;
    f.offset = offset;
    return f;
}

}  // namespace

void init_event(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store
        .def_property(
            "time_zone",
            [](const py_store& s) {
                auto st = s.get();
                py::gil_scoped_release nogil;
                return st->time_zone();
            },
            [](const py_store& s, py::handle zone) {
                std::string z = text_from_py(zone, "time_zone");
                auto st = s.get();
                py::gil_scoped_release nogil;
                st->set_time_zone(z);
            })
        .def("event_add",
             [](const py_store& s, py::dict d) {
                 crm::event e = event_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     e = st->events().add(std::move(e));
                 }
                 return event_to_py(e);
             })
        .def("event_update",
             [](const py_store& s, py::dict d) {
                 crm::event e = event_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     e = st->events().update(std::move(e));
                 }
                 return event_to_py(e);
             })
        .def("event_get",
             [](const py_store& s, crm::event_id id) {
                 auto st = s.get();
                 crm::event e;
                 {
                     py::gil_scoped_release nogil;
                     e = st->events().get(id);
                 }
                 return event_to_py(e);
             })
        .def("event_find",
             [](const py_store& s, crm::event_id id) -> py::object {
                 auto st = s.get();
                 std::optional<crm::event> e;
                 {
                     py::gil_scoped_release nogil;
                     e = st->events().find(id);
                 }
                 return e ? py::object(event_to_py(*e)) : py::none();
             })
        .def("event_remove",
             [](const py_store& s, crm::event_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->events().remove(id);
             })
        .def(
            "event_list",
            [](const py_store& s, py::handle kind, py::handle tag, std::optional<date::sys_seconds> start,
               std::optional<date::sys_seconds> end, std::optional<crm::contact_id> attendee, std::size_t limit,
               std::size_t offset) {
                auto f = make_filter(kind, tag, start, end, attendee, limit, offset);
                auto st = s.get();
                std::vector<crm::event> es;
                {
                    py::gil_scoped_release nogil;
                    es = st->events().list(f);
                }
                py::list out;
                for (const auto& e : es) out.append(event_to_py(e));
                return out;
            },
            py::arg("kind") = py::none(), py::arg("tag") = py::none(), py::arg("start") = py::none(),
            py::arg("end") = py::none(), py::arg("attendee") = py::none(), py::arg("limit") = 0, py::arg("offset") = 0)
        .def(
            "event_count",
            [](const py_store& s, py::handle kind, py::handle tag, std::optional<date::sys_seconds> start,
               std::optional<date::sys_seconds> end, std::optional<crm::contact_id> attendee) {
                auto f = make_filter(kind, tag, start, end, attendee, 0, 0);
                auto st = s.get();
                py::gil_scoped_release nogil;
                return st->events().count(f);
            },
            py::arg("kind") = py::none(), py::arg("tag") = py::none(), py::arg("start") = py::none(),
            py::arg("end") = py::none(), py::arg("attendee") = py::none())
        .def("event_add_expense",
             [](const py_store& s, crm::event_id id, py::dict d) {
                 crm::expense x = expense_from_py(d, "expense");
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     x = st->events().add_expense(id, std::move(x));
                 }
                 return expense_to_py(x);
             })
        .def("event_remove_expense",
             [](const py_store& s, crm::expense_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->events().remove_expense(id);
             })
        .def(
            "event_add_attendee",
            [](const py_store& s, crm::event_id event, crm::contact_id contact, std::optional<date::sys_seconds> met_at,
               std::optional<bool> first_meeting, std::optional<crm::contact_id> introduced_by) {
                crm::attendee_options o{met_at, first_meeting, introduced_by};
                auto st = s.get();
                crm::attendance a;
                {
                    py::gil_scoped_release nogil;
                    a = st->events().add_attendee(event, contact, o);
                }
                return attendance_to_py(a);
            },
            py::arg("event"), py::arg("contact"), py::arg("met_at") = py::none(), py::arg("first_meeting") = py::none(),
            py::arg("introduced_by") = py::none())
        .def("event_remove_attendee",
             [](const py_store& s, crm::event_id event, crm::contact_id contact) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->events().remove_attendee(event, contact);
             })
        .def("event_attendees",
             [](const py_store& s, crm::event_id event) {
                 auto st = s.get();
                 std::vector<crm::attendance> as;
                 {
                     py::gil_scoped_release nogil;
                     as = st->events().attendees(event);
                 }
                 return attendances_to_py(as);
             })
        .def("event_attended",
             [](const py_store& s, crm::contact_id contact) {
                 auto st = s.get();
                 std::vector<crm::attendance> as;
                 {
                     py::gil_scoped_release nogil;
                     as = st->events().attended(contact);
                 }
                 return attendances_to_py(as);
             })
        .def("event_first_met", [](const py_store& s, crm::contact_id contact) -> py::object {
            auto st = s.get();
            std::optional<crm::attendance> a;
            {
                py::gil_scoped_release nogil;
                a = st->events().first_met(contact);
            }
            return a ? py::object(attendance_to_py(*a)) : py::none();
        });
    m.def(
        "currency_exponent",
        [](const std::string& code) { return crm::currency_exponent(code); },
        "The number of decimals of an ISO 4217 currency (EUR 2, JPY 0, BHD 3), or None.");
}

}  // namespace netcrm_py
