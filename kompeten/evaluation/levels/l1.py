"""L1 reaction: Likert means → 0–100 index (``likert_index``, linear) → LAN band; Cronbach's α
per scale (rows = respondents, or respondent × trainer for trainer scales; listwise deletion).

Per item (:class:`ItemReaction`), each on its own scale: a labelled scale (``Sangat Kurang`` …
``Sangat Baik``) is scored 1..k in its own order and reported per item; the overall item mean
and the share agreeing (top two levels) are over the items on the questionnaire's own numeric
scale, and so are the section scales."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from django.utils.translation import gettext, gettext_lazy

from kompeten.core import formatting
from kompeten.evaluation import interpret
from kompeten.evaluation.actions.instruments import TRAINER_ASPECTS
from kompeten.evaluation.levels.results import (
    GroupIndex,
    ItemReaction,
    L1Result,
    ScaleResult,
    TrainerReaction,
)
from kompeten.evaluation.models import ORGANISER_SECTIONS, Section
from kompeten.standards.score_bands import likert_index
from kompeten.stats import CronbachAlphaResult, cronbach_alpha, cronbach_alpha_from_sums

LARGE = 2000  # respondents above which α comes from sufficient statistics
SECTION_LABELS = {s.value: s.label for s in Section}  # lazy: read in the reader's language
# The default questionnaire's trainer aspects as labels of the interface language (the item
# texts stored in instruments stay as written); an aspect not listed shows its own name.
ASPECT_LABELS = {
    "penguasaan_materi": gettext_lazy("Penguasaan materi"),
    "sistematika": gettext_lazy("Sistematika penyajian"),
    "metode": gettext_lazy("Penggunaan metode dan media"),
    "ketepatan_waktu": gettext_lazy("Ketepatan waktu"),
    "interaksi": gettext_lazy("Interaksi dan tanya jawab"),
    "bahasa": gettext_lazy("Penggunaan bahasa"),
    "sikap": gettext_lazy("Sikap dan perilaku"),
}
ASPECT_ORDER = {slug: n for n, (slug, _label) in enumerate(TRAINER_ASPECTS)}


class ItemMeta(NamedTuple):
    """What the per-item results need of an item (``top``: its scale's highest level)."""

    order: int
    text: str
    top: int
    labels: tuple[str, ...]


def _index(mean: float | None, scale_max: int) -> tuple[float | None, str]:
    if mean is None:
        return None, ""
    idx = likert_index(min(max(mean, 1.0), float(scale_max)), 1, scale_max)
    return idx, interpret.score_band_name(idx)


def _alpha(
    rows: npt.NDArray[np.int64], cols: npt.NDArray[np.int64], values: npt.NDArray[np.float64]
) -> CronbachAlphaResult | None:
    """α of the matrix rows × cols (NaN where unanswered); None when undefined."""
    if values.size == 0:
        return None
    r_codes, r_inv = np.unique(rows, return_inverse=True)
    c_codes, c_inv = np.unique(cols, return_inverse=True)
    if c_codes.size < 2 or r_codes.size < 2:
        return None
    matrix = np.full((r_codes.size, c_codes.size), np.nan)
    matrix[r_inv, c_inv] = values
    complete = ~np.isnan(matrix).any(axis=1)
    if complete.sum() < 3:
        return None
    rows_ok = matrix[complete]
    totals = rows_ok.sum(axis=1)
    try:
        if rows_ok.shape[0] > LARGE:  # same alpha and Feldt CI, without item–total columns
            return cronbach_alpha_from_sums(
                int(rows_ok.shape[0]),
                rows_ok.sum(axis=0).tolist(),
                (rows_ok * rows_ok).sum(axis=0).tolist(),
                float(totals.sum()),
                float((totals * totals).sum()),
            )
        return cronbach_alpha(matrix)
    except ValueError:
        return None


def _scale(
    key: str,
    label: str,
    rows: npt.NDArray[np.int64],
    cols: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    scale_max: int,
    n: int,
) -> ScaleResult:
    mean = float(values.mean()) if values.size else None
    index, band = _index(mean, scale_max)
    alpha = _alpha(rows, cols, values)
    sentence = (
        interpret.reaction(label, index, band, n, alpha.alpha if alpha else None)
        if index is not None
        else gettext("{label}: belum ada jawaban.").format(label=label)
    )
    return ScaleResult(
        key=key, label=label, n=n, mean=mean, index=index, band=band, alpha=alpha, sentence=sentence
    )


IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True)
class _Answers:
    """The numeric answers of the main scale, one entry per answer, with each answer's
    section, column (item key) and aspect as codes."""

    response_ids: IntArray
    trainer_ids: IntArray
    values: npt.NDArray[np.float64]
    batch_ids: IntArray
    sections: IntArray
    columns: IntArray
    aspects: IntArray
    section_codes: dict[str, int]
    aspect_names: list[str]


