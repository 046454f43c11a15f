"""#16: a unit lead edits a KPI's healthy range on its page, then archives it."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from okrflow.audit.models import AuditEntry
from okrflow.kpis.actions import create_kpi, record_kpi_value
from okrflow.kpis.models import Kpi
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser


def test_the_lead_edits_a_kpi_range_and_archives_it(page, live_server, live_world: World) -> None:  # type: ignore[no-untyped-def]
    kpi = create_kpi(
        None,
        name="Cost per lead",
        owner=live_world.marketing,
        range_kind="at_most",
        maximum=150,
        unit="k₫",
    )
    today = timezone.localdate()
    for weeks, value in [(2, 156), (1, 162)]:
        record_kpi_value(
            None, kpi, value=value, measured_on=today - datetime.timedelta(weeks=weeks)
        )
    sign_in(page, live_server, "head.marketing")

    page.goto(f"{live_server.url}/kpis/")
    page.click(f"#kpi-{kpi.pk} a")
    page.wait_for_url(f"{live_server.url}/kpis/{kpi.pk}/")
    assert page.locator(f"#kpi-{kpi.pk} .kpi-bad").count() == 1  # 162 is above 150

    # A range with its lowest value above its highest is refused, with the reason.
    form = page.locator("#kpi-edit")
    form.locator("select[name=range_kind]").select_option("between")
    form.locator("input[name=minimum]").fill("200")
    form.locator("input[name=maximum]").fill("100")
    form.locator("button[type=submit]").click()
    alert = page.locator(".alert-error")
    alert.wait_for()
    assert "lowest healthy value is above" in alert.inner_text() or "lớn hơn" in alert.inner_text()
    kpi.refresh_from_db()
    assert (kpi.range_kind, kpi.maximum) == ("at_most", Decimal(150))

    form = page.locator("#kpi-edit")
    form.locator("select[name=range_kind]").select_option("between")
    form.locator("input[name=minimum]").fill("100")
    form.locator("input[name=maximum]").fill("170")
    form.locator("button[type=submit]").click()
    page.wait_for_selector(f"#kpi-{kpi.pk} .kpi-ok")  # 162 is now inside 100–170
    kpi.refresh_from_db()
    assert (kpi.range_kind, kpi.minimum, kpi.maximum) == ("between", Decimal(100), Decimal(170))
    assert "100" in page.locator("#kpi-range").inner_text()
    screenshot(page, "kpi-edited")

    page.click("#kpi-archive-form button[type=submit]")
    page.wait_for_selector("#kpi-archived")
    assert Kpi.objects.get(pk=kpi.pk).is_archived
    assert page.locator("#kpi-history tbody tr").count() == 2  # the history stays
    assert AuditEntry.objects.filter(action="archive_kpi", object_id=kpi.pk).exists()

    page.goto(f"{live_server.url}/checkins/")
    assert page.locator(f"#kpi-checkin-{kpi.pk}").count() == 0
    page.goto(f"{live_server.url}/kpis/")
    assert page.locator("#kpi-archived-list", has_text="Cost per lead").count() == 1
    screenshot(page, "kpi-archived")
