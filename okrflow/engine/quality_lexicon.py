"""Word lists the quality checker matches: verbs that name work rather than results.

A key result that opens with one of these verbs and carries no number ("Tổ chức hội nghị khách
hàng", "Write blog posts") describes an activity: something the team does, not the outcome it
should bring. Deliverable verbs with a clear done-state ("ra mắt", "launch", "hire") are left
out: the parser already reads those as milestones. So are vague verbs ("improve", "đẩy mạnh",
"phát triển"): they do not name work, they fail as "not measurable" instead. Entries are
lowercase NFC.
"""

from __future__ import annotations

from okrflow.engine.kr_parser_lexicon import phrases

ACTIVITY_VERBS = {
    "vi": phrases(
        "tổ chức|thực hiện|tiến hành|tham gia|tham dự|xây dựng|lập|soạn thảo|biên soạn|soạn|"
        "viết|làm|chạy|hỗ trợ|phối hợp|nghiên cứu|tìm hiểu|họp|gặp gỡ|gặp|gửi|đăng|kiểm tra|"
        "rà soát|cập nhật|duy trì|liên hệ|gọi điện|chuẩn bị|lên kế hoạch|đào tạo|khảo sát|"
        "thiết kế|cố gắng|nỗ lực|tập trung|theo dõi|quản lý|chăm sóc|ghi nhận|thảo luận|"
        "phân tích|làm việc"
    ),
    "en": phrases(
        "organize|organise|hold|run|conduct|host|attend|participate in|participate|take part in|"
        "build|create|write|draft|work on|work with|help|support|assist|coordinate|research|"
        "meet|send|post|review|check|update|maintain|prepare|plan|contact|call|do|start|begin|"
        "try|explore|investigate|design|set up|focus on|manage|monitor|train|survey|brainstorm|"
        "discuss|analyse|analyze|study|work"
    ),
}
# Words in front of the verb that do not change what the sentence commits to.
LEAD_WORDS = phrases(
    "đảm bảo|cần|phải|sẽ|chúng tôi sẽ|chúng ta sẽ|tôi sẽ|ensure|make sure to|we will|we'll|"
    "i will|will|to|continue to|tiếp tục"
)
