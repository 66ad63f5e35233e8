"""crm.digest() and the iCalendar export of follow-ups, from Python: sections as of a fixed clock,
the text and JSON forms, and a calendar that an independent iCalendar reader (vobject) accepts."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest
import vobject  # installed by scripts/deps (Debian's python3-vobject)

import netcrm
from helpers import UTC, FixedClock

PARIS = ZoneInfo("Europe/Paris")
NOW = dt.datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # 09:00 in Paris


@pytest.fixture
def crm():
    clock = FixedClock(NOW)
    with netcrm.open(":memory:", clock=clock) as c:
        c.time_zone = "Europe/Paris"
        yield c


def test_an_empty_digest_is_false_and_says_there_is_nothing_to_do(crm):
    digest = crm.digest()
    assert not digest
    assert str(digest).endswith("Nothing to do today.\n")
    assert digest.today == dt.date(2026, 12, 1)
    assert digest.as_of == NOW
    assert repr(digest) == ("<Digest 2026-12-01 Europe/Paris: 0 due, 0 upcoming, 0 to thank, 0 going cold, "
                            "0 goals at risk>")


def test_the_digest_lists_due_upcoming_thanks_and_cold_people(crm):
    ada = crm.contacts.add(display_name="Ada Lovelace")
    bob = crm.contacts.add(display_name="Bob Martin")
    crm.follow_ups.schedule(bob, "Send the deck", due=dt.date(2026, 11, 28))
    crm.follow_ups.schedule(ada, "Thank Ada", due=dt.date(2026, 12, 1))
    crm.follow_ups.schedule(bob, "Coffee", due=dt.date(2026, 12, 4))
    crm.favors.receive(ada, "introduction", on=dt.date(2026, 11, 30), note="to Grace")
    crm.interactions.log("coffee", bob, at=dt.datetime(2026, 6, 1, 9, tzinfo=UTC))

    digest = crm.digest()
    assert digest
    assert [d.follow_up.reason for d in digest.due] == ["Send the deck", "Thank Ada"]
    assert [d.overdue for d in digest.due] == [True, False]
    assert [d.follow_up.reason for d in digest.upcoming] == ["Coffee"]
    assert [f.note for f in digest.thank] == ["to Grace"]
    assert [q.contact for q in digest.going_cold] == [bob.id]
    assert digest.names[ada.id] == "Ada Lovelace"
    text = str(digest)
    assert "  - Bob Martin: Send the deck (3 days late)\n" in text
    assert "  - 2026-12-04 09:00  Bob Martin: Coffee\n" in text
    assert "Say thank you (1):\n  - Ada Lovelace: introduction on 2026-11-30 (to Grace)\n" in text

    data = json.loads(digest.to_json())
    assert data == digest.to_dict()
    assert data["due"][0]["contact"] == {"id": bob.id, "name": "Bob Martin"}
    assert data["due"][0]["due_local"] == "2026-11-28 09:00"
    assert data["due"][0]["overdue"] is True
    assert data["thank"][0]["kind"] == "introduction"
    assert data["going_cold"][0]["last_interaction"] == "2026-06-01T09:00:00Z"
    assert "<pre>" in digest._repr_html_()


def test_digest_options_limit_and_windows(crm):
    ada = crm.contacts.add(display_name="Ada")
    for day in (1, 2, 3):
        crm.follow_ups.schedule(ada, f"late {day}", due=dt.date(2026, 11, day))
    crm.follow_ups.schedule(ada, "in ten days", due=dt.date(2026, 12, 11))
    assert len(crm.digest(limit=2).due) == 2
    assert len(crm.digest(limit=None).due) == 3
    assert crm.digest().upcoming == []
    assert [d.follow_up.reason for d in crm.digest(upcoming_days=14).upcoming] == ["in ten days"]
    later = crm.digest(now=dt.datetime(2026, 12, 11, 9, tzinfo=PARIS))
    assert len(later.due) == 4
    with pytest.raises(ValueError, match="naive"):
        crm.digest(now=dt.datetime(2026, 12, 1, 9))
    with pytest.raises(TypeError):
        crm.digest(cold_days="90")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        crm.digest(cold_days=0)


def test_the_calendar_export_reads_back_with_an_independent_reader(crm, tmp_path):
    ada = crm.contacts.add(display_name="Zoë Lefèvre")
    first = crm.follow_ups.schedule(ada, "Thank her; send slides, notes", due=dt.date(2026, 12, 3))
    crm.follow_ups.schedule(ada, "Call about the pilot", due=dt.date(2027, 3, 29), time_zone="America/New_York")
    path = tmp_path / "follow-ups.ics"
    assert crm.export(path) is None
    raw = path.read_bytes()
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")

    calendar = vobject.readOne(raw.decode("utf-8"))
    events = sorted(calendar.vevent_list, key=lambda e: e.dtstart.value)
    assert [e.summary.value for e in events] == ["Thank her; send slides, notes (Zoë Lefèvre)",
                                                 "Call about the pilot (Zoë Lefèvre)"]
    assert events[0].dtstart.value == dt.datetime(2026, 12, 3, 9, tzinfo=PARIS)
    assert events[1].dtstart.value == dt.datetime(2027, 3, 29, 9, tzinfo=ZoneInfo("America/New_York"))
    assert all(e.valarm for e in events)

    uid = events[0].uid.value
    crm.follow_ups.snooze(first, by=dt.timedelta(days=1))
    again = vobject.readOne(crm.export(format="ics"))
    moved = [e for e in again.vevent_list if e.uid.value == uid]
    assert len(moved) == 1  # the same UID: a calendar updates the event instead of adding one
    assert int(moved[0].sequence.value) > int(events[0].sequence.value)
    assert moved[0].dtstart.value == dt.datetime(2026, 12, 4, 9, tzinfo=PARIS)


def test_a_contact_export_filter_is_refused_for_the_calendar(crm):
    with pytest.raises(netcrm.InvalidInput, match="follow-ups"):
        crm.export(format="ics", tag="vip")


def test_the_digest_sees_what_happened_at_its_very_instant(crm):
    ada = crm.contacts.add(display_name="Ada Lovelace")
    crm.goals.add("A coffee a day", metric="interactions", at_least=1, period="2026-12-01",
                  interaction_kinds=["coffee"])
    assert [p.goal.name for p in crm.digest().goals_at_risk] == ["A coffee a day"]   # 09:00: behind pace
    crm.interactions.log("coffee", ada)          # at the clock's now, the digest's as_of
    assert crm.digest().goals_at_risk == []
    fu = crm.follow_ups.schedule(ada, "Thank Ada", due=NOW)
    assert [d.follow_up.id for d in crm.digest().due] == [fu.id]              # due at or before now
    assert [d.follow_up.id for d in crm.digest(now=NOW - dt.timedelta(seconds=1)).upcoming] == [fu.id]
