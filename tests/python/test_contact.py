"""Contacts across the boundary: the Contact dataclass, every field through a real database file and
back, times from an injected clock and from several time zones, the collection protocol, listing,
search, merge, and PartialDate."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random
from pathlib import Path
from typing import Iterator
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock

PARIS = ZoneInfo("Europe/Paris")
NEW_YORK = ZoneInfo("America/New_York")
KOLKATA = ZoneInfo("Asia/Kolkata")

START = dt.datetime(2026, 3, 1, 10, 0, tzinfo=PARIS)  # 09:00 UTC


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(START)


@pytest.fixture
def crm(tmp_path: Path, clock: FixedClock) -> Iterator[netcrm.CRM]:
    with netcrm.open(tmp_path / "x.db", clock=clock) as db:
        yield db


def full_contact(introduced_by: int | None = None) -> netcrm.Contact:
    """A contact with every field set, several values per list, and notes written in three zones."""
    return netcrm.Contact(
        display_name="Dr. Hélène Lefèvre",
        name=netcrm.Name(given="Hélène", family="Lefèvre", additional="Marie", prefix="Dr.", suffix="PhD"),
        organization="Atelier L",
        title="Founder & CEO",
        emails=[("helene@atelier-l.fr", "work"), ("h.lefevre@gmail.com", "home"), "hl@example.org"],
        phones=[("+33 6 12 34 56 78", "mobile"), netcrm.LabeledValue("+33 1 23 45 67 89", "work")],
        urls=[("https://atelier-l.fr", "work"), ("https://www.linkedin.com/in/hlefevre", "linkedin")],
        addresses=[
            netcrm.Address(street="12 rue de la Paix", locality="Paris", postal_code="75002", country="France",
                           kind="work"),
            netcrm.Address(po_box="BP 42", extended="Bâtiment B", street="3 quai Voltaire", locality="Lyon",
                           region="Auvergne-Rhône-Alpes", postal_code="69002", country="France", kind="home"),
        ],
        tags=["potential-client", "design", "paris"],
        birthday=dt.date(1985, 4, 15),
        notes=[
            netcrm.Note("Met at VivaTech; wants a hardware founder intro", dt.datetime(2026, 1, 15, 9, 30, tzinfo=PARIS)),
            netcrm.Note("Call about the New York showroom", dt.datetime(2026, 1, 15, 18, 0, tzinfo=NEW_YORK)),
            netcrm.Note("Sent the Bangalore supplier list", dt.datetime(2026, 1, 16, 8, 15, tzinfo=KOLKATA)),
        ],
        how_met="VivaTech 2026, at a friend's stand",
        introduced_by=introduced_by,
        source="manual",
        ims=[("helene.l", "skype"), ("helene@jabber.example", "xmpp")],
        extra=[netcrm.Property("UID", "urn:uuid:0f9a3c52-7d1e-4b6a-9c1d-2e3f4a5b6c7d")],  # else the store makes one
    )


STORED_FIELDS = [f.name for f in dataclasses.fields(netcrm.Contact) if f.name not in ("id", "created_at", "updated_at")]


def assert_same_content(got: netcrm.Contact, want: netcrm.Contact) -> None:
    for name in STORED_FIELDS:
        assert getattr(got, name) == getattr(want, name), name


# -- the Contact dataclass -------------------------------------------------------------------------


def test_channels_accept_str_tuple_and_labeled_value() -> None:
    c = netcrm.Contact("Ada", emails=["a@x.org", ("b@x.org", "work"), netcrm.LabeledValue("c@x.org", "home")],
                       phones=[("+1 555 0100", "mobile")], urls=["https://ada.example"])
    assert c.emails == [netcrm.LabeledValue("a@x.org", ""), netcrm.LabeledValue("b@x.org", "work"),
                        netcrm.LabeledValue("c@x.org", "home")]
    assert c.phones == [netcrm.LabeledValue("+1 555 0100", "mobile")]
    assert c.urls == [netcrm.LabeledValue("https://ada.example", "")]
    assert all(type(v) is netcrm.LabeledValue for v in c.emails + c.phones + c.urls)


@pytest.mark.parametrize("field", ["emails", "phones", "urls", "tags"])
def test_a_single_str_instead_of_a_list_raises_type_error(field: str) -> None:
    with pytest.raises(TypeError, match="list"):
        netcrm.Contact("Ada", **{field: "ada@example.com"})


def test_a_channel_item_of_the_wrong_type_raises_type_error() -> None:
    with pytest.raises(TypeError, match="int"):
        netcrm.Contact("Ada", emails=[42])  # type: ignore[list-item]


def test_name_given_as_str_raises_type_error_pointing_at_display_name() -> None:
    with pytest.raises(TypeError, match="display_name"):
        netcrm.Contact(name="Ada Lovelace")  # type: ignore[arg-type]


def test_repr_of_an_unsaved_contact_says_unsaved() -> None:
    c = netcrm.Contact("Ada Lovelace", organization="Engines", emails=["ada@example.com"], tags=["vip"])
    assert repr(c) == "Contact(unsaved, 'Ada Lovelace', organization='Engines', emails=['ada@example.com'], tags=['vip'])"


def test_repr_of_a_stored_contact_shows_its_id(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada Lovelace"))
    assert repr(c) == f"Contact(id={c.id}, 'Ada Lovelace')"


def test_str_shows_role_channels_birthday_tags_and_notes_in_utc() -> None:
    c = netcrm.Contact("Ada Lovelace", title="Analyst", organization="Engines", emails=[("ada@example.com", "work")],
                       birthday=netcrm.PartialDate(12, 10), tags=["math", "poetry"], how_met="Royal Society",
                       notes=[netcrm.Note("Likes punch cards", dt.datetime(2026, 1, 15, 9, 30, tzinfo=PARIS))])
    # The note was written at 09:30 in Paris: str() shows that instant in UTC, and says so.
    assert str(c).splitlines() == [
        "Ada Lovelace",
        "  Analyst at Engines",
        "  email: ada@example.com (work)",
        "  birthday: --12-10",
        "  tags: math, poetry",
        "  met: Royal Society",
        "  [2026-01-15 08:30 UTC] Likes punch cards",
    ]


# -- every field through a database file -----------------------------------------------------------


def test_every_field_survives_add_and_get(crm: netcrm.CRM) -> None:
    introducer = crm.contacts.add(netcrm.Contact("Jean Dupont"))
    want = full_contact(introduced_by=introducer.id)
    stored = crm.contacts.add(want)
    assert stored.id is not None and stored.id != introducer.id
    assert_same_content(stored, want)
    got = crm.contacts.get(stored.id)
    assert got == stored
    assert_same_content(got, want)


def test_every_field_survives_closing_and_reopening_the_file(tmp_path: Path, clock: FixedClock) -> None:
    with netcrm.open(tmp_path / "x.db", clock=clock) as crm:
        introducer = crm.contacts.add(netcrm.Contact("Jean Dupont"))
        stored = crm.contacts.add(full_contact(introduced_by=introducer.id))
    with netcrm.open(tmp_path / "x.db") as crm:
        assert crm.contacts.get(stored.id) == stored  # type: ignore[arg-type]


def test_update_replaces_every_field(crm: netcrm.CRM) -> None:
    introducer = crm.contacts.add(netcrm.Contact("Jean Dupont"))
    stored = crm.contacts.add(netcrm.Contact("Someone", emails=["old@example.com"], tags=["old"],
                                             birthday=netcrm.PartialDate(1, 2), notes=["old note"]))
    want = dataclasses.replace(full_contact(introduced_by=introducer.id), id=stored.id)
    updated = crm.contacts.update(want)
    assert_same_content(updated, want)
    assert crm.contacts.get(stored.id) == updated  # type: ignore[arg-type]


def test_update_can_clear_fields(crm: netcrm.CRM) -> None:
    introducer = crm.contacts.add(netcrm.Contact("Jean Dupont"))
    stored = crm.contacts.add(full_contact(introduced_by=introducer.id))
    cleared = crm.contacts.update(stored, organization="", title="", emails=[], phones=[], urls=[], addresses=[],
                                  tags=[], birthday=None, notes=[], how_met="", introduced_by=None, source="",
                                  name=netcrm.Name())
    got = crm.contacts.get(stored)
    assert got == cleared
    assert (got.organization, got.emails, got.addresses, got.tags, got.birthday, got.notes, got.introduced_by) == (
        "", [], [], [], None, [], None)


def test_birthday_with_a_year_comes_back_as_a_date(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", birthday=dt.date(1815, 12, 10)))
    got = crm.contacts.get(c).birthday
    assert type(got) is dt.date
    assert got == dt.date(1815, 12, 10)


def test_birthday_without_a_year_comes_back_as_partial_date(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", birthday=netcrm.PartialDate(4, 15)))
    got = crm.contacts.get(c).birthday
    assert got == netcrm.PartialDate(4, 15)
    assert isinstance(got, netcrm.PartialDate) and got.year is None


def test_feb_29_without_a_year_is_kept(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Leap", birthday=netcrm.PartialDate(2, 29)))
    assert crm.contacts.get(c).birthday == netcrm.PartialDate(2, 29)


def test_partial_date_with_a_year_comes_back_as_a_plain_date(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", birthday=netcrm.PartialDate(4, 15, 1985)))
    assert crm.contacts.get(c).birthday == dt.date(1985, 4, 15)


def test_a_datetime_as_birthday_raises_type_error(crm: netcrm.CRM) -> None:
    with pytest.raises(TypeError, match="birthday"):
        crm.contacts.add(netcrm.Contact("Ada", birthday=dt.datetime(1985, 4, 15, tzinfo=UTC)))


# Expected instants are written out by hand (offsets in the comments), not computed with zoneinfo.
NOTE_TIMES = [
    pytest.param(dt.datetime(2026, 1, 15, 9, 30, tzinfo=PARIS), dt.datetime(2026, 1, 15, 8, 30, tzinfo=UTC),
                 id="Paris winter +01:00"),
    pytest.param(dt.datetime(2026, 7, 14, 22, 0, tzinfo=PARIS), dt.datetime(2026, 7, 14, 20, 0, tzinfo=UTC),
                 id="Paris summer +02:00"),
    pytest.param(dt.datetime(2026, 3, 29, 3, 30, tzinfo=PARIS), dt.datetime(2026, 3, 29, 1, 30, tzinfo=UTC),
                 id="Paris DST change day, after the jump +02:00"),
    pytest.param(dt.datetime(2026, 3, 29, 1, 30, tzinfo=PARIS), dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC),
                 id="Paris DST change day, before the jump +01:00"),
    pytest.param(dt.datetime(2026, 1, 15, 18, 0, tzinfo=NEW_YORK), dt.datetime(2026, 1, 15, 23, 0, tzinfo=UTC),
                 id="New York winter -05:00"),
    pytest.param(dt.datetime(2026, 11, 1, 1, 30, tzinfo=NEW_YORK), dt.datetime(2026, 11, 1, 5, 30, tzinfo=UTC),
                 id="New York fall-back day, first 01:30 -04:00"),
    pytest.param(dt.datetime(2026, 11, 1, 1, 30, fold=1, tzinfo=NEW_YORK), dt.datetime(2026, 11, 1, 6, 30, tzinfo=UTC),
                 id="New York fall-back day, second 01:30 -05:00"),
    pytest.param(dt.datetime(2026, 6, 15, 18, 45, tzinfo=KOLKATA), dt.datetime(2026, 6, 15, 13, 15, tzinfo=UTC),
                 id="Kolkata +05:30"),
    pytest.param(dt.datetime(2026, 1, 1, 0, 10, tzinfo=KOLKATA), dt.datetime(2025, 12, 31, 18, 40, tzinfo=UTC),
                 id="Kolkata just after midnight is the previous day in UTC"),
    pytest.param(dt.datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC), dt.datetime(1969, 7, 20, 20, 17, 40, tzinfo=UTC),
                 id="before 1970"),
]


def assert_utc_instant(got: dt.datetime | None, want: dt.datetime) -> None:
    assert got is not None
    assert got.tzinfo == UTC, f"expected tzinfo UTC, got {got.tzinfo!r}"
    assert got.utcoffset() == dt.timedelta(0)
    assert got == want
    assert (got.year, got.month, got.day, got.hour, got.minute, got.second) == (
        want.year, want.month, want.day, want.hour, want.minute, want.second)


@pytest.mark.parametrize(("written", "instant"), NOTE_TIMES)
def test_a_note_written_in_any_zone_comes_back_as_the_same_instant_in_utc(
        crm: netcrm.CRM, written: dt.datetime, instant: dt.datetime) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", notes=[netcrm.Note("n", written)]))
    for got in (c, crm.contacts.get(c)):
        assert_utc_instant(got.notes[0].at, instant)


@pytest.mark.parametrize(("written", "instant"), NOTE_TIMES)
def test_add_note_at_any_zone_stores_the_same_instant_in_utc(
        crm: netcrm.CRM, written: dt.datetime, instant: dt.datetime) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    after = crm.contacts.add_note(c, "n", at=written)
    assert_utc_instant(after.notes[0].at, instant)
    assert_utc_instant(crm.contacts.get(c).notes[0].at, instant)


def test_a_note_dated_at_the_unix_epoch_keeps_its_date(crm: netcrm.CRM) -> None:
    epoch = dt.datetime(1970, 1, 1, tzinfo=UTC)
    c = crm.contacts.add(netcrm.Contact("Ada", notes=[netcrm.Note("at the epoch", epoch)]))
    assert crm.contacts.get(c).notes[0].at == epoch


def test_notes_come_back_oldest_first(crm: netcrm.CRM) -> None:
    late = netcrm.Note("late", dt.datetime(2026, 2, 1, 12, 0, tzinfo=UTC))
    early = netcrm.Note("early", dt.datetime(2026, 2, 1, 12, 0, tzinfo=KOLKATA))  # 06:30 UTC
    c = crm.contacts.add(netcrm.Contact("Ada", notes=[late, early]))
    assert [n.text for n in crm.contacts.get(c).notes] == ["early", "late"]


# -- times from the injected clock -----------------------------------------------------------------


def test_created_and_updated_at_come_from_the_injected_clock(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    assert_utc_instant(c.created_at, dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    assert_utc_instant(c.updated_at, dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    assert crm.contacts.get(c).created_at == c.created_at


def test_crm_now_is_the_injected_clock_in_utc(crm: netcrm.CRM) -> None:
    assert_utc_instant(crm.now(), dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))


def test_update_keeps_created_at_and_moves_updated_at(crm: netcrm.CRM, clock: FixedClock) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    clock.advance(hours=2, minutes=5)
    u = crm.contacts.update(c, title="Countess")
    assert u.created_at == dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    assert_utc_instant(u.updated_at, dt.datetime(2026, 3, 1, 11, 5, tzinfo=UTC))
    assert crm.contacts.get(c) == u


def test_update_ignores_a_created_at_set_by_the_caller(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    u = crm.contacts.update(c, created_at=dt.datetime(2000, 1, 1, tzinfo=UTC))
    assert u.created_at == c.created_at


def test_a_note_without_a_time_gets_the_clock_time(crm: netcrm.CRM, clock: FixedClock) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", notes=["written now"]))
    assert_utc_instant(c.notes[0].at, dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC))
    clock.advance(days=1)
    after = crm.contacts.add_note(c, "next day")
    assert_utc_instant(after.notes[1].at, dt.datetime(2026, 3, 2, 9, 0, tzinfo=UTC))


def test_add_note_appends_and_moves_updated_at(crm: netcrm.CRM, clock: FixedClock) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", notes=["first"]))
    clock.advance(minutes=30)
    when = dt.datetime(2026, 3, 1, 9, 10, tzinfo=UTC)
    after = crm.contacts.add_note(c.id, "second", at=when)  # type: ignore[arg-type]
    assert [n.text for n in after.notes] == ["first", "second"]
    assert after.notes[1].at == when
    assert after.updated_at == dt.datetime(2026, 3, 1, 9, 30, tzinfo=UTC)
    assert after.created_at == c.created_at
    assert crm.contacts.get(c) == after


def test_add_note_to_a_missing_contact_raises_not_found(crm: netcrm.CRM) -> None:
    with pytest.raises(netcrm.NotFound):
        crm.contacts.add_note(4242, "lost")


# -- add / get / update / delete -------------------------------------------------------------------


def test_add_accepts_fields_as_keywords(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(display_name="Ada Lovelace", emails=["ada@example.com"], tags=["vip"])
    assert (c.display_name, c.emails, c.tags) == ("Ada Lovelace", [netcrm.LabeledValue("ada@example.com")], ["vip"])
    assert crm.contacts.get(c) == c


def test_add_with_a_contact_and_keywords_overrides_those_fields(crm: netcrm.CRM) -> None:
    base = netcrm.Contact("Ada", organization="Engines")
    c = crm.contacts.add(base, organization="Babbage & Co")
    assert c.organization == "Babbage & Co"
    assert base.organization == "Engines"  # the caller's object is not changed


def test_add_derives_the_display_name_from_the_name_parts(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact(name=netcrm.Name(given="Ada", family="Lovelace")))
    assert c.display_name == "Ada Lovelace"


def test_a_contact_with_nothing_to_call_it_raises_invalid_input(crm: netcrm.CRM) -> None:
    with pytest.raises(netcrm.InvalidInput, match="name"):
        crm.contacts.add(netcrm.Contact(tags=["orphan"]))
    assert len(crm.contacts) == 0


def test_update_with_keywords_changes_just_those_fields(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", organization="Engines", emails=["ada@example.com"]))
    u = crm.contacts.update(c, title="Countess")
    assert (u.title, u.organization, u.emails) == ("Countess", "Engines", c.emails)


def test_update_of_an_unsaved_contact_raises_value_error(crm: netcrm.CRM) -> None:
    with pytest.raises(ValueError, match="saved"):
        crm.contacts.update(netcrm.Contact("Ada"))


def test_update_of_a_deleted_contact_raises_not_found(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    crm.contacts.remove(c)
    with pytest.raises(netcrm.NotFound):
        crm.contacts.update(c, title="x")


def test_delete_removes_the_contact(crm: netcrm.CRM) -> None:
    keep = crm.contacts.add(netcrm.Contact("Keep"))
    c = crm.contacts.add(full_contact())
    crm.contacts.remove(c.id)  # type: ignore[arg-type]
    assert c.id not in crm.contacts
    assert crm.contacts.find(c) is None
    with pytest.raises(netcrm.NotFound):
        crm.contacts.get(c)
    assert crm.contacts.search("Hélène") == []
    assert list(crm.contacts) == [keep]


def test_delete_of_a_missing_contact_raises_not_found(crm: netcrm.CRM) -> None:
    with pytest.raises(netcrm.NotFound) as info:
        crm.contacts.remove(999)
    assert info.value.id == 999


def test_deleting_an_introducer_keeps_the_contacts_it_introduced(crm: netcrm.CRM) -> None:
    intro = crm.contacts.add(netcrm.Contact("Introducer"))
    c = crm.contacts.add(netcrm.Contact("Introduced", introduced_by=intro.id))
    crm.contacts.remove(intro)
    assert crm.contacts.get(c).introduced_by is None


def test_introduced_by_a_missing_contact_raises_invalid_input(crm: netcrm.CRM) -> None:
    with pytest.raises(netcrm.InvalidInput, match="introduced_by"):
        crm.contacts.add(netcrm.Contact("Ada", introduced_by=4242))


def test_a_contact_cannot_be_introduced_by_itself(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    with pytest.raises(netcrm.InvalidInput):
        crm.contacts.update(c, introduced_by=c.id)


# -- the collection protocol ----------------------------------------------------------------------


def test_getitem_and_contains_work_by_id_and_by_contact(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada"))
    assert c.id is not None
    assert crm.contacts[c.id] == c
    assert c.id in crm.contacts
    assert c in crm.contacts
    assert c.id + 1 not in crm.contacts
    assert "1" not in crm.contacts
    assert True not in crm.contacts
    assert netcrm.Contact("Unsaved") not in crm.contacts


def test_getitem_of_a_missing_id_raises_key_error(crm: netcrm.CRM) -> None:
    with pytest.raises(KeyError):
        crm.contacts[12345]


def test_len_counts_contacts(crm: netcrm.CRM) -> None:
    assert len(crm.contacts) == 0
    for i in range(7):
        crm.contacts.add(display_name=f"P{i}")
    assert len(crm.contacts) == 7
    assert repr(crm.contacts) == "<netcrm.Contacts: 7 contacts>"


def test_iteration_pages_through_more_than_500_contacts_in_name_order(crm: netcrm.CRM) -> None:
    rng = random.Random(20260301)
    first = ["ada", "Bob", "carol", "Dave", "eve", "Zoe", "mallory", "Trent"]
    names = [f"{rng.choice(first)} {rng.randrange(400):03d}" for _ in range(1234)]  # duplicates on purpose
    stored = [crm.contacts.add(display_name=n) for n in names]
    want = sorted(stored, key=lambda c: (c.display_name.lower(), c.id))
    got = list(crm.contacts)
    assert len(got) == 1234
    assert [c.id for c in got] == [c.id for c in want]
    assert got == want


def test_iteration_over_exactly_one_page_yields_each_contact_once(crm: netcrm.CRM) -> None:
    for i in range(500):
        crm.contacts.add(display_name=f"P{i:03d}")
    assert [c.display_name for c in crm.contacts] == [f"P{i:03d}" for i in range(500)]


# -- list, count, tags ----------------------------------------------------------------------------


@pytest.fixture
def people(crm: netcrm.CRM) -> dict[str, netcrm.Contact]:
    data: list[tuple[str, str, list[str]]] = [
        ("Ada Lovelace", "Analytical Engines", ["math", "VIP"]),
        ("Charles Babbage", "Analytical Engines", ["math"]),
        ("Grace Hopper", "US Navy", ["cobol", "vip"]),
        ("alan turing", "Bletchley Park", ["math", "crypto"]),
        ("Hélène Lefèvre", "Atelier L", ["design"]),
        ("Zoë Kravitz", "", []),
    ]
    return {n: crm.contacts.add(netcrm.Contact(n, organization=o, tags=t)) for n, o, t in data}


def names(cs: list[netcrm.Contact]) -> list[str]:
    return [c.display_name for c in cs]


def test_list_returns_everyone_in_case_insensitive_name_order(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    assert names(crm.contacts.list()) == ["Ada Lovelace", "alan turing", "Charles Babbage", "Grace Hopper",
                                          "Hélène Lefèvre", "Zoë Kravitz"]


def test_list_by_tag_ignores_case(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    assert names(crm.contacts.list(tag="vip")) == ["Ada Lovelace", "Grace Hopper"]
    assert names(crm.contacts.list(tag="MATH")) == ["Ada Lovelace", "alan turing", "Charles Babbage"]
    assert crm.contacts.list(tag="nobody") == []


def test_list_by_organization_ignores_case(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    assert names(crm.contacts.list(organization="analytical engines")) == ["Ada Lovelace", "Charles Babbage"]


def test_list_by_tag_and_organization_needs_both(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    assert names(crm.contacts.list(tag="vip", organization="Analytical Engines")) == ["Ada Lovelace"]


def test_list_limit_and_offset_page_through_the_same_order(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    everyone = names(crm.contacts.list())
    assert names(crm.contacts.list(limit=2)) == everyone[:2]
    assert names(crm.contacts.list(limit=2, offset=2)) == everyone[2:4]
    assert names(crm.contacts.list(offset=4)) == everyone[4:]
    assert crm.contacts.list(limit=3, offset=6) == []
    assert crm.contacts.list(limit=0) == []


def test_list_with_a_negative_offset_raises_value_error(crm: netcrm.CRM) -> None:
    with pytest.raises(ValueError):
        crm.contacts.list(offset=-1)


def test_count_uses_the_same_filters_as_list(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    assert crm.contacts.count() == 6
    assert crm.contacts.count(tag="Math") == 3
    assert crm.contacts.count(organization="US NAVY") == 1
    assert crm.contacts.count(tag="vip", organization="US Navy") == 1
    assert crm.contacts.count(tag="none") == 0


def test_tags_counts_the_contacts_carrying_each_tag(crm: netcrm.CRM, people: dict[str, netcrm.Contact]) -> None:
    tags = crm.contacts.tags()
    assert tags["math"] == 3
    assert tags["design"] == 1
    assert tags["crypto"] == 1
    assert sum(tags.values()) == 8  # VIP and vip are different spellings, each counted where written


def test_tags_are_trimmed_and_deduplicated_keeping_their_order(crm: netcrm.CRM) -> None:
    c = crm.contacts.add(netcrm.Contact("Ada", tags=["b", " a ", "b", "c", ""]))
    assert c.tags == ["b", "a", "c"]


# -- search ---------------------------------------------------------------------------------------


@pytest.fixture
def searchable(crm: netcrm.CRM) -> dict[str, netcrm.Contact]:
    h = crm.contacts.add(netcrm.Contact("Hélène Lefèvre", organization="Atelier L", title="Founder",
                                        emails=["helene@atelier-l.fr"], tags=["potential-client"]))
    z = crm.contacts.add(netcrm.Contact("Zoë Saldaña", organization="Orbit Labs", emails=["zoe@orbit.example"]))
    a = crm.contacts.add(netcrm.Contact("Ada Lovelace", organization="Analytical Engines", tags=["math"],
                                        how_met="Royal Society soirée"))
    crm.contacts.add_note(a, "Wants an intro to a hardware founder")
    return {"helene": h, "zoe": z, "ada": a}


def ids(cs: list[netcrm.Contact]) -> set[int | None]:
    return {c.id for c in cs}


@pytest.mark.parametrize(("query", "who"), [
    ("lovelace", "ada"),
    ("Ada Lovelace", "ada"),
    ("helene@atelier-l.fr", "helene"),
    ("orbit.example", "zoe"),
    ("Analytical", "ada"),
    ("founder", None),  # Hélène's title and Ada's note
    ("potential-client", "helene"),
    ("math", "ada"),
    ("hardware", "ada"),
    ("soirée", "ada"),
])
def test_search_finds_by_name_email_organization_tag_and_note(
        crm: netcrm.CRM, searchable: dict[str, netcrm.Contact], query: str, who: str | None) -> None:
    found = ids(crm.contacts.search(query))
    if who is None:
        assert found == {searchable["helene"].id, searchable["ada"].id}
    else:
        assert found == {searchable[who].id}


@pytest.mark.parametrize(("query", "who"), [
    ("Helene", "helene"),
    ("helene lefevre", "helene"),
    ("HÉLÈNE", "helene"),
    ("zoe", "zoe"),
    ("ZOE SALDANA", "zoe"),
    ("Zoë", "zoe"),
    ("soiree", "ada"),
])
def test_search_ignores_case_and_accents(
        crm: netcrm.CRM, searchable: dict[str, netcrm.Contact], query: str, who: str) -> None:
    assert ids(crm.contacts.search(query)) == {searchable[who].id}


def test_search_matches_word_prefixes_and_needs_every_word(crm: netcrm.CRM, searchable: dict[str, netcrm.Contact]) -> None:
    assert ids(crm.contacts.search("lef")) == {searchable["helene"].id}
    assert ids(crm.contacts.search("hel lef")) == {searchable["helene"].id}
    assert crm.contacts.search("hel zzz") == []
    assert crm.contacts.search("ene") == []  # the middle of a word is not a prefix


@pytest.mark.parametrize("query", ["Robert'); DROP TABLE contacts;--", "' OR 1=1 --", '"', '"hel', "hel\"ene",
                                   "%", "_", "\\", "*", "NEAR(a b)", "lovelace OR 1", "names:ada", ""])
def test_quotes_and_sql_in_a_query_are_only_text(
        crm: netcrm.CRM, searchable: dict[str, netcrm.Contact], query: str) -> None:
    result = crm.contacts.search(query)
    assert isinstance(result, list)
    assert len(crm.contacts) == 3
    assert crm.integrity_check() == "ok"


def test_search_sees_updates_and_forgets_deleted_contacts(crm: netcrm.CRM, searchable: dict[str, netcrm.Contact]) -> None:
    z = crm.contacts.update(searchable["zoe"], organization="Quasar Inc")
    assert ids(crm.contacts.search("quasar")) == {z.id}
    assert crm.contacts.search("orbit labs") == []
    crm.contacts.remove(z)
    assert crm.contacts.search("zoe") == []


def test_search_limit_caps_the_results(crm: netcrm.CRM) -> None:
    for i in range(30):
        crm.contacts.add(netcrm.Contact(f"Person {i}", organization="Same Co"))
    assert len(crm.contacts.search("same")) == 30
    assert len(crm.contacts.search("same", limit=7)) == 7
    assert crm.contacts.search("same", limit=0) == []


# -- merge ----------------------------------------------------------------------------------------


@pytest.fixture
def two_adas(crm: netcrm.CRM, clock: FixedClock) -> tuple[netcrm.Contact, netcrm.Contact, netcrm.Contact]:
    a = crm.contacts.add(netcrm.Contact(
        "Ada Lovelace", organization="Analytical Engines", emails=[("ada@example.com", "work")],
        phones=[("+44 20 1234 5678", "work")], tags=["math"],
        notes=[netcrm.Note("first met", dt.datetime(2026, 1, 10, 12, 0, tzinfo=UTC))]))
    clock.advance(hours=1)
    b = crm.contacts.add(netcrm.Contact(
        "Ada King", organization="Babbage & Co", title="Countess",
        emails=[("ADA@example.com", "home"), ("countess@example.org", "home")],
        phones=[("+44 (20) 1234-5678", "mobile"), ("+44 7700 900123", "mobile")],
        urls=[("https://ada.example", "blog")],
        addresses=[netcrm.Address(street="St James's Square", locality="London", country="UK", kind="home")],
        tags=["math", "poetry"], birthday=dt.date(1815, 12, 10), how_met="Royal Society",
        notes=[netcrm.Note("second meeting", dt.datetime(2026, 2, 10, 12, 0, tzinfo=UTC))]))
    c = crm.contacts.add(netcrm.Contact("Charles Babbage", introduced_by=b.id))
    clock.advance(hours=1)
    return a, b, c


def test_merge_keeps_every_fact_of_both(crm: netcrm.CRM, two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, _ = two_adas
    m = crm.contacts.merge(a, b)
    assert m.id == a.id
    assert m == crm.contacts.get(a)
    assert m.display_name == "Ada Lovelace"
    assert [e.value for e in m.emails] == ["ada@example.com", "countess@example.org"]  # ADA@ is the same address
    assert [p.value for p in m.phones] == ["+44 20 1234 5678", "+44 7700 900123"]  # same digits, same phone
    assert m.urls == b.urls
    assert m.addresses == b.addresses
    assert m.tags == ["math", "poetry"]
    assert m.birthday == dt.date(1815, 12, 10)
    assert m.title == "Countess"  # empty fields are filled
    assert m.how_met == "Royal Society"
    texts = [n.text for n in m.notes]
    assert "first met" in texts and "second meeting" in texts
    assert m.created_at == a.created_at


def test_merge_keeps_conflicting_fields_in_a_note(crm: netcrm.CRM, clock: FixedClock,
                                                  two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, _ = two_adas
    m = crm.contacts.merge(a, b)
    assert m.organization == "Analytical Engines"
    merged_notes = [n for n in m.notes if "Babbage & Co" in n.text]
    assert len(merged_notes) == 1
    assert "Ada King" in merged_notes[0].text
    assert merged_notes[0].at == clock.now
    assert m.updated_at == clock.now
    assert ids(crm.contacts.search("babbage")) >= {a.id}


def test_merge_repoints_introduced_by_to_the_survivor(crm: netcrm.CRM, two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, c = two_adas
    crm.contacts.merge(a, b)
    assert crm.contacts.get(c).introduced_by == a.id


def test_the_merged_contact_is_gone(crm: netcrm.CRM, two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, _ = two_adas
    crm.contacts.merge(a, b)
    assert b.id not in crm.contacts
    with pytest.raises(netcrm.NotFound) as info:
        crm.contacts.get(b)
    assert info.value.id == b.id
    assert len(crm.contacts) == 2
    assert ids(crm.contacts.search("countess")) == {a.id}


def test_merge_history_returns_the_merged_contact_as_it_was(crm: netcrm.CRM, two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, _ = two_adas
    assert crm.contacts.merge_history(a) == []
    crm.contacts.merge(a, b)
    history = crm.contacts.merge_history(a)
    assert len(history) == 1
    snap = history[0]
    assert isinstance(snap, dict)
    assert snap["id"] == b.id
    assert snap["display_name"] == "Ada King"
    assert snap["organization"] == "Babbage & Co"
    assert [e["value"] for e in snap["emails"]] == ["ADA@example.com", "countess@example.org"]
    assert snap["tags"] == ["math", "poetry"]
    assert snap["birthday"] == "1815-12-10"
    assert [n["text"] for n in snap["notes"]] == ["second meeting"]


def test_merge_history_follows_a_chain_of_merges(crm: netcrm.CRM, two_adas: tuple[netcrm.Contact, ...]) -> None:
    a, b, _ = two_adas
    d = crm.contacts.add(netcrm.Contact("A. A. Lovelace"))
    crm.contacts.merge(a, b)
    crm.contacts.merge(d, a)
    assert [h["id"] for h in crm.contacts.merge_history(d)] == [b.id, a.id]


def test_a_note_both_contacts_carry_is_kept_once(crm: netcrm.CRM) -> None:
    same = netcrm.Note("met at the Royal Society", dt.datetime(2026, 1, 10, 12, 0, tzinfo=UTC))
    a = crm.contacts.add(netcrm.Contact("Ada Lovelace", notes=[same]))
    b = crm.contacts.add(netcrm.Contact("Ada Lovelace", notes=[same, netcrm.Note("only on b", same.at)]))
    m = crm.contacts.merge(a, b)
    assert sorted(n.text for n in m.notes) == ["met at the Royal Society", "only on b"]


def test_merging_a_contact_with_itself_raises_invalid_input(crm: netcrm.CRM) -> None:
    a = crm.contacts.add(netcrm.Contact("Ada"))
    with pytest.raises(netcrm.InvalidInput):
        crm.contacts.merge(a, a)
    assert crm.contacts.get(a) == a


def test_merging_a_missing_contact_raises_not_found(crm: netcrm.CRM) -> None:
    a = crm.contacts.add(netcrm.Contact("Ada"))
    with pytest.raises(netcrm.NotFound):
        crm.contacts.merge(a, 777)
    with pytest.raises(netcrm.NotFound):
        crm.contacts.merge(777, a)
    assert crm.contacts.get(a) == a


def test_merging_in_the_contact_that_introduced_the_survivor_drops_the_self_reference(crm: netcrm.CRM) -> None:
    b = crm.contacts.add(netcrm.Contact("Ada King"))
    a = crm.contacts.add(netcrm.Contact("Ada Lovelace", introduced_by=b.id))
    m = crm.contacts.merge(a, b)
    assert m.introduced_by is None
    assert b.id not in crm.contacts
    assert crm.integrity_check() == "ok"


def test_merging_in_a_contact_the_survivor_introduced_drops_the_self_reference(crm: netcrm.CRM) -> None:
    a = crm.contacts.add(netcrm.Contact("Ada Lovelace"))
    b = crm.contacts.add(netcrm.Contact("Ada King", introduced_by=a.id))
    m = crm.contacts.merge(a, b)
    assert m.introduced_by is None
    assert crm.integrity_check() == "ok"


# -- PartialDate ----------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "want"), [
    ("--04-15", netcrm.PartialDate(4, 15)),
    ("--0415", netcrm.PartialDate(4, 15)),
    ("1985-04-15", netcrm.PartialDate(4, 15, 1985)),
    ("19850415", netcrm.PartialDate(4, 15, 1985)),
    ("--02-29", netcrm.PartialDate(2, 29)),
    ("2024-02-29", netcrm.PartialDate(2, 29, 2024)),
])
def test_partial_date_parses_iso_and_vcard_forms(text: str, want: netcrm.PartialDate) -> None:
    assert netcrm.PartialDate.parse(text) == want


@pytest.mark.parametrize("text", ["", "04-15", "--4-15", "1985-4-15", "--02-30", "2023-02-29", "--13-01",
                                  "--00-10", "abcd-01-01", "1985-04-15T00:00", "1985-0415", "198504-15", "--04-1"])
def test_partial_date_parse_rejects_what_is_not_a_date(text: str) -> None:
    with pytest.raises(netcrm.InvalidInput):
        netcrm.PartialDate.parse(text)


def test_partial_date_str_is_iso_or_vcard_without_year() -> None:
    assert str(netcrm.PartialDate(4, 15)) == "--04-15"
    assert str(netcrm.PartialDate(4, 5, 985)) == "0985-04-05"
    assert str(netcrm.PartialDate.parse("19850415")) == "1985-04-15"


def test_partial_date_to_date_uses_its_year_or_the_given_one() -> None:
    assert netcrm.PartialDate(4, 15, 1985).to_date() == dt.date(1985, 4, 15)
    assert netcrm.PartialDate(4, 15).to_date(2027) == dt.date(2027, 4, 15)
    assert netcrm.PartialDate(4, 15, 1985).to_date(2027) == dt.date(2027, 4, 15)


def test_feb_29_falls_on_feb_28_in_a_common_year() -> None:
    assert netcrm.PartialDate(2, 29).to_date(2027) == dt.date(2027, 2, 28)
    assert netcrm.PartialDate(2, 29).to_date(2100) == dt.date(2100, 2, 28)
    assert netcrm.PartialDate(2, 29).to_date(2028) == dt.date(2028, 2, 29)
    assert netcrm.PartialDate(2, 29).to_date(2000) == dt.date(2000, 2, 29)


def test_to_date_without_any_year_raises_value_error() -> None:
    with pytest.raises(ValueError, match="year"):
        netcrm.PartialDate(4, 15).to_date()


@pytest.mark.parametrize(("month", "day", "year"), [(2, 30, None), (4, 31, None), (13, 1, None), (0, 1, None),
                                                     (1, 0, None), (2, 29, 2023)])
def test_an_impossible_partial_date_raises_invalid_input(month: int, day: int, year: int | None) -> None:
    with pytest.raises(netcrm.InvalidInput):
        netcrm.PartialDate(month, day, year)


def test_extra_card_properties_round_trip_from_python(tmp_path):
    with netcrm.open(tmp_path / "x.db") as crm:
        extra = [netcrm.Property("UID", "urn:uuid:42"),
                 netcrm.Property("X-ABLABEL", "_$!<Other>!$_", group="item1"),
                 netcrm.Property("X-SOCIAL", "https://x.example/ada", parameters=[("TYPE", ["twitter", "pref"])])]
        saved = crm.contacts.add(netcrm.Contact("Ada", extra=extra))
        assert crm.contacts.get(saved.id).extra == extra


def test_the_default_region_is_a_setting_of_the_database(tmp_path):
    with netcrm.open(tmp_path / "x.db") as crm:
        assert crm.default_region == ""
        crm.default_region = "fr"
        assert crm.default_region == "FR"
        with pytest.raises(netcrm.InvalidInput, match="not a region"):
            crm.default_region = "Atlantis"
    with netcrm.open(tmp_path / "x.db") as crm:
        assert crm.default_region == "FR"


# -- IM handles, E.164, UIDs -------------------------------------------------------------------


def test_im_handles_are_their_own_field_with_the_service_as_kind(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "crm.db") as crm:
        saved = crm.contacts.add(netcrm.Contact("Ada", urls=["https://ada.example"],
                                                ims=[("ada.l", "Skype"), "xmpp:ada@jabber.example"]))
        assert saved.ims == [netcrm.LabeledValue("ada.l", "skype"), netcrm.LabeledValue("ada@jabber.example", "xmpp")]
        again = crm.contacts.get(saved.id)
        assert again.ims == saved.ims
        assert again.urls == [netcrm.LabeledValue("https://ada.example")]
        assert [c.id for c in crm.contacts.search("ada.l")] == [saved.id]
        assert again.to_dict()["ims"] == [{"value": "ada.l", "kind": "skype"},
                                          {"value": "ada@jabber.example", "kind": "xmpp"}]


def test_an_im_handle_without_a_service_is_refused_saying_which(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "crm.db") as crm:
        with pytest.raises(netcrm.InvalidInput, match=r"ims\[0\] 'ada.l' names no service"):
            crm.contacts.add(netcrm.Contact("Ada", ims=["ada.l"]))
        with pytest.raises(TypeError, match="ims must be a list"):
            netcrm.Contact("Ada", ims="skype:ada.l")  # type: ignore[arg-type]
        assert len(crm.contacts) == 0


def test_phones_keep_what_was_written_and_expose_e164(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "crm.db") as crm:
        saved = crm.contacts.add(netcrm.Contact("Ada", phones=["+33 6 12 34 56 78", "06 12 34 56 78"]))
        assert [(p.value, p.e164) for p in saved.phones] == [("+33 6 12 34 56 78", "+33612345678"),
                                                            ("06 12 34 56 78", "")]
        crm.default_region = "FR"
        got = crm.contacts.get(saved.id)
        assert [(p.value, p.e164) for p in got.phones] == [("+33 6 12 34 56 78", "+33612345678"),
                                                          ("06 12 34 56 78", "+33612345678")]
        assert got.phones[1] == netcrm.LabeledValue("06 12 34 56 78")  # e164 is derived: not compared
        assert got.to_dict()["phones"][1] == {"value": "06 12 34 56 78", "kind": "", "e164": "+33612345678"}
        assert "e164" not in repr(got.phones[1])


def test_a_phone_without_country_code_is_read_with_the_address_country(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "crm.db") as crm:
        saved = crm.contacts.add(netcrm.Contact("Ada", phones=["020 7946 0000"],
                                                addresses=[netcrm.Address(locality="London", country="GB")]))
        assert saved.phones[0].e164 == "+442079460000"


def test_every_contact_gets_one_uid_that_never_changes(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "crm.db") as crm:
        saved = crm.contacts.add(netcrm.Contact("Ada"))
        uids = [p.value for p in saved.extra if p.name == "UID"]
        assert len(uids) == 1 and uids[0].startswith("urn:uuid:")
        saved.extra = []
        updated = crm.contacts.update(saved, title="Countess")
        assert [p.value for p in updated.extra if p.name == "UID"] == uids
        vcf = crm.export(format="vcard") or ""
        assert f"UID:{uids[0]}" in vcf
        kept = crm.contacts.add(netcrm.Contact("Grace", extra=[netcrm.Property("UID", "grace-1")]))
        assert [p.value for p in kept.extra if p.name == "UID"] == ["grace-1"]
