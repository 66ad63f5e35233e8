"""The examples cannot rot: every script in examples/ runs here as a user runs it (a child process,
a temporary database, realistic arguments, the failure paths too), the morning digest is mailed to
an SMTP server started by the test, examples/tour.ipynb is executed cell by cell by a Jupyter
kernel on this interpreter, and mypy --strict checks the scripts.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import json
import re
import shutil
import socket
import socketserver
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

import netcrm
from helpers import child_env

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
CARDS = EXAMPLES / "data" / "cards"
PARIS = ZoneInfo("Europe/Paris")


@pytest.fixture
def db(tmp_path: Path) -> Path:
    return tmp_path / "netcrm.db"


@pytest.fixture
def default_db(tmp_path: Path) -> Path:
    """Where a script would write if it ignored --db: it must not."""
    return tmp_path / "default" / "netcrm.db"


def run(script: str, *args: str, default_db: Path, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run([sys.executable, str(EXAMPLES / script), *args], capture_output=True, text=True,
                            timeout=60, cwd=cwd, env=child_env(NETCRM_DB=str(default_db)))
    assert "Traceback" not in result.stderr, result.stderr
    assert not default_db.exists(), f"{script} wrote to the default database despite --db"
    return result


# -- import_cards.py ----------------------------------------------------------------------------------


@pytest.fixture
def cards(tmp_path: Path) -> Path:
    """A copy of examples/data/cards, with a note lying next to the cards (not a card file)."""
    folder = tmp_path / "cards"
    shutil.copytree(CARDS, folder)
    (folder / "README.md").write_text("Cards from Paris Web, 19 Nov 2026\n", encoding="utf-8")
    return folder


def test_import_cards_imports_each_card_file_of_a_folder_and_prints_a_total(
        cards: Path, db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("import_cards.py", str(cards), "--tag", "paris-web", "--db", str(db), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stderr == ""
    assert "airdrop.vcf (vcard): 2 read, 2 added, 0 merged, 0 skipped, 0 rejected" in r.stdout
    assert "google-contacts.csv (csv): 2 read, 2 added, 0 merged, 0 skipped, 0 rejected" in r.stdout
    assert "qr-scans.txt (mecard): 2 read, 2 added, 0 merged, 0 skipped, 0 rejected" in r.stdout
    assert "README.md" not in r.stdout
    assert f"Total: 3 of 3 files imported from {cards}: 6 added, 0 merged, 0 records rejected" in r.stdout
    with netcrm.open(db) as crm:
        assert len(crm.imports) == 3  # one batch per file, each can be undone on its own
        assert crm.contacts.count(tag="paris-web") == 6
        assert sorted(c.display_name for c in crm.contacts.list(tag="potential-client")) == [
            "Camille Rousseau", "Thomas Petit"]  # from the vCard's CATEGORIES and the CSV's Labels
        yasmine, = crm.contacts.search("Yasmine")
        assert yasmine.organization == "Studio Nord"
        assert yasmine.notes[0].text == "Design studio; needs a developer for a museum app"  # \; unescaped

    again = run("import_cards.py", str(cards), "--db", str(db), default_db=default_db, cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert "Total: 3 of 3 files imported" in again.stdout and "0 added, 6 merged" in again.stdout


def test_a_bad_card_file_is_reported_the_others_imported_and_the_exit_status_is_1(
        cards: Path, db: Path, default_db: Path, tmp_path: Path) -> None:
    (cards / "badge-photo-ocr.txt").write_text("Paris Web 2026 / Visitor / Hall B\n", encoding="utf-8")
    r = run("import_cards.py", str(cards), "--db", str(db), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 1
    assert "Not imported: badge-photo-ocr.txt: not a format netcrm reads" in r.stderr
    assert "1 not imported: badge-photo-ocr.txt" in r.stderr
    # Sorted by name, the bad file comes first: the ones after it went in all the same.
    assert "qr-scans.txt (mecard): 2 read, 2 added" in r.stdout
    assert "Total: 3 of 4 files imported" in r.stdout
    with netcrm.open(db) as crm:
        assert len(crm.contacts) == 6


def test_import_cards_refuses_an_unknown_event_before_importing_anything(
        cards: Path, db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("import_cards.py", str(cards), "--event", "42", "--db", str(db), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 2
    assert f"there is no event #42 in {db}" in r.stderr
    with netcrm.open(db) as crm:
        assert len(crm.contacts) == 0 and len(crm.imports) == 0


def test_import_cards_refuses_a_folder_that_does_not_exist(db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("import_cards.py", str(tmp_path / "nowhere"), "--db", str(db), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 2
    assert "nowhere is not a folder" in r.stderr
    assert not db.exists()


# -- event_goals.py ----------------------------------------------------------------------------------


def test_prepare_an_event_import_its_cards_and_review_its_goals(
        cards: Path, db: Path, default_db: Path, tmp_path: Path) -> None:
    with netcrm.open(db) as crm:  # the user's settings, and a rule that writes after each event
        crm.time_zone = "Europe/Paris"
        crm.default_region = "FR"
        crm.follow_ups.add_rule("after_event", every="2 business days", reason="Write after Paris Web")

    r = run("event_goals.py", "--db", str(db), "prepare", "Paris Web 2026", "--starts", "2026-11-19T18:30",
            "--ends", "2026-11-19T23:00", "--zone", "Europe/Paris", "--kind", "conference",
            "--location", "Cité des sciences", "--ticket", "45", "--budget", "120",
            default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "2026-11-19 18:30–23:00 Europe/Paris" in r.stdout
    assert "Paris Web 2026 (2026-11-19): 1 of 4 goals met" in r.stdout  # only the budget, before going
    event_id = int(re.search(r"event_goals\.py review (\d+)", r.stdout)[1])  # type: ignore[index]

    r = run("import_cards.py", str(cards), "--event", str(event_id), "--db", str(db), default_db=default_db,
            cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Cards from Paris Web 2026 (2026-11-19):" in r.stdout
    with netcrm.open(db) as crm:  # what happened there: two conversations with web people
        julien, = crm.contacts.search("Julien Moreau")
        ines, = crm.contacts.search("Inès Fabre")
        crm.interactions.log("conversation", [julien, ines], event=event_id,
                             at=dt.datetime(2026, 11, 19, 20, 10, tzinfo=PARIS), notes="Sharing overflow clients")
        crm.events.add_expense(event_id, "18.50", "EUR", category="meal", note="drinks after")

    r = run("event_goals.py", "--db", str(db), "review", str(event_id), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "Paris Web 2026 (2026-11-19): 2 of 4 goals met" in r.stdout
    assert "Cards from potential clients: 2 / 5 contacts (40%), not met" in r.stdout
    assert "Conversations in my sector (web): 2 / 3 contacts (67%), not met" in r.stdout
    assert "New people: 6 / 1 contacts (600%), met" in r.stdout
    assert "Budget: 63.50 / <= 120.00 EUR (53%), met" in r.stdout
    assert "spent 63.50 EUR; 6 met, 6 new (2 potential clients), 2 talked with" in r.stdout
    follow_ups = r.stdout[r.stdout.index("Still to follow up:"):].splitlines()[1:]
    assert len(follow_ups) == 6  # everyone met there, by the after-event rule
    assert "  Camille Rousseau: Write after Paris Web (due 2026-11-23 09:00 Europe/Paris)" in follow_ups


def test_prepare_keeps_the_event_on_the_wall_clock_of_its_zone(db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("event_goals.py", "--db", str(db), "prepare", "Bangalore founders dinner", "--starts",
            "2026-12-05T19:30", "--zone", "Asia/Kolkata", "--kind", "dinner", "--budget", "2500",
            "--currency", "INR", default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "2026-12-05 19:30 Asia/Kolkata" in r.stdout
    assert "Budget: 0.00 / <= 2500.00 INR (0%), met" in r.stdout
    with netcrm.open(db) as crm:
        event, = crm.events
        assert event.local_starts.utcoffset() == dt.timedelta(hours=5, minutes=30)
        assert event.starts == dt.datetime(2026, 12, 5, 14, 0, tzinfo=dt.timezone.utc)
        assert event.starts.utcoffset() == dt.timedelta(0)
        assert [g.name for g in crm.goals.list(event=event)] == [
            "Cards from potential clients", "Conversations in my sector (web)", "New people", "Budget"]


def test_review_of_an_unknown_event_exits_2_and_names_the_events_there_are(
        db: Path, default_db: Path, tmp_path: Path) -> None:
    with netcrm.open(db) as crm:
        crm.events.add("Paris.rb", kind="meetup", starts=dt.datetime(2026, 11, 5, 19, 0, tzinfo=PARIS))
    r = run("event_goals.py", "--db", str(db), "review", "99", default_db=default_db, cwd=tmp_path)
    assert r.returncode == 2
    assert r.stdout == ""
    assert f"there is no event #99 in {db} (latest events: #1 Paris.rb)" in r.stderr


@pytest.mark.parametrize(("args", "message"), [
    (["--starts", "2026-11-31T19:00"], "--starts/--ends: day is out of range for month"),
    (["--starts", "2026-11-19T19:00", "--zone", "Paris"], "--zone: 'Paris' is not an IANA time zone"),
    (["--starts", "2026-11-19T19:00", "--budget", "eighty"], "argument --budget: 'eighty' is not an amount such as 80 or 12.50"),
    (["--starts", "2026-11-19T19:00", "--ends", "2026-11-19T18:00"], "event_goals: ends_at: the event ends"),
    (["--starts", "2026-11-19T19:00", "--ticket", "15", "--currency", "EURO"],
     "event_goals: expense: currency 'EURO' is not an ISO 4217 currency code"),
    (["--starts", "2026-11-19T19:00", "--currency", "EURO"], "event_goals: currency 'EURO' is not an ISO 4217"),
], ids=["no-such-day", "not-a-zone", "budget-not-a-number", "ends-before-it-starts", "ticket-in-no-currency",
        "budget-in-no-currency"])
def test_prepare_refuses_a_bad_time_zone_amount_or_currency_with_exit_2_and_writes_nothing(
        db: Path, default_db: Path, tmp_path: Path, args: list[str], message: str) -> None:
    r = run("event_goals.py", "--db", str(db), "prepare", "Paris.rb", *args, default_db=default_db, cwd=tmp_path)
    assert r.returncode == 2
    assert message in r.stderr
    if db.exists():
        with netcrm.open(db) as crm:
            assert len(crm.events) == 0 and len(crm.goals) == 0  # not half an event


# -- morning_follow_ups.py ------------------------------------------------------------------------------


@dataclass
class Received:
    sender: str
    recipients: list[str]
    data: bytes


@dataclass
class Inbox:
    port: int
    messages: list[Received] = field(default_factory=list)


class _SMTPHandler(socketserver.StreamRequestHandler):
    """Just enough of RFC 5321 for smtplib: greeting, EHLO, MAIL, RCPT, DATA (with dot
    unstuffing), RSET, NOOP, QUIT."""

    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")

    def handle(self) -> None:
        inbox: Inbox = self.server.inbox  # type: ignore[attr-defined]
        sender, recipients = "", []
        self.reply("220 localhost test SMTP")
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-localhost" if verb == "EHLO" else "250 localhost")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                sender = command.partition(":")[2].strip().strip("<>")
                self.reply("250 OK")
            elif verb == "RCPT":
                recipients.append(command.partition(":")[2].strip().strip("<>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 End data with <CR><LF>.<CR><LF>")
                lines = []
                while (data_line := self.rfile.readline()) not in (b".\r\n", b""):
                    lines.append(data_line[1:] if data_line.startswith(b".") else data_line)
                inbox.messages.append(Received(sender, recipients, b"".join(lines)))
                sender, recipients = "", []
                self.reply("250 OK queued")
            elif verb in ("RSET", "NOOP"):
                self.reply("250 OK")
            elif verb == "QUIT":
                self.reply("221 Bye")
                return
            else:
                self.reply("502 Command not implemented")


@pytest.fixture
def smtp_server() -> Iterator[Inbox]:
    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), _SMTPHandler)
    server.daemon_threads = True
    inbox = Inbox(server.server_address[1])
    server.inbox = inbox  # type: ignore[attr-defined]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield inbox
    finally:
        server.shutdown()
        server.server_close()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def busy_db(db: Path) -> Path:
    """A morning with something to do: one follow-up two days late, one coming up in three days."""
    with netcrm.open(db) as crm:
        crm.time_zone = "Europe/Paris"
        now = crm.now()  # the real clock, as cron runs it: the due times are set around it
        camille = crm.contacts.add(display_name="Camille Rousseau", organization="Boulangerie Rousseau")
        thomas = crm.contacts.add(display_name="Thomas Petit", organization="Petit Vins")
        crm.follow_ups.schedule(camille, "Send the quote for online pre-orders",
                                due=now - dt.timedelta(days=2, hours=1))
        crm.follow_ups.schedule(thomas, "Coffee about the web shop", due=now + dt.timedelta(days=3))
    return db


def paris_today() -> str:
    return dt.datetime.now(PARIS).date().isoformat()


def test_the_morning_digest_is_printed_without_mail_options(
        busy_db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("morning_follow_ups.py", "--db", str(busy_db), default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert f"netcrm digest for {paris_today()} (Europe/Paris)" in r.stdout
    assert "Due (1):\n  - Camille Rousseau: Send the quote for online pre-orders (2 days late)" in r.stdout
    assert "Coming up (1):" in r.stdout and "Thomas Petit: Coffee about the web shop" in r.stdout


def test_the_morning_digest_is_mailed_as_text_with_an_html_alternative(
        busy_db: Path, default_db: Path, tmp_path: Path, smtp_server: Inbox) -> None:
    r = run("morning_follow_ups.py", "--db", str(busy_db), "--mail-to", "me@example.com",
            "--smtp", f"127.0.0.1:{smtp_server.port}", "--from", "netcrm@example.com",
            default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    subject = f"netcrm {paris_today()}: 1 follow-up due (1 overdue), 1 coming up"
    assert r.stdout == f"Mailed to me@example.com: {subject}\n"
    received, = smtp_server.messages
    assert received.sender == "netcrm@example.com"
    assert received.recipients == ["me@example.com"]
    msg = email.message_from_bytes(received.data, policy=email.policy.default)
    assert isinstance(msg, EmailMessage)
    assert msg["Subject"] == subject
    assert msg["To"] == "me@example.com" and msg["From"] == "netcrm@example.com"
    assert msg["Date"].endswith("+0000")  # the digest's instant in UTC, not the server's clock zone
    assert msg.get_content_type() == "multipart/alternative"
    text, html = msg.get_body(("plain",)), msg.get_body(("html",))
    assert text is not None and html is not None
    plain = text.get_content()
    assert plain.startswith(f"netcrm digest for {paris_today()} (Europe/Paris)")
    assert "Camille Rousseau: Send the quote for online pre-orders (2 days late)" in plain
    page = html.get_content()
    assert "Camille Rousseau" in page and "Thomas Petit" in page and "<" in page


def test_an_smtp_server_that_cannot_be_reached_is_one_line_and_exit_1(
        busy_db: Path, default_db: Path, tmp_path: Path) -> None:
    port = closed_port()
    r = run("morning_follow_ups.py", "--db", str(busy_db), "--mail-to", "me@example.com",
            "--smtp", f"127.0.0.1:{port}", default_db=default_db, cwd=tmp_path)
    assert r.returncode == 1
    assert r.stderr.startswith(f"morning_follow_ups: could not mail the digest to me@example.com through "
                               f"127.0.0.1:{port}: ")
    assert len(r.stderr.splitlines()) == 1


def test_a_morning_with_nothing_to_do_sends_no_mail_unless_always(
        db: Path, default_db: Path, tmp_path: Path, smtp_server: Inbox) -> None:
    with netcrm.open(db) as crm:
        crm.time_zone = "Europe/Paris"
    args = ["--db", str(db), "--mail-to", "me@example.com", "--smtp", f"127.0.0.1:{smtp_server.port}"]
    r = run("morning_follow_ups.py", *args, default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"netcrm {paris_today()}: nothing to follow up today; no mail sent\n"
    assert smtp_server.messages == []
    r = run("morning_follow_ups.py", *args, "--always", default_db=default_db, cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    received, = smtp_server.messages
    assert received.sender == "me@example.com"  # --from defaults to the recipient


def test_a_bad_smtp_address_is_a_usage_error(db: Path, default_db: Path, tmp_path: Path) -> None:
    r = run("morning_follow_ups.py", "--db", str(db), "--mail-to", "me@example.com", "--smtp", "mail.example.com:",
            default_db=default_db, cwd=tmp_path)
    assert r.returncode == 2
    assert "expected HOST or HOST:PORT" in r.stderr


# -- the notebook -------------------------------------------------------------------------------------

NOTEBOOK = EXAMPLES / "tour.ipynb"


def test_the_notebook_is_stored_without_outputs_for_the_python3_kernel() -> None:
    nb = json.loads(NOTEBOOK.read_text(encoding="utf-8"))
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    code = [c for c in nb["cells"] if c["cell_type"] == "code"]
    assert code, "the tour has no code"
    for cell in code:
        assert cell["outputs"] == [] and cell["execution_count"] is None, "".join(cell["source"])[:200]


def test_the_notebook_runs_top_to_bottom_on_this_interpreter(tmp_path: Path) -> None:
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient

    # The notebook asks for the kernel "python3". Left to itself, Jupyter finds a system-wide
    # kernelspec (Debian's names /usr/bin/python3), not necessarily this interpreter (a venv's), so
    # the test gives it one of its own: python3 = sys.executable, with our PYTHONPATH (child_env).
    kernels = tmp_path / "kernels"
    (kernels / "python3").mkdir(parents=True)
    (kernels / "python3" / "kernel.json").write_text(json.dumps({
        "argv": [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
        "display_name": "Python 3 (netcrm tests)", "language": "python"}), encoding="utf-8")
    specs = KernelSpecManager(kernel_dirs=[str(kernels)])
    km = KernelManager(kernel_name="python3", kernel_spec_manager=specs)

    nb = nbformat.read(str(NOTEBOOK), as_version=4)
    probe = nbformat.v4.new_code_cell("import sys, netcrm\nprint(sys.executable)\nprint(netcrm.__file__)")
    nb.cells.append(probe)  # in memory only: which interpreter and which netcrm ran the tour
    client = NotebookClient(nb, km=km, timeout=120, allow_errors=False,
                            resources={"metadata": {"path": str(EXAMPLES)}})  # the kernel's cwd
    # Any cell raising fails here (nbclient's CellExecutionError shows the cell and the traceback).
    client.execute(env=child_env(MPLBACKEND="module://matplotlib_inline.backend_inline",
                                 IPYTHONDIR=str(tmp_path / "ipython"), MPLCONFIGDIR=str(tmp_path / "mpl"),
                                 NETCRM_DB=str(tmp_path / "default" / "netcrm.db")))

    printed = "".join(o.get("text", "") for o in probe.outputs if o.get("output_type") == "stream").split()
    assert printed == [sys.executable, netcrm.__file__]
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert any("image/png" in o.get("data", {}) for o in outputs), "the tour's plot drew nothing"
    assert not any(o.get("name") == "stderr" for o in outputs), [o["text"] for o in outputs if o.get("name") == "stderr"]
    assert not (tmp_path / "default").exists()

# -- mypy --strict on the scripts ---------------------------------------------------------------------

# Every script, demo.py included, as a user's type checker sees it.
SCRIPTS = [p.name for p in sorted(EXAMPLES.glob("*.py"))]
MYPY_ERROR = re.compile(r"^(?P<file>[^:\s]+\.py):(?P<line>\d+): error: ", re.M)


@pytest.fixture(scope="module")
def mypy_errors(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """mypy --strict over every script at once, from outside the tree (as in test_stubs.py: netcrm is
    found through PYTHONPATH as an installed, typed package); its error lines by file name."""
    cwd = tmp_path_factory.mktemp("mypy-examples")
    scripts = sorted(EXAMPLES.glob("*.py"))
    result = subprocess.run([sys.executable, "-m", "mypy", "--strict", "--show-error-codes", "--no-color-output",
                             "--cache-dir", str(cwd / "cache"), *map(str, scripts)],
                            cwd=cwd, env=child_env(), capture_output=True, text=True, timeout=180)
    assert result.returncode in (0, 1), result.stdout + result.stderr  # 2: mypy itself failed
    by_file: dict[str, list[str]] = {p.name: [] for p in scripts}
    for line in result.stdout.splitlines():
        m = MYPY_ERROR.match(line)
        if m:
            by_file.setdefault(Path(m["file"]).name, []).append(line)
    assert result.returncode == 0 or any(by_file.values()), result.stdout + result.stderr
    return by_file


@pytest.mark.parametrize("script", SCRIPTS)
def test_the_example_script_passes_mypy_strict(mypy_errors: dict[str, list[str]], script: str) -> None:
    assert mypy_errors[script] == [], "\n".join(mypy_errors[script])
