"""Map the owners a file names by level, role or type ("Công ty Marketing", "Trưởng phòng
Marketing", "Inbound Marketing") to the organisation, and let the person map the rest.

A heading is resolved, in order, by:
1. the person's mapping for it ("HEADING=owner", "HEADING=create", "HEADING=skip", or the name
   of another mapped heading, followed until it ends — a loop is refused);
2. `resolve_owner` (a username, a full name, a unit's, project's or job title's exact name);
3. its level: "Công ty …" → the company (the root unit), "Phòng X" → the one unit named like
   "Phòng X", "Trưởng phòng X" → that unit's lead;
4. `--create-missing` (the web page's "create"): a new project named as the heading.
What is still unknown is listed, for the person to map; nothing is saved until every heading
has an owner or is skipped.
"""

from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from okrflow.library.headings import heading_level
from okrflow.library.owners import OwnerMatch, owner_name, resolve_owner
from okrflow.org.models import OrgUnit, Person, Project

SKIP = "skip"
CREATE = "create"
SKIP_WORDS = {"skip", "bỏ qua", "-"}
CREATE_WORDS = {"create", "tạo", "+", "project:+", "new project", "dự án mới"}


def heading_key(heading: str) -> str:
    """How headings are compared: NFC, casefolded, spaces collapsed, no trailing colon."""
    text = unicodedata.normalize("NFC", heading).strip().rstrip(":").strip()
    return re.sub(r"\s+", " ", text).casefold()


class MappingError(ValueError):
    """A mapping option or file that cannot be read; the message is for the person."""


def parse_mapping(items: list[str], where: str = "--map") -> dict[str, str]:
    """Read "HEADING=owner" items (the last "=" splits, so a heading may hold none)."""
    mapping: dict[str, str] = {}
    for item in items:
        heading, sep, target = item.rpartition("=")
        if not sep or not heading.strip() or not target.strip():
            raise MappingError(
                _("%(where)s: “%(item)s” is not HEADING=OWNER.") % {"where": where, "item": item}
            )
        mapping[heading.strip()] = target.strip()
    return mapping


def read_mapping_file(text: str, where: str) -> dict[str, str]:
    """Read a mapping file: a JSON object {"HEADING": "owner"}, or "HEADING=owner" lines
    (blank lines and "#" comments skipped)."""
    if text.lstrip().startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise MappingError(
                _("%(where)s is not valid JSON: %(error)s") % {"where": where, "error": error.msg}
            ) from error
        if not all(isinstance(k, str) and isinstance(v, str) for k, v in data.items()):
            raise MappingError(_("%(where)s: every value must be text.") % {"where": where})
        return {k.strip(): v.strip() for k, v in data.items()}
    lines = [line.strip() for line in text.splitlines()]
    return parse_mapping([line for line in lines if line and not line.startswith("#")], where)


@dataclass
class Resolution:
    """What a heading maps to: an owner, a project to create, or "skip"; or why nothing."""

    owner: Any = None
    create: bool = False
    skip: bool = False
    error: str = ""
    how: str = ""  # "mapped", "name", "level", "created"


