"""Importing people in a real browser: a file with a problem, then the fixed file confirmed."""

from __future__ import annotations

from pathlib import Path

import pytest

from okrflow.org.models import Person
from tests.administration.people_files import VIETNAMESE, csv_content
from tests.browser.conftest import screenshot, sign_in
from tests.conftest import World

pytestmark = pytest.mark.browser

ROWS = [
    ["an@saoviet.vn", "Nguyễn Văn An", "Sao Viet/Phòng Dữ liệu", "", "trưởng", "vi", "có"],
    ["binh@saoviet.vn", "Trần Thị Bình", "Sao Viet/Phòng Dữ liệu", "an@saoviet.vn", "", "", ""],
]


def test_upload_see_the_problem_fix_it_and_confirm(
    page, live_server, live_world: World, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server.url}/administration/people/import/")
    broken = tmp_path / "nhan-su.csv"
    broken.write_bytes(
        csv_content(
            [*ROWS, ["chi@saoviet.vn", "Lê Chi", "", "ai@x.vn", "", "", ""]],
            VIETNAMESE,
            delimiter=";",
            bom=True,
        )
    )
    page.set_input_files("#id_file", str(broken))
    page.click("button[value=preview]")
    problem = page.wait_for_selector(".pim-preview .pim-table tbody tr")
    assert problem.inner_text().startswith("4")
    assert "ai@x.vn" in problem.inner_text()
    assert page.locator("button[value=confirm]").count() == 0
    screenshot(page, "people-import-problem-vi")

    fixed = tmp_path / "nhan-su-da-sua.csv"
    fixed.write_bytes(csv_content(ROWS, VIETNAMESE, delimiter=";", bom=True))
    page.set_input_files("#id_file", str(fixed))
    page.click("button[value=preview]")
    page.wait_for_selector("button[value=confirm]")
    assert page.locator(".pim-units li").all_inner_texts() == ["Sao Viet/Phòng Dữ liệu"]
    assert page.locator(".pim-table tbody tr").count() == 2
    screenshot(page, "people-import-preview-vi")
    page.click("button[value=confirm]")
    page.wait_for_selector(".flash")
    binh = Person.objects.get(user__email="binh@saoviet.vn")
    assert binh.manager == Person.objects.get(user__email="an@saoviet.vn")
    assert binh.unit.lead == binh.manager and binh.unit.parent == live_world.company
