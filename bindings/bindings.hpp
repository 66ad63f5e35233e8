// Every binding file's entry point, called by module.cpp in this order, plus the conversions that
// more than one binding file needs. Bindings convert, release the GIL and map errors: nothing else.
#pragma once

#include <pybind11/pybind11.h>

#include "crm/contact.hpp"
#include "crm/favor.hpp"
#include "crm/follow_up_store.hpp"
#include "crm/goal.hpp"

#include <memory>

namespace netcrm_py {

namespace py = pybind11;

void init_errors(py::module_& m);   // from errors.cpp
void init_contact(py::module_& m);  // from contact.cpp
void init_store(py::module_& m);    // from store.cpp
void init_event(py::module_& m);    // from event.cpp (adds to Store: events, time_zone)
void init_importer(py::module_& m); // from importer.cpp (adds to Store)
void init_archive(py::module_& m);  // from archive.cpp (adds to Store)
void init_follow_up(py::module_& m);  // from follow_up.cpp (adds to Store: follow-ups, rules, holidays)
void init_goal(py::module_& m);     // from goal.cpp (adds to Store: goals, progress, returns)
void init_favor(py::module_& m);    // from favor.cpp (adds to Store: favours, introductions, asks)
void init_interaction(py::module_& m);  // from interaction.cpp (adds to Store)
void init_digest(py::module_& m);   // from digest.cpp (adds to Store: digest, after the stores it reads)

// from contact.cpp: a contact crosses the boundary as a plain dict; python/netcrm/contact.py
// turns it into the dataclasses users see.
py::dict contact_to_py(const crm::contact& c);
crm::contact contact_from_py(py::handle obj);

// A Python object that C++ keeps past the call (a clock, a progress callback): it is released with
// the GIL held, whichever thread drops the last reference.
inline std::shared_ptr<py::object> keep_python_object(py::object obj) {
    return std::shared_ptr<py::object>(new py::object(std::move(obj)), [](py::object* p) {
        py::gil_scoped_acquire gil;
        delete p;
    });
}

// Records that the digest (digest.cpp) hands over as the stores' own binding files shape them.
py::dict due_follow_up_to_py(const crm::due_follow_up& d);  // from follow_up.cpp
py::dict favor_dict(const crm::favor& f);                    // from favor.cpp
py::dict goal_progress_dict(const crm::goal_progress& p);    // from goal.cpp

// from contact.cpp: a Python str as UTF-8, or InvalidInput naming `field` (bytes, lone surrogates).
std::string text_from_py(py::handle obj, const std::string& field);

}  // namespace netcrm_py
