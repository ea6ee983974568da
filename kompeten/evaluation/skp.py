"""L3 from the records app: the SKP predikat of a programme's participants in the rating year
before their batch and the year after it (see :func:`levels.l3.skp_years`), for the whole
selection, per batch and per OPD, and for an untrained comparison group: the colleagues in the
participants' own units who were not accepted in any batch of the programme, compared over the
participants' most common pair of years. Two queries, whatever the number of participants."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date

from django.utils.translation import gettext

from kompeten.evaluation.levels import l3 as l3_engine
from kompeten.evaluation.levels.results import SkpChange
from kompeten.people.models import Unit, opd_depth
from kompeten.records.models import SkpRating


def _opd_path(path: str, depth: int) -> str:
    """The OPD of a unit path at ``depth`` (0: ``DUKCAPIL/SEKSI1/`` → ``DUKCAPIL/``)."""
    parts = path.strip("/").split("/")
    return "/".join(parts[: depth + 1]) + "/"


_Years = dict[int, tuple[int, int]]
_Firsts = dict[int, tuple[int, str]]


def _ratings(
    instansi_id: int, years: _Years, paths: set[str], enrolled: set[int]
) -> tuple[dict[tuple[int, int], str], set[int]]:
    """(employee, year) → predikat of everyone in the participants' units over the years in
    question (one query), and the colleagues never enrolled (the comparison group)."""
    wanted = {y for pair in years.values() for y in pair}
    ratings: dict[tuple[int, int], str] = {}
    others: set[int] = set()
    for emp, year, predikat in (
        SkpRating.objects.filter(
            instansi_id=instansi_id, year__in=sorted(wanted), employee__unit__path__in=sorted(paths)
        )
        .exclude(predikat="")
        .values_list("employee_id", "year", "predikat")
    ):
        ratings[(emp, year)] = predikat
        if emp not in enrolled:
            others.add(emp)
    return ratings, others


def _batch_groups(
    first_all: _Firsts,
    first: _Firsts,
    years: _Years,
    batches: dict[int, tuple[str, date, date]],
    ratings: dict[tuple[int, int], str],
    not_due: Counter[int],
) -> list[SkpChange]:
    """One change per batch, in date order, when the selection spans several."""
    groups: list[SkpChange] = []
    by_batch: dict[int, list[tuple[int, int, int]]] = defaultdict(list)
    batch_ids = {bid for bid, _p in first_all.values()}
    for emp, (bid, _path) in first.items():
        by_batch[bid].append((emp, *years[emp]))
    if len(batch_ids) > 1:
        for bid in sorted(batch_ids, key=lambda b: (batches[b][1], b)):
            groups.append(
                l3_engine.skp_change(
                    key=f"angkatan-{bid}",
                    label=batches[bid][0],
                    people=by_batch.get(bid, []),
                    ratings=ratings,
                    not_due=not_due[bid],
                )
            )
    return groups


def _opd_groups(
    instansi_id: int,
    first_all: _Firsts,
    first: _Firsts,
    years: _Years,
    ratings: dict[tuple[int, int], str],
) -> list[SkpChange]:
    """One change per OPD, by name, when the selection spans several."""
    top = list(
        Unit.objects.filter(instansi_id=instansi_id, depth__lte=1).only("path", "name", "depth")
    )
    depth = opd_depth(top)
    names = {u.path: u.name for u in top if u.depth == depth}
    by_opd: dict[str, list[tuple[int, int, int]]] = defaultdict(list)
    opd_not_due: Counter[str] = Counter()
    groups: list[SkpChange] = []
    for emp, (_bid, path) in first_all.items():
        opd = _opd_path(path, depth)
        if emp in first:
            by_opd[opd].append((emp, *years[emp]))
        else:
            by_opd.setdefault(opd, [])
            opd_not_due[opd] += 1
    if len(by_opd) > 1:
        for path in sorted(by_opd, key=lambda p: names.get(p, p)):
            groups.append(
                l3_engine.skp_change(
                    key=f"opd-{path}",
                    label=f"OPD {names.get(path, path.strip('/'))}",
                    people=by_opd[path],
                    ratings=ratings,
                    not_due=opd_not_due[path],
                )
            )
    return groups


def skp_results(
    *,
    instansi_id: int,
    participants: Sequence[tuple[int, int, str]],
    enrolled: set[int],
    batches: dict[int, tuple[str, date, date]],
    today: date,
) -> tuple[SkpChange | None, SkpChange | None, tuple[SkpChange, ...]]:
    """``participants``: (employee, batch, unit path) of the selection; ``enrolled``: everyone
    accepted in any batch of the programme (never in the comparison group); ``batches``:
    batch → (label, start, end). Participants whose "after" year is later than ``today``'s are
    counted apart (not due yet). Returns (participants, comparison, per batch and per OPD)."""
    if not participants:
        return None, None, ()
    first_all: dict[int, tuple[int, str]] = {}
    for emp, bid, path in sorted(participants, key=lambda r: (batches[r[1]][1], r[1], r[0])):
        first_all.setdefault(emp, (bid, path))  # someone in two batches counts from the first
    all_years = {
        emp: l3_engine.skp_years(*batches[bid][1:]) for emp, (bid, _p) in first_all.items()
    }
    first = {e: v for e, v in first_all.items() if all_years[e][1] <= today.year}
    years = {e: all_years[e] for e in first}
    not_due = Counter(bid for emp, (bid, _p) in first_all.items() if emp not in first)
    n_not_due = len(first_all) - len(first)
    if not first:
        return (
            l3_engine.skp_change(
                key="peserta",
                label=gettext("Predikat SKP peserta"),
                people=[],
                ratings={},
                not_due=n_not_due,
            ),
            None,
            (),
        )
    common = Counter(years.values()).most_common(1)[0][0]
    ratings, others = _ratings(instansi_id, years, {p for _b, p in first.values()}, enrolled)
    people = [(emp, *years[emp]) for emp in sorted(first)]
    main = l3_engine.skp_change(
        key="peserta",
        label=gettext("Predikat SKP peserta"),
        people=people,
        ratings=ratings,
        not_due=n_not_due,
    )
    comparison = None
    if others:
        comparison = l3_engine.skp_change(
            key="pembanding",
            label=gettext("Predikat SKP pembanding (rekan satu unit yang tidak mengikuti program)"),
            people=[(emp, *common) for emp in sorted(others)],
            ratings=ratings,
        )
    groups = _batch_groups(first_all, first, years, batches, ratings, not_due)
    groups += _opd_groups(instansi_id, first_all, first, years, ratings)
    return main, comparison, tuple(groups)
