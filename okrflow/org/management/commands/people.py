"""`okrflow people import FILE [--dry-run]` and `okrflow people export [--format F] [-o FILE]`.

okrflow people import people.csv --dry-run
okrflow people export --format xlsx -o people.xlsx
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from okrflow.library.uploads import MAX_COMMAND_IMPORT_BYTES, too_large_message
from okrflow.org.access import access_for
from okrflow.org.people_export import EXPORT_FORMATS, export_people
from okrflow.org.people_files import UnreadableFile, read_table
from okrflow.org.people_import import build_preview
from okrflow.org.people_plan import ImportFailed, PeoplePreview, PersonLine
from okrflow.org.people_write import import_people


def read_file(path: str) -> bytes:
    """Return a file's bytes, refused by its size before a byte is read (as the web upload is)."""
    file = Path(path)
    if not file.is_file():
        raise CommandError(_("No such file: %(path)s") % {"path": path})
    try:
        if file.stat().st_size > MAX_COMMAND_IMPORT_BYTES:
            raise CommandError(f"{path}: {too_large_message(MAX_COMMAND_IMPORT_BYTES)}")
        return file.read_bytes()
    except OSError as error:
        raise CommandError(f"{path}: {error.strerror}") from error


def importing_user(username: str | None) -> Any:
    """Return the --as user, who must be an OKR admin; None imports as the system."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None or not access_for(user).is_admin:
        raise CommandError(_("--as: %(name)s is not an OKR admin.") % {"name": username})
    return user


def person_line(person: PersonLine) -> str:
    changes = "; ".join(
        f"{change.field}: {change.before or '—'} → {change.after or '—'}"
        if change.before
        else f"{change.field}: {change.after}"
        for change in person.changes
    )
    line = _("line")
    return f"  {line} {person.line:<6} {person.email}  {person.full_name}  ({changes})"


def preview_lines(preview: PeoplePreview) -> list[str]:
    """Describe a preview as the web page's table does, one line per person and problem."""
    lines = [
        _(
            "%(rows)d rows: %(created)d to create, %(updated)d to update, %(unchanged)d "
            "unchanged; %(units)d units to create."
        )
        % {
            "rows": preview.row_count,
            "created": len(preview.created),
            "updated": len(preview.updated),
            "unchanged": preview.unchanged,
            "units": len(preview.new_units),
        }
    ]
    if preview.ignored_columns:
        lines.append(
            _("Columns not read: %(columns)s") % {"columns": ", ".join(preview.ignored_columns)}
        )
    if preview.new_units:
        lines.append(_("Units to create:"))
        lines += [f"  {path}" for path in preview.new_units]
    if preview.created:
        lines.append(_("People to create:"))
        lines += [person_line(person) for person in preview.created]
    if preview.updated:
        lines.append(_("People to update:"))
        lines += [person_line(person) for person in preview.updated]
    if preview.problems:
        lines.append(_("Problems (%(count)d):") % {"count": len(preview.problems)})
        for problem in preview.sorted_problems():
            where = _("line %(number)d") % {"number": problem.line} if problem.line else _("file")
            lines.append(f"  {where:<11} {problem.message}")
    return lines


class Command(BaseCommand):
    help = "Import people from a CSV or XLSX file (all or nothing), or export everyone."

    def add_arguments(self, parser: CommandParser) -> None:
        commands = parser.add_subparsers(dest="subcommand", required=True)
        importing = commands.add_parser(
            "import", help="Import people; everything is checked first, any problem saves nothing."
        )
        importing.add_argument("file", help="A CSV (UTF-8, comma or semicolon) or XLSX file.")
        importing.add_argument(
            "--dry-run", action="store_true", help="Check and show the preview; save nothing."
        )
        importing.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Import as this OKR admin, named in the audit log (default: the system).",
        )
        exporting = commands.add_parser("export", help="Write everyone as CSV or XLSX.")
        for subcommand in (importing, exporting):
            subcommand.add_argument(
                "--lang", choices=("en", "vi"), default="en", help="Language of the messages."
            )
        exporting.add_argument("--format", choices=EXPORT_FORMATS, default="csv")
        exporting.add_argument(
            "-o", "--output", help="Write to this file (default: standard output)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["lang"]):
            if options["subcommand"] == "import":
                self.import_file(options)
            else:
                self.export(options)

    def import_file(self, options: dict[str, Any]) -> None:
        actor = importing_user(options["as_user"])
        content = read_file(options["file"])
        try:
            table = read_table(content, options["file"])
        except UnreadableFile as error:
            raise CommandError(f"{options['file']}: {error}") from error
        preview = build_preview(table, actor)
        self.stdout.write("\n".join(preview_lines(preview)))
        if preview.problems:
            count = len(preview.problems)
            raise CommandError(
                ngettext(
                    "Nothing was imported: %(count)d problem.",
                    "Nothing was imported: %(count)d problems.",
                    count,
                )
                % {"count": count}
            )
        if options["dry_run"]:
            self.stdout.write(_("Dry run: nothing was saved."))
            return
        try:
            import_people(actor, preview)
        except ImportFailed as failure:
            raise CommandError(
                " ".join(problem.message for problem in failure.problems)
            ) from failure
        self.stdout.write(_("Imported: %(changes)d changes.") % {"changes": preview.change_count})

    def export(self, options: dict[str, Any]) -> None:
        body = export_people(options["format"])
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(body)
            except OSError as error:
                raise CommandError(f"{options['output']}: {error.strerror}") from error
            self.stderr.write(
                _("Wrote %(count)d bytes to %(path)s.")
                % {"count": len(body), "path": options["output"]}
            )
            return
        if options["format"] == "xlsx":
            raise CommandError(_("XLSX is binary; write it to a file with -o FILE."))
        self.stdout.write(body.decode("utf-8"), ending="")
