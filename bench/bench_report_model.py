"""Benchmark of the report model: each figure beside the uncached path measured in the same run.

    DATABASE_URL=sqlite:////tmp/bench_report_model.sqlite3 DEBUG=true \
        .venv/bin/python bench/bench_report_model.py

The 10,000-participant programme comes from ``bench_evaluation.build()`` (bulk inserts; reused
when the database already holds it). Printed, each as a median with the CPU time of this
process and the load average (the machine is shared: wall time is pessimistic):

1. the full evaluation (``evaluate_programme``, L1–L5), target < 2 s;
2. collecting the report model (``build_programme``): the uncached path every page paid before;
3. the programme report PDF from the cached model (target < 5 s), the same PDF again (kept in
   the cache under its HTML's hash), beside collect + PDF;
4. the programme report page with the model cached (target < 1 s), beside the page after a
   write (the data version moved: the model is collected again);
5. an evidence page (the participants behind the funnel, 10,000 rows, one page shown) with the
   model cached (target < 300 ms), beside the same page after a write.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kompeten.settings")
os.environ.setdefault("DEBUG", "true")

import bench_evaluation
from django.core.management import call_command
from django.test import Client

from bench.common import median_times


def timed(fn: Callable[[], object], repeat: int) -> str:
    """Median wall time of ``repeat`` runs, with the median CPU time and the load average."""
    wall, cpu = median_times(fn, repeat)
    shown = f"{wall * 1000:.0f} ms" if wall < 1 else f"{wall:.2f} s"
    return f"{shown} median of {repeat} (CPU {cpu:.2f} s, load {os.getloadavg()[0]:.1f})"


def main() -> None:
    call_command("migrate", verbosity=0)
    from kompeten.core.models import Role, User
    from kompeten.evaluation.queries import evaluate_programme
    from kompeten.learning.models import Programme
    from kompeten.reports import model, render
    from kompeten.reports.assemble import build_programme

    prog = bench_evaluation.the_programme()
    assert isinstance(prog, Programme)
    instansi = prog.instansi
    n = prog.batches.values("enrolments").count()
    print(f"programme {prog.code}: {n:,} enrolments")

    evaluate_programme(prog)  # warm imports (statsmodels, scipy, matplotlib)
    print(
        f"1. full evaluation (L1–L5): {timed(lambda: evaluate_programme(prog), 3)} (target < 2 s)"
    )
    print(f"2. report model collected (uncached): {timed(lambda: build_programme(prog), 3)}")

    def invalidate() -> None:
        model.bump()  # what any write to an input table does

    cached = model.programme_report(prog)

    def pdf(use_cache: bool) -> Callable[[], object]:
        return lambda: render.render_pdf(
            render.context(instansi, model.programme_report(prog)), cached=use_cache
        )

    def pdf_uncached() -> None:
        invalidate()
        render.render_pdf(render.context(instansi, model.programme_report(prog)), cached=False)

    print(
        f"3. programme report PDF, model cached, layout run: {timed(pdf(False), 3)} "
        f"(target < 5 s); the same PDF again (cached by its HTML): {timed(pdf(True), 3)}; "
        f"baseline collect + PDF: {timed(pdf_uncached, 3)}"
    )

    user = User.objects.filter(instansi=instansi, role=Role.PIMPINAN).first()
    if user is None:
        user = User.objects.create(username="bench-pimpinan", instansi=instansi, role=Role.PIMPINAN)
    client = Client()
    client.force_login(user)
    page_url = f"/laporan/program/{prog.pk}/"
    evidence_url = f"{page_url}bukti/corong_partisipasi/"

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, response.status_code

    def uncached(url: str) -> Callable[[], None]:
        def run() -> None:
            invalidate()
            get(url)

        return run

    get(page_url)
    page = timed(lambda: get(page_url), 10)
    print(
        f"4. programme report page, model cached: {page} (target < 1 s); "
        f"baseline after a write (collected again): {timed(uncached(page_url), 3)}"
    )
    get(evidence_url)
    evidence = timed(lambda: get(evidence_url), 20)
    print(
        f"5. evidence page (participants behind the funnel, 1 page of {n:,} rows), model "
        f"cached: {evidence} (target < 300 ms); baseline after a write: "
        f"{timed(uncached(evidence_url), 3)}"
    )
    assert cached.data_version


if __name__ == "__main__":
    main()
