"""Import a member roster (.xlsx) into one association, all or nothing.

    python manage.py import_members FILE.xlsx --association ZJ [--dry-run]
    python manage.py import_members --template FILE.xlsx

Exit codes: 0 imported (or the dry run found no problem), 1 the file has problems and
nothing was written, 2 wrong usage (no such file or association).
The import is recorded in the audit log as one event with the source 命令行导入.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.translation import gettext as _

from associations.models import Association
from members.importer import SOURCE_COMMAND, roster_import
from members.roster import write_template

EXIT_PROBLEMS = 1
EXIT_USAGE = 2


class Command(BaseCommand):
    help = "Import a member roster (.xlsx) into an association, or write the import template."

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", help="the roster workbook (.xlsx)")
        parser.add_argument(
            "--association", help="code, name or short name of the association, e.g. ZJ"
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="check and count only; write nothing"
        )
        parser.add_argument("--template", metavar="FILE", help="write the import template here")

    def handle(self, *args, file=None, association=None, dry_run=False, template=None, **options):
        if template:
            write_template(template)
            self.stdout.write(_("Import template written to %(path)s.") % {"path": template})
            return
        if not file:
            raise CommandError(
                _("Name the roster file, or use --template FILE to write the template."),
                returncode=EXIT_USAGE,
            )
        if not association:
            raise CommandError(
                _("Name the association with --association (its code or name)."),
                returncode=EXIT_USAGE,
            )
        target = Association.objects.filter(
            Q(code__iexact=association) | Q(name=association) | Q(short_name=association)
        ).first()
        if target is None:
            known = ", ".join(
                f"{a.code} {a.name}" for a in Association.objects.order_by("sort_order", "id")
            )
            raise CommandError(
                _("There is no association %(value)s. Known associations: %(known)s.")
                % {"value": association, "known": known},
                returncode=EXIT_USAGE,
            )
        path = Path(file)
        if not path.is_file():
            raise CommandError(
                _("The file %(path)s does not exist.") % {"path": file}, returncode=EXIT_USAGE
            )

        with path.open("rb") as fileobj:
            report = roster_import(
                fileobj=fileobj,
                association=target,
                actor=None,
                dry_run=dry_run,
                file_name=path.name,
                source=SOURCE_COMMAND,
            )
        self._print(report)
        if not report.ok:
            raise CommandError(
                _("Nothing was imported: %(count)d problem(s) found.")
                % {"count": len(report.errors)},
                returncode=EXIT_PROBLEMS,
            )

    def _line(self, item) -> str:
        where = _("row %(row)d") % {"row": item.row} if item.row else _("whole file")
        column = f" [{item.column}]" if item.column else ""
        return f"  {where}{column}: {item.message}"

    def _print(self, report) -> None:
        out = self.stdout
        out.write(
            _("Roster %(file)s, association %(association)s")
            % {"file": report.file_name, "association": report.association.name}
        )
        if report.errors:
            out.write(_("Problems (nothing was imported):"))
            for item in report.errors:
                out.write(self._line(item))
        if report.warnings:
            out.write(_("Warnings:"))
            for item in report.warnings:
                out.write(self._line(item))
        if report.errors:
            return
        if report.written:
            out.write(_("Imported."))
        else:
            out.write(_("Check passed; nothing was written (dry run)."))
        if report.written:
            summary = _(
                "Rows read: %(rows)d; people created: %(people)d; people reused: "
                "%(reused)d; memberships created: %(memberships)d; skipped (already "
                "members): %(skipped)d; warnings: %(warnings)d; %(seconds).1f s."
            )
        else:
            summary = _(
                "Rows read: %(rows)d; people to create: %(people)d; people to reuse: "
                "%(reused)d; memberships to create: %(memberships)d; to skip (already "
                "members): %(skipped)d; warnings: %(warnings)d; %(seconds).1f s."
            )
        out.write(
            summary
            % {
                "rows": report.rows_read,
                "people": report.created_people,
                "reused": report.reused_people,
                "memberships": report.created_memberships,
                "skipped": report.skipped_count,
                "warnings": len(report.warnings),
                "seconds": report.seconds,
            }
        )
