"""`okrflow import FILE --cycle NAME`: create the OKRs of a file, all or nothing.

okrflow import okrs.txt --cycle "Q2 2026" --owner unit:Marketing --dry-run
okrflow import article.txt --cycle "Q1 2027" --map "Inbound Marketing=create" --create-missing
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from okrflow.engine.numbers import LANGUAGES
from okrflow.library.cli import finding_lines, problem_lines, read_input
from okrflow.library.formats import FORMATS, read_file
from okrflow.library.importer import ImportFailed, rehearse_import, run_import
from okrflow.library.mapping import HeadingMapper, MappingError, parse_mapping, read_mapping_file
from okrflow.library.owners import resolve_owner
from okrflow.library.preview import ImportPreview, build_preview
from okrflow.okrs.actions.objectives import owner_fields
from okrflow.okrs.management.commands.okrs import find_cycle
from okrflow.okrs.models import Objective
from okrflow.org.access import access_for


def plan_lines(preview: ImportPreview) -> Iterator[str]:
    """The preview's lines, made as they are written: never the whole listing at once."""
    for plan in preview.objectives:
        heading = f" [{plan.heading}]" if plan.heading else ""
        yield f"  O  line {plan.line or '-':<5} {plan.owner_label}{heading}: {plan.title}"
        for kr in plan.key_results:
            yield f"     line {kr.line or '-':<5} KR [{kr.shape}] {kr.title}  (due {kr.due_date})"


def importing_user(username: str | None, default_owner: Any) -> Any:
    """Return the --as user, refused before the file is read if they may not import at all."""
    if not username:
        return None
    user = get_user_model().objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"--as: no user named “{username}”.")
    access = access_for(user)
    if not access.is_member:
        raise CommandError(f"--as: {username} is not a member of this organisation.")
    # The objective action's own test, on the owner alone.
    if default_owner is not None and not access.can_edit_objective(
        Objective(**owner_fields(default_owner))
    ):
        raise CommandError(f"--as: {username} cannot create objectives for that --owner.")
    return user


def heading_mapper(options: dict[str, Any]) -> HeadingMapper:
    """The --map, --map-file and --create-missing options, read before the file is."""
    try:
        mapping: dict[str, str] = {}
        if options["map_file"]:
            path = Path(options["map_file"])
            try:
                text = path.read_text(encoding="utf-8-sig")
            except (OSError, UnicodeDecodeError) as error:
                raise CommandError(f"--map-file: cannot read {path}: {error}") from error
            mapping |= read_mapping_file(text, str(path))
        mapping |= parse_mapping(options["map"])
    except MappingError as error:
        raise CommandError(str(error)) from error
    return HeadingMapper(mapping, create_missing=options["create_missing"])