@dataclass
class HeadingMapper:
    """Resolve a file's headings with the person's mapping; remember what is unknown."""

    mapping: dict[str, Any] = field(default_factory=dict)
    create_missing: bool = False
    cache: dict[str, Resolution] = field(default_factory=dict)
    unknown: list[str] = field(default_factory=list)
    finder: Any = None  # an OwnerFinder: the preview's cached `resolve_owner`

    def __post_init__(self) -> None:
        self.by_key = {heading_key(k): v for k, v in self.mapping.items()}
        self.written = {heading_key(k): k for k in self.mapping}

    def check_keys(self, headings: list[str]) -> list[str]:
        """Return an error for every mapped heading the file does not have."""
        present = {heading_key(h) for h in headings}
        return [
            _("The mapping names “%(heading)s”, which is not a heading of this file.")
            % {"heading": self.written[key]}
            for key in self.by_key
            if key not in present
        ]

    def resolve(self, heading: str, scope: str = "") -> Resolution:
        key = f"{scope}\0{heading_key(heading)}"
        if key not in self.cache:
            self.cache[key] = self._resolve(heading, scope)
        return self.cache[key]

    def _resolve(self, heading: str, scope: str) -> Resolution:
        key = heading_key(heading)
        if key in self.by_key:
            return self.mapped(heading)
        match = (self.finder.resolve if self.finder else resolve_owner)(heading, scope)
        if match.owner is not None:
            return Resolution(match.owner, how="name")
        by_level = level_owner(heading)
        if by_level is not None:
            return Resolution(by_level, how="level")
        if self.create_missing:
            return Resolution(create=True, how="created")
        self.unknown.append(heading)
        return Resolution(error=match.error)

    def mapped(self, heading: str) -> Resolution:
        """Follow the mapping from a heading: to an owner, "create", "skip" or another heading."""
        seen = [heading]
        key = heading_key(heading)
        while True:
            target = self.by_key[key]
            if not isinstance(target, str):  # an owner chosen on the web page
                return Resolution(target, how="mapped")
            target_key = heading_key(target)
            if target_key in SKIP_WORDS:
                return Resolution(skip=True, how="mapped")
            if target_key in CREATE_WORDS:
                # Made by an earlier import of the file: the project is used again.
                same = resolve_owner(heading, "project")
                if same.owner is not None:
                    return Resolution(same.owner, how="mapped")
                return Resolution(create=True, how="mapped")
            if target_key in self.by_key:  # the owner of another mapped heading
                if target_key in {heading_key(h) for h in seen}:
                    chain = " → ".join([*seen, target])
                    return Resolution(
                        error=_("The mapping goes round in a loop: %(chain)s.") % {"chain": chain}
                    )
                seen.append(target)
                key = target_key
                continue
            match = mapped_owner(target)
            if match.owner is None:
                return Resolution(
                    error=_("The mapping “%(heading)s=%(target)s”: %(error)s")
                    % {"heading": heading, "target": target, "error": match.error}
                )
            return Resolution(match.owner, how="mapped")


def mapped_owner(target: str) -> OwnerMatch:
    """Find the owner a mapping names; only an active owner of this organisation will do."""
    match = resolve_owner(target)
    owner = match.owner
    if owner is None:
        by_level = level_owner(target)
        return OwnerMatch(by_level) if by_level is not None else match
    if isinstance(owner, Person) and (not owner.user.is_active or owner.unit_id is None):
        return OwnerMatch(
            error=_("%(owner)s is not an active member of this organisation.")
            % {"owner": owner_name(owner)}
        )
    if isinstance(owner, OrgUnit) and owner.is_archived:
        return OwnerMatch(error=_("%(owner)s is archived.") % {"owner": owner_name(owner)})
    return match


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", heading_key(text))


def department_named(heading: str) -> OrgUnit | None:
    """The one open unit whose name holds every word after "phòng" ("Phòng Bảo hành bảo trì"
    → "Phòng Chăm sóc khách hàng & Bảo hành bảo trì")."""
    words = _words(heading)
    if "phòng" in words:
        words = words[words.index("phòng") + 1 :]
    words = [w for w in words if w not in {"department", "dept"}]
    if not words:
        return None
    units = [
        unit
        for unit in OrgUnit.objects.filter(is_archived=False).filter(name__icontains=words[0])
        if all(w in _words(unit.name) for w in words)
    ]
    if len(units) == 1:
        return units[0]
    return None


def level_owner(heading: str) -> Any:
    """The owner a heading's level names in this organisation, when exactly one fits."""
    level = heading_level(heading)
    if level == "company":
        roots = list(OrgUnit.objects.filter(parent=None, is_archived=False)[:2])
        return roots[0] if len(roots) == 1 else None
    if level == "department":
        return department_named(heading)
    if level == "department_head":
        unit = department_named(heading)
        if unit is not None and unit.lead_id is not None:
            return Person.objects.select_related("user").get(pk=unit.lead_id)
    return None


def new_project_for(heading: str, home: OrgUnit | None, actor: Any) -> Project:
    """An unsaved project named as the heading, led by the home unit's lead (else the actor)."""
    lead = None
    if home is not None and home.lead_id is not None:
        lead = Person.objects.select_related("user").get(pk=home.lead_id)
    if lead is None and actor is not None:
        lead = Person.objects.filter(user=actor).first()
    if lead is None:
        root = OrgUnit.objects.filter(parent=None).exclude(lead=None).first()
        lead = root.lead if root is not None else None
    name = unicodedata.normalize("NFC", heading).strip().rstrip(":").strip()[:200]
    return Project(name=name, lead=lead, unit=home)
