#include "detail/contact_json.hpp"

#include "crm/error.hpp"

#include <cstdio>

namespace crm::detail {

namespace {

nlohmann::json values(const std::vector<labeled_value>& vs) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& v : vs) a.push_back({{"value", v.value}, {"kind", v.kind}});
    return a;
}

// Phones carry their E.164 form for whoever reads the file (a restore derives it again).
nlohmann::json phone_values(const std::vector<labeled_value>& vs) {
    nlohmann::json a = nlohmann::json::array();
    for (const auto& v : vs) a.push_back({{"value", v.value}, {"kind", v.kind}, {"e164", v.e164}});
    return a;
}

template <class T>
T field(const nlohmann::json& j, const char* key, const char* where) {
    try {
        if (!j.contains(key)) return T{};
        return j.at(key).get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw invalid_input(std::string(where) + "." + key + ": " + e.what());
    }
}

std::vector<labeled_value> values_from(const nlohmann::json& j, const char* key) {
    std::vector<labeled_value> out;
    if (!j.contains(key)) return out;
    for (const auto& v : j.at(key))
        out.push_back({field<std::string>(v, "value", key), field<std::string>(v, "kind", key)});
    return out;
}

}  // namespace

std::string iso8601(date::sys_seconds t) { return date::format("%FT%TZ", t); }

date::sys_seconds parse_iso8601(const std::string& text) {
    // Exactly the form iso8601() writes. (date::parse trips GCC 12's -Wmaybe-uninitialized.)
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0, n = 0;
    if (text.size() != 20 ||
        std::sscanf(text.c_str(), "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &s, &n) != 6 || n != 20 ||
        h > 23 || mi > 59 || s > 60)
        throw invalid_input("'" + text + "' is not an ISO 8601 UTC instant like 2026-10-08T17:40:00Z");
    date::year_month_day ymd{date::year{y}, date::month{unsigned(mo)}, date::day{unsigned(d)}};
    if (!ymd.ok()) throw invalid_input("'" + text + "' is not a valid calendar date");
    return date::sys_days{ymd} + std::chrono::hours{h} + std::chrono::minutes{mi} + std::chrono::seconds{s};
}

nlohmann::json to_json(const contact& c) {
    nlohmann::json j{{"id", c.id},
                     {"display_name", c.display_name},
                     {"name",
                      {{"prefix", c.name.prefix},
                       {"given", c.name.given},
                       {"additional", c.name.additional},
                       {"family", c.name.family},
                       {"suffix", c.name.suffix}}},
                     {"organization", c.organization},
                     {"title", c.title},
                     {"emails", values(c.emails)},
                     {"phones", phone_values(c.phones)},
                     {"urls", values(c.urls)},
                     {"ims", values(c.ims)},
                     {"tags", c.tags},
                     {"how_met", c.how_met},
                     {"source", c.source},
                     {"created_at", iso8601(c.created_at)},
                     {"updated_at", iso8601(c.updated_at)}};
    j["addresses"] = nlohmann::json::array();
    for (const auto& a : c.addresses)
        j["addresses"].push_back({{"kind", a.kind},
                                  {"po_box", a.po_box},
                                  {"extended", a.extended},
                                  {"street", a.street},
                                  {"locality", a.locality},
                                  {"region", a.region},
                                  {"postal_code", a.postal_code},
                                  {"country", a.country}});
    j["birthday"] = c.birthday ? nlohmann::json(c.birthday->to_string()) : nlohmann::json(nullptr);
    j["introduced_by"] = c.introduced_by ? nlohmann::json(*c.introduced_by) : nlohmann::json(nullptr);
    j["notes"] = nlohmann::json::array();
    for (const auto& n : c.notes) j["notes"].push_back({{"at", iso8601(n.at)}, {"text", n.text}});
    j["extra"] = nlohmann::json::array();
    for (const auto& p : c.extra) {
        nlohmann::json params = nlohmann::json::array();
        for (const auto& prm : p.parameters) params.push_back({{"name", prm.name}, {"values", prm.values}});
        j["extra"].push_back({{"group", p.group}, {"name", p.name}, {"parameters", params}, {"value", p.value}});
    }
    return j;
}

contact contact_from_json(const nlohmann::json& j) {
    if (!j.is_object()) throw invalid_input("a contact must be a JSON object");
    contact c;
    c.id = field<contact_id>(j, "id", "contact");
    c.display_name = field<std::string>(j, "display_name", "contact");
    if (j.contains("name")) {
        const auto& n = j.at("name");
        c.name.prefix = field<std::string>(n, "prefix", "name");
        c.name.given = field<std::string>(n, "given", "name");
        c.name.additional = field<std::string>(n, "additional", "name");
        c.name.family = field<std::string>(n, "family", "name");
        c.name.suffix = field<std::string>(n, "suffix", "name");
    }
    c.organization = field<std::string>(j, "organization", "contact");
    c.title = field<std::string>(j, "title", "contact");
    c.emails = values_from(j, "emails");
    c.phones = values_from(j, "phones");
    c.urls = values_from(j, "urls");
    c.ims = values_from(j, "ims");  // absent from archives of schema 6 and before
    if (j.contains("addresses"))
        for (const auto& a : j.at("addresses")) {
            postal_address ad;
            ad.kind = field<std::string>(a, "kind", "addresses");
            ad.po_box = field<std::string>(a, "po_box", "addresses");
            ad.extended = field<std::string>(a, "extended", "addresses");
            ad.street = field<std::string>(a, "street", "addresses");
            ad.locality = field<std::string>(a, "locality", "addresses");
            ad.region = field<std::string>(a, "region", "addresses");
            ad.postal_code = field<std::string>(a, "postal_code", "addresses");
            ad.country = field<std::string>(a, "country", "addresses");
            c.addresses.push_back(std::move(ad));
        }
    c.tags = field<std::vector<std::string>>(j, "tags", "contact");
    if (j.contains("birthday") && !j.at("birthday").is_null())
        c.birthday = partial_date::parse(field<std::string>(j, "birthday", "contact"));
    if (j.contains("introduced_by") && !j.at("introduced_by").is_null())
        c.introduced_by = field<contact_id>(j, "introduced_by", "contact");
    c.how_met = field<std::string>(j, "how_met", "contact");
    c.source = field<std::string>(j, "source", "contact");
    if (j.contains("created_at")) c.created_at = parse_iso8601(field<std::string>(j, "created_at", "contact"));
    if (j.contains("updated_at")) c.updated_at = parse_iso8601(field<std::string>(j, "updated_at", "contact"));
    if (j.contains("notes"))
        for (const auto& n : j.at("notes"))
            c.notes.push_back(note{parse_iso8601(field<std::string>(n, "at", "notes")), field<std::string>(n, "text", "notes")});
    if (j.contains("extra"))
        for (const auto& p : j.at("extra")) {
            card_property prop;
            prop.group = field<std::string>(p, "group", "extra");
            prop.name = field<std::string>(p, "name", "extra");
            prop.value = field<std::string>(p, "value", "extra");
            if (p.contains("parameters"))
                for (const auto& prm : p.at("parameters"))
                    prop.parameters.push_back(
                        {field<std::string>(prm, "name", "parameters"), field<std::vector<std::string>>(prm, "values", "parameters")});
            c.extra.push_back(std::move(prop));
        }
    return c;
}

}  // namespace crm::detail
