"""The people file's columns and values, read without Django: headers in English or Vietnamese,
roles, languages, yes/no, unit paths, and loops in a manager chain.

Every reader returns None for a value it cannot read; the importer words the problem.
"""

from __future__ import annotations

import datetime
import unicodedata
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, TypeVar

from okrflow.engine.text import clean_text
from okrflow.spreadsheets import FORMULA_STARTS

COLUMNS = ("email", "full_name", "unit", "manager_email", "role", "language", "active", "leads")
REQUIRED_COLUMNS = ("email", "full_name")
# "/" separates the levels of a unit path: "Công ty/Phòng Marketing/Nhóm SEO"; a name holding
# "/" writes it "\/" ("Phòng R\/D"), and a backslash "\\".
UNIT_SEPARATOR = "/"
# ";" separates the unit paths of the "leads" column: the units a person leads besides their own.
LEADS_SEPARATOR = ";"
ESCAPE = "\\"
# A materialised unit path holds every id of the chain in 1,000 characters: 20 levels fit easily.
MAX_UNIT_DEPTH = 20

# Header cells as people write them, folded by `header_key`, to the column they name.
HEADER_ALIASES = {
    "email": "email",
    "e_mail": "email",
    "mail": "email",
    "thư_điện_tử": "email",
    "full_name": "full_name",
    "name": "full_name",
    "họ_tên": "full_name",
    "họ_và_tên": "full_name",
    "tên": "full_name",
    "unit": "unit",
    "org_unit": "unit",
    "đơn_vị": "unit",
    "phòng_ban": "unit",
    "manager_email": "manager_email",
    "manager": "manager_email",
    "email_quản_lý": "manager_email",
    "email_người_quản_lý": "manager_email",
    "quản_lý": "manager_email",
    "người_quản_lý": "manager_email",
    "role": "role",
    "vai_trò": "role",
    "language": "language",
    "ngôn_ngữ": "language",
    "active": "active",
    "is_active": "active",
    "đang_làm_việc": "active",
    "hoạt_động": "active",
    "còn_làm_việc": "active",
    "leads": "leads",
    "also_leads": "leads",
    "leads_units": "leads",
    "trưởng_các_đơn_vị": "leads",
    "cũng_là_trưởng": "leads",
}

MEMBER, LEAD, ADMIN = "member", "lead", "admin"
ROLE_ALIASES = {
    "member": MEMBER,
    "thành viên": MEMBER,
    "nhân viên": MEMBER,
    "lead": LEAD,
    "unit lead": LEAD,
    "trưởng": LEAD,
    "trưởng đơn vị": LEAD,
    "trưởng phòng": LEAD,
    "trưởng nhóm": LEAD,
    "admin": ADMIN,
    "okr admin": ADMIN,
    "quản trị": ADMIN,
    "quản trị viên": ADMIN,
}
# A person may hold two roles: "lead+admin", "trưởng, quản trị".
ROLE_SEPARATORS = ("+", ",", "&")

LANGUAGE_ALIASES = {
    "vi": "vi",
    "vn": "vi",
    "vietnamese": "vi",
    "tiếng việt": "vi",
    "en": "en",
    "english": "en",
    "tiếng anh": "en",
}
YES = frozenset({"yes", "y", "true", "1", "có", "co", "x", "đúng", "active"})
NO = frozenset({"no", "n", "false", "0", "không", "khong", "sai", "inactive"})


@dataclass(frozen=True)
class Roles:
    """What a row's role cell grants: leading the row's unit, being an OKR admin."""

    lead: bool = False
    admin: bool = False

    def label(self) -> str:
        """Write the roles as the file does ("member", "lead", "admin", "lead+admin")."""
        names = [name for name, held in ((LEAD, self.lead), (ADMIN, self.admin)) if held]
        return "+".join(names) or MEMBER


def folded(text: str) -> str:
    """Return text in NFC, lower case, with runs of blanks as one space."""
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def header_key(header: Any) -> str:
    """Fold a header cell ("Họ và tên", "Manager e-mail") to a key of HEADER_ALIASES."""
    text = folded(cell_text(header)).replace("-", "_").replace(" ", "_")
    return text.strip("_*:")


