"""The JSON export of the whole database restores into an empty one with nothing lost."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import netcrm


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
                                                       "interactions": 0, "goals": 0}
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