def _coded(
    items: Mapping[int, tuple[str, str, int]],
    item_ids: IntArray,
    response_ids: IntArray,
    trainer_ids: IntArray,
    values: npt.NDArray[np.float64],
    batch_ids: IntArray,
) -> _Answers:
    item_list = sorted(items)
    lookup_ids = np.array(item_list, dtype=np.int64)
    pos = np.searchsorted(lookup_ids, item_ids)
    section_codes = {name: n for n, name in enumerate(sorted({items[i][0] for i in item_list}))}
    aspect_names = sorted({items[i][1] for i in item_list})
    aspect_codes = {name: n for n, name in enumerate(aspect_names)}
    return _Answers(
        response_ids=response_ids,
        trainer_ids=trainer_ids,
        values=values,
        batch_ids=batch_ids,
        sections=np.array([section_codes[items[i][0]] for i in item_list], dtype=np.int64)[pos],
        columns=np.array([items[i][2] for i in item_list], dtype=np.int64)[pos],
        aspects=np.array([aspect_codes[items[i][1]] for i in item_list], dtype=np.int64)[pos],
        section_codes=section_codes,
        aspect_names=aspect_names,
    )


def _section_scales(a: _Answers, scale_max: int) -> list[ScaleResult]:
    """One scale per section answered, in the questionnaire's order; the trainer section's
    rows are (response, trainer) pairs."""
    scales: list[ScaleResult] = []
    for section in (*ORGANISER_SECTIONS, Section.TRAINER, Section.RELEVANCE, Section.GENERAL):
        if str(section) not in a.section_codes:
            continue
        mask = a.sections == a.section_codes[str(section)]
        if not mask.any():
            continue
        if section == Section.TRAINER:
            rows = a.response_ids[mask] * 100_000 + a.trainer_ids[mask]
        else:
            rows = a.response_ids[mask]
        n = int(np.unique(a.response_ids[mask]).size)
        scales.append(
            _scale(
                str(section),
                str(SECTION_LABELS[section]),
                rows,
                a.columns[mask],
                a.values[mask],
                scale_max,
                n,
            )
        )
    return scales


def _aspect_rows(a: _Answers, m: npt.NDArray[np.bool_], scale_max: int) -> list[ScaleResult]:
    """One trainer's aspects (mastery, delivery, …) in the usual order."""
    aspect_rows = []
    present = [int(c) for c in np.unique(a.aspects[m])]
    for code in sorted(present, key=lambda c: ASPECT_ORDER.get(a.aspect_names[c], 99)):
        aspect = a.aspect_names[code]
        am = m & (a.aspects == code)
        mean = float(a.values[am].mean())
        idx, band = _index(mean, scale_max)
        aspect_rows.append(
            ScaleResult(
                key=str(aspect),
                label=str(ASPECT_LABELS.get(str(aspect), str(aspect))),
                n=int(am.sum()),
                mean=mean,
                index=idx,
                band=band,
                alpha=None,
                sentence="",
            )
        )
    return aspect_rows


