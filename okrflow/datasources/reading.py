"""Read the number a source gives now (nothing recorded), and say what went wrong in words."""

from __future__ import annotations

from decimal import Decimal
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from django.utils.translation import gettext as _

from okrflow.datasources.guard import checked_file
from okrflow.datasources.http_fetch import fetch
from okrflow.datasources.models import DataSource, SourceKind
from okrflow.datasources.secrets import UnreadableSecret, decrypt_secrets
from okrflow.datasources.sql import run_query
from okrflow.engine import source_values as sv
from okrflow.engine.source_values import SourceProblem, number_from_csv, number_from_json


def read_source(source: DataSource) -> Decimal:
    """Return the number the source gives now, or raise SourceProblem."""
    try:
        secrets = decrypt_secrets(source.secrets_encrypted)
    except UnreadableSecret:
        raise SourceProblem(sv.PERMISSION_DENIED, "stored secret unreadable") from None
    headers = dict(secrets.get("headers") or {})
    if source.kind == SourceKind.JSON:
        return number_from_json(fetch(source.url, headers), source.json_path)
    if source.kind == SourceKind.CSV:
        if source.file_path:
            body = read_file(source.file_path)
        else:
            body = fetch(sheet_url(source.url, source.sheet), headers)
        return number_from_csv(body, source.row, source.column)
    if source.kind == SourceKind.SQL:
        return run_query(str(secrets.get("database_url") or ""), source.query)
    raise SourceProblem(sv.NO_VALUE, "a push source is not read: it is sent values")


def read_file(path_text: str) -> bytes:
    from django.conf import settings

    path = checked_file(path_text)
    limit = int(settings.DATA_SOURCE_MAX_BYTES)
    try:
        with path.open("rb") as handle:
            body = handle.read(limit + 1)
    except PermissionError as error:
        raise SourceProblem(sv.PERMISSION_DENIED, str(error)) from None
    except OSError as error:
        raise SourceProblem(sv.FILE_MISSING, str(error)) from None
    if len(body) > limit:
        raise SourceProblem(sv.TOO_BIG, f"more than {limit} bytes")
    return body


def sheet_url(url: str, sheet: str) -> str:
    """Name the sheet of a published spreadsheet's CSV export: gid=N for a number, else sheet=NAME."""
    sheet = sheet.strip()
    if not sheet:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True)]
    if any(k in ("gid", "sheet") for k, _v in query):
        return url
    query.append(("gid", sheet) if sheet.isdigit() else ("sheet", sheet))
    return urlunsplit((*parts[:3], urlencode(query), parts.fragment))


def problem_message(code: str, detail: str = "") -> str:
    """The failure in the reader's language, with its detail."""
    messages = {
        sv.TIMEOUT: _("The source did not answer in time."),
        sv.HTTP_ERROR: _("The server answered with an error."),
        sv.BAD_JSON: _("The answer is not valid JSON."),
        sv.BAD_CSV: _("The file is not valid CSV."),
        sv.NO_VALUE: _("No value at the given place (path, row or column)."),
        sv.NOT_A_NUMBER: _("The value found is not a number."),
        sv.PERMISSION_DENIED: _("Permission denied: check the token, user or password."),
        sv.TOO_BIG: _("The answer is too big."),
        sv.REFUSED: _("okrflow may not read from this address."),
        sv.CONNECTION: _("Could not connect to the source."),
        sv.QUERY_ERROR: _("The query failed."),
        sv.NOT_ONE_ROW: _("The query must return exactly one row."),
        sv.FILE_MISSING: _("The file cannot be found."),
        sv.NOT_RECORDED: _("The value could not be recorded on the key result."),
    }
    text = messages.get(code, _("The source failed."))
    return f"{text} ({detail})" if detail else text
