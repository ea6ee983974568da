"""Why a need is not met, and which staffing rules fail before any training, in Indonesian.

Each explanation also keeps what its sentence is made of (codes, names, counts, ISO times), so
the web layer can write it again in the reader's language; this module stays free of Django.
"""

from __future__ import annotations

from collections import Counter

from kompeten.scheduling.planner.index import Index, fmt_span
from kompeten.scheduling.planner.model import Blocker, InfeasibleRule, Unassigned
from kompeten.scheduling.planner.state import State

MAX_DETAILS = 5
# when several reasons close the candidate batches, the one closing most of them is named;
# ties go to the reason an admin can act on first
_PRECEDENCE = ("staffing", "capacity", "clash", "unavailable", "rule_cannot_hold")


def _listing(items: list[str], limit: int = 3) -> str:
    shown = ", ".join(items[:limit])
    return shown if len(items) <= limit else f"{shown} dan {len(items) - limit} lainnya"


def _main_reason(codes: list[str]) -> str:
    counts = Counter(codes)
    return max(counts, key=lambda code: (counts[code], -_PRECEDENCE.index(code)))


_SHORT = {
    "capacity": "penuh",
    "staffing": "terhalang aturan kehadiran",
    "clash": "bentrok dengan pelatihan lain",
    "unavailable": "bentrok dengan jadwal tidak tersedia",
    "rule_cannot_hold": "jatuh pada aturan kehadiran yang tidak terpenuhi",
}


def _none_open(
    state: State, e: int, programme: str, priority: int, batches: list[int]
) -> Unassigned:
    """Every batch of ``programme`` is closed to e whatever the others do: the reason closing
    most of them, with up to ``MAX_DETAILS`` of its sentences."""
    nip = state.index.nips[e]
    firsts = [(b, state.personal_reasons(e, b)[0]) for b in batches]
    reason = _main_reason([code for _b, (code, _ref) in firsts])
    shown = [state.describe(e, b, code, ref) for b, (code, ref) in firsts if code == reason][
        :MAX_DETAILS
    ]
    if reason == "unavailable":
        message = (
            f"Tidak tersedia pada setiap angkatan program {programme} "
            f"({len(batches)} angkatan): {_listing([x.message for x in shown], 2)}."
        )
    else:
        message = (
            f"Semua angkatan program {programme} tertutup bagi pegawai ini: "
            f"{_listing([x.message for x in shown], 2)}."
        )
    params = {"kind": "none_open", "batches": len(batches)}
    return Unassigned(nip, programme, priority, reason, message, tuple(shown), params)


def _closed_message(
    index: Index, reason: str, closed: list[int], shown: list[Blocker], names: list[str]
) -> str:
    """The sentence naming the batches ``reason`` closes (the caller ends and capitalises it)."""
    if reason == "capacity":
        return f"Kapasitas angkatan penuh: {_listing(names)}"
    if reason == "staffing":
        rules = list(dict.fromkeys(x.message for x in shown))
        labelled = all(index.batch_refs[b] == index.batch_names[b] for b in closed)
        which = _listing(names) if labelled else f"angkatan {_listing(names)}"
        return f"{which} terhalang: {_listing(rules, 2)}"
    if reason == "clash":
        return f"Bentrok dengan pelatihan lain yang sudah dijadwalkan: {_listing([x.message for x in shown], 2)}"
    return _listing([x.message for x in shown], 2)


def _all_closed(
    state: State,
    e: int,
    programme: str,
    priority: int,
    per_batch: dict[int, list[tuple[str, int]]],
) -> Unassigned:
    """Every candidate batch is closed to e now: the reason closing most of them, and how many
    of the other batches each other reason closes."""
    index = state.index
    reason = _main_reason([code for found in per_batch.values() for code, _ref in found])
    closed = [b for b, found in per_batch.items() if any(code == reason for code, _ref in found)]
    shown = [
        state.describe(e, b, code, ref)
        for b in closed[:MAX_DETAILS]
        for code, ref in per_batch[b]
        if code == reason
    ][:MAX_DETAILS]
    names = [index.batch_names[b] for b in closed]
    message = _closed_message(index, reason, closed, shown, names)
    others = Counter(found[0][0] for b, found in per_batch.items() if b not in set(closed))
    if others:
        message += "; angkatan lain: " + ", ".join(
            f"{n} {_SHORT.get(c, c)}" for c, n in others.items()
        )
    message += "."
    params = {
        "kind": "closed",
        "names": names,
        "labelled": all(index.batch_refs[b] == index.batch_names[b] for b in closed),
        "others": dict(others),
    }
    return Unassigned(
        index.nips[e],
        programme,
        priority,
        reason,
        message[0].upper() + message[1:],
        tuple(shown),
        params,
    )


def explain_need(state: State, e: int, programme: str, priority: int) -> Unassigned:
    """Explain why employee ``e`` has no batch of ``programme`` in ``state``."""
    index = state.index
    nip = index.nips[e]
    batches = index.programme_batches.get(programme, [])
    if not batches:
        return Unassigned(
            nip,
            programme,
            priority,
            "no_batch",
            f"Belum ada angkatan untuk program {programme}.",
            params={"kind": "no_batch"},
        )
    candidates = index.candidates[e].get(programme, [])
    if not candidates:
        return _none_open(state, e, programme, priority, batches)
    # the first reason of each batch, in the order: full, clash, staffing rule at its limit
    per_batch = {b: state.reasons(e, b, first_only=True) for b in candidates}
    open_batches = [b for b, found in per_batch.items() if not found]
    if open_batches:
        return Unassigned(
            nip,
            programme,
            priority,
            "not_placed",
            f"Masih ada kursi yang dapat diisi ({_listing([index.batch_names[b] for b in open_batches])}); "
            "pencarian berhenti pada batas waktu sebelum menempatkan pegawai ini.",
            params={"kind": "not_placed", "open": [index.batch_names[b] for b in open_batches]},
        )
    return _all_closed(state, e, programme, priority, per_batch)


def explain_unassigned(state: State) -> tuple[Unassigned, ...]:
    """Every need the state leaves unmet, with its reason, highest priority first."""
    index = state.index
    out = []
    for e, needs in enumerate(index.emp_needs):
        for programme, priority in needs.items():
            if state.batch_for(e, programme) is None:
                out.append(explain_need(state, e, programme, priority))
    out.sort(key=lambda u: -u.priority)
    return tuple(out)


def infeasible_rules(index: Index) -> tuple[InfeasibleRule, ...]:
    """Staffing rules that fail through unavailability alone, with the counts."""
    out = []
    for w in index.windows:
        if w.holdable:
            continue
        rule = index.instance.staffing[w.rule]
        out.append(
            InfeasibleRule(
                rule=w.rule,
                unit=rule.unit,
                start=rule.start,
                end=rule.end,
                min_present=w.min_present,
                members=w.members,
                available=w.available,
                overlaps_training=bool(w.batches),
                label=rule.label,
                away=len(w.unavailable),
                message=(
                    f"Aturan kehadiran unit {rule.unit} {fmt_span(w.start, w.end)} tidak dapat dipenuhi "
                    f"meski tanpa pelatihan: hanya {w.available} dari {w.members} pegawai tersedia "
                    f"(cuti/dinas luar {len(w.unavailable)}), minimal {w.min_present}. Pegawai unit ini "
                    "yang tersedia tidak dijadwalkan pelatihan pada waktu tersebut."
                ),
            )
        )
    return tuple(out)
