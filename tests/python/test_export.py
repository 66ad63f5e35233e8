"""Exports read by other programs: vCards by vobject (a reader that follows RFC 6350's escaping) and
CSV by LibreOffice Calc, which must show every cell as text and evaluate none."""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import pytest
import vobject  # type: ignore[import]

import netcrm

HOSTILE = ['=1+1', '+SUM(1;2)', '-2+3', '@SUM(A1:A2)', ' =1+1', '\t=1+1', '\r=1+1',
           '=HYPERLINK("http://evil.example";"x")']


def test_vobject_reads_urls_with_commas_whole_and_im_handles_as_impp(tmp_path: Path) -> None:
    urls = ["https://maps.example/?q=48.85,2.35", "https://example.com/a,b,c"]
    with netcrm.open(tmp_path / "crm.db") as crm:
        crm.contacts.add(netcrm.Contact("Ada Lovelace", urls=urls, ims=[("ada.l", "skype"),
                                                                         ("ada@jabber.example", "jabber")]))
        for fmt in ("vcard", "vcard3"):
            card = vobject.readOne(crm.export(format=fmt) or "")
            assert [u.value for u in card.contents["url"]] == urls, fmt
            assert [i.value for i in card.contents["impp"]] == ["skype:ada.l", "xmpp:ada@jabber.example"], fmt
            assert card.contents["uid"][0].value.startswith("urn:uuid:"), fmt


def test_a_vcard_export_reimports_with_the_same_values(tmp_path: Path) -> None:
    with netcrm.open(tmp_path / "a.db") as a:
        a.default_region = "FR"
        ada = a.contacts.add(netcrm.Contact("Ada Lovelace", urls=["https://maps.example/?q=48.85,2.35"],
                                            phones=["06 12 34 56 78"], ims=[("ada.l", "skype"), ("42", "icq")]))
        text = a.export(format="vcard") or ""
    with netcrm.open(tmp_path / "b.db") as b:
        b.default_region = "FR"
        assert b.import_text(text, source="a.vcf").added == 1
        back = b.contacts.list()[0]
        assert back.urls == ada.urls and back.ims == ada.ims and back.phones == ada.phones
        assert back.phones[0].e164 == "+33612345678"
        assert [p for p in back.extra if p.name == "UID"] == [p for p in ada.extra if p.name == "UID"]


def test_the_json_backup_carries_ims_and_e164_and_an_old_backup_restores(tmp_path: Path) -> None:
    import json

    with netcrm.open(tmp_path / "a.db") as a:
        a.contacts.add(netcrm.Contact("Ada", phones=["+33 6 12 34 56 78"], ims=[("ada.l", "skype")]))
        text = a.export(format="json") or ""
    doc = json.loads(text)
    person = doc["contacts"][0]
    assert person["ims"] == [{"value": "ada.l", "kind": "skype"}]
    assert person["phones"] == [{"value": "+33 6 12 34 56 78", "kind": "", "e164": "+33612345678"}]
    with netcrm.open(tmp_path / "b.db") as b:
        b.restore(text, text=True)
        assert b.contacts.list()[0].ims == [netcrm.LabeledValue("ada.l", "skype")]
    # A backup of schema 6: no ims, no e164, no UID.
    doc["schema_version"] = 6
    for c in doc["contacts"]:
        del c["ims"]
        c["extra"] = []
        for p in c["phones"]:
            del p["e164"]
    with netcrm.open(tmp_path / "c.db") as c:
        c.restore(json.dumps(doc), text=True)
        old = c.contacts.list()[0]
        assert old.ims == [] and old.phones[0].e164 == "+33612345678"
        assert [p.name for p in old.extra] == ["UID"]


