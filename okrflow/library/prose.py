"""Objectives an article gives in prose rather than as "O:" lines.

Two shapes, as the seed article writes them:

* a company objective and the departments' objectives aligned to it —
      … mục tiêu của toàn Công ty là cải thiện vượt trội tỷ lệ giữ chân khách hàng … .
      - Phòng Kinh doanh đặt mục tiêu tối thiểu 95% khách hàng …
      - Phòng Marketing có thể đặt ra mục tiêu tỷ lệ khách hàng … đạt tối thiểu 90%
  → the company objective (owner "Công ty"), and one objective per department (owner "Phòng …"),
  aligned to it, whose key result is the department's sentence;
* a project's objective and the activities that serve it —
      Ví dụ mục tiêu của phòng Marketing là phối hợp với phòng kinh doanh … thì …
      Chẳng hạn như:
      - Tổ chức sự kiện khuyến mại
  → an objective for the project (owner "Dự án Tập trung bán hàng"), with one key result
  whose initiatives are the activities.
Each objective keeps the line it came from, so problems point at the article's own lines.
"""

from __future__ import annotations

import re

from okrflow.library.plans import RawKeyResult, RawObjective

COMPANY_GOAL = re.compile(
    r"mục tiêu (?:của )?(?:toàn|cấp) công ty (?:là|:)\s*(?P<goal>[^.]+)", re.I
)
DEPARTMENT_GOAL = re.compile(
    r"^\s*[-•–]\s*(?P<unit>phòng\s+.+?)\s+(?:có thể\s+)?đặt(?:\s+ra)?\s+mục tiêu\s+(?P<goal>.+?)\.?$",
    re.I,
)
PROJECT_GOAL = re.compile(
    r"mục tiêu của (?P<unit>phòng \w+) là (?P<goal>.+?) thì (?:các )?kết quả chính", re.I
)
BULLET = re.compile(r"^\s*[-•–]\s*(?P<text>\S.*?)\s*$")
COMPANY_HEADING = "Công ty"
PROJECT_HEADING = "Dự án Tập trung bán hàng"
PROJECT_KEY_RESULT = "Hoàn thành {count} hoạt động hỗ trợ bán hàng"
PROSE_REF = "article-"


def sentence(text: str) -> str:
    text = text.strip().rstrip(".…").strip()
    return text[:1].upper() + text[1:]


def bullets_after(lines: list[str], index: int) -> list[tuple[int, str]]:
    """The bullet lines just below `index` (a lead-in line ending in ":" may come first)."""
    found: list[tuple[int, str]] = []
    for number in range(index + 1, len(lines)):
        line = lines[number]
        if not line.strip():
            continue
        bullet = BULLET.match(line)
        if bullet:
            found.append((number, bullet["text"]))
        elif found or not line.rstrip().endswith(":"):
            break
    return found


def prose_examples(lines: list[str]) -> list[RawObjective]:
    """Find the article's prose examples; return them as objectives (1-based lines)."""
    found: list[RawObjective] = []
    for index, line in enumerate(lines):
        if BULLET.match(line):
            continue
        company = COMPANY_GOAL.search(line)
        if company:
            found += company_example(lines, index, company["goal"])
            continue
        project = PROJECT_GOAL.search(line)
        if project:
            found += project_example(lines, index, project["goal"])
    return found


def company_example(lines: list[str], index: int, goal: str) -> list[RawObjective]:
    departments = []
    for number, _text in bullets_after(lines, index):
        match = DEPARTMENT_GOAL.match(lines[number])
        if match is None:
            break
        departments.append((number, match["unit"].strip(), sentence(match["goal"])))
    if not departments:
        return []
    ref = f"{PROSE_REF}{index + 1}"
    company = RawObjective(
        index + 1, sentence(goal), COMPANY_HEADING, COMPANY_HEADING, columns={"ref": ref}
    )
    objectives = [company]
    for number, unit, title in departments:
        child = RawObjective(
            number + 1,
            title,
            unit,
            unit,
            columns={"ref": f"{PROSE_REF}{number + 1}", "parent": ref},
        )
        child.key_results.append(RawKeyResult(number + 1, title))
        objectives.append(child)
    return objectives


def project_example(lines: list[str], index: int, goal: str) -> list[RawObjective]:
    activities = bullets_after(lines, index)
    if not activities:
        return []
    objective = RawObjective(
        index + 1,
        sentence(goal),
        PROJECT_HEADING,
        PROJECT_HEADING,
        columns={"ref": f"{PROSE_REF}{index + 1}", "parent_level": "company"},
    )
    key_result = RawKeyResult(index + 1, PROJECT_KEY_RESULT.format(count=len(activities)))
    key_result.initiatives = [sentence(text) for _number, text in activities]
    objective.key_results.append(key_result)
    return [objective]
