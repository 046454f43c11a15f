"""Guard the server: where a data source may not point.

Refused: link-local and cloud metadata addresses (every address a host name resolves to is
checked, and the connection is then made to the checked address), unspecified and multicast
addresses, loopback when OKRFLOW_SOURCES_ALLOW_LOOPBACK is off, okrflow's own database (the
same host, port and name, or the same SQLite file), and files outside the allowed folders.
Private networks stay allowed: a company's reporting database usually lives on one.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from pathlib import Path
from typing import Any

from django.conf import settings

from okrflow.engine.source_values import FILE_MISSING, REFUSED, SourceProblem

METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in ("100.100.100.200", "fd00:ec2::254", "169.254.169.254", "169.254.170.2")
)


def address_refusal(address: str) -> str | None:
    """Say why a source may not connect to this IP address, or None when it may."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    if ip in METADATA_ADDRESSES:
        return f"{ip} is a cloud metadata address"
    if ip.is_link_local:
        return f"{ip} is a link-local address"
    if ip.is_unspecified or ip.is_multicast:
        return f"{ip} is not a host address"
    if ip.is_loopback and not settings.DATA_SOURCE_ALLOW_LOOPBACK:
        return f"{ip} is this machine"
    return None


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to; REFUSED when none is allowed to be reached."""
    if not host:
        raise SourceProblem(REFUSED, "no host name")
    try:
        found = socket.getaddrinfo(host, port, proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise SourceProblem("connection", f"{host}: {error}") from None
    return sorted({str(info[4][0]) for info in found})


def checked_addresses(host: str, port: int) -> list[str]:
    """Resolve `host` and refuse it if ANY of its addresses is refused (no picking the safe one)."""
    addresses = resolve(host, port)
    for address in addresses:
        why = address_refusal(address)
        if why:
            raise SourceProblem(REFUSED, f"{host}: {why}")
    return addresses


def own_database() -> dict[str, Any]:
    from django.db import connections

    # The live settings: under tests they name the test database.
    return connections["default"].settings_dict


def refuse_own_server_database(host: str, port: int, name: str, addresses: list[str]) -> None:
    """Refuse okrflow's own PostgreSQL/MySQL database (same address set, port and name)."""
    own = own_database()
    if own["ENGINE"].endswith("sqlite3"):
        return
    own_port = int(own.get("PORT") or 5432)
    own_name = own.get("NAME") or ""
    if port != own_port or name != own_name:
        return
    own_host = own.get("HOST") or "localhost"
    if own_host.startswith("/"):  # a Unix socket: the own database is on this machine
        own_addresses = {"127.0.0.1", "::1"}
    else:
        try:
            own_addresses = set(resolve(own_host, own_port))
        except SourceProblem:
            own_addresses = {own_host}
    if own_addresses & set(addresses) or host == own_host:
        raise SourceProblem(REFUSED, "this is okrflow's own database")


def allowed_folders() -> list[Path]:
    return [Path(folder).resolve() for folder in settings.DATA_SOURCE_FILE_DIRS]


def checked_file(path_text: str) -> Path:
    """Return the real path of a file inside an allowed folder; REFUSED or FILE_MISSING else."""
    if not path_text or "\x00" in path_text:
        raise SourceProblem(FILE_MISSING, "no file path")
    try:
        path = Path(path_text).expanduser().resolve()
    except (OSError, RuntimeError, ValueError) as error:
        raise SourceProblem(FILE_MISSING, str(error)) from None
    if not any(path.is_relative_to(folder) for folder in allowed_folders()):
        raise SourceProblem(REFUSED, f"{path_text}: outside the folders data sources may read")
    if not path.is_file():
        raise SourceProblem(FILE_MISSING, path_text)
    return path


def refuse_own_sqlite_file(path: Path) -> None:
    """Refuse okrflow's own SQLite database file (and its test copy)."""
    own = own_database()
    if not own["ENGINE"].endswith("sqlite3"):
        return
    names = {str(own.get("NAME") or "")}
    test_name = (own.get("TEST") or {}).get("NAME")
    if test_name:
        names.add(str(test_name))
    for name in names:
        if name and name != ":memory:" and os.path.exists(name):
            try:
                if os.path.samefile(name, path):
                    raise SourceProblem(REFUSED, "this is okrflow's own database")
            except OSError:
                continue
