"""An "Excel" export from a web application: an HTML table or an XML Spreadsheet 2003 named
.xls, as SIMPEG, e-SKM and many PHP applications write it (Excel opens both). The reader takes
them as Excel shows them: merged (spanned) cells leave their other places empty, each HTML table
or XML worksheet is a sheet, and a NIP written as text keeps its 18 digits."""

from __future__ import annotations

import datetime as dt

import pytest

from kompeten.core.importing.reader import Limits, ReadError, parse, read_file, web_format

# As a PHP export writes it: header("Content-Type: application/vnd.ms-excel") then a page
SIMPEG_HTML = """<html xmlns:o="urn:schemas-microsoft-com:office:office"
 xmlns:x="urn:schemas-microsoft-com:office:excel">
<head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8"></head>
<body>
<table border="1">
<tr><td colspan="6"><b>DAFTAR NOMINATIF PNS<br>KOTA UJI</b></td></tr>
<tr><th>NIP</th><th>Nama</th><th>Jabatan</th><th>Pangkat/Gol</th><th>Unit Kerja</th>
<th>SKPD</th></tr>
<tr><td style="mso-number-format:'\\@'">197503122000032004</td><td>Sari Minimal, S.E.</td>
<td>Pengadministrasi Umum</td><td>Penata Muda (III/a)</td><td>Bidang Layanan</td>
<td>Dinas Alfa</td></tr>
<tr><td style="mso-number-format:'\\@'">197811302002121001</td><td>Budi &amp; Saudara</td>
<td>Kepala Seksi Pelayanan</td><td>Penata Tk. I</td><td>Bidang&nbsp;Layanan</td>
<td>Dinas Alfa</td></tr>
</table>
</body></html>
"""


def test_an_html_table_named_xls_is_read_as_excel_shows_it() -> None:
    data = SIMPEG_HTML.encode("utf-8")
    assert web_format(data) == "html"
    table = parse(data, "nominatif.xls")
    assert (table.sheet, table.sheet_names) == ("", [])  # one table: no sheets to speak of
    assert table.rows[0] == ["DAFTAR NOMINATIF PNS KOTA UJI", None, None, None, None, None]
    assert table.rows[1] == ["NIP", "Nama", "Jabatan", "Pangkat/Gol", "Unit Kerja", "SKPD"]
    assert table.rows[2][:2] == ["197503122000032004", "Sari Minimal, S.E."]
    assert table.rows[3][1] == "Budi & Saudara" and table.rows[3][4] == "Bidang Layanan"


def test_spanned_header_cells_leave_their_other_places_empty_like_merged_cells() -> None:
    html = """<table>
    <tr><th rowspan="2">No</th><th rowspan="2">Nama</th><th colspan="3">Tanda Tangan</th>
        <th rowspan="2">Ket</th></tr>
    <tr><th>Hari I</th><th>Hari II</th><th>Hari III</th></tr>
    <tr><td>1</td><td>Ani</td><td>&radic;</td><td></td><td>H</td><td>sakit</td></tr>
    </table>"""
    table = parse(html.encode(), "hadir.xls")
    assert table.rows == [
        ["No", "Nama", "Tanda Tangan", None, None, "Ket"],
        [None, None, "Hari I", "Hari II", "Hari III", None],
        ["1", "Ani", "√", None, "H", "sakit"],
    ]
    # the cells spanning rows are named, for the engine to fill below the header only
    assert table.merged_down == [(0, 0, 1), (0, 1, 1), (0, 5, 1)]


def test_cells_spanning_rows_in_an_html_export_and_an_xml_spreadsheet_are_named() -> None:
    html = """<table><tr><th>SKPD</th><th>Nama</th></tr>
    <tr><td rowspan="3">Dinas Alfa</td><td>Ani</td></tr><tr><td>Budi</td></tr>
    <tr><td>Citra</td></tr><tr><td rowspan="2"></td><td>Dodi</td></tr></table>"""
    table = parse(html.encode(), "nominatif.xls")
    assert table.rows[1:4] == [["Dinas Alfa", "Ani"], [None, "Budi"], [None, "Citra"]]
    assert table.merged_down == [(1, 0, 3)]  # an empty cell spanning rows gives nothing
    xml = """<?xml version="1.0"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet"><Worksheet ss:Name="Data"><Table>
 <Row><Cell><Data ss:Type="String">SKPD</Data></Cell><Cell><Data ss:Type="String">Nama</Data></Cell></Row>
 <Row><Cell ss:MergeDown="2"><Data ss:Type="String">Dinas Alfa</Data></Cell>
  <Cell><Data ss:Type="String">Ani</Data></Cell></Row>
 <Row><Cell ss:Index="2"><Data ss:Type="String">Budi</Data></Cell></Row>
 <Row><Cell ss:Index="2"><Data ss:Type="String">Citra</Data></Cell></Row>
</Table></Worksheet></Workbook>"""
    table = parse(xml.encode(), "nominatif.xls")
    assert table.rows[1:] == [["Dinas Alfa", "Ani"], [None, "Budi"], [None, "Citra"]]
    assert table.merged_down == [(1, 0, 3)]