def test_netcrm_reads_its_own_csv_export_back_unchanged(tmp_path: Path) -> None:
    texts = HOSTILE + ["'=x", "'plain", "+33 6 12 34 56 78", "'+33 6 12 34 56 78", "\tindented"]
    with netcrm.open(tmp_path / "a.db") as a:
        stored = [a.contacts.add(netcrm.Contact(f"Person {i}", title=t, phones=[f"+33 6 12 34 56 {10 + i}"],
                                                birthday=netcrm.PartialDate(4, 15))).title
                  for i, t in enumerate(texts)]
        text = a.export(format="csv") or ""
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline="")))
    assert {r["Phone 1 - Value"] for r in rows} == {f"+33 6 12 34 56 {10 + i}" for i in range(len(texts))}
    assert {r["Birthday"] for r in rows} == {"'--04-15"}
    with netcrm.open(tmp_path / "b.db") as b:
        b.import_text(text, source="a.csv")
        got = {c.display_name: c for c in b.contacts}
        for i, t in enumerate(stored):
            c = got[f"Person {i}"]
            assert c.title == t.replace("\r", "\n"), repr(t)  # CSV readers take a CR in a cell for LF
            assert c.birthday == netcrm.PartialDate(4, 15)
            assert c.phones[0].value == f"+33 6 12 34 56 {10 + i}"


def _ods_cells(path: Path) -> list[list[tuple[str, str | None, str]]]:
    """Rows of (value type, formula, text) for each cell of the first sheet of an .ods file."""
    ns = {"table": "urn:oasis:names:tc:opendocument:xmlns:table:1.0",
          "office": "urn:oasis:names:tc:opendocument:xmlns:office:1.0",
          "text": "urn:oasis:names:tc:opendocument:xmlns:text:1.0"}
    with zipfile.ZipFile(path) as z:
        root = ElementTree.fromstring(z.read("content.xml"))
    rows = []
    for row in root.iter(f"{{{ns['table']}}}table-row"):
        cells = []
        for cell in row.findall("table:table-cell", ns):
            repeat = int(cell.get(f"{{{ns['table']}}}number-columns-repeated", "1"))
            text = "\n".join("".join(p.itertext()) for p in cell.findall("text:p", ns))
            item = (cell.get(f"{{{ns['office']}}}value-type", ""), cell.get(f"{{{ns['table']}}}formula"), text)
            cells.extend([item] * min(repeat, 100))
        rows.append(cells)
    return rows


def test_libreoffice_calc_evaluates_no_cell_of_the_csv_export_and_shows_phones_as_written(tmp_path: Path) -> None:
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Calc is needed: scripts/deps installs libreoffice-calc-nogui"
    with netcrm.open(tmp_path / "crm.db") as crm:
        for i, t in enumerate(HOSTILE):
            crm.contacts.add(netcrm.Contact(f"Person {i}", title=t, organization=t, notes=[t],
                                            phones=["+33 6 12 34 56 78", "+1 (555) 010-0000"],
                                            birthday=netcrm.PartialDate(4, 15)))
        crm.export(tmp_path / "contacts.csv")
    # Calc's defaults for a .csv (comma-separated, UTF-8 from the BOM) evaluate "=1+1" as a formula:
    # this conversion is what a user opening the file gets.
    env = dict(os.environ, HOME=str(tmp_path))  # a fresh LibreOffice profile, not the user's
    subprocess.run([soffice, "--headless", "--norestore", "--convert-to", "ods", "--outdir", str(tmp_path / "out"),
                    str(tmp_path / "contacts.csv")], check=True, env=env, timeout=180, capture_output=True)
    rows = _ods_cells(tmp_path / "out" / "contacts.ods")
    header = [text for _, _, text in rows[0]]
    body = [r for r in rows[1:] if any(text for _, _, text in r)]
    assert len(body) == len(HOSTILE)
    for r in body:
        assert [f for _, f, _ in r if f] == []  # no formula in any cell
        cells = {header[i]: r[i] for i in range(min(len(header), len(r)))}
        assert cells["Phone 1 - Value"][::2] == ("string", "+33 6 12 34 56 78")
        assert cells["Phone 2 - Value"][::2] == ("string", "+1 (555) 010-0000")
        assert cells["Birthday"][::2] == ("string", "'--04-15")
        assert cells["Organization Title"][0] == "string"
        assert cells["Organization Title"][2].startswith("'")
