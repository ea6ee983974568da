"""The SIASN export as a BKPSDM officer often keeps it: an AutoFilter on the OPD column shows
one OPD, the others' rows are hidden. Imported through the wizard in a real browser from an
empty install, every row is read (the hidden ones are in the file), and the preview says which
rows were hidden, in a note and row by row, before anything is stored."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter
from playwright.sync_api import Page, expect

from kompeten.core.models import Instansi
from kompeten.people.models import Employee
from tests.e2e.setup_page import (
    preview_counts,
    preview_employees_from_an_empty_install,
)
from tests.samples import SIASN

PASSWORD = "Sawahlunto-Saring-Opd-2025"
HEADER_ROW = 4  # SIASN writes three title rows above its headers


def _filtered(path: Path) -> tuple[Path, str, list[int]]:
    """The sample with an AutoFilter on UNOR INDUK NAMA showing its most common OPD; returns
    the file, that OPD and the sheet rows hidden."""
    book = openpyxl.load_workbook(SIASN)
    sheet = book.active
    headers = [cell.value for cell in sheet[HEADER_ROW]]
    column = headers.index("UNOR INDUK NAMA") + 1
    values = {r: sheet.cell(r, column).value for r in range(HEADER_ROW + 1, sheet.max_row + 1)}
    shown = Counter(values.values()).most_common(1)[0][0]
    sheet.auto_filter.ref = f"A{HEADER_ROW}:{get_column_letter(len(headers))}{sheet.max_row}"
    sheet.auto_filter.add_filter_column(column - 1, [shown])
    hidden = [r for r, value in values.items() if value != shown]
    for r in hidden:
        sheet.row_dimensions[r].hidden = True
    book.save(path)
    return path, str(shown), hidden


@pytest.mark.django_db(transaction=True)
def test_a_siasn_list_filtered_to_one_opd_is_read_whole_and_says_so(
    live_server, page: Page, settings, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.VAR_DIR = tmp_path
    assert not Instansi.objects.exists()
    export, shown, hidden = _filtered(tmp_path / SIASN.name)
    assert 0 < len(hidden) < 300
    preview_employees_from_an_empty_install(page, live_server.url, capsys, PASSWORD, str(export))
    assert preview_counts(page)["rows"] == 300  # the hidden rows are read
    first_ten = ", ".join(str(r) for r in hidden[:10])
    expect(page.get_by_test_id("import-note").filter(has_text="tersembunyi")).to_have_text(
        f"{len(hidden)} baris data tersembunyi di lembar kerja (disembunyikan atau tersaring "
        f"filter) ikut dibaca: baris {first_ten} dan {len(hidden) - 10} lainnya. Bila baris itu "
        "tidak untuk diimpor, hapus dari berkas lalu unggah lagi."
    )
    warnings = (
        page.get_by_test_id("import-warnings")
        .locator("tbody tr")
        .filter(has_text="Baris ini tersembunyi di lembar kerja")
    )
    # the warning table groups a warning's rows, naming twenty (the rows set aside as pending
    # are listed with their reason instead)
    expect(warnings.locator("td").first).to_have_text(
        re.compile(rf"^{', '.join(str(r) for r in hidden[:20])} dan \d+ baris lain$")
    )

    page.get_by_test_id("import-partial").click()  # the sample's 12 rows wait, as unfiltered
    expect(page.get_by_role("heading", level=1)).to_contain_text("selesai")
    assert Employee.objects.count() == 288  # as the unfiltered sample (expected.md)
    assert Employee.objects.exclude(unit__parent__name=shown).exclude(unit__name=shown).exists()
