"""Importing cards from Python: reports, policies, batches, undo, progress, and bad input."""

from __future__ import annotations

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

import pytest

import netcrm
import netcrm.importing
from helpers import FixedClock, child_env


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


# ---- imports that stay bounded and stoppable (issue 11): each case runs in a child Python, so that
# a hang fails on its timeout instead of stopping the suite, and Ctrl-C reaches only the child.

EMPTY_CARD = "BEGIN:VCARD\r\nVERSION:3.0\r\nEND:VCARD\r\n"


def run_child(code: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", code, *args], env=child_env(), capture_output=True, text=True,
                          timeout=timeout)


def big_vcard_file(path: Path, cards: int = 100_000) -> Path:
    """Cards enough that importing them takes seconds, whatever the machine does meanwhile."""
    with path.open("w", encoding="utf-8", newline="") as out:
        for i in range(cards):
            out.write(vcard(f"Person {i}", f"p{i}@example.com", f"TEL:+1 415 555 {i % 10000:04d}\r\n"))
    return path


def test_a_progress_callback_that_uses_the_crm_is_refused_at_once(tmp_path):
    code = """if True:
        import sys, netcrm
        card = "BEGIN:VCARD\\r\\nVERSION:3.0\\r\\nFN:{0}\\r\\nEMAIL:{1}\\r\\nEND:VCARD\\r\\n"
        with netcrm.open(sys.argv[1]) as crm:
            crm.import_text(card.format("Ada Lovelace", "ada@example.com"), source="first")
            many = "".join(card.format(f"Person {i}", f"p{i}@example.com") for i in range(2000))
            try:
                crm.import_text(many, progress=lambda done, total: len(crm.contacts))
            except netcrm.Error as e:
                print("refused:", e)
            print(len(crm.contacts), len(crm.imports))
    """
    r = run_child(code, str(tmp_path / "crm.db"), timeout=60)
    assert r.returncode == 0, r.stderr
    assert "refused: the database cannot be used from a callback" in r.stdout
    assert r.stdout.splitlines()[-1] == "1 1"  # the import was rolled back


IMPORT_UNTIL_CTRL_C = """if True:
    import sys, netcrm
    path, db, mode = sys.argv[1:]
    with netcrm.open(db) as crm:
        progress = (lambda done, total: None) if mode == "progress" else None
        print("importing", flush=True)
        try:
            crm.import_file(path, progress=progress, format="vcard")
        except KeyboardInterrupt:
            print("interrupted", flush=True)
            raise
        print("finished", flush=True)
"""


def interrupt_after(argv: list[str], started: Callable[[subprocess.Popen[str]], None],
                    **popen: Any) -> subprocess.CompletedProcess[str]:
    """Runs argv, waits for `started` to see it import, sends SIGINT and lets it end."""
    child = subprocess.Popen(argv, env=child_env(), text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                             **popen)
    try:
        started(child)
        time.sleep(0.5)  # well inside an import of seconds
        child.send_signal(signal.SIGINT)
        out, err = child.communicate(timeout=60)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    return subprocess.CompletedProcess(argv, child.returncode, out, err)


def assert_only(db: Path, source: str) -> None:
    """The database holds what it held before the interrupted import, nothing of it."""
    with netcrm.open(db) as crm:
        assert [c.display_name for c in crm.contacts] == ["Ada Lovelace"]
        assert [b.source for b in crm.imports] == [source]


