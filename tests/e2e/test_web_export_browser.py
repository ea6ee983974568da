"""A SIMPEG web application's "Export Excel": an HTML page under a .xls name, as PHP writes it
(a title row spanning the table, the NIP as text, Pangkat and Gol/Ruang in two columns). It is
imported through the wizard in a real browser from an empty install; the row whose pangkat says
another golongan is named on the preview, and the golongan written is the one stored.

The rows are the SIASN sample's (tests/fixtures/bkpsdm-2025/), those whose NIP SIASN wrote as
text: a web export never went through Excel, so none of its NIPs is damaged."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from kompeten.core.models import ImportRun, Instansi
from kompeten.people.models import Employee
from kompeten.standards.pangkat import PANGKAT_2002
from tests.e2e.setup_page import (
    preview_counts,
    preview_employees_from_an_empty_install,
)
from tests.samples import nominatif_rows

PASSWORD = "Sawahlunto-Ekspor-Web-2025"
HEADERS = ["No", "NIP", "Nama", "Jabatan", "Pangkat", "Gol/Ruang", "Unit Kerja", "SKPD"]
PANGKAT_OF = {golongan: name for name, golongan in PANGKAT_2002.golongan.items()}


def _export(path: Path) -> tuple[Path, list[list[str]]]:
    """The page a PHP export writes, and its rows: the first row's pangkat is wrong, the
    second's written short."""
    rows = []
    for nip, name, post, golongan, unit, skpd in nominatif_rows():
        if isinstance(nip, str):
            rows.append([nip, str(name), str(post), PANGKAT_OF[str(golongan)], str(golongan)])
            rows[-1] += [str(unit), str(skpd)]
    assert rows[0][4] == rows[1][4] == "IV/b"
    rows[0][3], rows[1][3] = "Penata", "Pembina Tk. I"
    cells = "".join(f"<th>{h}</th>" for h in HEADERS)
    lines = [
        '<html><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>',
        '<body><table border="1">',
        f'<tr><td colspan="{len(HEADERS)}"><b>DAFTAR NOMINATIF PNS<br>'
        "PEMERINTAH KOTA SAWAHLUNTO</b></td></tr>",
        f"<tr>{cells}</tr>",
    ]
    for n, (nip, *rest) in enumerate(rows, start=1):
        text = "".join(f"<td>{html.escape(value)}</td>" for value in rest)
        lines.append(f"<tr><td>{n}</td><td style=\"mso-number-format:'\\@'\">{nip}</td>{text}</tr>")
    lines.append("</table></body></html>")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path, rows


@pytest.mark.django_db(transaction=True)
def test_a_simpeg_html_export_named_xls_is_imported_and_its_pangkat_checked(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists()
    export, rows = _export(tmp_path / "Export_Pegawai.xls")
    preview_employees_from_an_empty_install(page, live_server.url, capsys, PASSWORD, str(export))
    assert preview_counts(page) == {"rows": 288, "clean": 288, "problems": 0, "pending": 0}
    warnings = page.get_by_test_id("import-warnings")
    expect(warnings).to_contain_text(
        "Pangkat 'Penata' adalah golongan III/c, tidak sesuai dengan golongan IV/b di barisnya; "
        "yang disimpan golongan IV/b."
    )
    expect(warnings.locator("tbody tr")).to_have_count(1)  # "Pembina Tk. I" is IV/b
    expect(warnings.locator("tbody tr td").first).to_have_text("3")  # the row under its headers

    page.get_by_test_id("import-all").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("selesai")
    expect(page.get_by_test_id("result-imported")).to_have_text("288")
    stored = dict(Employee.objects.values_list("nip", "golongan"))
    assert stored == {row[0].strip(): row[4] for row in rows}  # SIASN pads eight NIPs
    assert all(len(nip) == 18 for nip in stored)
    (run,) = ImportRun.objects.all()
    assert run.counts["rows"] == 288
