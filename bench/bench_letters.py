"""Activation letters: the QR code of each one-time link, with segno's mask search vs a fixed mask.

Usage:

    .venv/bin/python bench/bench_letters.py            # 500 links
    .venv/bin/python bench/bench_letters.py --n 2000

The admin prints one letter per account waiting for activation (``/akun/kelola/``), all of an
instansi or one OPD at a time; the page builds one QR code per letter. segno by default tries all
eight QR masks and keeps the best (the baseline, measured in the same run); the letters use one
fixed mask, which every reader decodes. Printed: milliseconds per letter and seconds for the
batch, for both.
"""

from __future__ import annotations

import argparse
import secrets
import time

import segno

SITE = "https://kompeten.sawahluntokota.go.id"


def links(n: int) -> list[str]:
    return [f"{SITE}/akun/tautan/{secrets.token_urlsafe(32)}/" for _ in range(n)]


def timed(urls: list[str], **options: object) -> float:
    start = time.perf_counter()
    for url in urls:
        segno.make(url, error="m", **options).svg_data_uri(scale=4, border=2)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="letters in the batch")
    n = parser.parse_args().n
    urls = links(n)
    baseline = timed(urls)
    fixed = timed(urls, mask=0)
    print(f"{n} letters")
    print(
        f"  baseline, segno's mask search: {baseline:6.2f} s  ({baseline / n * 1000:5.1f} ms/letter)"
    )
    print(f"  fixed mask (the letters page): {fixed:6.2f} s  ({fixed / n * 1000:5.1f} ms/letter)")
    print(f"  speed-up: {baseline / fixed:.1f}x")


if __name__ == "__main__":
    main()
