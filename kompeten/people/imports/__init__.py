"""The employee import: the ``employees`` declaration on the import engine, and the set-based
upsert behind it.

The engine (``kompeten.core.importing``) reads the file, finds the header row under SIASN's
title rows, recognises the source (a SIASN export, the Kompeten template — the employee list's
own export —, or other spellings), pre-fills and remembers the mapping and parses each cell with
the fields below. This module adds what is the registry's own:

1. :func:`plan_records` checks the parsed rows against each other and the database, set-based
   (one query per kind of lookup, never one per row): units matched by code (UNOR ID) or by name
   as people write it, a NIP in another instansi or outside a pengelola's subtree, atasan known
   and no cycle across the file and the database, and the diff (new / changed fields /
   unchanged). A NIP damaged by Excel, a unit not in the tree yet or an atasan that waits make
   the row *pending*, never lost.
2. :func:`do_import_employees` writes the clean rows in one transaction: batched inserts in
   supervisor order, updates of the changed fields only, employment events, one audit row.
3. :func:`offer_full_nips` lets other imports (attendance lists, score recaps) complete pending
   rows whose NIP Excel damaged, from the full NIP they carry beside the same name.

Running the same file twice changes nothing the second time.

The package is split by phase: ``values`` (the vocabularies people write), ``planning``
(checks and diff, reads only), ``writing`` (the SQL of one import) and ``declaration`` (the
engine's fields and sources, and the entry points). Import from the package, not the modules.
"""

from __future__ import annotations

from kompeten.people.imports.declaration import (
    EDUCATION_LEVELS,
    FIELD_BY_NAME,
    FIELDS,
    SIASN,
    SOURCES,
    TEMPLATE,
    EmployeeImportOptions,
    EmployeesImport,
    import_employees,
    import_scope,
    offer_full_nips,
    plan_import,
    units_to_create,
)
from kompeten.people.imports.planning import (
    BATCH_SIZE,
    ERROR_FIELD,
    EXISTING_FIELDS,
    NIP_DAMAGED,
    OPTIONAL_FIELDS,
    PREVIEW_ROWS,
    STORED_FIELDS,
    SUPERVISOR_PENDING,
    UNIT_UNKNOWN,
    ImportPlan,
    ImportResult,
    Problem,
    Progress,
    RowPlan,
    Table,
    UnitIndex,
    full_nips_in_pending_rows,
    plan_records,
)
from kompeten.people.imports.values import (
    ACTIVE_VALUES,
    EDUCATION_VALUES,
    ESELON_KIND,
    JABATAN_VALUES,
    ROMAN,
    ROMAN_17,
    ROMAN_NUMERALS,
    SEX_VALUES,
    STATUS_VALUES,
    STRUCTURAL_POSTS,
    parse_active,
    parse_education,
    parse_golongan,
    parse_jabatan_kind,
    parse_pppk_grade,
    parse_sex,
    parse_status,
    structural_level,
)
from kompeten.people.imports.writing import (
    do_import_employees,
)

__all__ = [
    "ACTIVE_VALUES",
    "BATCH_SIZE",
    "EDUCATION_LEVELS",
    "EDUCATION_VALUES",
    "ERROR_FIELD",
    "ESELON_KIND",
    "EXISTING_FIELDS",
    "FIELDS",
    "FIELD_BY_NAME",
    "JABATAN_VALUES",
    "NIP_DAMAGED",
    "OPTIONAL_FIELDS",
    "PREVIEW_ROWS",
    "ROMAN",
    "ROMAN_17",
    "ROMAN_NUMERALS",
    "SEX_VALUES",
    "SIASN",
    "SOURCES",
    "STATUS_VALUES",
    "STORED_FIELDS",
    "STRUCTURAL_POSTS",
    "SUPERVISOR_PENDING",
    "TEMPLATE",
    "UNIT_UNKNOWN",
    "EmployeeImportOptions",
    "EmployeesImport",
    "ImportPlan",
    "ImportResult",
    "Problem",
    "Progress",
    "RowPlan",
    "Table",
    "UnitIndex",
    "do_import_employees",
    "full_nips_in_pending_rows",
    "import_employees",
    "import_scope",
    "offer_full_nips",
    "parse_active",
    "parse_education",
    "parse_golongan",
    "parse_jabatan_kind",
    "parse_pppk_grade",
    "parse_sex",
    "parse_status",
    "plan_import",
    "plan_records",
    "structural_level",
    "units_to_create",
]
