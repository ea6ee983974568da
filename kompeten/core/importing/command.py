"""The one import CLI: ``kompeten import <key> FILE [--instansi CODE] [--sheet S | --all-sheets]
[--map "Header=field" ...] [--partial] [--dry-run] [--problems FILE.xlsx] [--user LOGIN]``.

An app's command is ``class Command(ImportCommand): declaration_key = "skm"``; options of the
declaration's ``options_form`` are added by overriding :meth:`add_options` with arguments whose
``dest`` is the form field's name.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError, CommandParser
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kompeten.core import formatting
from kompeten.core.commands import KompetenCommand
from kompeten.core.importing import engine
from kompeten.core.importing.declare import Declaration, Row, get
from kompeten.core.importing.reader import ReadError
from kompeten.core.models import Instansi, User


def _count(n: int) -> str:
    """A count as people read it in the active language (1.234 / 1,234)."""
    return formatting.number(n, 0)


class ImportCommand(KompetenCommand):
    declaration_key = ""
    # Django's system checks load every URL and view (scipy, matplotlib: 3 s of a 4 s start);
    # an import needs none of them, and `kompeten check` / the web server still run them.
    requires_system_checks: list[str] = []

    @property
    def help(self) -> str:  # type: ignore[override]
        declaration = get(self.declaration_key)
        return _("Impor {label} dari berkas XLSX/CSV (mesin impor Kompeten).").format(
            label=declaration.label
        )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "paths", nargs="+", metavar="FILE", help=_("berkas (atau: KODE_INSTANSI BERKAS)")
        )
        parser.add_argument("--instansi", help=_("kode instansi (bawaan: satu-satunya instansi)"))
        parser.add_argument(
            "--sheet",
            help=_(
                "nama lembar kerja (bawaan: lembar yang memuat kolom impor ini, yang pertama "
                "bila cocok)"
            ),
        )
        parser.add_argument(
            "--all-sheets",
            action="store_true",
            help=_(
                "impor juga setiap lembar lain dengan judul kolom yang sama (satu lembar per "
                "OPD, per semester), satu impor per lembar; tidak ada yang disimpan bila satu "
                "lembar bermasalah; lembar tersembunyi dilewati"
            ),
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADER=FIELD",
            help=_('pemetaan kolom, mis. --map "No Tiket=tracking_number"; FIELD kosong = abaikan'),
        )
        parser.add_argument(
            "--partial",
            action="store_true",
            help=_("impor baris yang bersih, simpan sisanya sebagai tertunda"),
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("periksa saja: tampilkan masalah dan jumlah baris tanpa menyimpan apa pun"),
        )
        parser.add_argument(
            "--problems", metavar="FILE.xlsx", help=_("tulis daftar masalah ke XLSX")
        )
        parser.add_argument("--user", help=_("login pengguna yang menjalankan impor"))
        self.add_options(parser)

    def add_options(self, parser: CommandParser) -> None:
        """Add the declaration's own options (dest = the options form's field names)."""

    def options(
        self, opts: dict[str, Any], instansi: Instansi, user: User | None
    ) -> dict[str, Any]:
        """Clean the declaration's options through its options form."""
        declaration = get(self.declaration_key)
        form_class = declaration.options_form
        if form_class is None:
            return {}
        names = list(form_class.base_fields)
        data = {n: opts[n] for n in names if opts.get(n) is not None}
        form = form_class(data=data, instansi=instansi, user=user)
        if not form.is_valid():
            lines = [
                f"--{name.replace('_', '-')}: {' '.join(str(e) for e in errs)}"
                for name, errs in form.errors.items()
            ]
            raise CommandError("\n".join(lines))
        return dict(form.cleaned_data)

    def _instansi(self, code: str | None, user: User | None) -> Instansi:
        if code:
            found = Instansi.objects.filter(code=code).first()
            if found is None:
                raise CommandError(_("Instansi {code} tidak dikenal").format(code=repr(code)))
            return found
        if user is not None and user.instansi is not None:
            return user.instansi
        all_ = list(Instansi.objects.all()[:2])
        if len(all_) == 1:
            return all_[0]
        if not all_:
            raise CommandError(_("Belum ada instansi: jalankan `kompeten setup` dahulu."))
        raise CommandError(_("Ada beberapa instansi: sebutkan --instansi KODE."))

    def _mapping(self, pairs: list[str]) -> dict[str, str]:
        mapping: dict[str, str] = {}
        for pair in pairs:
            if "=" not in pair:
                raise CommandError(
                    _('--map {pair}: tulis sebagai "Judul Kolom=nama_field".').format(
                        pair=repr(pair)
                    )
                )
            header, name = pair.rsplit("=", 1)
            mapping[header.strip()] = name.strip()
        return mapping

    def _plan(
        self, declaration: Declaration, opts: dict[str, Any], sheet: str | None = None
    ) -> engine.Plan:
        """The file named on the command line, read and checked (nothing written): the sheet
        given, else --sheet's, else the one that holds this import's table."""
        paths = opts["paths"]
        code = opts.get("instansi")
        if len(paths) == 2 and not code:
            code, paths = paths[0], paths[1:]  # the older form: CODE FILE
        if len(paths) != 1:
            raise CommandError(_("Sebutkan satu berkas."))
        user = self._user(declaration, opts.get("user"))
        instansi = self._instansi(code, user)
        path = Path(paths[0])
        if not path.is_file():
            raise CommandError(_("Berkas {path} tidak ditemukan").format(path=path))
        options = self.options(opts, instansi, user)
        try:
            the_plan = engine.plan(
                declaration,
                path.read_bytes(),
                path.name,
                instansi=instansi,
                user=user,
                options=options,
                mapping=self._mapping(opts["map"]),
                sheet=sheet or opts.get("sheet"),
                command_line=True,
            )
        except ReadError as exc:
            raise CommandError(exc.message) from None
        return the_plan

    def handle(self, *args: Any, **opts: Any) -> None:
        declaration = get(self.declaration_key)
        if opts.get("all_sheets") and opts.get("sheet"):
            raise CommandError(
                _(
                    "--all-sheets membaca lembar yang memuat tabel impor ini dan setiap lembar "
                    "lain dengan judul kolom yang sama: jangan sebutkan --sheet."
                )
            )
        the_plan = self._plan(declaration, opts)
        if opts.get("all_sheets") and (the_plan.alike or the_plan.hidden_alike):
            self._import_sheets(declaration, the_plan, opts)
        else:
            self._import(the_plan, opts, opts.get("problems"))

    def _import_sheets(
        self, declaration: Declaration, first: engine.Plan, opts: dict[str, Any]
    ) -> None:
        """The chosen sheet and every other sheet with its table, one import run a sheet, in
        the workbook's order. Every sheet is checked before anything is written: one that would
        be refused refuses them all. Each later sheet is read again just before it is written,
        so that it sees what the sheets before it wrote (the units they created). Hidden sheets
        with the table are skipped, and named: an older draft must not overwrite the rows."""
        if first.hidden_alike:
            hidden = [name for name, _n in first.hidden_alike]
            self.stdout.write(
                ngettext(
                    "Lembar kerja tersembunyi tidak diimpor dengan --all-sheets: {sheets}.",
                    "Lembar kerja tersembunyi tidak diimpor dengan --all-sheets: {sheets}.",
                    len(hidden),
                ).format(sheets=", ".join(hidden))
            )
        partial = bool(opts.get("partial"))
        plans = [first, *(self._plan(declaration, opts, sheet) for sheet, _n in first.alike)]
        refused = [p for p in plans if p.file_problems or not (partial or p.is_clean)]
        if refused and not opts.get("dry_run"):
            lines = []
            for the_plan in refused:
                lines.append(_("Lembar kerja {sheet}:").format(sheet=the_plan.sheet))
                lines += [f"  {line}" for line in self._unclean_lines(the_plan)]
            if not partial and not any(p.file_problems for p in refused):
                lines.append(self._partial_hint())
            raise CommandError(_("Tidak ada yang disimpan:") + "\n" + "\n".join(lines))
        dry_run = bool(opts.get("dry_run"))
        written: list[str] = []
        refusals = 0
        for n, the_plan in enumerate(plans, start=1):
            if written and not dry_run:
                the_plan = self._plan(declaration, opts, the_plan.sheet)
            self.stdout.write(
                _("Lembar kerja {sheet} ({n} dari {total}):").format(
                    sheet=the_plan.sheet, n=_count(n), total=_count(len(plans))
                )
            )
            problems = opts.get("problems")
            if problems:
                path = Path(problems)
                problems = str(path.with_name(f"{path.stem} - {the_plan.sheet}{path.suffix}"))
            try:
                self._import(the_plan, opts, problems, sheet_said=True)
            except CommandError as exc:
                if dry_run:  # the check goes on: every sheet's problems are said
                    self.stdout.write(str(exc))
                    refusals += 1
                    continue
                if not written:
                    raise
                raise CommandError(
                    f"{exc}\n"
                    + _("Lembar yang sudah tersimpan: {sheets}.").format(sheets=", ".join(written))
                ) from None
            written.append(the_plan.sheet)
        if refusals:
            raise CommandError(
                ngettext(
                    "Pemeriksaan saja: {n} lembar akan ditolak.",
                    "Pemeriksaan saja: {n} lembar akan ditolak.",
                    refusals,
                ).format(n=_count(refusals))
            )

    def _import(
        self,
        the_plan: engine.Plan,
        opts: dict[str, Any],
        problems: str | None,
        *,
        sheet_said: bool = False,
    ) -> None:
        """One sheet's import: what the reading decided, then the check or the commit."""
        self._report_reading(the_plan, sheet_said=sheet_said)
        if int(opts.get("verbosity", 1)) >= 2:
            self._describe(the_plan)
        if problems and (the_plan.problems or the_plan.pending_rows):
            Path(problems).write_bytes(engine.problem_workbook(the_plan))
            self.stdout.write(_("Daftar masalah ditulis ke {path}.").format(path=problems))
        partial = bool(opts.get("partial"))
        if opts.get("dry_run"):
            self._dry_run(the_plan, partial)
            return
        self._refuse_unclean(the_plan, partial)
        if the_plan.ctx is not None:
            the_plan.ctx.progress = self._progress
        try:
            outcome = engine.commit(the_plan, partial=partial)
        except ValidationError as exc:
            raise CommandError(
                _("Tidak ada yang disimpan:") + "\n" + "\n".join(exc.messages)
            ) from None
        self._pending_lines([r for r in the_plan.pending_rows if r.number in outcome.waiting])
        self._warning_lines(the_plan)
        self.stdout.write(self.summary(outcome, the_plan))

    def _report_reading(self, the_plan: engine.Plan, *, sheet_said: bool = False) -> None:
        """What the reading decided that the user should know before anything is written: the
        sheet read, the plan's notes and the units the import creates (with --all-sheets, the
        sheet is said before and the sheets still to come are not notes)."""
        notes = the_plan.ctx.notes if sheet_said and the_plan.ctx else the_plan.notes
        if len(the_plan.sheet_names) > 1 and not sheet_said:
            sheets = len(the_plan.sheet_names)
            self.stdout.write(
                ngettext(
                    "Lembar kerja dibaca: {sheet} (satu dari {n} lembar; lembar lain dengan "
                    "--sheet).",
                    "Lembar kerja dibaca: {sheet} (satu dari {n} lembar; lembar lain dengan "
                    "--sheet).",
                    sheets,
                ).format(sheet=the_plan.sheet, n=_count(sheets))
            )
        for note in notes:
            self.stdout.write(_("Catatan: {note}").format(note=note))
        to_create = the_plan.ctx.lookups.get("units_to_create") if the_plan.ctx else None
        if to_create:
            self.stdout.write(_("Unit yang dibuat ({n}):").format(n=_count(len(to_create))))
            for line in to_create:
                self.stdout.write(f"  {line}")

    def _user(self, declaration: Declaration, login: str | None) -> User | None:
        """The user named by --user (None without it), who must be allowed this import."""
        if not login:
            return None
        user = User.objects.select_related("instansi").filter(username=login).first()
        if user is None:
            raise CommandError(_("Pengguna {login} tidak dikenal").format(login=repr(login)))
        if not declaration.permission(user):
            raise CommandError(
                _("Pengguna {username} tidak berwenang menjalankan impor ini").format(
                    username=user.username
                )
            )
        return user

    def _refuse_unclean(self, the_plan: engine.Plan, partial: bool) -> None:
        """Nothing is written when the file has problems, or (without --partial) any row has
        a problem or is pending: every problem and pending row is listed."""
        if not the_plan.file_problems and (partial or the_plan.is_clean):
            return
        lines = self._unclean_lines(the_plan)
        if not (partial or the_plan.file_problems):
            lines.append(self._partial_hint())
        raise CommandError(_("Tidak ada yang disimpan:") + "\n" + "\n".join(lines))

    @staticmethod
    def _unclean_lines(the_plan: engine.Plan) -> list[str]:
        """Every problem, then every row pending without one."""
        lines = [engine.describe_problem(p) for p in the_plan.problems]
        lines += [
            _("Baris {number}: tertunda — {message}").format(
                number=r.number, message=r.pending_message
            )
            for r in the_plan.pending_rows
            if not r.problems
        ]
        return lines

    @staticmethod
    def _partial_hint() -> str:
        return _(
            "Gunakan --partial untuk mengimpor baris yang bersih dan menyimpan sisanya sebagai "
            "tertunda."
        )

    def _pending_lines(self, rows: list[Row]) -> None:
        """One line a row kept (or to be kept) pending, with why."""
        for row in rows:
            if row.pending_message:
                self.stdout.write(
                    _("Tertunda baris {number}: {message}").format(
                        number=row.number, message=row.pending_message
                    )
                )
            else:  # each problem names its row and column already
                problems = "; ".join(engine.describe_problem(p) for p in row.problems)
                self.stdout.write(_("Tertunda: {m}").format(m=problems))

    def _warning_lines(self, the_plan: engine.Plan) -> None:
        for number, warning in the_plan.warnings:
            self.stdout.write(
                _("Peringatan baris {number}: {warning}").format(number=number, warning=warning)
            )

    def _dry_run(self, the_plan: engine.Plan, partial: bool) -> None:
        """The check alone: what an import would refuse, keep aside or warn of, and how many
        rows it would write; nothing is written (a plan never writes)."""
        self._warning_lines(the_plan)
        self._refuse_unclean(the_plan, partial)
        if partial:
            self._pending_lines(the_plan.pending_rows)
        counts = the_plan.counts
        clean, skipped, copies = counts["clean"], counts["skipped"], counts["copies"]
        pending = counts["rows"] - clean - skipped - copies
        parts = [
            ngettext("{n} baris siap diimpor", "{n} baris siap diimpor", clean).format(
                n=_count(clean)
            )
        ]
        if skipped:
            parts.append(
                ngettext(
                    "{n} baris sudah tersimpan dan akan dilewati",
                    "{n} baris sudah tersimpan dan akan dilewati",
                    skipped,
                ).format(n=_count(skipped))
            )
        if copies:
            parts.append(
                ngettext(
                    "{n} baris salinan baris lain di berkas ini akan dilewati",
                    "{n} baris salinan baris lain di berkas ini akan dilewati",
                    copies,
                ).format(n=_count(copies))
            )
        if pending:
            parts.append(
                ngettext("{n} baris akan tertunda", "{n} baris akan tertunda", pending).format(
                    n=_count(pending)
                )
            )
        self.stdout.write(
            _("Pemeriksaan saja, tidak ada yang disimpan: {counts}.").format(
                counts=", ".join(parts)
            )
        )

    def _progress(self, message: str) -> None:
        self.stderr.write(message)
        self.stderr.flush()

    def _describe(self, the_plan: engine.Plan) -> None:
        source = the_plan.source.label if the_plan.source else _("tidak dikenali")
        self.stdout.write(
            _("Sumber: {source}; judul kolom di baris {row}.").format(
                source=source, row=the_plan.header_row
            )
        )
        if the_plan.ignored_columns:
            self.stdout.write(
                _("Kolom diabaikan: {columns}").format(columns=", ".join(the_plan.ignored_columns))
            )

    def summary(self, outcome: engine.Outcome, the_plan: engine.Plan) -> str:
        """The import's one-line result: rows imported, what they wrote, what waits."""
        said = the_plan.declaration.count_label
        text = ngettext("{n} baris diimpor", "{n} baris diimpor", outcome.imported).format(
            n=_count(outcome.imported)
        )
        # "pengaduan baru: 2": a count's label is one phrase, which reads right after any number
        written = ", ".join(f"{said(k)}: {_count(v)}" for k, v in outcome.written.items())
        if written:
            text += f" ({written})"
        if outcome.pending:
            text += "; " + ngettext(
                "{n} baris tertunda (lihat /impor/tertunda/)",
                "{n} baris tertunda (lihat /impor/tertunda/)",
                outcome.pending,
            ).format(n=_count(outcome.pending))
        if outcome.already_pending:
            text += ", " + ngettext(
                "{n} di antaranya sudah tertunda dari impor sebelumnya (tidak disimpan dua kali)",
                "{n} di antaranya sudah tertunda dari impor sebelumnya (tidak disimpan dua kali)",
                len(outcome.already_pending),
            ).format(n=_count(len(outcome.already_pending)))
        return text + "".join("; " + clause for clause in self._afterwards(outcome)) + "."

    def _afterwards(self, outcome: engine.Outcome) -> list[str]:
        """What the import did to the pending rows of earlier imports."""
        clauses = []
        if outcome.replaced_pending:
            clauses.append(
                ngettext(
                    "{n} baris tertunda dari impor sebelumnya diganti oleh baris berkas ini "
                    "untuk data yang sama",
                    "{n} baris tertunda dari impor sebelumnya diganti oleh baris berkas ini "
                    "untuk data yang sama",
                    outcome.replaced_pending,
                ).format(n=_count(outcome.replaced_pending))
            )
        if outcome.settled:
            clauses.append(
                ngettext(
                    "{n} baris yang sempat tertunda diselesaikan otomatis dalam impor ini",
                    "{n} baris yang sempat tertunda diselesaikan otomatis dalam impor ini",
                    outcome.settled,
                ).format(n=_count(outcome.settled))
            )
        if outcome.resolved:
            clauses.append(
                ngettext(
                    "{n} baris tertunda dari impor sebelumnya kini selesai",
                    "{n} baris tertunda dari impor sebelumnya kini selesai",
                    outcome.resolved,
                ).format(n=_count(outcome.resolved))
            )
        return clauses
