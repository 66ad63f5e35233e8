// The reciprocity ledger (favours, introductions, asks, balances) as methods of netcrm._core.Store.
// Records cross as plain dicts (names as str, dates as datetime.date, instants as aware UTC
// datetimes); python/netcrm/favors.py makes them dataclasses.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/favor_store.hpp"

#include <optional>
#include <string>
#include <vector>

namespace netcrm_py {

namespace {

py::object optional_id(const std::optional<std::int64_t>& v) { return v ? py::object(py::int_(*v)) : py::object(py::none()); }

// Calendar days cross through Python-level datetime.date calls, not casters.hpp's date caster:
// that caster reads datetime.h's PyDateTimeAPI, a static of each translation unit, from inline
// code the linker may take from a unit that never imported it (a crash here on the first date).
py::object date_to_py(const date::year_month_day& d) {
    return py::module_::import("datetime").attr("date")(int(d.year()), unsigned(d.month()), unsigned(d.day()));
}

std::optional<date::year_month_day> date_from_py(py::handle obj, const char* field) {
    if (obj.is_none()) return std::nullopt;
    auto dt = py::module_::import("datetime");
    if (!py::isinstance(obj, dt.attr("date")) || py::isinstance(obj, dt.attr("datetime")))
        throw crm::invalid_input(std::string(field) + ": expected a datetime.date");
    return date::year{obj.attr("year").cast<int>()} / obj.attr("month").cast<unsigned>() / obj.attr("day").cast<unsigned>();
}

// The filters of favor_list and favor_count, read the same way.
crm::favor_filter favor_filter_from_py(std::optional<crm::contact_id> contact, py::handle direction, py::handle kind,
                                       py::handle status, py::handle start, py::handle end) {
    crm::favor_filter f;
    f.contact = contact;
    if (!direction.is_none()) f.direction = crm::parse_favor_direction(text_from_py(direction, "direction"));
    if (!kind.is_none()) f.kind = crm::parse_favor_kind(text_from_py(kind, "kind"));
    if (!status.is_none()) f.status = crm::parse_favor_status(text_from_py(status, "status"));
    f.from = date_from_py(start, "start");
    f.to = date_from_py(end, "end");
    return f;
}

py::dict favor_to_py(const crm::favor& f) {
    py::dict d;
    d["id"] = f.id;
    d["direction"] = std::string(crm::to_string(f.direction));
    d["contact"] = f.contact;
    d["kind"] = std::string(crm::to_string(f.kind));
    d["weight"] = f.weight;
    d["on"] = date_to_py(f.on);
    d["note"] = f.note;
    d["status"] = std::string(crm::to_string(f.status));
    d["introduction"] = optional_id(f.introduction);
    d["created_at"] = py::cast(f.created_at);
    d["updated_at"] = py::cast(f.updated_at);
    return d;
}

template <class T>
T item(const py::dict& d, const char* key) {
    if (!d.contains(key)) throw crm::invalid_input(std::string("favour: missing \"") + key + "\"");
    try {
        return d[key].cast<T>();
    } catch (const py::cast_error&) {
        throw crm::invalid_input(std::string(key) + ": wrong type");
    }
}

crm::favor favor_from_py(const py::dict& d) {
    crm::favor f;
    if (d.contains("id") && !d["id"].is_none()) f.id = item<crm::favor_id>(d, "id");
    f.direction = crm::parse_favor_direction(text_from_py(d["direction"], "direction"));
    f.contact = item<crm::contact_id>(d, "contact");
    f.kind = crm::parse_favor_kind(text_from_py(d["kind"], "kind"));
    if (d.contains("weight")) f.weight = item<double>(d, "weight");
    if (d.contains("on")) {
        if (auto on = date_from_py(d["on"], "on")) f.on = *on;
    }
    if (d.contains("note")) f.note = text_from_py(d["note"], "note");
    if (d.contains("status")) f.status = crm::parse_favor_status(text_from_py(d["status"], "status"));
    if (d.contains("introduction") && !d["introduction"].is_none())
        f.introduction = item<crm::introduction_id>(d, "introduction");
    return f;
}

py::dict introduction_to_py(const crm::introduction& i) {
    py::dict d;
    d["id"] = i.id;
    d["introducer"] = optional_id(i.introducer);
    d["first"] = optional_id(i.first);
    d["second"] = i.second;
    d["on"] = date_to_py(i.on);
    d["note"] = i.note;
    d["created_at"] = py::cast(i.created_at);
    return d;
}

py::dict ask_to_py(const crm::ask& a) {
    py::dict d;
    d["id"] = a.id;
    d["contact"] = a.contact;
    d["text"] = a.text;
    d["status"] = std::string(crm::to_string(a.status));
    d["created_at"] = py::cast(a.created_at);
    d["closed_at"] = a.closed_at ? py::cast(*a.closed_at) : py::object(py::none());
    return d;
}

py::dict balance_to_py(const crm::favor_balance& b) {
    py::dict d;
    d["contact"] = b.contact;
    d["given"] = b.given;
    d["received"] = b.received;
    d["balance"] = b.balance;
    d["last_received"] = b.last_received ? date_to_py(*b.last_received) : py::object(py::none());
    return d;
}

template <class T, class F>
py::list list_to_py(const std::vector<T>& v, F convert) {
    py::list out;
    for (const auto& x : v) out.append(convert(x));
    return out;
}

}  // namespace

py::dict favor_dict(const crm::favor& f) { return favor_to_py(f); }

void init_favor(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store
        .def(
            "favor_add",
            [](const py_store& s, py::dict d, bool thank) {
                crm::favor f = favor_from_py(d);
                crm::favor_options o;
                o.thank = thank;
                auto st = s.get();
                {
                    py::gil_scoped_release nogil;
                    f = st->favors().add(std::move(f), o);
                }
                return favor_to_py(f);
            },
            py::arg("favor"), py::arg("thank") = false)
        .def("favor_get",
             [](const py_store& s, crm::favor_id id) {
                 auto st = s.get();
                 crm::favor f;
                 {
                     py::gil_scoped_release nogil;
                     f = st->favors().get(id);
                 }
                 return favor_to_py(f);
             },
             py::arg("id"))
        .def("favor_find",
             [](const py_store& s, crm::favor_id id) -> py::object {
                 auto st = s.get();
                 std::optional<crm::favor> f;
                 {
                     py::gil_scoped_release nogil;
                     f = st->favors().find(id);
                 }
                 return f ? py::object(favor_to_py(*f)) : py::none();
             },
             py::arg("id"))
        .def("favor_update",
             [](const py_store& s, py::dict d) {
                 crm::favor f = favor_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     f = st->favors().update(std::move(f));
                 }
                 return favor_to_py(f);
             },
             py::arg("favor"))
        .def("favor_remove",
             [](const py_store& s, crm::favor_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->favors().remove(id);
             },
             py::arg("id"))
        .def(
            "favor_list",
            [](const py_store& s, std::optional<crm::contact_id> contact, py::handle direction, py::handle kind,
               py::handle status, py::handle start, py::handle end,
               std::size_t limit, std::size_t offset) {
                crm::favor_filter f = favor_filter_from_py(contact, direction, kind, status, start, end);
                f.limit = limit;
                f.offset = offset;
                auto st = s.get();
                std::vector<crm::favor> out;
                {
                    py::gil_scoped_release nogil;
                    out = st->favors().list(f);
                }
                return list_to_py(out, favor_to_py);
            },
            py::arg("contact") = py::none(), py::arg("direction") = py::none(), py::arg("kind") = py::none(),
            py::arg("status") = py::none(), py::arg("start") = py::none(), py::arg("end") = py::none(),
            py::arg("limit") = 0, py::arg("offset") = 0)
        .def(
            "favor_count",
            [](const py_store& s, std::optional<crm::contact_id> contact, py::handle direction, py::handle kind,
               py::handle status, py::handle start, py::handle end) {
                const crm::favor_filter f = favor_filter_from_py(contact, direction, kind, status, start, end);
                auto st = s.get();
                py::gil_scoped_release nogil;
                return st->favors().count(f);
            },
            py::arg("contact") = py::none(), py::arg("direction") = py::none(), py::arg("kind") = py::none(),
            py::arg("status") = py::none(), py::arg("start") = py::none(), py::arg("end") = py::none())
        .def(
            "introduce",
            [](const py_store& s, std::optional<crm::contact_id> introducer, std::optional<crm::contact_id> first,
               crm::contact_id second, py::handle on, py::handle note, double weight) {
                crm::introduction i;
                i.introducer = introducer;
                i.first = first;
                i.second = second;
                if (auto day = date_from_py(on, "on")) i.on = *day;
                i.note = text_from_py(note, "note");
                auto st = s.get();
                {
                    py::gil_scoped_release nogil;
                    i = st->favors().introduce(std::move(i), weight);
                }
                return introduction_to_py(i);
            },
            py::arg("introducer"), py::arg("first"), py::arg("second"), py::arg("on") = py::none(),
            py::arg("note") = "", py::arg("weight") = 1.0)
        .def(
            "introductions",
            [](const py_store& s, std::optional<crm::contact_id> involving) {
                auto st = s.get();
                std::vector<crm::introduction> out;
                {
                    py::gil_scoped_release nogil;
                    out = st->favors().introductions(involving);
                }
                return list_to_py(out, introduction_to_py);
            },
            py::arg("involving") = py::none())
        .def("introduction_favors",
             [](const py_store& s, crm::introduction_id id) {
                 auto st = s.get();
                 std::vector<crm::favor> out;
                 {
                     py::gil_scoped_release nogil;
                     out = st->favors().favours_of(id);
                 }
                 return list_to_py(out, favor_to_py);
             },
             py::arg("id"))
        .def("introduction_remove",
             [](const py_store& s, crm::introduction_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->favors().remove_introduction(id);
             },
             py::arg("id"))
        .def("ask_add",
             [](const py_store& s, crm::contact_id contact, py::handle text) {
                 std::string t = text_from_py(text, "text");
                 auto st = s.get();
                 crm::ask a;
                 {
                     py::gil_scoped_release nogil;
                     a = st->favors().add_ask(contact, std::move(t));
                 }
                 return ask_to_py(a);
             },
             py::arg("contact"), py::arg("text"))
        .def("ask_close",
             [](const py_store& s, crm::ask_id id, py::handle status) {
                 auto how = crm::parse_ask_status(text_from_py(status, "status"));
                 auto st = s.get();
                 crm::ask a;
                 {
                     py::gil_scoped_release nogil;
                     a = st->favors().close_ask(id, how);
                 }
                 return ask_to_py(a);
             },
             py::arg("id"), py::arg("status"))
        .def(
            "asks",
            [](const py_store& s, std::optional<crm::contact_id> contact, bool open_only) {
                auto st = s.get();
                std::vector<crm::ask> out;
                {
                    py::gil_scoped_release nogil;
                    out = st->favors().asks(contact, open_only);
                }
                return list_to_py(out, ask_to_py);
            },
            py::arg("contact") = py::none(), py::arg("open_only") = true)
        .def("favor_balance",
             [](const py_store& s, crm::contact_id contact) {
                 auto st = s.get();
                 crm::favor_balance b;
                 {
                     py::gil_scoped_release nogil;
                     b = st->favors().balance(contact);
                 }
                 return balance_to_py(b);
             },
             py::arg("contact"))
        .def("favor_owed",
             [](const py_store& s) {
                 auto st = s.get();
                 std::vector<crm::favor_balance> out;
                 {
                     py::gil_scoped_release nogil;
                     out = st->favors().owed();
                 }
                 return list_to_py(out, balance_to_py);
             })
        .def("favor_could_help", [](const py_store& s) {
            auto st = s.get();
            std::vector<crm::ask> out;
            {
                py::gil_scoped_release nogil;
                out = st->favors().could_help();
            }
            return list_to_py(out, ask_to_py);
        });
}

}  // namespace netcrm_py
