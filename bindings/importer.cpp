// crm::import_log as methods of netcrm._core.Store. Reports and batches cross as dicts; the
// progress callable is called with the GIL taken, from the importing thread, and so is the check for
// Ctrl-C that lets KeyboardInterrupt stop (and roll back) an import with no progress callable too.
#include "bindings.hpp"
#include "casters.hpp"
#include "store_handle.hpp"

#include <pybind11/functional.h>
#include <pybind11/stl.h>

#include "crm/error.hpp"
#include "crm/importer.hpp"

namespace netcrm_py {

namespace {

py::dict report_to_py(const crm::import_report& r) {
    py::dict d;
    d["batch"] = r.batch;
    d["source"] = r.source;
    d["format"] = r.format;
    d["read"] = r.read;
    d["added"] = r.added;
    d["merged"] = r.merged;
    d["skipped"] = r.skipped;
    py::list suggested;
    for (const auto& s : r.suggested) suggested.append(py::make_tuple(s.contact, s.existing, s.reason, s.source, s.line));
    d["suggested"] = suggested;
    py::list rejected;
    for (const auto& p : r.rejected) rejected.append(py::make_tuple(p.source, p.line, p.column, p.reason));
    d["rejected"] = rejected;
    d["more_rejected"] = r.more_rejected;
    return d;
}

py::dict batch_to_py(const crm::import_batch& b) {
    py::dict d;
    d["id"] = b.id;
    d["source"] = b.source;
    d["format"] = b.format;
    d["on_duplicate"] = crm::to_string(b.policy);
    d["tags"] = py::cast(b.tags);
    d["how_met"] = b.how_met;
    d["started_at"] = py::cast(b.started_at);
    d["finished_at"] = py::cast(b.finished_at);
    d["added"] = b.added;
    d["merged"] = b.merged;
    d["skipped"] = b.skipped;
    d["rejected"] = b.rejected;
    d["undone_at"] = b.undone_at ? py::cast(*b.undone_at) : py::none();
    d["event"] = b.event ? py::cast(*b.event) : py::none();
    return d;
}

crm::import_options make_options(py::handle on_duplicate, py::handle tags, py::handle how_met, py::handle format,
                                 py::handle columns, py::object progress, std::optional<crm::event_id> event) {
    crm::import_options o;
    o.event = event;
    o.on_duplicate = crm::parse_duplicate_policy(text_from_py(on_duplicate, "on_duplicate"));
    std::size_t i = 0;
    for (py::handle t : py::reinterpret_borrow<py::iterable>(tags)) o.tags.push_back(text_from_py(t, "tags[" + std::to_string(i++) + "]"));
    o.how_met = text_from_py(how_met, "how_met");
    if (!format.is_none()) o.format = text_from_py(format, "format");
    if (!columns.is_none())
        for (auto item : py::reinterpret_borrow<py::dict>(columns))
            o.columns[text_from_py(item.first, "columns")] = text_from_py(item.second, "columns");
    if (!progress.is_none()) {
        auto holder = keep_python_object(std::move(progress));
        o.progress = [holder](std::uint64_t done, std::uint64_t total, std::size_t cards) {
            py::gil_scoped_acquire gil;
            (*holder)(done, total, cards);  // a Python exception here aborts and rolls back the import
        };
    }
    // Runs the Python signal handlers (on the main thread; elsewhere Python runs none): on Ctrl-C
    // KeyboardInterrupt comes out of here and the import is rolled back.
    o.stop_requested = [] {
        py::gil_scoped_acquire gil;
        if (PyErr_CheckSignals() != 0) throw py::error_already_set();
        return false;
    };
    return o;
}

}  // namespace

void init_importer(py::module_& m) {
    auto store = py::reinterpret_borrow<py::class_<py_store>>(m.attr("Store"));
    store
        .def(
            "import_text",
            [](const py_store& s, py::handle text, py::handle source, py::handle on_duplicate, py::handle tags,
               py::handle how_met, py::handle format, py::handle columns, py::object progress,
               std::optional<crm::event_id> event) {
                std::string body = text_from_py(text, "text");
                std::string src = text_from_py(source, "source");
                auto o = make_options(on_duplicate, tags, how_met, format, columns, std::move(progress), event);
                auto st = s.get();
                crm::import_report r;
                {
                    py::gil_scoped_release nogil;
                    r = st->imports().import_text(body, src, o);
                }
                return report_to_py(r);
            },
            py::arg("text"), py::arg("source"), py::arg("on_duplicate"), py::arg("tags"), py::arg("how_met"),
            py::arg("format"), py::arg("columns"), py::arg("progress"), py::arg("event") = py::none())
        .def(
            "import_file",
            [](const py_store& s, py::handle path, py::handle on_duplicate, py::handle tags, py::handle how_met,
               py::handle format, py::handle columns, py::object progress, std::optional<crm::event_id> event) {
                // bytes: os.fsencode's, so that a name that is not UTF-8 opens as it is on the disk.
                std::string p = py::isinstance<py::bytes>(path) ? path.cast<std::string>() : text_from_py(path, "path");
                auto o = make_options(on_duplicate, tags, how_met, format, columns, std::move(progress), event);
                auto st = s.get();
                crm::import_report r;
                {
                    py::gil_scoped_release nogil;
                    r = st->imports().import_file(p, o);
                }
                return report_to_py(r);
            },
            py::arg("path"), py::arg("on_duplicate"), py::arg("tags"), py::arg("how_met"), py::arg("format"),
            py::arg("columns"), py::arg("progress"), py::arg("event") = py::none())
        .def("import_batches",
             [](const py_store& s) {
                 auto st = s.get();
                 std::vector<crm::import_batch> bs;
                 {
                     py::gil_scoped_release nogil;
                     bs = st->imports().batches();
                 }
                 py::list out;
                 for (const auto& b : bs) out.append(batch_to_py(b));
                 return out;
             })
        .def("import_batch",
             [](const py_store& s, crm::batch_id id) {
                 auto st = s.get();
                 crm::import_batch b;
                 {
                     py::gil_scoped_release nogil;
                     b = st->imports().batch(id);
                 }
                 return batch_to_py(b);
             })
        .def("import_report",
             [](const py_store& s, crm::batch_id id) {
                 auto st = s.get();
                 crm::import_report r;
                 {
                     py::gil_scoped_release nogil;
                     r = st->imports().report(id);
                 }
                 return report_to_py(r);
             })
        .def("import_changes",
             [](const py_store& s, crm::batch_id id) {
                 auto st = s.get();
                 std::vector<crm::batch_change> cs;
                 {
                     py::gil_scoped_release nogil;
                     cs = st->imports().changes(id);
                 }
                 py::list out;
                 for (const auto& c : cs) out.append(py::make_tuple(c.contact, c.added ? "added" : "merged"));
                 return out;
             })
        .def(
            "import_undo",
            [](const py_store& s, crm::batch_id id, bool force) {
                auto st = s.get();
                py::gil_scoped_release nogil;
                st->imports().undo(id, force);
            },
            py::arg("batch"), py::arg("force") = false);
}

}  // namespace netcrm_py
