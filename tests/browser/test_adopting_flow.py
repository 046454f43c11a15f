"""Adopting okrflow in a real browser, as issue #11 tells it: an admin adds a unit and a month
inside the current quarter, imports a people file, invites one imported person; the invitee sets
a password from the emailed link, signs in, writes a month objective and aligns it to the
quarter's objective."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.core import mail

from okrflow.cycles.models import Cycle, CycleState
from okrflow.okrs.models import Objective
from okrflow.org.models import OrgUnit, Person
from tests.administration.people_files import VIETNAMESE, csv_content
from tests.browser.conftest import htmx_swapped, screenshot, sign_in
from tests.conftest import PASSWORD, World, make_objective

pytestmark = pytest.mark.browser

NEW_PASSWORD = "lotus-pond-evening-73"


def test_a_company_adopts_okrflow_from_the_administration_pages(
    page, live_server, live_world: World, settings, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.OKRFLOW_BASE_URL = live_server.url
    mail.outbox = []
    quarter_objective = make_objective(
        live_world, live_world.marketing, "Tăng lượt truy cập tự nhiên cho website"
    )
    sign_in(page, live_server, "admin", PASSWORD)

    # 1. A unit: the SEO team inside Marketing.
    page.goto(f"{live_server.url}/administration/units/")
    marketing_row = page.locator(".adm-tree-row", has=page.locator("a", has_text="Marketing"))
    marketing_row.first.locator(".adm-tree-add").click()
    page.wait_for_selector("#unit-create")
    page.fill("#id_name", "Nhóm SEO")
    page.click("#unit-create button[type=submit]")
    page.wait_for_selector(".adm-tree-name:has-text('Nhóm SEO')")
    seo = OrgUnit.objects.get(name="Nhóm SEO")
    assert seo.parent_id == live_world.marketing.pk

    # 2. A month inside the current quarter, activated.
    page.goto(f"{live_server.url}/administration/cycles/new/")
    page.select_option("#suggest_kind", "month")
    page.fill("#suggest_day", "2026-05-10")
    page.click("button:text('Điền sẵn')")
    page.wait_for_url(re.compile(r"kind=month"))
    assert page.input_value("#id_parent") == str(live_world.cycle.pk)
    page.click("button:text('Tạo chu kỳ')")
    page.wait_for_url(re.compile(r"/administration/cycles/$"))
    month = Cycle.objects.get(name="Tháng 5/2026")
    page.locator(f"tr[data-cycle='{month.pk}']").locator("button:text('Kích hoạt')").click()
    page.wait_for_selector("text=đã được kích hoạt")
    month.refresh_from_db()
    assert (month.parent_id, month.state) == (live_world.cycle.pk, CycleState.ACTIVE)

    # 3. A people file naming the new team, in Vietnamese headers, previewed then confirmed.
    people_file = tmp_path / "nhan-su.csv"
    people_file.write_bytes(
        csv_content(
            [
                [
                    "lan@saoviet.example",
                    "Nguyễn Thị Lan",
                    "Sao Viet/Marketing/Nhóm SEO",
                    "head.marketing@saoviet.example",
                    "thành viên",
                    "vi",
                    "có",
                ],
                [
                    "head.marketing@saoviet.example",
                    "Head Marketing",
                    "Sao Viet/Marketing",
                    "",
                    "trưởng",
                    "vi",
                    "có",
                ],
            ],
            VIETNAMESE,
        )
    )
    live_world.lead.user.email = "head.marketing@saoviet.example"
    live_world.lead.user.save(update_fields=["email"])
    page.goto(f"{live_server.url}/administration/people/import/")
    page.set_input_files("#id_file", str(people_file))
    page.click("button[value=preview]")
    page.wait_for_selector("button[value=confirm]")
    screenshot(page, "adopting-people-preview-vi")
    page.click("button[value=confirm]")
    page.wait_for_selector(".flash")
    lan = Person.objects.get(user__email="lan@saoviet.example")
    assert (lan.unit_id, lan.manager_id) == (seo.pk, live_world.lead.pk)
    assert not lan.user.has_usable_password()

    # 4. Lan is invited; the email holds a one-time link.
    page.goto(f"{live_server.url}/administration/invitations/")
    page.locator(f"tr[data-person='{lan.pk}']").locator("button[type=submit]").click()
    page.wait_for_selector(".flash .alert-success")
    [message] = mail.outbox
    assert message.to == ["lan@saoviet.example"]
    link = re.search(r"http://\S+/sign-in/invitation/\S+/", message.body).group(0)  # type: ignore[union-attr]
    page.click("form[action='/sign-out/'] button")
    page.wait_for_selector("#id_username")

    # 5. Lan sets a password and signs in with her email.
    page.goto(link)
    page.fill("#id_new_password1", NEW_PASSWORD)
    page.fill("#id_new_password2", NEW_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector(".flash .alert-success")
    sign_in(page, live_server, "lan@saoviet.example", NEW_PASSWORD)
    assert page.locator(".whoami").inner_text() == "Nguyễn Thị Lan"

    # 6. Her month objective contributes to the quarter's objective of her department.
    page.goto(f"{live_server.url}/objectives/new/?cycle={month.pk}")
    page.fill("#id_title", "Viết loạt bài SEO tháng 5")
    page.fill("#id_kr-0-title", "Đăng 8 bài blog chuẩn SEO")
    page.select_option("#id_kr-0-shape", "metric")
    page.fill("#id_kr-0-start_value", "0")
    page.fill("#id_kr-0-target_value", "8")
    page.wait_for_load_state("networkidle")
    page.click("button[type=submit].button-primary")
    page.wait_for_url(re.compile(r"/objectives/\d+/$"))
    month_objective = Objective.objects.get(title="Viết loạt bài SEO tháng 5")
    assert (month_objective.cycle_id, month_objective.owner_person_id) == (month.pk, lan.pk)
    page.goto(f"{live_server.url}/objectives/{month_objective.pk}/align/")
    with htmx_swapped(page):
        page.fill("#parent-q", "truy cập")
    choice = f"input[name=parent][value='{quarter_objective.pk}']"
    page.wait_for_selector(choice)
    page.check(choice)
    page.click("form.editor button[type=submit]")
    page.wait_for_url(re.compile(rf"/objectives/{month_objective.pk}/$"))
    page.wait_for_load_state("networkidle")
    screenshot(page, "adopting-month-objective-vi")
    assert month_objective.parent_links.get().parent == quarter_objective
