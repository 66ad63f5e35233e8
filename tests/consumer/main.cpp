// Uses the installed netcrm through its public headers only: store a contact, read it back,
// find it by search. Exits non-zero when anything differs.
#include <crm/contact_store.hpp>
#include <crm/store.hpp>

#include <iostream>

int main() {
    auto db = crm::store::open(":memory:");
    crm::contact c;
    c.display_name = "Ada";
    c.emails.push_back({"ada@example.com", "work"});
    auto saved = db.contacts().add(c);

    if (db.contacts().get(saved.id).display_name != "Ada") {
        std::cerr << "get: display name differs\n";
        return 1;
    }
    auto found = db.contacts().search("ada");
    if (found.size() != 1 || found.front().id != saved.id) {
        std::cerr << "search(\"ada\"): expected the one stored contact, got " << found.size() << "\n";
        return 1;
    }
    std::cout << "consumer: ok\n";
    return 0;
}
