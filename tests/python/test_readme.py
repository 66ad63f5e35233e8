"""The README's Python example runs verbatim (the C++ one is built by tests/consumer)."""

import re
import subprocess
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def code_block(heading: str, language: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"^#+ [^\n]*{re.escape(heading)}[^\n]*\n.*?```{language}\n(.*?)```", text, re.S | re.M)
    assert match, f"README.md has no ```{language} block under a heading containing {heading!r}"
    return match.group(1)


def test_the_readme_python_example_runs_as_written(tmp_path):
    code = code_block("Python example", "python")
    assert len(code.strip().splitlines()) <= 12, "the README promises a short example"
    script = tmp_path / "readme_example.py"
    script.write_text(code, encoding="utf-8")
    result = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Hélène Lefèvre" in result.stdout
    assert "booking site" in result.stdout


def test_the_demo_runs_twice_on_one_database_without_duplicating_people(tmp_path):
    demo = Path(__file__).resolve().parents[2] / "examples" / "demo.py"
    db = tmp_path / "demo.db"
    first = subprocess.run([sys.executable, str(demo), "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert first.returncode == 0, first.stderr
    assert "added 7 sample people" in first.stdout
    assert "merged into" in first.stdout
    assert "cards.vcf (vcard): 4 read, 3 added, 1 merged, 0 skipped, 0 rejected" in first.stdout
    assert "may be contact" in first.stdout  # Grace from LinkedIn, without email: only suggested
    # The event with its goals, measured from the import tied to it and the conversations logged there.
    assert "Paris Design Meetup (2026-10-08): 3 of 4 goals met" in first.stdout
    assert "Cards from potential clients: 2 / 5 contacts (40%), not met" in first.stdout
    assert "spent 37.50 EUR; 4 met, 3 new" in first.stdout
    assert "Grace Okafor helped you and you have not helped back yet" in first.stdout
    # It ends with today's digest: the after-event follow-ups not done yet (Hélène's was done).
    digest = first.stdout[first.stdout.index("Today's digest:"):]
    assert "(Europe/Paris)" in digest
    assert "Kenji Nakamura: Write after the Paris Design Meetup" in digest
    assert "Hélène Lefèvre: Write after" not in digest
    second = subprocess.run([sys.executable, str(demo), "--db", str(db)], capture_output=True, text=True, timeout=60)
    assert second.returncode == 0, second.stderr
    assert "sample people already there" in second.stdout
    assert "Paris Design Meetup (2026-10-08): 3 of 4 goals met" in second.stdout  # nothing logged twice
    assert "cards.vcf (vcard): 4 read, 0 added, 4 merged" in second.stdout
    assert "linkedin-Connections.csv (csv): 4 read, 0 added, 4 merged" in second.stdout
    network = [line for line in first.stdout.splitlines() if line.startswith("Your network:")]
    assert network and network == [line for line in second.stdout.splitlines() if line.startswith("Your network:")]
