"""The demo feeds two key results from offline sources: a shipped CSV file and a SQLite file."""

from __future__ import annotations

import pytest

from okrflow.datasources.models import DataSource
from okrflow.datasources.running import refresh_source
from okrflow.okrs.models import KeyResultValue

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_csv_and_an_sql_source_that_work_offline(demo_org) -> None:  # type: ignore[no-untyped-def]
    sources = {s.kind: s for s in DataSource.objects.select_related("key_result__owner__user")}
    assert set(sources) == {"csv", "sql"}
    assert sources["csv"].key_result.owner.user.username == "head.marketing"
    assert sources["sql"].key_result.owner.user.username == "head.sales"
    for source in sources.values():
        assert source.failing_since is None and source.last_value is not None
        assert KeyResultValue.objects.filter(data_source=source, source="data_source").exists()
        # And again, as the worker would: the files are still there and still read.
        result = refresh_source(source.pk)
        assert result is not None and result.ok, result.error
    assert sources["sql"].last_value == 18