def test_cells_left_open_and_a_declared_windows_charset_are_read() -> None:
    html = (
        '<html><head><meta charset="windows-1252"></head><body><table>'
        "<tr><td>Nama<td>Unit<tr><td>Andr\xe9 Putra<td>Dinas Alfa</table>"
    ).encode("cp1252")
    assert parse(html, "x.xls").rows == [["Nama", "Unit"], ["André Putra", "Dinas Alfa"]]


def test_each_html_table_is_a_sheet() -> None:
    html = b"""<table><tr><td>Rekap</td><td>3</td></tr></table>
    <table><tr><th>NIP</th><th>Nama</th></tr><tr><td>1</td><td>A</td></tr></table>"""
    first = parse(html, "x.xls")
    assert (first.sheet, first.sheet_names) == ("Tabel 1", ["Tabel 1", "Tabel 2"])
    assert parse(html, "x.xls", "Tabel 2").rows == [["NIP", "Nama"], ["1", "A"]]
    with pytest.raises(ReadError, match="Lembar kerja 'Tabel 3' tidak ada"):
        parse(html, "x.xls", "Tabel 3")


XML_2003 = """<?xml version="1.0"?>
<?mso-application progid="Excel.Sheet"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
 <Worksheet ss:Name="Rekap"><Table><Row><Cell><Data ss:Type="String">Total</Data></Cell>
  <Cell><Data ss:Type="Number">2</Data></Cell></Row></Table></Worksheet>
 <Worksheet ss:Name="Data SKM">
  <Table>
   <Row><Cell ss:MergeAcross="2"><Data ss:Type="String">SKM DPMPTSP 2025</Data></Cell></Row>
   <Row ss:Index="3"><Cell><Data ss:Type="String">Tanggal</Data></Cell>
    <Cell><Data ss:Type="String">U1</Data></Cell><Cell><Data ss:Type="String">U2</Data></Cell>
   </Row>
   <Row><Cell><Data ss:Type="DateTime">2025-07-01T00:00:00.000</Data></Cell>
    <Cell><Data ss:Type="Number">4</Data></Cell><Cell><Data ss:Type="Number">3.5</Data></Cell>
   </Row>
   <Row><Cell><Data ss:Type="DateTime">2025-07-02T09:30:00.000</Data></Cell>
    <Cell ss:Index="3"><Data ss:Type="Number">2</Data></Cell></Row>
  </Table>
 </Worksheet>
</Workbook>
"""


def test_an_xml_spreadsheet_2003_is_read_sheet_by_sheet_with_typed_cells() -> None:
    data = XML_2003.encode()
    assert web_format(data) == "xml"
    first = parse(data, "skm.xls")
    assert (first.sheet, first.sheet_names) == ("Rekap", ["Rekap", "Data SKM"])
    assert first.rows == [["Total", 2]]
    rows = parse(data, "skm.xls", "Data SKM").rows
    assert rows == [
        ["SKM DPMPTSP 2025", None, None],
        [None, None, None],  # the row ss:Index skipped
        ["Tanggal", "U1", "U2"],
        [dt.datetime(2025, 7, 1), 4, 3.5],
        [dt.datetime(2025, 7, 2, 9, 30), None, 2],
    ]


def test_web_exports_go_through_the_bounded_reader() -> None:
    table = read_file(SIMPEG_HTML.encode(), "nominatif.xls")
    assert table.rows[2][0] == "197503122000032004"
    assert read_file(XML_2003.encode(), "skm.xls", "Data SKM").rows[3][1] == 4


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            XML_2003.replace(
                '<?xml version="1.0"?>',
                '<?xml version="1.0"?><!DOCTYPE lol [<!ENTITY lol "lol">]>',
            ).encode(),
            "memuat deklarasi DOCTYPE atau ENTITY",
        ),
        (b"NIP;Nama\n1;A\n", "Isi berkas bukan XLS yang sah"),
        (b"<html><body><p>Tidak ada tabel</p></body></html>", "Isi berkas bukan XLS yang sah"),
        (b"<table><tr><td> </td></tr></table>", "Berkas kosong"),
    ],
)
def test_a_web_export_that_is_not_one_or_is_hostile_is_refused(data: bytes, message: str) -> None:
    with pytest.raises(ReadError, match=message):
        read_file(data, "export.xls")


