// crm::contact <-> dict. The shapes here are the contract with python/netcrm/contact.py.
#include "bindings.hpp"
#include "casters.hpp"

#include <pybind11/stl.h>

#include "crm/error.hpp"

namespace netcrm_py {

std::string text_from_py(py::handle obj, const std::string& field) {
    if (!PyUnicode_Check(obj.ptr()))
        throw crm::invalid_input(field + " must be a str, not " + std::string(Py_TYPE(obj.ptr())->tp_name));
    Py_ssize_t size = 0;
    const char* data = PyUnicode_AsUTF8AndSize(obj.ptr(), &size);
    if (!data) {
        PyErr_Clear();
        throw crm::invalid_input(field + " is not valid text (it holds an unpaired surrogate)");
    }
    return std::string(data, static_cast<std::size_t>(size));
}

namespace {

std::string text_or_empty(const py::dict& d, const char* key, const std::string& field) {
    if (!d.contains(key)) return {};
    py::object v = d[key];
    if (v.is_none()) return {};
    return text_from_py(v, field);
}

py::list values_to_py(const std::vector<crm::labeled_value>& vs) {
    py::list out;
    for (const auto& v : vs) out.append(py::make_tuple(v.value, v.kind));
    return out;
}

// Phones: (value, kind, e164), e164 "" when the number could not be placed.
py::list phones_to_py(const std::vector<crm::labeled_value>& vs) {
    py::list out;
    for (const auto& v : vs) out.append(py::make_tuple(v.value, v.kind, v.e164));
    return out;
}

std::vector<crm::labeled_value> values_from_py(const py::dict& d, const char* key) {
    std::vector<crm::labeled_value> out;
    if (!d.contains(key)) return out;
    std::size_t i = 0;
    for (py::handle item : py::iterable(d[key])) {
        std::string field = std::string(key) + "[" + std::to_string(i++) + "]";
        auto t = py::reinterpret_borrow<py::sequence>(item);
        if (t.size() != 2) throw crm::invalid_input(field + " must be a (value, kind) pair");
        out.push_back({text_from_py(t[0], field + ".value"), text_from_py(t[1], field + ".kind")});
    }
    return out;
}

const char* address_fields[] = {"kind", "po_box", "extended", "street", "locality", "region", "postal_code", "country"};

std::string* address_part(crm::postal_address& a, int i) {
    std::string* parts[] = {&a.kind, &a.po_box, &a.extended, &a.street, &a.locality, &a.region, &a.postal_code,
                            &a.country};
    return parts[i];
}

}  // namespace

py::dict contact_to_py(const crm::contact& c) {
    py::dict d;
    d["id"] = c.id;
    d["display_name"] = c.display_name;
    py::dict name;
    name["prefix"] = c.name.prefix;
    name["given"] = c.name.given;
    name["additional"] = c.name.additional;
    name["family"] = c.name.family;
    name["suffix"] = c.name.suffix;
    d["name"] = name;
    d["organization"] = c.organization;
    d["title"] = c.title;
    d["emails"] = values_to_py(c.emails);
    d["phones"] = phones_to_py(c.phones);
    d["urls"] = values_to_py(c.urls);
    d["ims"] = values_to_py(c.ims);
    py::list addresses;
    for (auto a : c.addresses) {
        py::dict ad;
        for (int i = 0; i < 8; ++i) ad[address_fields[i]] = *address_part(a, i);
        addresses.append(ad);
    }
    d["addresses"] = addresses;
    d["tags"] = py::cast(c.tags);
    if (c.birthday)
        d["birthday"] = py::make_tuple(c.birthday->year ? py::object(py::int_(int(*c.birthday->year))) : py::none(),
                                       unsigned(c.birthday->month), unsigned(c.birthday->day));
    else
        d["birthday"] = py::none();
    py::list notes;
    for (const auto& n : c.notes) notes.append(py::make_tuple(py::cast(n.at), n.text));
    d["notes"] = notes;
    d["how_met"] = c.how_met;
    d["introduced_by"] = c.introduced_by ? py::object(py::int_(*c.introduced_by)) : py::none();
    d["source"] = c.source;
    py::list extra;
    for (const auto& p : c.extra) {
        py::list params;
        for (const auto& prm : p.parameters) params.append(py::make_tuple(prm.name, py::cast(prm.values)));
        extra.append(py::make_tuple(p.group, p.name, params, p.value));
    }
    d["extra"] = extra;
    d["created_at"] = py::cast(c.created_at);
    d["updated_at"] = py::cast(c.updated_at);
    return d;
}

crm::contact contact_from_py(py::handle obj) {
    if (!PyDict_Check(obj.ptr())) throw crm::invalid_input("a contact must be given as a dict");
    auto d = py::reinterpret_borrow<py::dict>(obj);
    crm::contact c;
    if (d.contains("id") && !d["id"].is_none()) c.id = d["id"].cast<crm::contact_id>();
    c.display_name = text_or_empty(d, "display_name", "display_name");
    if (d.contains("name") && !d["name"].is_none()) {
        auto n = d["name"].cast<py::dict>();
        c.name.prefix = text_or_empty(n, "prefix", "name.prefix");
        c.name.given = text_or_empty(n, "given", "name.given");
        c.name.additional = text_or_empty(n, "additional", "name.additional");
        c.name.family = text_or_empty(n, "family", "name.family");
        c.name.suffix = text_or_empty(n, "suffix", "name.suffix");
    }
    c.organization = text_or_empty(d, "organization", "organization");
    c.title = text_or_empty(d, "title", "title");
    c.emails = values_from_py(d, "emails");
    c.phones = values_from_py(d, "phones");
    c.urls = values_from_py(d, "urls");
    c.ims = values_from_py(d, "ims");
    if (d.contains("addresses")) {
        std::size_t i = 0;
        for (py::handle item : py::iterable(d["addresses"])) {
            std::string field = "addresses[" + std::to_string(i++) + "]";
            auto ad = py::reinterpret_borrow<py::dict>(item);
            crm::postal_address a;
            for (int k = 0; k < 8; ++k)
                *address_part(a, k) = text_or_empty(ad, address_fields[k], field + "." + address_fields[k]);
            c.addresses.push_back(std::move(a));
        }
    }
    if (d.contains("tags")) {
        std::size_t i = 0;
        for (py::handle t : py::iterable(d["tags"]))
            c.tags.push_back(text_from_py(t, "tags[" + std::to_string(i++) + "]"));
    }
    if (d.contains("birthday") && !d["birthday"].is_none()) {
        auto t = d["birthday"].cast<py::tuple>();
        if (t.size() != 3) throw crm::invalid_input("birthday must be (year or None, month, day)");
        int month = t[1].cast<int>(), day = t[2].cast<int>();
        if (month < 1 || month > 12 || day < 1 || day > 31)
            throw crm::invalid_input("birthday month " + std::to_string(month) + " day " + std::to_string(day) +
                                     " is not a calendar date");
        crm::partial_date b(date::month{unsigned(month)}, date::day{unsigned(day)});
        if (!t[0].is_none()) b.year = date::year{t[0].cast<int>()};
        c.birthday = b;
    }
    if (d.contains("notes")) {
        std::size_t i = 0;
        for (py::handle item : py::iterable(d["notes"])) {
            std::string field = "notes[" + std::to_string(i++) + "]";
            auto t = py::reinterpret_borrow<py::sequence>(item);
            if (t.size() != 2) throw crm::invalid_input(field + " must be an (at, text) pair");
            crm::note n;
            if (!t[0].is_none()) n.at = t[0].cast<date::sys_seconds>();  // else unstamped: the store stamps it
            n.text = text_from_py(t[1], field + ".text");
            c.notes.push_back(std::move(n));
        }
    }
    c.how_met = text_or_empty(d, "how_met", "how_met");
    if (d.contains("introduced_by") && !d["introduced_by"].is_none())
        c.introduced_by = d["introduced_by"].cast<crm::contact_id>();
    c.source = text_or_empty(d, "source", "source");
    if (d.contains("extra")) {
        std::size_t i = 0;
        for (py::handle item : py::iterable(d["extra"])) {
            std::string field = "extra[" + std::to_string(i++) + "]";
            auto t = py::reinterpret_borrow<py::sequence>(item);
            if (t.size() != 4) throw crm::invalid_input(field + " must be a (group, name, parameters, value) tuple");
            crm::card_property p;
            p.group = text_from_py(t[0], field + ".group");
            p.name = text_from_py(t[1], field + ".name");
            for (py::handle prm : py::iterable(t[2])) {
                auto pt = py::reinterpret_borrow<py::sequence>(prm);
                if (pt.size() != 2) throw crm::invalid_input(field + ".parameters items must be (name, values) pairs");
                crm::card_parameter cp;
                cp.name = text_from_py(pt[0], field + ".parameters");
                for (py::handle v : py::iterable(pt[1])) cp.values.push_back(text_from_py(v, field + ".parameters"));
                p.parameters.push_back(std::move(cp));
            }
            p.value = text_from_py(t[3], field + ".value");
            c.extra.push_back(std::move(p));
        }
    }
    return c;
}

void init_contact(py::module_& m) {
    m.def(
        "normalize_contact",
        [](py::dict d) {
            crm::contact c = contact_from_py(d);
            crm::normalize_and_validate(c);
            return contact_to_py(c);
        },
        "Checks a contact dict against the rules of the store and returns it normalized.");
    m.def(
        "parse_partial_date",
        [](const std::string& text) {
            auto p = crm::partial_date::parse(text);
            return py::make_tuple(p.year ? py::object(py::int_(int(*p.year))) : py::none(), unsigned(p.month),
                                  unsigned(p.day));
        },
        "Parses YYYY-MM-DD, YYYYMMDD, --MM-DD or --MMDD into (year or None, month, day).");
}

}  // namespace netcrm_py
