"""The JSON export of the whole database restores into an empty one with nothing lost."""

from __future__ import annotations

import datetime as dt
import json
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import UTC, FixedClock


def fill(crm: netcrm.CRM) -> None:
    crm.default_region = "FR"
    ada = crm.contacts.add(netcrm.Contact(
        "Hélène Lefèvre", organization="Atelier", emails=[("helene@atelier.example", "work")],
        phones=["06 12 34 56 78"], tags=["potential-client"], birthday=netcrm.PartialDate(4, 15),
        notes=[netcrm.Note("likes jazz", dt.datetime(2026, 10, 8, 19, 40, tzinfo=dt.timezone.utc))],
        extra=[netcrm.Property("X-ABLABEL", "studio", group="item1")]))
    crm.contacts.add(netcrm.Contact("Zoë Martin", introduced_by=ada.id))
    crm.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Grace Hopper\r\nEMAIL:grace@example.com\r\nEND:VCARD\r\n",
                    source="cards.vcf", tags=["meetup"])


def test_export_to_a_file_and_restore_gives_the_same_database(tmp_path):
    with netcrm.open(tmp_path / "a.db") as a:
        fill(a)
        a.export(tmp_path / "backup.json")
        contacts = a.contacts.list()
        batches = a.imports.list()
    with netcrm.open(tmp_path / "b.db") as b:
        assert b.restore(tmp_path / "backup.json") == {"contacts": 3, "merges": 0, "batches": 1, "events": 0,
                                                       "interactions": 0, "goals": 0, "introductions": 0,
                                                       "favors": 0, "follow_up_rules": 0, "follow_ups": 0,
                                                       "follow_up_history": 0, "asks": 0, "holidays": 0}
        assert b.contacts.list() == contacts
        assert b.imports.list() == batches
        assert b.default_region == "FR"
    assert not (tmp_path / "backup.json.partial").exists()


def test_export_without_a_path_returns_the_json_text(tmp_path):
    with netcrm.open(":memory:") as a:
        fill(a)
        text = a.export(format="json")
        assert text is not None
        doc = json.loads(text)
        assert doc["format"] == "netcrm" and len(doc["contacts"]) == 3
        with netcrm.open(":memory:") as b:
            b.restore(text, text=True)
            assert b.contacts.list() == a.contacts.list()


def test_restoring_into_a_database_with_contacts_is_refused(tmp_path):
    with netcrm.open(":memory:") as a:
        fill(a)
        text = a.export(format="json")
        assert text is not None
        with pytest.raises(netcrm.InvalidInput, match="needs an empty database"):
            a.restore(text, text=True)


def test_a_broken_export_is_refused_with_where_and_nothing_written():
    with netcrm.open(":memory:") as a:
        with pytest.raises(netcrm.InvalidInput, match="not valid JSON at byte"):
            a.restore('{"format": "netcrm", nope', text=True)
        assert len(a.contacts) == 0


def test_the_export_format_comes_from_the_suffix_or_is_asked_for(tmp_path):
    with netcrm.open(":memory:") as a:
        with pytest.raises(ValueError, match="cannot tell the format"):
            a.export(tmp_path / "backup.bin")
        with pytest.raises(ValueError, match="format must be one of"):
            a.export(format="xml")


def test_an_unwritable_export_path_is_a_file_error(tmp_path):
    with netcrm.open(":memory:") as a:
        with pytest.raises(netcrm.FileError):
            a.export(tmp_path / "missing" / "backup.json")


def test_contacts_export_as_vcard_and_csv_and_come_back(tmp_path):
    with netcrm.open(tmp_path / "a.db") as a:
        fill(a)
        a.export(tmp_path / "all.vcf")
        csv_text = a.export(format="csv", tag="potential-client")
        assert csv_text is not None
        assert "Hélène" in csv_text and "Grace" not in csv_text
        assert "06 12 34 56 78" in csv_text
        a.contacts.add(netcrm.Contact("Mallory", title='=HYPERLINK("http://x.example")', tags=["potential-client"]))
        assert "'=HYPERLINK" in (a.export(format="csv", tag="potential-client") or "")  # formula-safe
        vcf = (tmp_path / "all.vcf").read_text(encoding="utf-8")
        assert vcf.count("BEGIN:VCARD") == 3 and "VERSION:4.0" in vcf
        assert "VERSION:3.0" in (a.export(format="vcard3") or "")
    with netcrm.open(tmp_path / "b.db") as b:
        report = b.import_file(tmp_path / "all.vcf")
        assert report.added == 3 and not report.rejected
        helene = b.contacts.search("helene")[0]
        assert helene.birthday == netcrm.PartialDate(4, 15)
        assert [n.text for n in helene.notes] == ["likes jazz"]


def test_the_json_export_refuses_a_tag_filter():
    with netcrm.open(":memory:") as a:
        with pytest.raises(netcrm.InvalidInput, match="whole database"):
            a.export(format="json", tag="vip")