def test_a_web_export_with_too_many_cells_is_refused_before_it_is_read() -> None:
    rows = "".join("<tr><td>1</td><td>2</td></tr>" for _ in range(60))
    with pytest.raises(ReadError, match="120 sel, melebihi batas 100 sel"):
        read_file(f"<table>{rows}</table>".encode(), "besar.xls", limits=Limits(max_cells=100))


@pytest.mark.django_db
def test_a_simpeg_list_exported_as_html_is_imported_with_its_nips_whole(world) -> None:
    """Written as text in the page, the NIPs never went through Excel: all 18 digits stay."""
    from kompeten.core import importing as imp
    from kompeten.people.imports import import_employees
    from kompeten.people.models import Employee

    plan, outcome = import_employees(
        SIMPEG_HTML.encode(), "nominatif.xls", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    stored = {
        e.nip: (e.sex, e.birth_date, e.golongan, e.jabatan_kind, e.unit.name)
        for e in Employee.objects.filter(nip__in=["197503122000032004", "197811302002121001"])
    }
    assert stored == {
        "197503122000032004": ("P", dt.date(1975, 3, 12), "III/a", "pelaksana", "Bidang Layanan"),
        "197811302002121001": ("L", dt.date(1978, 11, 30), "III/d", "pengawas", "Bidang Layanan"),
    }


def test_a_simpeg_list_with_its_unit_spanning_rows_places_every_employee(world) -> None:  # type: ignore[no-untyped-def]
    from kompeten.core import importing as imp
    from kompeten.people.imports import import_employees
    from kompeten.people.models import Employee

    spanned = SIMPEG_HTML.replace(
        "<td>Bidang Layanan</td>\n<td>Dinas Alfa</td>",
        '<td rowspan="2">Bidang Layanan</td>\n<td rowspan="2">Dinas Alfa</td>',
    ).replace("<td>Bidang&nbsp;Layanan</td>\n<td>Dinas Alfa</td>", "")
    assert spanned.count("rowspan") == 2 and "Bidang&nbsp;" not in spanned
    plan, outcome = import_employees(
        spanned.encode(), "nominatif.xls", instansi=world.instansi, user=world.alice
    )
    assert outcome is not None, [imp.describe_problem(p) for p in plan.problems]
    assert (
        "Sel yang digabung ke bawah dibaca sebagai nilai setiap baris yang digabungnya: "
        "kolom Unit Kerja, SKPD."
    ) in plan.ctx.notes
    units = Employee.objects.filter(nip__in=["197503122000032004", "197811302002121001"])
    assert sorted(units.values_list("unit__name", flat=True)) == ["Bidang Layanan"] * 2


def test_an_xlsx_named_xls_is_read_as_what_it_is() -> None:
    from tests.workbooks import xlsx_sheets

    data = xlsx_sheets([("Data", [["NIP", "Nama"], ["197503122000032004", "Sari"]])])
    assert read_file(data, "export.xls").rows == [["NIP", "Nama"], ["197503122000032004", "Sari"]]


def test_an_xml_spreadsheets_hidden_sheet_and_hidden_rows_are_named() -> None:
    """Excel's "XML Spreadsheet" keeps a hidden sheet in its WorksheetOptions and a hidden or
    filtered-out row as ss:Hidden: the first visible sheet is read, and its hidden rows are
    named (read, as a workbook's are)."""
    options = (
        '<WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel">'
        "<Visible>SheetHidden</Visible></WorksheetOptions></Worksheet>"
    )
    data = (
        XML_2003.replace("</Table></Worksheet>", f"</Table>{options}", 1)
        .replace(
            '<Row><Cell><Data ss:Type="DateTime">2025-07-01',
            '<Row ss:Hidden="1"><Cell><Data ss:Type="DateTime">2025-07-01',
        )
        .encode()
    )
    table = read_file(data, "skm.xls")
    assert (table.sheet, table.hidden_sheets) == ("Data SKM", ["Rekap"])
    assert table.hidden_rows == [3]
    assert table.rows[3] == [dt.datetime(2025, 7, 1), 4, 3.5]
    assert read_file(data, "skm.xls", "Rekap").rows == [["Total", 2]]  # named, it is read
