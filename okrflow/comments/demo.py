"""The demo's comments: a few short Vietnamese threads with @mentions, written by their people."""

from __future__ import annotations

from typing import Any

from okrflow.comments.actions import add_comment
from okrflow.okrs.models import Objective
from okrflow.org.models import Person

# (objective key, key result index or None for the objective, author username, body)
THREADS: tuple[tuple[str, int | None, str, str], ...] = (
    (
        "marketing_seo",
        None,
        "head.marketing",
        "@Phan Ngọc Trâm tuần này lượng truy cập tự nhiên tăng chậm, em xem lại kế hoạch bài "
        "viết giúp chị nhé.",
    ),
    (
        "marketing_seo",
        None,
        "content.marketing",
        "Dạ chị, em gửi kế hoạch mới trước thứ Sáu.\n@Trịnh Gia Huy hỗ trợ em phần từ khóa nha.",
    ),
    (
        "marketing_seo",
        0,
        "seo.marketing",
        "Từ khóa chính đã lên hạng 15. @Lê Thu Hà em đề xuất thêm 4 bài chuyên sâu trong tháng.",
    ),
    (
        "company_retention",
        None,
        "ceo",
        "Các phòng cập nhật số gia hạn trước buổi họp tháng nhé. @Vũ Đức Thắng @Lê Thu Hà",
    ),
)


def create_demo_comments(
    objectives: dict[str, tuple[Objective, Any]], people: dict[str, Person]
) -> int:
    """Write the demo's comments; return how many were written."""
    written = 0
    for key, kr_index, username, body in THREADS:
        if key not in objectives:
            continue
        objective = objectives[key][0]
        key_result = None
        if kr_index is not None:
            key_result = list(objective.key_results.order_by("position", "id"))[kr_index]
        add_comment(
            people[username].user,
            objective=None if key_result else objective,
            key_result=key_result,
            body=body,
        )
        written += 1
    return written
