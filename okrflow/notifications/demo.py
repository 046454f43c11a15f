"""The demo's agreement loop (issue #13): a specialist's proposal sent back with a comment.

Run through the real actions, so the head of marketing's "proposal waits" and the specialist's
"sent back" notifications are made exactly as they would be in use.
"""

from __future__ import annotations

from decimal import Decimal

from okrflow.cycles.models import Cycle
from okrflow.okrs.actions.agreement import propose_objective, return_objective
from okrflow.okrs.actions.key_results import create_key_result
from okrflow.okrs.actions.objectives import create_objective
from okrflow.okrs.models import ObjectiveState
from okrflow.org.models import Person

PROPOSER = "specialist.marketing"
REVIEWER = "head.marketing"
TITLE = {
    "vi": "Xây dựng bản tin email hằng tháng cho khách hàng thân thiết",
    "en": "Build a monthly email newsletter for loyal customers",
}
KEY_RESULT = {
    "vi": "Tăng tỉ lệ mở email từ 18% lên 30%",
    "en": "Raise the email open rate from 18% to 30%",
}
COMMENT = {
    "vi": "Ý tưởng tốt, nhưng hãy thêm một kết quả then chốt về số khách quay lại mua hàng "
    "và căn chỉnh mục tiêu này với mục tiêu giữ chân khách hàng của phòng.",
    "en": "Good idea, but add a key result on returning buyers and align it to the "
    "department's retention objective.",
}


def build_sent_back_proposal(cycle: Cycle) -> bool:
    """Have the specialist propose a draft and the head send it back; False when not possible."""
    proposer = Person.objects.select_related("user").filter(user__username=PROPOSER).first()
    reviewer = Person.objects.select_related("user").filter(user__username=REVIEWER).first()
    if proposer is None or reviewer is None:
        return False
    language = "en" if proposer.language == "en" else "vi"
    objective = create_objective(
        proposer.user,
        cycle=cycle,
        title=TITLE[language],
        owner=proposer,
        state=ObjectiveState.DRAFT,
    ).value
    create_key_result(
        proposer.user,
        objective,
        title=KEY_RESULT[language],
        shape="percentage",
        start_value=Decimal(18),
        target_value=Decimal(30),
        owner=proposer,
    )
    propose_objective(proposer.user, objective)
    return_objective(reviewer.user, objective, COMMENT[language])
    return True