def test_the_interaction_log_survives_export_and_restore_with_its_ids(tmp_path):
    from zoneinfo import ZoneInfo

    with netcrm.open(tmp_path / "a.db") as a:
        fill(a)
        helene, zoe = a.contacts.search("helene")[0], a.contacts.search("zoe")[0]
        a.interactions.log("call", zoe, at=dt.datetime(2026, 3, 1, 9, 0, tzinfo=ZoneInfo("America/New_York")))
        a.interactions.log("coffee", [helene, zoe], at=dt.datetime(2026, 3, 2, 18, 30, tzinfo=ZoneInfo("Asia/Kolkata")),
                           notes="Hélène needs a printer; Zoë cares about type design")
        a.interactions.remove(1)  # ids with a gap come back as they were
        a.interactions.log("meal", helene, at=dt.datetime(2026, 3, 3, 20, 0, tzinfo=ZoneInfo("Europe/Paris")))
        text = a.export(format="json")
        assert text is not None
        log = a.interactions.list()
        quiet = a.interactions.not_heard_from(1, now=dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc))
    with netcrm.open(tmp_path / "b.db") as b:
        summary = b.restore(text, text=True)
        assert summary["interactions"] == 2
        assert [i.id for i in b.interactions.list()] == [2, 3]
        assert b.interactions.list() == log
        assert b.interactions.not_heard_from(1, now=dt.datetime(2026, 3, 10, tzinfo=dt.timezone.utc)) == quiet
        assert b.integrity_check() == "ok"


PARIS, NEW_YORK, KOLKATA = ZoneInfo("Europe/Paris"), ZoneInfo("America/New_York"), ZoneInfo("Asia/Kolkata")


def fill_ledger(crm: netcrm.CRM, clock: FixedClock) -> None:
    """Every kind of row of schema 4, through the public API; the rules fire as they would in use."""
    crm.time_zone = "Europe/Paris"
    helene = crm.contacts.add(netcrm.Contact("Hélène Lefèvre", tags=["design"]))
    zoe = crm.contacts.add(netcrm.Contact("Zoë Martin"))
    grace = crm.contacts.add(netcrm.Contact("Grace Hopper", tags=["investor"]))
    fu = crm.follow_ups
    fu.set_holidays("FR", {dt.date(2026, 4, 6): "Lundi de Pâques", dt.date(2026, 5, 1): "Fête du Travail"})
    fu.set_holidays("US", [dt.date(2026, 7, 3)])
    fu.add_rule("after_event", every="2 business days", holidays="FR")
    fu.add_rule("after_favor", every="1 day")
    fu.add_rule("cadence", every="1 month", contact=zoe, at_time=dt.time(8, 30))
    fu.add_rule("cadence", every="2 weeks", tag="investor", active=False)
    meetup = crm.events.add("Rust Paris meetup", starts=dt.datetime(2026, 3, 5, 18, 0, tzinfo=PARIS),
                            kind="meetup", tags=["rust", "community"])
    crm.events.met(meetup, helene, introduced_by=zoe)
    crm.goals.add("Meet five people", metric="contacts_met", at_least=5, event=meetup)
    coffee = crm.interactions.log("coffee", zoe, at=dt.datetime(2026, 3, 6, 9, 0, tzinfo=NEW_YORK))
    crm.favors.give(helene, "advice", on=dt.date(2026, 3, 6), weight=0.5, note="portfolio review")
    crm.favors.receive(grace, "referral", weight=3, thank=True)
    crm.favors.introduce(helene, grace, note="design for her fund's site", weight=2)
    crm.favors.introduced_to(grace, by=zoe)
    crm.favors.ask(helene, "a printer for posters")
    crm.favors.close_ask(crm.favors.ask(grace, "an intro to a Rust consultancy"), "met")
    clock.advance(days=1)
    slides = fu.schedule(zoe, "send the slides", due=dt.date(2026, 3, 10), at_time=dt.time(10),
                         time_zone="America/New_York")
    call = fu.schedule(grace, "call about the fund", due=dt.date(2026, 3, 12), time_zone=KOLKATA)
    # 02:30 does not exist in Paris on 2026-03-29 (clocks go to 03:00).
    fu.schedule(helene, "poster proofs", due=dt.date(2026, 3, 29), at_time=dt.time(2, 30), time_zone=PARIS,
                event=meetup)
    clock.advance(hours=5)
    fu.complete(slides, interaction=coffee, note="sent after the coffee")
    fu.snooze(call, by=dt.timedelta(days=2), note="travelling")


def without_export_time(text: str | None) -> dict:
    assert text is not None
    doc = json.loads(text)
    del doc["exported_at"]
    return doc