def column_for(header: Any) -> str | None:
    """Return the column a header cell names, or None for a column the import does not read."""
    return HEADER_ALIASES.get(header_key(header))


def cell_text(value: Any) -> str:
    """Return a CSV or XLSX cell as stripped text, keeping what the person typed.

    A leading apostrophe before =, +, -, @ is the guard okrflow's own export writes against
    formulas: it is dropped, so an export imports back unchanged. Numbers from a spreadsheet
    become their plain digits (12.0 → "12"), booleans "true"/"false".
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, Decimal) and value == value.to_integral_value():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        value = value.isoformat()
    text = clean_text(str(value)).strip()
    if text.startswith("'") and text[1:2] in FORMULA_STARTS:
        return text[1:]
    return text


def parse_roles(text: str) -> Roles | None:
    """Read a role cell: empty is a member; None for a word that is no role."""
    roles = Roles()
    parts = [text]
    for separator in ROLE_SEPARATORS:
        parts = [piece for part in parts for piece in part.split(separator)]
    for part in parts:
        key = folded(part)
        if not key:
            continue
        role = ROLE_ALIASES.get(key)
        if role is None:
            return None
        if role == LEAD:
            roles = Roles(lead=True, admin=roles.admin)
        elif role == ADMIN:
            roles = Roles(lead=roles.lead, admin=True)
    return roles


def parse_language(text: str) -> str | None:
    """Read a language cell ("vi", "English", "tiếng Việt") as a code; None if unknown."""
    return LANGUAGE_ALIASES.get(folded(text))


def parse_active(text: str) -> bool | None:
    """Read an active cell: empty means yes; None for a word that is neither yes nor no."""
    key = folded(text)
    if not key or key in YES:
        return True
    if key in NO:
        return False
    return None


def escape_unit_name(name: str) -> str:
    """Write a unit's name for a path: its "/", ";" and "\\" escaped with a backslash."""
    for special in (ESCAPE, UNIT_SEPARATOR, LEADS_SEPARATOR):
        name = name.replace(special, ESCAPE + special)
    return name


def split_escaped(text: str, separator: str, *, unescape: bool) -> list[str]:
    """Split on `separator` where it is not escaped by a backslash; unescape the pieces if asked."""
    pieces, current, index = [], [], 0
    while index < len(text):
        char = text[index]
        if char == ESCAPE and index + 1 < len(text):
            following = text[index + 1]
            current.append(following if unescape else char + following)
            index += 2
            continue
        if char == separator:
            pieces.append("".join(current))
            current = []
        else:
            current.append(char)
        index += 1
    pieces.append("".join(current))
    return pieces


def unit_path_parts(text: str) -> list[str] | None:
    """Split "Công ty / Marketing" into its names (blanks tidied); None if a level is empty."""
    parts = [" ".join(part.split()) for part in split_escaped(text, UNIT_SEPARATOR, unescape=True)]
    if any(not part for part in parts):
        return None
    return parts


def unit_path(names: Iterable[str]) -> str:
    """Write a path of unit names as the file does, each name escaped."""
    return UNIT_SEPARATOR.join(escape_unit_name(name) for name in names)


Node = TypeVar("Node", bound=Hashable)


def manager_loops(
    manager_of: Mapping[Node, Node | None], starts: Iterable[Node]
) -> list[list[Node]]:
    """Return every loop in the manager chains that go up from `starts`, each listed once.

    `manager_of` maps a person to their manager (None or absent: nobody). Each chain is walked
    once: a person already seen on an earlier walk ends the walk, so the whole check is linear.
    """
    done: set[Node] = set()
    loops: list[list[Node]] = []
    for start in starts:
        position: dict[Node, int] = {}
        chain: list[Node] = []
        node: Node | None = start
        while node is not None and node not in done and node not in position:
            position[node] = len(chain)
            chain.append(node)
            node = manager_of.get(node)
        if node is not None and node in position:
            loops.append(chain[position[node] :])
        done.update(chain)
    return loops
