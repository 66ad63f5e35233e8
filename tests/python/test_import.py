"""Importing cards from Python: reports, policies, batches, undo, progress, and bad input."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import FixedClock


def vcard(fn: str, email: str, extra: str = "") -> str:
    return f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{fn}\r\nEMAIL;TYPE=work:{email}\r\n{extra}END:VCARD\r\n"


THREE = (vcard("Ada Lovelace", "ada@example.com", "ORG:Engines\r\n")
         + vcard("Grace Hopper", "grace@example.com")
         + vcard("Hélène Lefèvre", "helene@example.fr", "NOTE:likes jazz\r\n"))


@pytest.fixture
def crm(tmp_path):
    with netcrm.open(tmp_path / "crm.db") as db:
        yield db


def test_import_file_returns_a_report_that_prints_well(crm, tmp_path):
    path = tmp_path / "cards.vcf"
    path.write_text(THREE, encoding="utf-8")
    report = crm.import_file(path, tags=["potential-client"], how_met="Design meetup")
    assert (report.read, report.added, report.merged, report.skipped) == (3, 3, 0, 0)
    assert report.format == "vcard"
    assert str(report).startswith(f"Import {report.batch} of {path} (vcard): 3 read, 3 added")
    assert report.to_dict()["added"] == 3
    assert all("potential-client" in c.tags and c.how_met == "Design meetup" for c in crm.contacts)


def test_import_text_of_the_same_cards_merges_by_default(crm):
    crm.import_text(THREE)
    report = crm.import_text(THREE, source="again")
    assert (report.added, report.merged) == (0, 3)
    assert len(crm.contacts) == 3


@pytest.mark.parametrize("policy, added, skipped", [("skip", 0, 3), ("create", 3, 0)])
def test_the_duplicate_policy_is_chosen_per_import(crm, policy, added, skipped):
    crm.import_text(THREE)
    report = crm.import_text(THREE, on_duplicate=policy)
    assert (report.added, report.skipped) == (added, skipped)


def test_an_unknown_duplicate_policy_is_a_value_error(crm):
    with pytest.raises(ValueError, match="on_duplicate"):
        crm.import_text(THREE, on_duplicate="replace")  # type: ignore[arg-type]


def test_batches_are_listed_and_an_import_is_undone_in_one_call(crm):
    first = crm.import_text(vcard("Ada Lovelace", "ada@example.com"), source="one.vcf")
    ada = crm.contacts.list()[0]
    second = crm.import_text(vcard("Ada L.", "ada@example.com", "TITLE:Countess\r\n")
                             + vcard("Grace Hopper", "grace@example.com"), source="two.vcf")
    assert [b.id for b in crm.imports] == [first.batch, second.batch]
    assert sorted(a for _, a in crm.imports.changes(second.batch)) == ["added", "merged"]
    crm.imports.undo(second)
    assert crm.contacts.list() == [ada]
    assert crm.imports[second.batch].undone_at is not None
    with pytest.raises(netcrm.Error, match="already undone"):
        crm.imports.undo(second.batch)
    assert "undone" in str(crm.imports[second.batch])


def test_undo_refuses_when_a_contact_changed_since_unless_forced(tmp_path):
    clock = FixedClock(dt.datetime(2026, 11, 1, tzinfo=dt.timezone.utc))
    with netcrm.open(tmp_path / "c.db", clock=clock) as crm:
        report = crm.import_text(vcard("Ada Lovelace", "ada@example.com"))
        clock.advance(hours=1)
        crm.contacts.update(crm.contacts.list()[0], title="Countess")
        with pytest.raises(netcrm.Error, match="changed after"):
            crm.imports.undo(report.batch)
        crm.imports.undo(report.batch, force=True)
        assert len(crm.contacts) == 0


def test_rejected_records_carry_source_line_and_reason(crm):
    text = vcard("Ada Lovelace", "ada@example.com") + "BEGIN:VCARD\r\nVERSION:3.0\r\nNOTE:no name\r\nEND:VCARD\r\n"
    report = crm.import_text(text, source="pasted.vcf")
    assert report.added == 1
    [rejected] = report.rejected
    assert (rejected.source, rejected.line) == ("pasted.vcf", 6)
    assert "needs a name" in rejected.reason
    assert "pasted.vcf:6" in str(report)
    assert crm.imports.report(report.batch).rejected == report.rejected
    # A batch is named by its id, its ImportBatch or the import's report, as undo() names it.
    batch = crm.imports.get(report)
    assert crm.imports.get(batch) == batch == crm.imports.get(report.batch)
    assert crm.imports.report(batch).rejected == report.rejected
    assert crm.imports.changes(report) == crm.imports.changes(batch.id)
    with pytest.raises(TypeError, match="import batch id"):
        crm.imports.get("1")  # type: ignore[arg-type]


def test_progress_accepts_a_callable_and_a_tqdm_like_bar(crm):
    text = "".join(vcard(f"Person {i}", f"p{i}@example.com") for i in range(2500))
    calls: list[tuple[int, int]] = []
    crm.import_text(text, progress=lambda done, total: calls.append((done, total)))
    assert calls[-1] == (len(text.encode()), len(text.encode()))

    class Bar:
        total = None
        n = 0

        def update(self, n: int = 1) -> None:
            self.n += n

    bar = Bar()
    crm.import_text(text, on_duplicate="skip", progress=bar)
    assert bar.n == bar.total == len(text.encode())


def test_an_exception_in_progress_rolls_the_whole_import_back(crm):
    text = "".join(vcard(f"Person {i}", f"p{i}@example.com") for i in range(3000))

    def stop(done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        crm.import_text(text, progress=stop)
    assert len(crm.contacts) == 0
    assert len(crm.imports) == 0
    assert crm.integrity_check() == "ok"


def test_text_that_is_no_card_format_is_invalid_input(crm):
    with pytest.raises(netcrm.InvalidInput, match="not a format netcrm reads"):
        crm.import_text("hello world\n")


def test_a_missing_file_is_a_file_error_naming_it(crm, tmp_path):
    with pytest.raises(netcrm.FileError) as info:
        crm.import_file(tmp_path / "nope.vcf")
    assert isinstance(info.value, OSError)
    assert info.value.filename == str(tmp_path / "nope.vcf")


def test_tags_given_as_one_string_are_refused(crm):
    with pytest.raises(TypeError, match="tags must be a list"):
        crm.import_text(THREE, tags="vip")


DATA = __import__("pathlib").Path(__file__).resolve().parents[1] / "data"


def test_a_qr_code_mecard_payload_imports_as_text(crm):
    report = crm.import_text("MECARD:N:Doe,John;TEL:+14155550100;EMAIL:john@example.com;;", source="qr")
    assert (report.format, report.added) == ("mecard", 1)
    john = crm.contacts.list()[0]
    assert (john.name.family, john.name.given) == ("Doe", "John")


def test_a_linkedin_export_imports_with_its_preamble_and_dates(crm):
    report = crm.import_file(DATA / "csv" / "linkedin_connections.csv", tags=["linkedin"])
    assert report.format == "csv" and report.added > 0 and not report.rejected
    assert all(any("Connected on LinkedIn" in n.text for n in c.notes) for c in crm.contacts)


def test_any_csv_imports_with_a_caller_column_mapping(crm):
    text = "Full name;Mail;Company;Shoe size\r\nAda Lovelace;ada@example.com;Engines;38\r\n"
    report = crm.import_text(text, columns={"Full name": "display_name", "Mail": "email:work",
                                            "Company": "organization"})
    assert report.added == 1
    ada = crm.contacts.list()[0]
    assert (ada.display_name, ada.organization, ada.emails[0].kind) == ("Ada Lovelace", "Engines", "work")
    assert [(p.name, p.value) for p in ada.extra if p.name != "UID"] == [("Shoe size", "38")]  # + the store's UID


def test_an_unknown_column_target_is_invalid_input(crm):
    with pytest.raises(netcrm.InvalidInput):
        crm.import_text("a,b\r\n1,2\r\n", columns={"a": "shoe_size"})


def test_an_import_tied_to_an_event_records_who_was_met_there_and_undo_takes_it_back():
    paris = ZoneInfo("Europe/Paris")
    with netcrm.open(":memory:") as crm:
        meetup = crm.events.add("Paris Design Meetup", starts=dt.datetime(2026, 10, 8, 19, 0, tzinfo=paris))
        known = crm.contacts.add(display_name="Ada Lovelace", emails=[("ada@example.com", "work")])
        report = crm.import_text(
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ada Lovelace\r\nEMAIL:ada@example.com\r\nEND:VCARD\r\n"
            "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Kenji Nakamura\r\nEMAIL:kenji@sora.example\r\nEND:VCARD\r\n",
            source="phone.vcf", event=meetup)
        assert (report.added, report.merged) == (1, 1)
        met = {a.contact: a for a in crm.events.attendees(meetup)}
        kenji = next(c for c in crm.contacts if c.display_name == "Kenji Nakamura")
        assert set(met) == {known.id, kenji.id}
        assert met[kenji.id].first_meeting and not met[known.id].first_meeting
        assert kenji.how_met == "Met at Paris Design Meetup"
        assert crm.imports.get(report.batch).event == meetup.id
        crm.imports.undo(report.batch)
        assert crm.events.attendees(meetup) == []
        with pytest.raises(netcrm.NotFound):
            crm.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n", event=meetup.id + 1)
        with pytest.raises(TypeError):
            crm.import_text("BEGIN:VCARD\r\nVERSION:3.0\r\nFN:X\r\nEND:VCARD\r\n", event="Paris")  # type: ignore[arg-type]