def _trainer_reactions(
    a: _Answers, trainer_names: Mapping[int, str], scale_max: int
) -> list[TrainerReaction]:
    """Each trainer's overall scale and aspects, trainers by name."""
    trainers: list[TrainerReaction] = []
    tmask = a.sections == a.section_codes.get(str(Section.TRAINER), -1)
    for tid in sorted(set(a.trainer_ids[tmask].tolist()), key=lambda t: trainer_names.get(t, "")):
        m = tmask & (a.trainer_ids == tid)
        n = int(np.unique(a.response_ids[m]).size)
        name = trainer_names.get(tid) or gettext("Pengajar #{id}").format(id=tid)
        trainers.append(
            TrainerReaction(
                trainer_id=int(tid),
                name=name,
                overall=_scale(
                    f"t{tid}", name, a.response_ids[m], a.columns[m], a.values[m], scale_max, n
                ),
                aspects=tuple(_aspect_rows(a, m, scale_max)),
            )
        )
    return trainers


def _batch_indices(
    a: _Answers, organiser: npt.NDArray[np.bool_], batch_labels: Mapping[int, str], scale_max: int
) -> list[GroupIndex]:
    """The organiser index of each batch."""
    by_batch = []
    for bid in sorted(set(a.batch_ids[organiser].tolist())):
        m = organiser & (a.batch_ids == bid)
        idx, _band = _index(float(a.values[m].mean()), scale_max)
        by_batch.append(
            GroupIndex(
                key=int(bid),
                label=batch_labels.get(bid, str(bid)),
                n=int(np.unique(a.response_ids[m]).size),
                index=idx,
            )
        )
    return by_batch


def _organiser_scale(
    a: _Answers, organiser: npt.NDArray[np.bool_], scale_max: int
) -> ScaleResult | None:
    """All organiser sections as one scale (the headline of L1), None when unanswered."""
    if not organiser.any():
        return None
    return _scale(
        "penyelenggaraan",
        gettext("Penyelenggaraan"),
        a.response_ids[organiser],
        a.columns[organiser],
        a.values[organiser],
        scale_max,
        int(np.unique(a.response_ids[organiser]).size),
    )


def compute_l1(
    *,
    response_ids: npt.NDArray[np.int64],
    item_ids: npt.NDArray[np.int64],
    trainer_ids: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    batch_ids: npt.NDArray[np.int64],
    items: Mapping[int, tuple[str, str, int]],
    trainer_names: Mapping[int, str],
    batch_labels: Mapping[int, str],
    comments: tuple[str, ...],
    n_participants: int,
    scale_max: int = 5,
    item_meta: Mapping[int, ItemMeta] | None = None,
) -> L1Result:
    """``items`` maps item id → (section, aspect, column key shared across versions);
    ``item_meta`` (optional) item id → :class:`ItemMeta` for the per-item results. Answers of
    items not on the ``scale_max`` numeric scale count only in their item's own row (a
    questionnaire with no numeric item: its most used labelled scale, :func:`_main_labels`)."""
    n_responses = int(np.unique(response_ids).size)
    item_rows: tuple[ItemReaction, ...] = ()
    item_mean = share_agree = None
    main_labels = _main_labels(item_meta, scale_max) if item_meta else ()
    if main_labels:
        scale_max = len(main_labels)
    if item_meta and values.size:
        item_rows, item_mean, share_agree = _per_item(
            item_ids, response_ids, values, items, item_meta, (scale_max, main_labels)
        )
        keep = np.array(
            [_on_main(item_meta.get(int(i)), scale_max, main_labels) for i in item_ids.tolist()],
            dtype=bool,
        )
        if not keep.all():
            response_ids, item_ids, trainer_ids = (
                response_ids[keep],
                item_ids[keep],
                trainer_ids[keep],
            )
            values, batch_ids = values[keep], batch_ids[keep]

    if values.size == 0:
        return L1Result(
            n_responses=n_responses,
            n_participants=n_participants,
            overall=None,
            sections=(),
            trainers=(),
            by_batch=(),
            comments=comments,
            sentence=gettext("Belum ada jawaban kuesioner reaksi."),
            items=item_rows,
            scale_max=scale_max,
        )
    a = _coded(items, item_ids, response_ids, trainer_ids, values, batch_ids)
    organiser = np.isin(
        a.sections,
        [a.section_codes[str(s)] for s in ORGANISER_SECTIONS if str(s) in a.section_codes],
    )
    overall = _organiser_scale(a, organiser, scale_max)
    rate = n_responses / n_participants * 100 if n_participants else None
    sentence = overall.sentence if overall else gettext("Belum ada jawaban bagian penyelenggaraan.")
    if rate is not None:
        sentence += " " + gettext("Tingkat respons {rate}%.").format(
            rate=formatting.number(rate, 0)
        )
    return L1Result(
        n_responses=n_responses,
        n_participants=n_participants,
        overall=overall,
        sections=tuple(_section_scales(a, scale_max)),
        trainers=tuple(_trainer_reactions(a, trainer_names, scale_max)),
        by_batch=tuple(_batch_indices(a, organiser, batch_labels, scale_max)),
        comments=comments,
        sentence=sentence,
        items=item_rows,
        item_mean=item_mean,
        share_agree=share_agree,
        scale_max=scale_max,
    )