@pytest.mark.parametrize("mode", ["progress", "no-progress"])
def test_ctrl_c_stops_an_import_and_rolls_it_back_with_or_without_progress(tmp_path, mode):
    big = big_vcard_file(tmp_path / "big.vcf")
    db = tmp_path / "crm.db"
    with netcrm.open(db) as crm:
        crm.import_text(vcard("Ada Lovelace", "ada@example.com"), source="first")

    def importing(child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        assert child.stdout.readline() == "importing\n"

    r = interrupt_after([sys.executable, "-c", IMPORT_UNTIL_CTRL_C, str(big), str(db), mode], importing)
    assert "interrupted" in r.stdout and "finished" not in r.stdout, (r.stdout, r.stderr)
    assert "KeyboardInterrupt" in r.stderr
    assert_only(db, "first")


def test_ctrl_c_while_a_fifo_waits_for_its_writer_is_keyboard_interrupt(tmp_path):
    fifo = tmp_path / "cards.fifo"
    os.mkfifo(fifo)
    db = tmp_path / "crm.db"
    with netcrm.open(db) as crm:
        crm.import_text(vcard("Ada Lovelace", "ada@example.com"), source="first")

    def importing(child: subprocess.Popen[str]) -> None:
        assert child.stdout is not None
        assert child.stdout.readline() == "importing\n"

    r = interrupt_after([sys.executable, "-c", IMPORT_UNTIL_CTRL_C, str(fifo), str(db), "no-progress"], importing)
    assert "interrupted" in r.stdout, (r.stdout, r.stderr)
    assert "KeyboardInterrupt" in r.stderr and "FileError" not in r.stderr
    assert_only(db, "first")


MEASURE_IMPORT = """if True:
    import resource, sys, netcrm
    path, db, fmt = sys.argv[1:]  # prints peak RSS in MB, read, listed and unlisted rejections
    with netcrm.open(db) as crm:
        report = crm.import_file(path, format=fmt)
        print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024, report.read, len(report.rejected),
              report.more_rejected)
"""


def import_in_child(tmp_path: Path, path: Path, fmt: str, **options: Any) -> tuple[int, int, int, int]:
    """The import's peak memory in MB (above that of a child that only imports netcrm), what it read,
    and its listed and unlisted rejections."""
    r = run_child(MEASURE_IMPORT.replace("format=fmt", f"format=fmt, **{options!r}"), str(path),
                  str(tmp_path / "crm.db"), fmt)
    assert r.returncode == 0, r.stderr
    idle = run_child("import resource, netcrm; print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)")
    peak_mb, read, listed, more = map(int, r.stdout.split())
    return peak_mb - int(idle.stdout), read, listed, more


# Memory limits from measurement: bounded, these imports peak at 4 to 5 MB above a child Python
# that only imports netcrm, whatever their size. Unbounded, the 300,000 broken CSV rows took 62 MB
# more (243 MB for 1,200,000), and 1,000,000 empty cards 618 MB and 137 MB of rows (issue 11).

def test_a_file_of_rejected_cards_costs_no_more_memory_nor_rows_than_a_short_one(tmp_path):
    cards = 300_000  # empty cards: each is rejected ("needs a name")
    path = tmp_path / "empty.vcf"
    path.write_text(EMPTY_CARD * cards, encoding="ascii", newline="")
    peak_mb, read, listed, more = import_in_child(tmp_path, path, "vcard")
    limit = netcrm.importing.MAX_LISTED_REJECTED
    assert (read, listed, more) == (cards, limit, cards - limit)
    assert peak_mb < 25, f"peak RSS {peak_mb} MB above an idle child's"
    assert (tmp_path / "crm.db").stat().st_size < 4 << 20
    with netcrm.open(tmp_path / "crm.db") as crm:
        [batch] = crm.imports
        assert batch.rejected == cards
        again = crm.imports.report(batch)
        assert (len(again.rejected), again.more_rejected) == (listed, more)


def test_a_csv_of_broken_rows_costs_no_more_memory_nor_rows_than_a_short_one(tmp_path):
    rows = 300_000  # each opens a quote that runs into the next row, as junk read as CSV does
    path = tmp_path / "broken.csv"
    path.write_text("Name,Email\r\n" + '"Grace Hopper,grace@example.com\r\n' * rows, encoding="ascii", newline="")
    peak_mb, read, listed, more = import_in_child(tmp_path, path, "csv",
                                                  columns={"Name": "display_name", "Email": "email"})
    assert (listed, listed + more) == (netcrm.importing.MAX_LISTED_REJECTED, rows)
    assert peak_mb < 25, f"peak RSS {peak_mb} MB above an idle child's"
    assert (tmp_path / "crm.db").stat().st_size < 4 << 20


def test_the_report_lists_the_first_rejections_and_counts_the_rest(crm):
    report = crm.import_text(EMPTY_CARD * 1005 + vcard("Ada Lovelace", "ada@example.com"), source="empty.vcf")
    assert (report.read, report.added, len(report.rejected), report.more_rejected) == (1006, 1, 1000, 5)
    assert report.rejected_count == 1005
    text = str(report)
    assert "1006 read, 1 added, 0 merged, 0 skipped, 1005 rejected" in text
    assert text.splitlines()[-1] == "    and 5 more"
    assert report.to_dict()["more_rejected"] == 5
    assert crm.imports.report(report) == report


def test_a_file_name_that_is_not_utf8_imports(crm, tmp_path):
    raw = os.fsencode(tmp_path) + b"/caf\xe9.vcf"
    with open(raw, "wb") as f:
        f.write(THREE.encode())
    report = crm.import_file(os.fsdecode(raw))  # a str with a surrogate escape, as os.listdir gives it
    assert report.added == 3
    assert report.source == os.fsdecode(tmp_path) + "/caf\\xe9.vcf"
    assert crm.import_file(raw).merged == 3  # and as bytes
    assert [b.source for b in crm.imports] == [report.source] * 2


# -- quirks real exporters write (issue 11) -------------------------------------------------------------


def test_a_vcard_with_a_line_before_its_first_card_imports_every_card(crm):
    report = crm.import_text("ENCODING:UTF-8\r\n" + THREE, source="phone.vcf")
    assert (report.format, report.added) == ("vcard", 3)
    [skipped] = report.rejected
    assert (skipped.source, skipped.line) == ("phone.vcf", 1)
    assert "outside BEGIN:VCARD" in skipped.reason


def test_apple_and_gmail_escaped_quotes_read_as_quotes(crm):
    crm.import_text('BEGIN:VCARD\r\nVERSION:3.0\r\nN:Doe \\"Sr\\";Jo;;;\r\nORG:\\"Acme\\"\r\n'
                    'NOTE:said \\"hi\\"\r\nEND:VCARD\r\n')
    [jo] = crm.contacts.list()
    assert (jo.display_name, jo.organization, jo.notes[0].text) == ('Jo Doe "Sr"', '"Acme"', 'said "hi"')
    crm.import_text('MECARD:N:Roe,Max;NOTE:a \\"b\\" \\x;;')
    max_ = crm.contacts.search("Max")[0]
    assert max_.notes[0].text == 'a "b" x'


def test_a_card_with_only_a_url_address_photo_or_handle_is_kept_and_one_with_nothing_rejected(crm):
    report = crm.import_file(DATA / "vcard" / "quirks.vcf")
    assert report.added == 5
    assert sorted(c.display_name for c in crm.contacts) == [
        "24 Rue des Lilas, Lyon", 'Dr. Adaeze "Ngozi" Okafor', "Photo contact",
        "studio-lumen.example/team/mika", "tomas.novak"]
    nothing = report.rejected[-1]
    assert (nothing.source, nothing.line) == (str(DATA / "vcard" / "quirks.vcf"), 34)
    assert "an IM handle, a URL, an address or a photo" in nothing.reason


def test_a_nul_byte_in_a_csv_is_refused_with_its_line_as_in_a_vcard(crm):
    csv = crm.import_text("Name,Email\r\nAda,ada@example.com\r\nGr\x00ace,grace@example.com\r\n", source="n.csv")
    vcf = crm.import_text(vcard("Gr\x00ace", "grace@example.com"), source="n.vcf")
    assert [(r.source, r.line) for r in csv.rejected] == [("n.csv", 3)]
    assert [(r.source, r.line) for r in vcf.rejected] == [("n.vcf", 1)]
    assert csv.rejected[0].reason == vcf.rejected[0].reason
    assert "NUL" in csv.rejected[0].reason
    assert [c.display_name for c in crm.contacts] == ["Ada"]


def test_blanks_at_the_ends_of_text_are_stripped_on_store_and_a_vcard_round_trip_keeps_every_value(tmp_path):
    with netcrm.open(tmp_path / "a.db") as first, netcrm.open(tmp_path / "b.db") as second:
        ada = first.contacts.add(
            display_name="  Ada ", name=netcrm.Name(given=" Ada", family="Lovelace  "),
            organization=" Analytical Engines ", title="Countess\t", emails=[(" ada@example.com ", " work ")],
            addresses=[netcrm.Address(street=" 12 St James's Sq\n  rear door ", locality=" London ")],
            notes=[netcrm.Note("\n  Likes engines.\n    Indented.  ")], how_met=" salon ")
        ada = first.contacts.update(ada, title=" Countess of Lovelace ")
        first.contacts.add_note(ada, "  said hello  ")
        ada = first.contacts.get(ada.id)
        assert (ada.display_name, ada.name.given, ada.name.family) == ("Ada", "Ada", "Lovelace")
        assert (ada.organization, ada.title, ada.how_met) == ("Analytical Engines", "Countess of Lovelace", "salon")
        assert ada.addresses[0].street == "12 St James's Sq\n  rear door"
        assert [n.text for n in ada.notes] == ["Likes engines.\n    Indented.", "said hello"]
        second.import_text(first.export(format="vcard"))
        [back] = second.contacts.list()
        for field in ("display_name", "name", "organization", "title", "emails", "addresses", "notes", "how_met"):
            assert getattr(back, field) == getattr(ada, field), field
