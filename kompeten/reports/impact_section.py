"""The report's before/after public-service section (tables, figure, sentences) from
:class:`kompeten.reports.impact.Impact`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from kompeten.core import charts, formatting
from kompeten.evaluation.interpret import pvalue
from kompeten.reports.impact import (
    ComplaintWindow,
    Estimate,
    IkmFigures,
    Impact,
    UnitImpact,
    design_name,
)

if TYPE_CHECKING:
    from kompeten.reports.assemble import Section


def signed(x: float, decimals: int = 2) -> str:
    return ("+" if x > 0 else "") + formatting.number(x, decimals)


# the Indonesian wording of Estimate.design_text() for "its" (tests look for it)
NO_COMPARISON = "sebelum–sesudah tanpa pembanding: perubahan belum tentu karena pelatihan"


def estimate_sentence(e: Estimate, with_design: bool = True) -> str:
    """One outcome's impact as the estimator gives it, with the design and its limits."""
    if e.estimate is None or e.ci_low is None or e.ci_high is None:
        return _("{label}: dampak belum dapat diestimasi ({design}).").format(
            label=e.label, design=e.design_text()
        )
    d = 2 if e.key == "ikm" else 1
    share = e.key != "ikm"  # the share of complaints resolved within the SLA, in percent
    figures = ""
    if e.before is not None and e.after is not None:
        figures = _("{before} sebelum, {after} sesudah (seluruh jendela); ").format(
            before=formatting.number(e.before, d) + ("%" if share else ""),
            after=formatting.number(e.after, d) + ("%" if share else ""),
        )
    verdict = (
        (_("naik bermakna") if e.estimate > 0 else _("turun bermakna"))
        if e.significant
        else _("tidak bermakna")
    )
    text = _(
        "{label} unit terlatih: {figures}estimasi dampak dari rata-rata bulanan per unit {est} "
        "{unit} (SK 95% {lo} s.d. {hi}; {p}), {verdict}."
    ).format(
        label=e.label,
        figures=figures,
        est=signed(e.estimate, d),
        unit=e.unit_label,
        lo=formatting.number(e.ci_low, d),
        hi=formatting.number(e.ci_high, d),
        p=pvalue(e.pvalue if e.pvalue is not None else 1.0),
        verdict=verdict,
    )
    if share and (e.ci_low < -100 or e.ci_high > 100):
        text += " " + _(
            "Selang ini lebih lebar dari perubahan terbesar yang mungkin (±100 poin persen): "
            "datanya terlalu sedikit untuk menyimpulkan arah perubahan."
        )
    if with_design:
        text += " " + _("Desain: {design}.").format(design=e.design_text())
    return text


def _estimate_rows(impact: Impact) -> list[list[Any]]:
    return [
        [
            e.label,
            design_name(e.design),
            e.row["n_treated"],
            e.row["n_comparison"],
            e.row["n_months"],
            e.estimate,
            e.ci_low,
            e.ci_high,
            e.pvalue,
            e.method_text(),
        ]
        for e in impact.estimates
    ]


def _ikm_text(f: IkmFigures) -> str:
    if f.ikm is None:
        return _("belum ada data") if not f.n else _("belum lengkap ({n} responden)").format(n=f.n)
    return _("{ikm} ({mutu}, {label}; {n} responden)").format(
        ikm=formatting.number(f.ikm, 2), mutu=f.mutu, label=f.kinerja, n=f.n
    )


def _complaint_text(w: ComplaintWindow) -> str:
    if not w.received:
        return _("tidak ada pengaduan")
    median = "–" if w.median_working_days is None else formatting.number(w.median_working_days, 1)
    return _("{received} diterima, {resolved} selesai, median {median} hari kerja").format(
        received=w.received, resolved=w.resolved, median=median
    )


def _windows_text(impact: Impact) -> str:
    w = impact.windows
    return _("sebelum {b0} – {b1}, sesudah {a0} – {a1}").format(
        b0=formatting.day(w.before.start),
        b1=formatting.day(w.before.end),
        a0=formatting.day(w.after.start),
        a1=formatting.day(w.after.end),
    )


