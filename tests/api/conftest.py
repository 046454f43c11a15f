"""Tokens for the four personas, and a client that speaks JSON to the API."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from okrflow.api.actions import create_access_token
from okrflow.org.models import Person
from tests.conftest import World, make_objective

PERSONAS = ("admin", "lead", "member", "outsider")


@pytest.fixture(autouse=True)
def generous_rate(settings) -> None:  # type: ignore[no-untyped-def]
    """Most tests make many calls; the rate-limit test lowers it again."""
    settings.OKRFLOW_API_RATE_PER_MINUTE = 100_000


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    from django.core.cache import cache

    cache.clear()


@dataclass
class Api:
    """A test client calling /api/v1/ with one person's token."""

    client: Client
    secret: str

    def call(self, method: str, path: str, body: Any = None, **headers: str) -> Any:
        extra = {"HTTP_AUTHORIZATION": f"Bearer {self.secret}"}
        extra.update(
            {f"HTTP_{name.upper().replace('-', '_')}": value for name, value in headers.items()}
        )
        data = json.dumps(body) if body is not None and not isinstance(body, str | bytes) else body
        return self.client.generic(
            method, f"/api/v1{path}", data=data or "", content_type="application/json", **extra
        )

    def get(self, path: str, **headers: str) -> Any:
        return self.call("GET", path, **headers)

    def post(self, path: str, body: Any = None, **headers: str) -> Any:
        return self.call("POST", path, body if body is not None else {}, **headers)

    def patch(self, path: str, body: Any, **headers: str) -> Any:
        return self.call("PATCH", path, body, **headers)


def token_for(person: Person, scope: str = "write") -> str:
    return create_access_token(None, person, name="tests", scope=scope).secret


def api_for(person: Person, scope: str = "write") -> Api:
    return Api(Client(), token_for(person, scope))


@pytest.fixture
def apis(world: World) -> dict[str, Api]:
    return {name: api_for(getattr(world, name)) for name in PERSONAS}


@dataclass
class Planted:
    public: Any  # marketing's objective everyone sees
    private: Any  # the member's private objective: the member, their lead chain and admins
    secret_title: str


@pytest.fixture
def planted(world: World) -> Planted:
    public = make_objective(world, world.marketing, "Grow organic traffic")
    secret_title = "Secret reorganisation of the content team"
    private = make_objective(world, world.member, secret_title, is_private=True)
    return Planted(public, private, secret_title)
