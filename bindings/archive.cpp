// Export (vCard, CSV, JSON) and restore (JSON) as methods of netcrm._core.Store. Files are written
// and read in C++, so a large store never becomes one Python string.
#include "bindings.hpp"
#include "store_handle.hpp"

#include "crm/archive.hpp"
#include "crm/error.hpp"
#include "crm/exporter.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace netcrm_py {

namespace {

py::dict summary_to_py(const crm::restore_summary& s) {
    py::dict d;
    d["contacts"] = s.contacts;
    d["merges"] = s.merges;
    d["batches"] = s.batches;
    d["events"] = s.events;
    d["interactions"] = s.interactions;
    d["goals"] = s.goals;
    d["introductions"] = s.introductions;
    d["favors"] = s.favors;
    d["follow_up_rules"] = s.follow_up_rules;
    d["follow_ups"] = s.follow_ups;
    d["follow_up_history"] = s.follow_up_history;
    d["asks"] = s.asks;
    d["holidays"] = s.holidays;
    return d;
}

}  // namespace

void init_archive(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store
        .def(
            "export_text",
            [](const py_store& s, py::handle format, py::handle tag) {
                auto fmt = crm::parse_export_format(text_from_py(format, "format"));
                crm::contact_filter f;
                if (!tag.is_none()) f.tag = text_from_py(tag, "tag");
                auto st = s.get();
                std::ostringstream out;
                {
                    py::gil_scoped_release nogil;
                    crm::export_contacts(*st, out, fmt, f);
                }
                return out.str();
            },
            py::arg("format"), py::arg("tag") = py::none())
        .def(
            "export_file",
            [](const py_store& s, py::handle path, py::handle format, py::handle tag) {
                std::string p = text_from_py(path, "path");
                auto fmt = crm::parse_export_format(text_from_py(format, "format"));
                crm::contact_filter f;
                if (!tag.is_none()) f.tag = text_from_py(tag, "tag");
                auto st = s.get();
                py::gil_scoped_release nogil;
                // Written beside the target and renamed over it: a failed export never leaves half a file.
                std::string tmp = p + ".partial";
                std::size_t n = 0;
                {
                    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
                    if (!out) throw crm::file_error("cannot write '" + p + "': " + std::strerror(errno), p, 14);
                    try {
                        n = crm::export_contacts(*st, out, fmt, f);
                        out.close();
                        if (!out) throw crm::file_error("cannot write '" + p + "' (disk full?)", p, 13);
                    } catch (...) {
                        std::remove(tmp.c_str());
                        throw;
                    }
                }
                if (std::rename(tmp.c_str(), p.c_str()) != 0)
                    throw crm::file_error("cannot write '" + p + "': " + std::strerror(errno), p, 14);
                return n;
            },
            py::arg("path"), py::arg("format"), py::arg("tag") = py::none())
        .def("restore_json_text",
             [](const py_store& s, py::handle text, py::handle source) {
                 std::istringstream in(text_from_py(text, "text"));
                 std::string src = text_from_py(source, "source");
                 auto st = s.get();
                 crm::restore_summary r;
                 {
                     py::gil_scoped_release nogil;
                     r = st->archive().restore(in, src);
                 }
                 return summary_to_py(r);
             })
        .def("restore_json_file", [](const py_store& s, py::handle path) {
            std::string p = text_from_py(path, "path");
            auto st = s.get();
            crm::restore_summary r;
            {
                py::gil_scoped_release nogil;
                std::ifstream in(p, std::ios::binary);
                if (!in) throw crm::file_error("cannot read '" + p + "': " + std::strerror(errno), p, 14);
                r = st->archive().restore(in, p);
            }
            return summary_to_py(r);
        });
}

}  // namespace netcrm_py