def _ikm_rows(units: tuple[UnitImpact, ...], group: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for u in units:
        for label, f in ((_("sebelum"), u.ikm_before), (_("sesudah"), u.ikm_after)):
            required: int | str | None = None if f.sample is None else f.sample.required
            if not u.population:  # the minimum needs the unit's yearly population
                required = _("populasi belum diisi")
            rows.append(
                [
                    u.unit,
                    group,
                    label,
                    f.n,
                    f.ikm,
                    f"{f.mutu} ({f.kinerja})" if f.mutu else "",
                    required,
                    None if f.sample is None else f.sample.adequate,
                ]
            )
    return rows


def _complaint_rows(units: tuple[UnitImpact, ...], group: str) -> list[list[Any]]:
    rows: list[list[Any]] = []
    for u in units:
        for label, w in ((_("sebelum"), u.complaints_before), (_("sesudah"), u.complaints_after)):
            rows.append(
                [
                    u.unit,
                    group,
                    label,
                    w.received,
                    w.resolved,
                    w.median_working_days,
                    w.km_median_working_days,
                    None if w.share_within_sla is None else w.share_within_sla * 100,
                ]
            )
    return rows


def _opening(s: Section, impact: Impact) -> None:
    """The windows, each trained unit's before and after in words, and what it is compared
    with."""
    s.paragraphs.append(
        _(
            "Layanan publik sebelum dan sesudah pelatihan ({windows}), untuk {n} unit layanan "
            "yang pegawainya mengikuti program."
        ).format(windows=_windows_text(impact), n=len(impact.units))
    )
    if not impact.units:
        s.gaps.append(_("Belum ada unit layanan yang pegawainya mengikuti program ini."))
    for u in impact.units:
        s.paragraphs.append(
            _(
                "{unit}: IKM {before} sebelum, {after} sesudah; pengaduan {cb} sebelum, {ca} sesudah."
            ).format(
                unit=u.unit,
                before=_ikm_text(u.ikm_before),
                after=_ikm_text(u.ikm_after),
                cb=_complaint_text(u.complaints_before),
                ca=_complaint_text(u.complaints_after),
            )
        )
    if impact.units and not impact.has_comparison:
        s.paragraphs.append(
            _(
                "Perbandingan ini sebelum–sesudah tanpa pembanding: perubahan belum tentu "
                "karena pelatihan."
            )
        )
    elif impact.units:
        s.paragraphs.append(
            _(
                "Sebagai pembanding, {n} unit layanan yang pegawainya tidak mengikuti program "
                "ditampilkan dengan jendela yang sama."
            ).format(n=len(impact.comparison))
        )


def _unsur_rows(units: tuple[UnitImpact, ...]) -> list[list[Any]]:
    """Each unit's NRR per unsur before and after, and the difference."""
    rows: list[list[Any]] = []
    for u in units:
        after = {x.slug: x.nrr for x in u.ikm_after.nrr}
        for x in u.ikm_before.nrr or u.ikm_after.nrr:
            b = x.nrr if u.ikm_before.nrr else None
            a = after.get(x.slug)
            rows.append([u.unit, x.name, b, a, None if a is None or b is None else a - b])
    return rows


def _tables(s: Section, impact: Impact) -> None:
    """The IKM, NRR-per-unsur and complaint tables of trained and comparison units."""
    trained, other = _("unit terlatih"), _("unit pembanding")
    s.table(
        "dampak_ikm",
        _("Layanan publik sebelum dan sesudah pelatihan: IKM (PermenPANRB 14/2017)"),
        [
            _("Unit layanan"),
            _("Kelompok"),
            _("Jendela"),
            _("Responden"),
            _("IKM"),
            _("Mutu"),
            _("Sampel minimum"),
            _("Sampel cukup"),
        ],
        _ikm_rows(impact.units, trained) + _ikm_rows(impact.comparison, other),
    )
    s.table(
        "dampak_ikm_unsur",
        _("Nilai rata-rata per unsur (NRR) sebelum dan sesudah pelatihan"),
        [_("Unit layanan"), _("Unsur"), _("NRR sebelum"), _("NRR sesudah"), _("Selisih")],
        _unsur_rows(impact.units + impact.comparison),
    )
    s.table(
        "dampak_pengaduan",
        _("Penanganan pengaduan sebelum dan sesudah pelatihan (hari kerja)"),
        [
            _("Unit layanan"),
            _("Kelompok"),
            _("Jendela"),
            pgettext("complaints received", "Diterima"),
            pgettext("complaints resolved", "Selesai"),
            _("Median hari kerja (yang selesai)"),
            _("Median Kaplan–Meier"),
            _("Selesai dalam batas SLA (%)"),
        ],
        _complaint_rows(impact.units, trained) + _complaint_rows(impact.comparison, other),
    )


def _ikm_figure(s: Section, units: tuple[UnitImpact, ...]) -> None:
    """IKM before and after of the units with IKM in either window (none without)."""
    with_ikm = [u for u in units if u.ikm_before.ikm is not None or u.ikm_after.ikm is not None]
    if not with_ikm:
        return
    s.figure(
        "dampak_ikm",
        _("IKM sebelum dan sesudah pelatihan"),
        charts.grouped(
            [u.unit for u in with_ikm],
            {
                _("Sebelum"): [u.ikm_before.ikm for u in with_ikm],
                _("Sesudah"): [u.ikm_after.ikm for u in with_ikm],
            },
            ylabel=_("IKM (25–100)"),
        ),
        "dampak_ikm",
    )


def _sample_gaps(s: Section, units: tuple[UnitImpact, ...]) -> None:
    """The trained units whose SKM sample minimum is unknown or not reached."""
    for u in units:
        if not u.population and (u.ikm_before.n or u.ikm_after.n):
            s.gaps.append(
                _(
                    "{unit}: sampel minimum SKM (Krejcie–Morgan) per jendela belum dapat "
                    "dihitung karena jumlah penerima layanan setahun (populasi) unit layanan ini "
                    "belum diisi."
                ).format(unit=u.unit)
            )
        for label, f in ((_("sebelum"), u.ikm_before), (_("sesudah"), u.ikm_after)):
            if f.sample is not None and not f.sample.adequate:
                s.gaps.append(
                    _(
                        "{unit}: sampel SKM {window} {n} responden, kurang dari sampel minimum "
                        "{required} (Krejcie–Morgan)."
                    ).format(unit=u.unit, window=label, n=f.n, required=f.sample.required)
                )


def _estimates(s: Section, impact: Impact) -> None:
    """The impact estimator's answer per outcome: a sentence each, the designs once, and the
    table."""
    designs: dict[str, list[str]] = {}
    for e in impact.estimates:
        s.paragraphs.append(estimate_sentence(e, with_design=False))
        if e.estimate is not None and (impact.has_comparison or e.design != "its"):
            designs.setdefault(e.design_text(), []).append(e.label)
    for text, labels in designs.items():
        s.paragraphs.append(
            _("Desain {what}: {design}.").format(what=", ".join(labels), design=text)
        )
    s.table(
        "dampak_estimasi",
        _(
            "Estimasi dampak pelatihan dari data bulanan unit (sama dengan perintah kompeten impact)"
        ),
        [
            _("Ukuran"),
            _("Desain"),
            _("Unit terlatih"),
            _("Unit pembanding"),
            pgettext("a number of months", "Bulan"),
            _("Estimasi"),
            _("SK 95% bawah"),
            _("SK 95% atas"),
            _("p"),
            _("Metode"),
        ],
        _estimate_rows(impact),
    )


def impact_section(s: Section, impact: Impact) -> None:
    """Add the before/after tables, the IKM figure and the sentences to section ``s``."""
    _opening(s, impact)
    _tables(s, impact)
    _ikm_figure(s, impact.units + impact.comparison)
    _sample_gaps(s, impact.units)
    if impact.units:
        _estimates(s, impact)
    shares = [u.complaints_after.share_within_sla for u in impact.units]
    if any(x is not None for x in shares):
        s.paragraphs.append(
            _("Pengaduan yang selesai dalam batas SLA sesudah pelatihan: {list}.").format(
                list="; ".join(
                    f"{u.unit} {formatting.percent(x)}"
                    for u, x in zip(impact.units, shares, strict=True)
                    if x is not None
                )
            )
        )
