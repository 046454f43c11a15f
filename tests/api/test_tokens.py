"""Personal access tokens: made, shown once, hashed, expiring, revoked, noted when used."""

from __future__ import annotations

import datetime
import hashlib
from io import StringIO

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from okrflow.api.actions import create_access_token, revoke_access_token
from okrflow.api.models import AccessToken
from okrflow.audit.models import AuditEntry
from tests.api.conftest import Api
from tests.conftest import PASSWORD, World

NOON = datetime.datetime(2026, 12, 1, 12, tzinfo=datetime.UTC)


def test_a_token_is_stored_only_as_its_hash(world: World) -> None:
    made = create_access_token(world.member.user, world.member, name="Sheets", scope="read")
    token = AccessToken.objects.get()
    assert made.secret.startswith("okr_") and len(made.secret) > 40
    assert token.token_hash == hashlib.sha256(made.secret.encode()).hexdigest()
    assert made.secret not in str(AccessToken.objects.values().get())
    entry = AuditEntry.objects.get(action="create_access_token")
    assert entry.actor == world.member.user and made.secret not in str(entry.after)
    assert token.hint == made.secret[:10]


def test_bad_token_fields_save_nothing(world: World) -> None:
    with pytest.raises(ValidationError) as caught:
        create_access_token(None, world.member, name=" ", scope="admin", expires_in_days="-3")
    assert set(caught.value.message_dict) == {"name", "scope", "expires_in_days"}
    assert not AccessToken.objects.exists()


def test_only_the_person_or_an_admin_manages_tokens(world: World) -> None:
    with pytest.raises(PermissionDenied):
        create_access_token(world.lead.user, world.member, name="Not yours")
    made = create_access_token(world.admin.user, world.member, name="For a script")
    with pytest.raises(PermissionDenied):
        revoke_access_token(world.lead.user, made.token)
    revoke_access_token(world.admin.user, made.token)
    made.token.refresh_from_db()
    assert made.token.revoked_at is not None


def test_expiry_revocation_and_deactivation_close_the_api(world: World) -> None:
    with time_machine.travel(NOON, tick=False):
        made = create_access_token(None, world.member, name="Week", expires_in_days=7)
        api = Api(Client(), made.secret)
        assert api.get("/me").status_code == 200
        made.token.refresh_from_db()
        assert made.token.last_used_at == NOON
    with time_machine.travel(NOON + datetime.timedelta(days=7, seconds=1), tick=False):
        response = api.get("/me")
        assert response.status_code == 401
        assert response.json()["detail"] == "This token has expired."
    other = create_access_token(None, world.member, name="Other")
    api = Api(Client(), other.secret)
    User.objects.filter(pk=world.member.user_id).update(is_active=False)
    assert api.get("/me").json()["detail"] == "This token's person is deactivated."
    User.objects.filter(pk=world.member.user_id).update(is_active=True)
    revoke_access_token(None, other.token)
    response = api.get("/me")
    assert response.status_code == 401 and response.json()["detail"] == "This token was revoked."
    assert (
        Api(Client(), "okr_" + "x" * 43).get("/me", accept_language="en").json()["detail"]
        == "This token is unknown."
    )
    assert Api(Client(), "hunter2").get("/me").status_code == 401


def test_a_read_token_cannot_write(world: World) -> None:
    made = create_access_token(None, world.member, name="Reader", scope="read")
    response = Api(Client(), made.secret).post("/objectives", {"title": "x"})
    assert response.status_code == 403
    assert "only read" in response.json()["detail"]


def test_the_command_prints_the_token_alone(world: World) -> None:
    out = StringIO()
    call_command(
        "token", "create", "specialist.marketing", "--scope", "write", "--expires", "30", stdout=out
    )
    secret = out.getvalue().strip()
    assert secret.startswith("okr_") and "\n" not in secret
    token = AccessToken.objects.get()
    assert token.scope == "write" and token.expires_at is not None
    assert Api(Client(), secret).get("/me").json()["person"]["id"] == world.member.pk
    with pytest.raises(CommandError):
        call_command("token", "create", "nobody", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("token", "create", "outsider", "--expires", "0", stdout=StringIO())
    assert AccessToken.objects.count() == 1


def signed_in(world_person) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    assert client.login(username=world_person.user.username, password=PASSWORD)
    return client


def test_the_settings_page_makes_a_token_and_shows_it_once(world: World) -> None:
    client = signed_in(world.member)
    response = client.post(
        "/account/tokens/", {"name": "Reporting", "scope": "write", "expires_in_days": "30"}
    )
    assert response.status_code == 200
    token = AccessToken.objects.get(person=world.member)
    secret = response.context["made"].secret
    assert secret in response.content.decode() and token.scope == "write"
    page = client.get("/account/").content.decode()
    assert "Reporting" in page and token.hint in page and secret not in page
    bad = client.post("/account/tokens/", {"name": "", "scope": "root"})
    assert bad.status_code == 400 and AccessToken.objects.count() == 1
    assert client.get("/account/tokens/").status_code == 405


def test_revoking_on_the_settings_page(world: World) -> None:
    mine = create_access_token(None, world.member, name="Mine").token
    theirs = create_access_token(None, world.lead, name="Theirs").token
    client = signed_in(world.member)
    assert client.post(f"/account/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post("/account/tokens/99999999999999999999/revoke/").status_code == 404
    response = client.post(f"/account/tokens/{mine.pk}/revoke/")
    assert response.status_code == 302
    mine.refresh_from_db()
    theirs.refresh_from_db()
    assert mine.revoked_at is not None and theirs.revoked_at is None


@pytest.mark.parametrize(
    ("persona", "status"), [("admin", 200), ("lead", 403), ("member", 403), ("outsider", 403)]
)
def test_the_admin_page_lists_and_revokes_any_token(
    world: World, persona: str, status: int
) -> None:
    token = create_access_token(None, world.member, name="Nightly export").token
    client = signed_in(getattr(world, persona))
    response = client.get("/administration/api-tokens/")
    assert response.status_code == status
    revoke = client.post(f"/administration/api-tokens/{token.pk}/revoke/")
    token.refresh_from_db()
    if status == 200:
        assert "Nightly export" in response.content.decode()
        assert revoke.status_code == 302 and token.revoked_at is not None
    else:
        assert revoke.status_code == 403 and token.revoked_at is None