def test_follow_ups_rules_holidays_and_the_favour_ledger_survive_export_and_restore(tmp_path):
    clock = FixedClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with netcrm.open(tmp_path / "a.db", clock=clock) as a:
        fill_ledger(a, clock)
        text = a.export(format="json")
        assert text is not None
        follow_ups = a.follow_ups.list()
        assert len(follow_ups) >= 6  # 3 by hand, after-event, thank-yous, Zoë's cadence
        histories = [a.follow_ups.history(f) for f in follow_ups]
        expected = {
            "contacts": 3, "merges": 0, "batches": 0, "events": 1, "interactions": 1, "goals": 1,
            "introductions": 2, "favors": 5, "follow_up_rules": 4, "follow_ups": len(follow_ups),
            "follow_up_history": sum(len(h) for h in histories), "asks": 2, "holidays": 3,
        }
        before = {
            "contacts": a.contacts.list(), "events": a.events.list(), "interactions": a.interactions.list(),
            "goals": a.goals.list(), "favors": a.favors.list(), "introductions": a.favors.introductions(),
            "asks": a.favors.asks(open_only=False), "owed": a.favors.owed(), "rules": a.follow_ups.rules(),
            "follow_ups": follow_ups, "histories": histories,
            "holidays": (a.follow_ups.holidays("FR"), a.follow_ups.holidays("US")),
            "due": a.follow_ups.due(now=dt.datetime(2026, 4, 1, tzinfo=UTC)),
        }
    with netcrm.open(tmp_path / "b.db", clock=clock) as b:
        own_id = json.loads(b.export(format="json") or "")["settings"]["store_id"]
        assert b.restore(text, text=True) == expected
        after = {
            "contacts": b.contacts.list(), "events": b.events.list(), "interactions": b.interactions.list(),
            "goals": b.goals.list(), "favors": b.favors.list(), "introductions": b.favors.introductions(),
            "asks": b.favors.asks(open_only=False), "owed": b.favors.owed(), "rules": b.follow_ups.rules(),
            "follow_ups": b.follow_ups.list(), "histories": [b.follow_ups.history(f) for f in b.follow_ups.list()],
            "holidays": (b.follow_ups.holidays("FR"), b.follow_ups.holidays("US")),
            "due": b.follow_ups.due(now=dt.datetime(2026, 4, 1, tzinfo=UTC)),
        }
        for key, value in before.items():
            assert after[key] == value, key
        again = without_export_time(b.export(format="json"))
        assert again == without_export_time(text)
        # The store id (calendar UIDs) is the exported database's, not the one this file was born with.
        assert again["settings"]["store_id"] == json.loads(text)["settings"]["store_id"] != own_id
        assert b.integrity_check() == "ok"


def test_the_follow_ups_keep_their_zones_and_the_dst_gap_in_the_export(tmp_path):
    clock = FixedClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with netcrm.open(tmp_path / "a.db", clock=clock) as a:
        fill_ledger(a, clock)
        doc = json.loads(a.export(format="json") or "")
    by_reason = {f["reason"]: f for f in doc["follow_ups"]}
    assert by_reason["send the slides"]["due_at"] == "2026-03-10T14:00:00Z"  # 10:00 EDT
    assert by_reason["send the slides"]["status"] == "done"
    assert by_reason["call about the fund"]["time_zone"] == "Asia/Kolkata"
    assert [c["action"] for c in by_reason["call about the fund"]["history"]] == ["created", "snoozed"]
    assert by_reason["poster proofs"]["due_at"] == "2026-03-29T01:30:00Z"  # 03:30 CEST
    assert doc["holidays"][0] == {"calendar": "FR", "day": "2026-04-06", "name": "Lundi de Pâques"}
    assert doc["favors"][0]["weight"] == 0.5


def test_an_export_from_before_follow_ups_and_favours_still_restores(tmp_path):
    clock = FixedClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with netcrm.open(tmp_path / "a.db", clock=clock) as a:
        fill_ledger(a, clock)
        doc = json.loads(a.export(format="json") or "")
        contacts = a.contacts.list()
    doc["schema_version"] = 3
    for key in ("introductions", "favors", "follow_up_rules", "follow_ups", "asks", "holidays"):
        del doc[key]
    del doc["settings"]["store_id"]
    with netcrm.open(":memory:") as b:
        summary = b.restore(json.dumps(doc), text=True)
        assert summary["contacts"] == 3 and summary["follow_ups"] == 0 and summary["favors"] == 0
        assert b.contacts.list() == contacts
        assert len(b.follow_ups) == 0 and b.favors.list() == []
        assert json.loads(b.export(format="json") or "")["settings"]["store_id"]  # its own, kept


@pytest.mark.parametrize(("table", "index", "field", "value", "where"), [
    ("favors", 1, "kind", "gift", r"text: favors\[1\]: refused by the database"),
    ("asks", 0, "text", "", r"text: asks\[0\]: refused by the database"),
    ("holidays", 2, "day", "2026-02-30", r"text: holidays\[2\]: day: '2026-02-30' is not a calendar date"),
    ("follow_ups", 0, "time_zone", "Mars/Olympus", r"text: follow_ups\[0\]: time_zone"),
])
def test_a_row_the_database_refuses_is_reported_with_its_place(tmp_path, table, index, field, value, where):
    clock = FixedClock(dt.datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    with netcrm.open(tmp_path / "a.db", clock=clock) as a:
        fill_ledger(a, clock)
        doc = json.loads(a.export(format="json") or "")
    doc[table][index][field] = value
    with netcrm.open(":memory:") as b:
        with pytest.raises(netcrm.InvalidInput, match=where):
            b.restore(json.dumps(doc), text=True)
        assert len(b.contacts) == 0 and len(b.follow_ups) == 0 and b.follow_ups.holidays("FR") == []
