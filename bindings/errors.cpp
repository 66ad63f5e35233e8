// crm::error and its subclasses become netcrm.Error and friends. The Python classes also derive
// from the builtin that matches their meaning, so `except KeyError` and `except OSError` work.
#include "bindings.hpp"

#include "crm/error.hpp"

namespace netcrm_py {

namespace {

struct error_classes {
    py::object error, invalid_input, parse_error, not_found, storage_error, file_error, incompatible;
};

error_classes& classes() {
    static error_classes* c = new error_classes();  // lives as long as the interpreter; never freed
    return *c;
}

py::object make_class(py::module_& m, const char* name, py::tuple bases, const char* doc) {
    py::dict ns;
    ns["__module__"] = "netcrm";
    ns["__doc__"] = doc;
    // KeyError quotes its message in str(); users should read the message as written.
    ns["__str__"] = py::module_::import("builtins").attr("Exception").attr("__str__");
    py::object cls = py::module_::import("builtins").attr("type")(name, bases, ns);
    m.attr(name) = cls;
    return cls;
}

// Sets the Python error; the translator then returns, as pybind11 expects.
void raise(const py::object& cls, const char* message, const py::dict& attrs) {
    py::object exc = cls(message);
    for (auto item : attrs) py::setattr(exc, item.first, item.second);
    PyErr_SetObject(cls.ptr(), exc.ptr());
}

}  // namespace

void init_errors(py::module_& m) {
    auto b = py::module_::import("builtins");
    auto& c = classes();
    c.error = make_class(m, "Error", py::make_tuple(b.attr("Exception")), "Base class of every netcrm error.");
    c.invalid_input = make_class(m, "InvalidInput", py::make_tuple(c.error, b.attr("ValueError")),
                                 "A value breaks a rule: invalid text, an empty contact, a bad date.");
    c.parse_error = make_class(m, "ParseError", py::make_tuple(c.invalid_input),
                               "Text that could not be read; .source, .line and .column say where.");
    c.not_found = make_class(m, "NotFound", py::make_tuple(c.error, b.attr("KeyError")),
                             "No record with that id; .kind and .id say which.");
    c.storage_error = make_class(m, "StorageError", py::make_tuple(c.error),
                                 "The database refused an operation; .sqlite_code is SQLite's extended code.");
    c.file_error = make_class(m, "FileError", py::make_tuple(c.storage_error, b.attr("OSError")),
                              "The database file cannot be opened or created; .filename names it.");
    c.incompatible = make_class(m, "IncompatibleDatabase", py::make_tuple(c.file_error),
                                "The file is not a netcrm database, or was written by a newer netcrm. "
                                "It was not modified.");

    py::register_exception_translator([](std::exception_ptr p) {
        if (!p) return;
        auto& k = classes();
        try {
            std::rethrow_exception(p);
        } catch (const crm::parse_error& e) {
            py::dict a;
            a["source"] = e.source();
            a["line"] = e.line();
            a["column"] = e.column();
            raise(k.parse_error, e.what(), a);
        } catch (const crm::invalid_input& e) {
            raise(k.invalid_input, e.what(), py::dict());
        } catch (const crm::not_found& e) {
            py::dict a;
            a["kind"] = e.kind();
            a["id"] = e.id();
            raise(k.not_found, e.what(), a);
        } catch (const crm::incompatible_database& e) {
            py::dict a;
            a["filename"] = e.path();
            a["sqlite_code"] = e.extended_code();
            a["file_version"] = e.file_version() ? py::object(py::int_(e.file_version())) : py::none();
            a["supported_version"] = e.supported_version();
            raise(k.incompatible, e.what(), a);
        } catch (const crm::file_error& e) {
            py::dict a;
            a["filename"] = e.path();
            a["sqlite_code"] = e.extended_code();
            raise(k.file_error, e.what(), a);
        } catch (const crm::storage_error& e) {
            py::dict a;
            a["sqlite_code"] = e.extended_code();
            raise(k.storage_error, e.what(), a);
        } catch (const crm::error& e) {
            raise(k.error, e.what(), py::dict());
        }
    });
}

}  // namespace netcrm_py
