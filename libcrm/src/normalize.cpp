#include "crm/normalize.hpp"

#include "crm/error.hpp"
#include "detail/ascii.hpp"

#include <phonenumbers/phonenumberutil.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <set>
#include <cctype>

namespace crm {

std::string normalized_email(std::string_view email) {
    email = detail::ascii::trim(email);
    if (email.starts_with("mailto:") || email.starts_with("MAILTO:")) email.remove_prefix(7);
    auto at = email.rfind('@');
    if (at == std::string_view::npos || at == 0 || at + 1 == email.size()) return {};
    std::string out(email);
    for (std::size_t i = at + 1; i < out.size(); ++i)
        out[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(out[i])));
    return out;
}

std::string profile_key(std::string_view url) {
    url = detail::ascii::trim(url);
    std::string u;
    u.reserve(url.size());
    for (char c : url) u += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view v = u;
    for (std::string_view scheme : {"https://", "http://"})
        if (v.starts_with(scheme)) v.remove_prefix(scheme.size());
    for (std::string_view sub : {"www.", "m.", "mobile."})
        if (v.starts_with(sub)) v.remove_prefix(sub.size());
    if (auto q = v.find_first_of("?#"); q != std::string_view::npos) v = v.substr(0, q);
    while (!v.empty() && v.back() == '/') v.remove_suffix(1);
    // Networks whose path names one person: host and the path prefixes that do.
    struct network {
        std::string_view host;
        std::string_view path;  // after "host/"
    };
    static constexpr network networks[] = {
        {"linkedin.com", "in/"}, {"twitter.com", ""},   {"x.com", ""},         {"github.com", ""},
        {"facebook.com", ""},    {"instagram.com", ""}, {"xing.com", "profile/"}, {"gitlab.com", ""},
        {"threads.net", "@"},    {"bsky.app", "profile/"},
    };
    for (const auto& n : networks) {
        if (!v.starts_with(n.host) || v.size() <= n.host.size() + 1 || v[n.host.size()] != '/') continue;
        std::string_view path = v.substr(n.host.size() + 1);
        if (!path.starts_with(n.path)) return {};
        std::string_view who = path.substr(n.path.size());
        if (who.empty() || who.find('/') != std::string_view::npos) return {};  // one segment: a person
        return std::string(n.host) + "/" + std::string(path);
    }
    return {};
}

std::string folded(std::string_view text) {
    // ASCII fast path: most names and organizations need no Unicode machinery.
    bool ascii = std::all_of(text.begin(), text.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
    std::string out;
    out.reserve(text.size());
    bool pending_space = false;
    auto push = [&](char c) {
        if (pending_space && !out.empty()) out += ' ';
        pending_space = false;
        out += c;
    };
    if (ascii) {
        for (char c : text) {
            if (std::isalnum(static_cast<unsigned char>(c)))
                push(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
            else
                pending_space = true;
        }
        return out;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    if (U_FAILURE(status)) throw error("Unicode normalization is unavailable (ICU data missing)");
    icu::UnicodeString u = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
    u.foldCase();
    icu::UnicodeString decomposed = nfd->normalize(u, status);
    if (U_FAILURE(status)) throw error("Unicode normalization failed");
    icu::UnicodeString kept;
    bool space = false;
    for (int32_t i = 0; i < decomposed.length();) {
        UChar32 c = decomposed.char32At(i);
        i += U16_LENGTH(c);
        int8_t type = u_charType(c);
        if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK) continue;
        if (u_isalnum(c)) {
            if (space && kept.length() > 0) kept.append(UChar(' '));
            space = false;
            kept.append(c);
        } else {
            space = true;
        }
    }
    // Letters without a decomposition keep their shape ("ø", "ł", "ß"->"ss" by case folding).
    kept.toUTF8String(out);
    return out;
}

phone_normalizer::phone_normalizer(std::string default_region) : region_(std::move(default_region)) {
    for (auto& c : region_) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (region_.empty()) region_ = "ZZ";
    if (region_ == "ZZ") return;  // no default region: only numbers written with +country are placed
    std::set<std::string> regions;
    i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    if (!regions.count(region_))
        throw invalid_input("'" + region_ + "' is not a region libphonenumber knows: use an ISO 3166 code such as FR or US");
}

std::string phone_region(std::string_view country) {
    country = detail::ascii::trim(country);
    if (country.size() != 2) return {};
    std::string code;
    for (char c : country) code += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    static const std::set<std::string> regions = [] {
        std::set<std::string> r;
        i18n::phonenumbers::PhoneNumberUtil::GetInstance()->GetSupportedRegions(&r);
        return r;
    }();
    return regions.count(code) ? code : std::string();
}

std::optional<std::string> phone_normalizer::e164(std::string_view phone) const { return e164(phone, region_); }

std::optional<std::string> phone_normalizer::e164(std::string_view phone, const std::string& region) const {
    phone = detail::ascii::trim(phone);
    if (phone.starts_with("tel:")) phone.remove_prefix(4);
    // Already canonical: "+" and 8 to 15 digits. Skips a ~20 us parse for what exports usually hold.
    if (phone.size() >= 9 && phone.size() <= 16 && phone[0] == '+' && phone[1] != '0' &&
        std::all_of(phone.begin() + 1, phone.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::string(phone);
    using i18n::phonenumbers::PhoneNumber;
    using i18n::phonenumbers::PhoneNumberUtil;
    auto* util = PhoneNumberUtil::GetInstance();
    PhoneNumber number;
    if (util->Parse(std::string(phone), region, &number) != PhoneNumberUtil::NO_PARSING_ERROR) return std::nullopt;
    if (!util->IsPossibleNumber(number)) return std::nullopt;
    std::string out;
    util->Format(number, PhoneNumberUtil::E164, &out);
    return out;
}

}  // namespace crm
