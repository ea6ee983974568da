"""The planner's reasons written in the reader's language, at display time.

The planner engine (``kompeten.scheduling.planner``) stays free of Django: beside each Indonesian
sentence it stores a code and what the sentence is made of (names, counts, times as ISO strings).
These functions write the sentence again with gettext and the active language's date format. A
reason stored before the parameters existed (no ``params``) keeps its stored text.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format, time_format
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy

# what closes the other batches, in a few words (after a count: "2 penuh")
_SHORT: dict[str, Promise] = {
    "capacity": gettext_lazy("penuh"),
    "staffing": gettext_lazy("terhalang aturan kehadiran"),
    "clash": gettext_lazy("bentrok dengan pelatihan lain"),
    "unavailable": gettext_lazy("bentrok dengan jadwal tidak tersedia"),
    "rule_cannot_hold": gettext_lazy("jatuh pada aturan kehadiran yang tidak terpenuhi"),
}


def _moment(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return timezone.localtime(moment) if timezone.is_aware(moment) else moment


def moment_text(value: str) -> str:
    """``20 Juli 2026 08.00`` in the active language."""
    moment = _moment(value)
    return f"{date_format(moment, 'DATE_FORMAT')} {time_format(moment, 'TIME_FORMAT')}"


def span_text(start: str, end: str) -> str:
    """A span; the end shows only its time when the span stays within one day."""
    first, last = _moment(start), _moment(end)
    if first.date() == last.date():
        return f"{moment_text(start)}–{time_format(last, 'TIME_FORMAT')}"
    return gettext("{start} s.d. {end}").format(start=moment_text(start), end=moment_text(end))


def listing(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    if len(items) <= limit:
        return shown
    return gettext("{shown} dan {n} lainnya").format(shown=shown, n=len(items) - limit)


def batch_ref(name: str) -> str:
    """``Angkatan II`` as labelled, else ``angkatan PP-01``."""
    if name.lower().startswith("angkatan"):
        return name
    return gettext("angkatan {name}").format(name=name)


def _rule_name(params: Mapping[str, Any]) -> str:
    name = gettext("unit {unit} {span}").format(
        unit=params["unit"], span=span_text(params["start"], params["end"])
    )
    label = params.get("rule_label") or ""
    return f"{label} ({name})" if label else name


def blocker_text(blocker: Mapping[str, Any]) -> str:
    """Why one batch is closed to one employee."""
    params = blocker.get("params")
    if not params:
        return str(blocker.get("message", ""))
    code = blocker.get("code")
    batch = batch_ref(params["batch"])
    if code == "unavailable":
        return gettext("{batch} ({batch_span}) bentrok dengan jadwal tidak tersedia {span}").format(
            batch=batch,
            batch_span=span_text(params["batch_start"], params["batch_end"]),
            span=span_text(params["start"], params["end"]) if "start" in params else "",
        )
    if code == "rule_cannot_hold":
        return gettext(
            "{batch} jatuh pada aturan kehadiran {rule} yang sudah tidak terpenuhi tanpa "
            "pelatihan ({available} tersedia, minimal {minimum})"
        ).format(
            batch=batch,
            rule=_rule_name(params),
            available=params["available"],
            minimum=params["min_present"],
        )
    if code == "capacity":
        return gettext("kapasitas angkatan penuh ({name}: {capacity} kursi)").format(
            name=params["batch"], capacity=params["capacity"]
        )
    if code == "clash":
        return gettext(
            "{batch} bentrok dengan {other} (program {programme}) yang sudah dijadwalkan"
        ).format(batch=batch, other=batch_ref(params["other"]), programme=params["other_programme"])
    if code == "staffing":
        return gettext(
            "aturan kehadiran minimal {rule} sudah pada batas (minimal {minimum} hadir dari "
            "{available} yang tersedia)"
        ).format(
            rule=_rule_name(params), minimum=params["min_present"], available=params["available"]
        )
    if code == "not_needed":
        return gettext("pegawai tidak membutuhkan program {programme}").format(
            programme=params["programme"]
        )
    return str(blocker.get("message", ""))


def _closed_text(need: Mapping[str, Any], params: Mapping[str, Any], details: list[str]) -> str:
    reason = need.get("reason")
    names = [str(x) for x in params.get("names", [])]
    if reason == "capacity":
        message = gettext("Kapasitas angkatan penuh: {batches}").format(batches=listing(names))
    elif reason == "staffing":
        which = (
            listing(names)
            if params.get("labelled")
            else gettext("angkatan {name}").format(name=listing(names))
        )
        rules = list(dict.fromkeys(details))
        message = gettext("{batches} terhalang: {rules}").format(
            batches=which, rules=listing(rules, 2)
        )
    elif reason == "clash":
        message = gettext("Bentrok dengan pelatihan lain yang sudah dijadwalkan: {details}").format(
            details=listing(details, 2)
        )
    else:
        message = listing(details, 2)
    others = params.get("others") or {}
    if others:
        message = gettext("{message}; angkatan lain: {others}").format(
            message=message,
            others=", ".join(f"{n} {_SHORT.get(code, code)}" for code, n in others.items()),
        )
    message += "."
    return message[:1].upper() + message[1:]


def unassigned_text(need: Mapping[str, Any]) -> str:
    """Why a need is not met (the batches' own reasons are :func:`blocker_text` of its details)."""
    params = need.get("params")
    if not params:
        return str(need.get("message", ""))
    programme = need.get("programme", "")
    details = [blocker_text(d) for d in need.get("details", [])]
    kind = params.get("kind")
    if kind == "no_batch":
        return gettext("Belum ada angkatan untuk program {programme}.").format(programme=programme)
    if kind == "none_open":
        if need.get("reason") == "unavailable":
            return gettext(
                "Tidak tersedia pada setiap angkatan program {programme} ({n} angkatan): {details}."
            ).format(programme=programme, n=params.get("batches", 0), details=listing(details, 2))
        return gettext(
            "Semua angkatan program {programme} tertutup bagi pegawai ini: {details}."
        ).format(programme=programme, details=listing(details, 2))
    if kind == "not_placed":
        return gettext(
            "Masih ada kursi yang dapat diisi ({batches}); pencarian berhenti pada batas waktu "
            "sebelum menempatkan pegawai ini."
        ).format(batches=listing([str(x) for x in params.get("open", [])]))
    if kind == "closed":
        return _closed_text(need, params, details)
    return str(need.get("message", ""))


def infeasible_when(rule: Mapping[str, Any]) -> str:
    return span_text(str(rule["start"]), str(rule["end"]))


def infeasible_text(rule: Mapping[str, Any]) -> str:
    """Why a staffing rule fails before any training."""
    if rule.get("away") is None:
        return str(rule.get("message", ""))
    return gettext(
        "Aturan kehadiran unit {unit} {span} tidak dapat dipenuhi meski tanpa pelatihan: hanya "
        "{available} dari {members} pegawai tersedia (cuti/dinas luar {away}), minimal {minimum}. "
        "Pegawai unit ini yang tersedia tidak dijadwalkan pelatihan pada waktu tersebut."
    ).format(
        unit=rule["unit"],
        span=infeasible_when(rule),
        available=rule["available"],
        members=rule["members"],
        away=rule["away"],
        minimum=rule["min_present"],
    )


def skipped_text(skipped: Mapping[str, Any]) -> str:
    """Why a batch was left out of the plan."""
    code = skipped.get("code")
    params = skipped.get("params") or {}
    if code == "no_session":
        return gettext("Angkatan belum memiliki sesi.")
    if code == "holiday" and "date" in params:
        return gettext("Ada sesi pada hari libur nasional/cuti bersama ({date}).").format(
            date=date_format(date.fromisoformat(params["date"]), "DATE_FORMAT")
        )
    if code == "trainer_unavailable" and "start" in params:
        return gettext("Fasilitator tidak tersedia pada sesi {moment}.").format(
            moment=moment_text(params["start"])
        )
    return str(skipped.get("reason", ""))


def localise_plan_rows(
    unassigned: list[dict[str, Any]], infeasible: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Copies of the stored rows with ``text`` (and ``when``/detail texts) in the active language."""
    needs = [
        {
            **u,
            "text": unassigned_text(u),
            "detail_texts": [blocker_text(d) for d in u.get("details", [])],
        }
        for u in unassigned
    ]
    rules = [{**r, "text": infeasible_text(r), "when": infeasible_when(r)} for r in infeasible]
    return needs, rules
