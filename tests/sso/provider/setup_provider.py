"""Prepare the test provider's database: tables, okrflow as a client, and its users.

Run in the provider's own process: python -m tests.sso.provider.setup_provider REDIRECT_URI
"""

from __future__ import annotations

import os
import sys

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.sso.provider.settings")

import django

django.setup()

from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from oauth2_provider.models import Application  # noqa: E402

from tests.sso.provider.accounts import CLIENT_ID, CLIENT_SECRET, PASSWORD, USERS  # noqa: E402


def main(redirect_uri: str) -> None:
    call_command("migrate", verbosity=0)
    Application.objects.create(
        name="okrflow",
        client_id=CLIENT_ID,
        client_secret=CLIENT_SECRET,
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=redirect_uri,
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    for username, email, name, last_name in USERS:
        User.objects.create_user(
            username, email=email, password=PASSWORD, first_name=name, last_name=last_name
        )


if __name__ == "__main__":
    main(sys.argv[1])
