// The interaction log as methods of netcrm._core.Store. An interaction crosses as a plain dict
// (kind as str, instants as aware UTC datetimes); python/netcrm/interactions.py makes it a dataclass.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/interaction_store.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace netcrm_py {

namespace {

py::dict interaction_to_py(const crm::interaction& i) {
    py::dict d;
    d["id"] = i.id;
    d["kind"] = std::string(crm::to_string(i.kind));
    py::list contacts;
    for (auto c : i.contacts) contacts.append(c);
    d["contacts"] = contacts;
    d["event"] = i.event ? py::object(py::int_(*i.event)) : py::object(py::none());
    d["at"] = py::cast(i.at);
    d["time_zone"] = i.time_zone;
    d["notes"] = i.notes;
    d["created_at"] = py::cast(i.created_at);
    d["updated_at"] = py::cast(i.updated_at);
    return d;
}

template <class T>
T item(const py::dict& d, const char* key) {
    if (!d.contains(key)) throw crm::invalid_input(std::string("interaction: missing \"") + key + "\"");
    try {
        return d[key].cast<T>();
    } catch (const py::cast_error&) {
        throw crm::invalid_input(std::string(key) + ": wrong type");
    }
}

crm::interaction interaction_from_py(const py::dict& d) {
    crm::interaction i;
    if (d.contains("id") && !d["id"].is_none()) i.id = item<crm::interaction_id>(d, "id");
    i.kind = crm::parse_interaction_kind(text_from_py(d["kind"], "kind"));
    i.contacts = item<std::vector<crm::contact_id>>(d, "contacts");
    if (d.contains("event") && !d["event"].is_none()) i.event = item<crm::event_id>(d, "event");
    i.at = item<date::sys_seconds>(d, "at");
    if (d.contains("time_zone")) i.time_zone = text_from_py(d["time_zone"], "time_zone");
    if (d.contains("notes")) i.notes = text_from_py(d["notes"], "notes");
    return i;
}

py::list interactions_to_py(const std::vector<crm::interaction>& is) {
    py::list out;
    for (const auto& i : is) out.append(interaction_to_py(i));
    return out;
}

py::tuple last_to_py(const crm::last_interaction& l) { return py::make_tuple(l.contact, l.interaction, l.at); }

crm::interaction_filter make_filter(std::optional<crm::contact_id> contact, std::optional<crm::event_id> event,
                                    py::handle kind, std::optional<date::sys_seconds> start,
                                    std::optional<date::sys_seconds> end, bool newest_first, std::size_t limit,
                                    std::size_t offset) {
    crm::interaction_filter f;
    f.contact = contact;
    f.event = event;
    if (!kind.is_none()) f.kind = crm::parse_interaction_kind(text_from_py(kind, "kind"));
    f.from = start;
    f.to = end;
    f.newest_first = newest_first;
    f.limit = limit;
    f.offset = offset;
    return f;
}

}  // namespace

void init_interaction(py::module_& m) {
    m.def("interaction_kinds", [] {
        py::list out;
        for (auto k : {crm::interaction_kind::conversation, crm::interaction_kind::meeting, crm::interaction_kind::call,
                       crm::interaction_kind::email, crm::interaction_kind::message, crm::interaction_kind::coffee,
                       crm::interaction_kind::meal, crm::interaction_kind::other})
            out.append(std::string(crm::to_string(k)));
        return out;
    });
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store
        .def("interaction_log",
             [](const py_store& s, py::dict d) {
                 crm::interaction i = interaction_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     i = st->interactions().log(std::move(i));
                 }
                 return interaction_to_py(i);
             })
        .def("interaction_update",
             [](const py_store& s, py::dict d) {
                 crm::interaction i = interaction_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     i = st->interactions().update(std::move(i));
                 }
                 return interaction_to_py(i);
             })
        .def("interaction_get",
             [](const py_store& s, crm::interaction_id id) {
                 auto st = s.get();
                 crm::interaction i;
                 {
                     py::gil_scoped_release nogil;
                     i = st->interactions().get(id);
                 }
                 return interaction_to_py(i);
             })
        .def("interaction_find",
             [](const py_store& s, crm::interaction_id id) -> py::object {
                 auto st = s.get();
                 std::optional<crm::interaction> i;
                 {
                     py::gil_scoped_release nogil;
                     i = st->interactions().find(id);
                 }
                 return i ? py::object(interaction_to_py(*i)) : py::none();
             })
        .def("interaction_remove",
             [](const py_store& s, crm::interaction_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->interactions().remove(id);
             })
        .def(
            "interaction_list",
            [](const py_store& s, std::optional<crm::contact_id> contact, std::optional<crm::event_id> event,
               py::handle kind, std::optional<date::sys_seconds> start, std::optional<date::sys_seconds> end,
               bool newest_first, std::size_t limit, std::size_t offset) {
                auto f = make_filter(contact, event, kind, start, end, newest_first, limit, offset);
                auto st = s.get();
                std::vector<crm::interaction> is;
                {
                    py::gil_scoped_release nogil;
                    is = st->interactions().list(f);
                }
                return interactions_to_py(is);
            },
            py::arg("contact") = py::none(), py::arg("event") = py::none(), py::arg("kind") = py::none(),
            py::arg("start") = py::none(), py::arg("end") = py::none(), py::arg("newest_first") = false,
            py::arg("limit") = 0, py::arg("offset") = 0)
        .def(
            "interaction_count",
            [](const py_store& s, std::optional<crm::contact_id> contact, std::optional<crm::event_id> event,
               py::handle kind, std::optional<date::sys_seconds> start, std::optional<date::sys_seconds> end) {
                auto f = make_filter(contact, event, kind, start, end, false, 0, 0);
                auto st = s.get();
                py::gil_scoped_release nogil;
                return st->interactions().count(f);
            },
            py::arg("contact") = py::none(), py::arg("event") = py::none(), py::arg("kind") = py::none(),
            py::arg("start") = py::none(), py::arg("end") = py::none())
        .def("interaction_with_contact",
             [](const py_store& s, crm::contact_id contact) {
                 auto st = s.get();
                 std::vector<crm::interaction> is;
                 {
                     py::gil_scoped_release nogil;
                     is = st->interactions().with_contact(contact);
                 }
                 return interactions_to_py(is);
             })
        .def("interaction_last_with",
             [](const py_store& s, crm::contact_id contact) -> py::object {
                 auto st = s.get();
                 std::optional<crm::last_interaction> l;
                 {
                     py::gil_scoped_release nogil;
                     l = st->interactions().last_with(contact);
                 }
                 return l ? py::object(last_to_py(*l)) : py::none();
             })
        .def("interaction_last_per_contact",
             [](const py_store& s) {
                 auto st = s.get();
                 std::vector<crm::last_interaction> ls;
                 {
                     py::gil_scoped_release nogil;
                     ls = st->interactions().last_per_contact();
                 }
                 py::list out;
                 for (const auto& l : ls) out.append(last_to_py(l));
                 return out;
             })
        .def("interaction_not_heard_from", [](const py_store& s, long long days, date::sys_seconds now) {
            auto st = s.get();
            std::vector<crm::quiet_contact> qs;
            {
                py::gil_scoped_release nogil;
                qs = st->interactions().not_heard_from(std::chrono::days{days}, now);
            }
            py::list out;
            for (const auto& q : qs)
                out.append(py::make_tuple(q.contact, q.last ? py::object(last_to_py(*q.last)) : py::object(py::none())));
            return out;
        });
}

}  // namespace netcrm_py