def _on_main(meta: ItemMeta | None, scale_max: int, main_labels: tuple[str, ...] = ()) -> bool:
    return meta is None or (meta.labels == main_labels and meta.top == scale_max)


def _main_labels(item_meta: Mapping[int, ItemMeta], scale_max: int) -> tuple[str, ...]:
    """The questionnaire's own scale is its numeric one (``()``); a questionnaire with no item
    on it, answered all in words ("Sangat Setuju" …), is on its most used labelled scale (the
    first in order on a tie), scored 1..k as every labelled item is."""
    if any(not m.labels and m.top == scale_max for m in item_meta.values()):
        return ()
    uses: dict[tuple[str, ...], list[int]] = {}
    for meta in sorted(item_meta.values(), key=lambda m: m.order):
        if meta.labels:
            uses.setdefault(meta.labels, []).append(meta.order)
    if not uses:
        return ()
    return max(uses, key=lambda labels: (len(uses[labels]), -uses[labels][0]))


def _per_item(
    item_ids: npt.NDArray[np.int64],
    response_ids: npt.NDArray[np.int64],
    values: npt.NDArray[np.float64],
    items: Mapping[int, tuple[str, str, int]],
    item_meta: Mapping[int, ItemMeta],
    main_scale: tuple[int, tuple[str, ...]],
) -> tuple[tuple[ItemReaction, ...], float | None, float | None]:
    """Per column key (items of several versions with one wording): n, mean, index, share in
    the top two levels, counts per level; and the mean and share over the main-scale items."""
    keys = np.array([items[int(i)][2] if int(i) in items else -1 for i in item_ids.tolist()])
    first: dict[int, int] = {}
    for item_id in sorted(item_meta, key=lambda i: (item_meta[i].order, i)):
        if item_id in items:
            first.setdefault(items[item_id][2], item_id)
    rows: list[ItemReaction] = []
    main_mask = np.zeros(values.size, dtype=bool)
    for key, item_id in first.items():
        meta = item_meta[item_id]
        m = keys == key
        vals = values[m]
        top = meta.top
        on_main = _on_main(meta, *main_scale)
        if on_main:
            main_mask |= m
        mean = float(vals.mean()) if vals.size else None
        index = _index(mean, top)[0] if mean is not None else None
        counts = tuple(int((vals == level).sum()) for level in range(1, top + 1))
        rows.append(
            ItemReaction(
                key=int(key),
                order=meta.order,
                text=meta.text,
                section=items[item_id][0],
                scale_max=top,
                labels=meta.labels,
                n=int(np.unique(response_ids[m]).size),
                mean=mean,
                index=index,
                share_agree=float((vals >= top - 1).mean()) if vals.size else None,
                counts=counts,
                on_main_scale=on_main,
            )
        )
    rows.sort(key=lambda r: (r.order, r.key))
    main = values[main_mask]
    if not main.size:
        return tuple(rows), None, None
    return tuple(rows), float(main.mean()), float((main >= main_scale[0] - 1).mean())
