// netcrm._core: wiring only. Each concept's bindings live in their own file (see bindings.hpp).
#include "bindings.hpp"

PYBIND11_MODULE(_core, m) {
    m.doc() = "The C++ core of netcrm. Import netcrm, not this module.";
    netcrm_py::init_errors(m);
    netcrm_py::init_contact(m);
    netcrm_py::init_store(m);
    netcrm_py::init_event(m);
    netcrm_py::init_importer(m);
    netcrm_py::init_archive(m);
    netcrm_py::init_goal(m);
    netcrm_py::init_favor(m);
    netcrm_py::init_interaction(m);
    netcrm_py::init_follow_up(m);
    netcrm_py::init_digest(m);
}
