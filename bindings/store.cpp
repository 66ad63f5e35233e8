// crm::store and its contact collection as netcrm._core.Store. The GIL is released around every
// call into the store; conversions happen while it is held.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "crm/contact_store.hpp"
#include "crm/error.hpp"
#include "crm/store.hpp"

#include <memory>
#include <mutex>

namespace netcrm_py {

namespace {

// A Python callable as the store's clock. It is called from C++ with the GIL released, so it takes
// the GIL; it is destroyed with the GIL held, wherever the store dies.
crm::clock_function python_clock(py::object fn) {
    auto holder = keep_python_object(std::move(fn));
    return [holder]() -> date::sys_seconds {
        py::gil_scoped_acquire gil;
        return (*holder)().cast<date::sys_seconds>();
    };
}

crm::contact_filter make_filter(py::handle tag, py::handle organization, std::size_t limit, std::size_t offset) {
    crm::contact_filter f;
    if (!tag.is_none()) f.tag = text_from_py(tag, "tag");
    if (!organization.is_none()) f.organization = text_from_py(organization, "organization");
    f.limit = limit;
    f.offset = offset;
    return f;
}

py::list contacts_to_py(const std::vector<crm::contact>& cs) {
    py::list out;
    for (const auto& c : cs) out.append(contact_to_py(c));
    return out;
}

}  // namespace

void init_store(py::module_& m) {
    m.attr("SCHEMA_VERSION") = crm::store::schema_version;

    py::class_<py_store>(m, "Store")
        .def_static(
            "open",
            [](const std::string& path, bool create, double busy_timeout, py::object clock) {
                crm::open_options o;
                o.create = create;
                o.busy_timeout = std::chrono::milliseconds(static_cast<long long>(busy_timeout * 1000));
                if (!clock.is_none()) o.clock = python_clock(std::move(clock));
                std::shared_ptr<crm::store> s;
                {
                    py::gil_scoped_release nogil;
                    s = std::make_shared<crm::store>(crm::store::open(path, std::move(o)));
                }
                return std::make_unique<py_store>(std::move(s));
            },
            py::arg("path"), py::arg("create") = true, py::arg("busy_timeout") = 10.0, py::arg("clock") = py::none())
        .def("close", &py_store::close)
        .def_property_readonly("closed", &py_store::closed)
        .def_property_readonly("path", [](const py_store& s) { return s.get()->path(); })
        .def("now", [](const py_store& s) { return s.get()->now(); })
        .def_property(
            "default_region", [](const py_store& s) { return s.get()->default_region(); },
            [](const py_store& s, py::handle region) {
                std::string r = text_from_py(region, "default_region");
                auto st = s.get();
                py::gil_scoped_release nogil;
                st->set_default_region(r);
            })
        .def("integrity_check", [](const py_store& s) {
            auto st = s.get();
            py::gil_scoped_release nogil;
            return st->integrity_check();
        })
        // Contacts
        .def("contact_add",
             [](const py_store& s, py::dict d) {
                 crm::contact c = contact_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     c = st->contacts().add(std::move(c));
                 }
                 return contact_to_py(c);
             })
        .def("contact_update",
             [](const py_store& s, py::dict d) {
                 crm::contact c = contact_from_py(d);
                 auto st = s.get();
                 {
                     py::gil_scoped_release nogil;
                     c = st->contacts().update(std::move(c));
                 }
                 return contact_to_py(c);
             })
        .def("contact_get",
             [](const py_store& s, crm::contact_id id) {
                 auto st = s.get();
                 crm::contact c;
                 {
                     py::gil_scoped_release nogil;
                     c = st->contacts().get(id);
                 }
                 return contact_to_py(c);
             })
        .def("contact_find",
             [](const py_store& s, crm::contact_id id) -> py::object {
                 auto st = s.get();
                 std::optional<crm::contact> c;
                 {
                     py::gil_scoped_release nogil;
                     c = st->contacts().find(id);
                 }
                 return c ? py::object(contact_to_py(*c)) : py::none();
             })
        .def("contact_contains",
             [](const py_store& s, crm::contact_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 return st->contacts().contains(id);
             })
        .def("contact_remove",
             [](const py_store& s, crm::contact_id id) {
                 auto st = s.get();
                 py::gil_scoped_release nogil;
                 st->contacts().remove(id);
             })
        .def(
            "contact_add_note",
            [](const py_store& s, crm::contact_id id, py::handle text, std::optional<date::sys_seconds> at) {
                std::string t = text_from_py(text, "note");
                auto st = s.get();
                crm::contact c;
                {
                    py::gil_scoped_release nogil;
                    c = st->contacts().add_note(id, std::move(t), at);
                }
                return contact_to_py(c);
            },
            py::arg("id"), py::arg("text"), py::arg("at") = py::none())
        .def(
            "contact_list",
            [](const py_store& s, py::handle tag, py::handle organization, std::size_t limit, std::size_t offset) {
                auto filter = make_filter(tag, organization, limit, offset);
                auto st = s.get();
                std::vector<crm::contact> cs;
                {
                    py::gil_scoped_release nogil;
                    cs = st->contacts().list(filter);
                }
                return contacts_to_py(cs);
            },
            py::arg("tag") = py::none(), py::arg("organization") = py::none(), py::arg("limit") = 0,
            py::arg("offset") = 0)
        .def(
            "contact_count",
            [](const py_store& s, py::handle tag, py::handle organization) {
                auto filter = make_filter(tag, organization, 0, 0);
                auto st = s.get();
                py::gil_scoped_release nogil;
                return st->contacts().count(filter);
            },
            py::arg("tag") = py::none(), py::arg("organization") = py::none())
        .def("contact_tags",
             [](const py_store& s) {
                 auto st = s.get();
                 std::vector<crm::tag_count> tags;
                 {
                     py::gil_scoped_release nogil;
                     tags = st->contacts().tags();
                 }
                 py::list out;
                 for (const auto& t : tags) out.append(py::make_tuple(t.tag, t.contacts));
                 return out;
             })
        .def(
            "contact_search",
            [](const py_store& s, py::handle query, std::size_t limit) {
                std::string q = text_from_py(query, "search query");
                auto st = s.get();
                std::vector<crm::contact> cs;
                {
                    py::gil_scoped_release nogil;
                    cs = st->contacts().search(q, limit);
                }
                return contacts_to_py(cs);
            },
            py::arg("query"), py::arg("limit") = 100)
        .def("contact_merge",
             [](const py_store& s, crm::contact_id survivor, crm::contact_id other) {
                 auto st = s.get();
                 crm::contact c;
                 {
                     py::gil_scoped_release nogil;
                     c = st->contacts().merge(survivor, other);
                 }
                 return contact_to_py(c);
             })
        .def("contact_merge_history", [](const py_store& s, crm::contact_id id) {
            auto st = s.get();
            py::gil_scoped_release nogil;
            return st->contacts().merge_history(id);
        });
}

}  // namespace netcrm_py