class Command(BaseCommand):
    help = (
        "Import OKRs from a text, md, csv, xlsx or json file into a cycle. Everything is checked "
        "first; any error means nothing is saved."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="The file to import.")
        parser.add_argument("--cycle", required=True, help="Cycle name, e.g. “Q2 2026”.")
        parser.add_argument(
            "--owner",
            help="Owner of objectives whose heading or owner column names no known owner: "
            "a username, a full name, unit:NAME or project:NAME.",
        )
        parser.add_argument(
            "--map",
            action="append",
            default=[],
            metavar="HEADING=OWNER",
            help="Map a heading to an owner (username, full name, unit:NAME, project:NAME), to "
            "“create” (a new project named as the heading), to “skip” (leave its objectives out), "
            "or to another mapped heading. Repeatable.",
        )
        parser.add_argument(
            "--map-file",
            metavar="FILE",
            help="Mappings, one HEADING=OWNER a line (“#” comments), or a JSON object.",
        )
        parser.add_argument(
            "--create-missing",
            action="store_true",
            help="Create every heading that names no owner as a project.",
        )
        parser.add_argument(
            "--on-duplicate",
            choices=("skip", "update"),
            help="Objectives the cycle already has (same title and owner): skip them, or update "
            "them (add missing key results and initiatives). Without it they are errors.",
        )
        parser.add_argument("--format", choices=FORMATS, help="Default: from the file name.")
        parser.add_argument(
            "--lang", choices=LANGUAGES, help="Language of sentences and numbers (default: vi)."
        )
        parser.add_argument(
            "--dry-run", action="store_true", help="Check and show the preview; save nothing."
        )
        parser.add_argument("--json", action="store_true", help="Print the preview as JSON.")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Import as this person, with their permissions (default: the system).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        # The cycle and owner are settled before the file is read, as on the web page.
        cycle = find_cycle(options["cycle"])
        if cycle.is_closed:
            raise CommandError(f"{cycle.name} is closed: nothing can be imported into it.")
        default_owner = None
        if options["owner"]:
            match = resolve_owner(options["owner"])
            if match.owner is None:
                raise CommandError(f"--owner: {match.error}")
            default_owner = match.owner
        actor = importing_user(options["as_user"], default_owner)
        mapper = heading_mapper(options)
        content, format_name = read_input(options["file"], options["format"])
        read = read_file(content, format_name)
        del content  # the file's bytes are not needed again: a large file's memory goes back
        lang = options["lang"]
        preview = build_preview(
            read,
            cycle,
            actor,
            default_owner=default_owner,
            lang=lang,
            number_lang=lang or "vi",
            mapper=mapper,
            on_duplicate=options["on_duplicate"] or "",
        )
        del read
        if options["dry_run"]:
            preview.problems = rehearse_import(None, preview) + preview.problems
        self.report(preview, options["json"])
        if preview.errors:
            raise CommandError(
                f"Nothing was imported: {len(preview.errors)} error(s) in {options['file']}."
            )
        # With --json, standard output holds only the JSON document; notes go to stderr.
        say = self.stderr.write if options["json"] else self.stdout.write
        if options["dry_run"]:
            say("Dry run: nothing was saved.")
            return
        try:
            result = run_import(actor, preview)
        except ImportFailed as failure:
            self.stderr.write("\n".join(problem_lines(failure.problems)))
            raise CommandError("Nothing was imported.") from failure
        say(
            f"Imported {len(result.objectives)} objectives and {result.key_results} key results "
            f"into {cycle.name}: {result.alignments} alignments, {result.initiatives} initiatives, "
            f"{result.projects} new projects, {result.updated} updated, "
            f"{result.skipped} skipped duplicates."
        )
        for warning in result.warnings:
            say(f"  note: {warning}")

    def report(self, preview: ImportPreview, as_json: bool) -> None:
        if as_json:
            data = {
                "format": preview.format,
                "cycle": preview.cycle.name,
                "objectives": len(preview.objectives),
                "key_results": preview.key_result_count,
                "problems": [p.to_json() for p in preview.sorted_problems()],
                "findings": [f.to_json() for f in preview.findings],
            }
            data |= {
                "alignments": preview.alignment_count,
                "initiatives": preview.initiative_count,
                "unknown_owners": preview.unknown_owners,
                "duplicates": len(preview.duplicates),
            }
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            f"{preview.cycle.name}: {len(preview.objectives)} objectives, "
            f"{preview.key_result_count} key results, {preview.alignment_count} alignments, "
            f"{preview.initiative_count} initiatives ({preview.format})"
        )
        if preview.unknown_owners:
            self.stdout.write(
                "Headings that name no owner (give --map “HEADING=OWNER”, “HEADING=create” or "
                "“HEADING=skip”, or --create-missing): "
                + ", ".join(f"“{h}”" for h in dict.fromkeys(preview.unknown_owners))
            )
        self.write_lines(plan_lines(preview))
        if preview.problems:
            self.stdout.write("Problems:")
            self.write_lines(problem_lines(preview.sorted_problems()))
        warnings = [f for f in preview.findings if f.severity == "warning"]
        if warnings:
            self.stdout.write(
                f"Quality notes ({len(warnings)} warnings; run `okrflow lint` for all):"
            )
            self.write_lines(finding_lines(warnings))

    def write_lines(self, lines: Iterable[str]) -> None:
        for line in lines:
            self.stdout.write(line)
