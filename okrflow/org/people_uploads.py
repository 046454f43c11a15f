"""Keep a previewed people file until its admin confirms it: one per admin, a day at most."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from okrflow.org.models import PeopleImportUpload

KEPT_FOR = datetime.timedelta(days=1)


def keep_upload(user: Any, file_name: str, content: bytes) -> PeopleImportUpload:
    """Store a previewed file, replacing the admin's earlier one and anyone's stale ones."""
    PeopleImportUpload.objects.filter(uploaded_by=user).delete()
    PeopleImportUpload.objects.filter(uploaded_at__lt=timezone.now() - KEPT_FOR).delete()
    return PeopleImportUpload.objects.create(
        uploaded_by=user, file_name=file_name[:255], content=content
    )


def find_upload(user: Any, upload_id: int | None) -> PeopleImportUpload | None:
    """Return the admin's own stored file with this id, if it is still kept."""
    if upload_id is None:
        return None
    return PeopleImportUpload.objects.filter(
        pk=upload_id, uploaded_by=user, uploaded_at__gte=timezone.now() - KEPT_FOR
    ).first()


def drop_upload(upload: PeopleImportUpload) -> None:
    PeopleImportUpload.objects.filter(pk=upload.pk).delete()
