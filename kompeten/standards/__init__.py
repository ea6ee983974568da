"""Indonesian regulation rules for Kompeten — pure Python, no Django.

Every number that comes from a regulation lives in a versioned, frozen table object carrying its
``regulation`` (citation), ``effective_from`` date and ``confidence`` ("HIGH", "MED", "LOW", as in
the domain reference). Functions take the table as an argument, defaulting to the current one, so
the Django side can build tables from admin-edited rows; MED/LOW tables have ``to_dict()`` /
``from_dict()`` for JSON storage. Values are computed at full precision; the only rounding is where
a regulation categorises on the displayed (2-decimal, half-up) value.

Modules
-------
nip
    Parse and validate the 18-digit NIP (PNS and PPPK), format it, check it against stored data.
ikm
    SKM questionnaires (PermenPANRB 14/2017, Kepmenpan 25/2004, custom), NRR, IKM, categories and
    margins of error from per-unsur sufficient statistics.
sampling
    Krejcie–Morgan and Slovin sample sizes; adequacy of a survey's responses.
pangkat
    The seventeen pangkat and their golongan/ruang (PP 99/2000 jo. PP 12/2002).
skp
    SKP predikat from hasil kerja × perilaku (PermenPANRB 6/2022).
ip_asn
    Indeks Profesionalitas ASN (PermenPANRB 38/2018, Peraturan BKN 8/2019).
jp
    Jam pelajaran: minutes → JP, yearly targets (PNS ≥ 20, PPPK ≤ 24), klasikal/nonklasikal forms,
    JP crediting rules.
workdays
    Working days (weekends, national holidays from ``holidays``, cuti bersama), vectorised.
sla
    SP4N-LAPOR! time limits and the state of a complaint against them.
score_bands
    LAN trainer/organiser score bands; Likert mean → 0–100 index.

See ``docs/regulations.md`` for each rule's source, confidence and which table the admin edits.
"""

__all__ = [
    "ikm",
    "ip_asn",
    "jp",
    "nip",
    "pangkat",
    "sampling",
    "score_bands",
    "skp",
    "sla",
    "workdays",
]
