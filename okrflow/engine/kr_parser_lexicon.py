"""Word lists the key-result parser matches against, in Vietnamese and English.

Entries are lowercase and NFC-normalised. Lists are written as "|"-separated phrases to keep
them readable; regexes built from them sort longest first, so "không vượt quá" wins over
"vượt".
"""

from __future__ import annotations


def phrases(text: str) -> tuple[str, ...]:
    """Split a "|"-separated phrase list, dropping line-wrapping whitespace."""
    return tuple(part.strip() for part in text.split("|") if part.strip())


def same_name(text: str) -> dict[str, str]:
    """Map each phrase of a "|"-separated list to itself."""
    return {phrase: phrase for phrase in phrases(text)}


# Vietnamese syllables written without marks: a unit starting with one is Vietnamese.
VI_PLAIN_WORDS = frozenset(
    phrases(
        "doanh|thu|tai|giao|sinh|tin|bao|cao|chi|ban|hang|khach|thang|quy|tang|giam|dat|toi|"
        "thieu|nhat|cua|va|cho|cac|nhung|duoc|nguoi|trong|so|voi|luong|khai|phan|tham|gia|"
        "hoa|hoc|lao|nghi|phong|tiep|can|sao|kho|may|mua|xe|anh|em|con|ho|co|hai|ba|bon|nam"
    )
)
PERIODS = {"ngày": "day", "tuần": "week", "tháng": "month", "quý": "quarter"}
PERIODS |= {"day": "day", "week": "week", "month": "month", "quarter": "quarter"}
PERIOD_ADVERBS = {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}
WORD_COUNTS = {"once": 1, "twice": 2, "thrice": 3}
WORD_COUNTS |= {
    word: index + 1
    for words in (
        phrases("one|two|three|four|five|six|seven|eight|nine|ten"),
        phrases("một|hai|ba|bốn|năm|sáu|bảy|tám|chín|mười"),
    )
    for index, word in enumerate(words)
}
WEEKDAYS_EN = phrases("monday|tuesday|wednesday|thursday|friday|saturday|sunday")
MONTHS_EN = {
    name: index + 1
    for index, names in enumerate(
        phrases(
            "january jan|february feb|march mar|april apr|may|june jun|july jul|august aug|"
            "september sept sep|october oct|november nov|december dec"
        )
    )
    for name in names.split()
}
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
ORDINAL_QUARTERS = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3}
ORDINAL_QUARTERS |= {"fourth": 4, "4th": 4}

# Verbs that say which way a number should move. Weak verbs ("improve") depend on the metric.
# Single syllables that start common compounds ("hạ tầng", "nâng cấp") are left out.
INCREASE_VERBS = {
    "vi": phrases("gia tăng|tăng trưởng|tăng cường|tăng|nâng cao|mở rộng"),
    "en": phrases(
        "increase|increased|increasing|grow|grows|growing|boost|raise|expand|lift|scale|"
        "accelerate|double|triple"
    ),
}
DECREASE_VERBS = {
    "vi": phrases("cắt giảm|giảm thiểu|giảm|hạ thấp|rút ngắn|thu hẹp|tiết kiệm"),
    "en": phrases(
        "reduce|reducing|decrease|decreasing|cut|lower|shrink|shorten|drop|lessen|minimise|"
        "minimize|halve|slash|trim|save|decreased|reduced|lowered"
    ),
}
WEAK_VERBS = {
    "vi": phrases("cải thiện|tối ưu hóa|tối ưu hoá|tối ưu"),
    "en": phrases("improve|improving|optimise|optimize"),
}
# Metrics where "improve" means "make smaller".
LOWER_IS_BETTER = phrases(
    "churn|cost|cac|time|latency|bug|defect|error|incident|complaint|downtime|bounce|turnover|"
    "attrition|thời gian|chi phí|lỗi|khiếu nại|tỷ lệ thoát|nghỉ việc|rời bỏ|sự cố|tồn kho"
)

# Bounds written right before the number ("tối thiểu 100") or right after it ("100+").
AT_LEAST_BEFORE = {
    "vi": phrases("không dưới|không ít hơn|tối thiểu|ít nhất|vượt mức|hơn|trên|>=|≥|>"),
    "en": phrases(
        "no less than|no fewer than|not less than|a minimum of|minimum of|at least|more than|"
        "greater than|higher than|minimum|min.|min|over|above|exceed|exceeding|>=|≥|>"
    ),
}
AT_MOST_BEFORE = {
    "vi": phrases(
        "không vượt quá|không quá|không nhiều hơn|tối đa|ít hơn|thấp hơn|trong vòng|dưới|<=|≤|<"
    ),
    "en": phrases(
        "no more than|not more than|a maximum of|maximum of|not exceed|at most|less than|"
        "fewer than|lower than|maximum|max.|max|under|below|within|up to|<=|≤|<"
    ),
}
AT_LEAST_AFTER = phrases("trở lên|or more|or above|or higher|+")
AT_MOST_AFTER = phrases("trở xuống|or less|or fewer|or below|or lower")

# Words just before a target. "Governed" ones let the sentence's verb set the direction;
# "stating" ones ("đạt", "reach") state a level, so a verb earlier in the sentence does not.
UP_PARTICLES = phrases("lên mức|lên tới|lên đến|lên")
DOWN_PARTICLES = phrases("xuống còn|xuống mức|xuống|còn|down to")
GOVERNED_CONNECTORS = phrases("đến|tới|thành|to")
STATING_CONNECTORS = {
    "vi": phrases("đạt được|đạt|ở mức|mức|là"),
    "en": phrases("reach|reaches|reaching|hit|hitting|achieve|of|at|is|be"),
}
RELATIVE_CONNECTORS = phrases("thêm|by")

# A sentence opening with one of these verbs names a deliverable with a clear done-state.
DONE_VERBS = {
    "vi": phrases(
        "hoàn thành|hoàn tất|ra mắt|phát hành|xuất bản|công bố|ký kết|ký|đưa vào|vận hành|"
        "khai trương|bàn giao|nghiệm thu|tuyển dụng|bổ nhiệm|tích hợp|chuyển đổi|triển khai|"
        "đạt chứng nhận"
    ),
    "en": phrases(
        "launch|ship|release|publish|complete|finish|finalise|finalize|deliver|deploy|roll out|"
        "go live|sign|obtain|hire|recruit|appoint|migrate|implement|integrate|achieve|pass|open|rollout|"
        "get certified"
    ),
}
# Phrases that describe a reached state wherever they appear in the sentence.
DONE_STATES = phrases(
    "được|trang đầu tiên|trang nhất|first page|page one|is live|are live|be live|goes live|"
    "go-live|go live|signed off"
)
LEAD_FILLERS = phrases("đảm bảo|ensure|we will|will|to")

# Counted nouns, surface form -> normalised unit. Vietnamese nouns are head-first.
VI_UNITS = {
    "phút": "minutes",
    "giờ": "hours",
    "tiếng": "hours",
    "ngày làm việc": "days",
    "ngày": "days",
    "tuần": "weeks",
    "tháng": "months",
    "giây": "seconds",
    # Scores are points: NPS, CSAT and ratings in Vietnamese sentences count "điểm".
    "nps": "điểm",
    "enps": "điểm",
    "csat": "điểm",
    "rating": "điểm",
}
VI_UNITS |= same_name(
    "khách hàng|khách mời|khách|người theo dõi|lượt theo dõi|theo dõi|người dùng|người tham dự|"
    "người|thành viên|nhân viên|nhân sự|lập trình viên|ứng viên|học viên|đối tác|đại lý|"
    "nhà phân phối|cửa hàng|chi nhánh|đơn hàng|hợp đồng|giao dịch|sản phẩm|tính năng|dự án|"
    "chiến dịch|sự kiện|hội thảo|hoạt động|buổi đào tạo|buổi|khóa học|khóa đào tạo|bài viết|"
    "bài đăng|bài|video|câu trả lời|phiếu khảo sát|khảo sát|đề xuất|ý tưởng|báo cáo|"
    "lượt truy cập|lượt xem|lượt tải|lượt đăng ký|lượt thích|lượt|lần|cuộc gọi|cuộc họp|email|"
    "tin nhắn|ticket|yêu cầu|khiếu nại|lỗi|sự cố|điểm|sao|từ khóa|backlink|đánh giá|hồ sơ|lead|"
    "demo|webinar|tài liệu|ứng dụng|bản tin|infographic|slide|cuốn sách|sách|thị trường|tỉnh|"
    "vị trí|kênh|nhóm|hướng|tập|game|chủ đề|trường học|doanh nghiệp|hệ thống|giải pháp|tai nạn|"
    "đề thi|môn học|bài giảng|cái"
)
EN_UNITS = {
    "minute": "minutes",
    "min": "minutes",
    "hour": "hours",
    "hr": "hours",
    "business day": "days",
    "working day": "days",
    "calendar day": "days",
    "day": "days",
    "second": "seconds",
    "sec": "seconds",
    "millisecond": "milliseconds",
    "ms": "milliseconds",
    "week": "weeks",
    "month": "months",
    "percentage point": "%",
    "percent": "%",
    "nps": "point",
    "enps": "point",
    "csat": "point",
    "score": "point",
    "rating": "point",
    "story point": "story point",
}
EN_UNITS |= same_name(
    "blog post|case study|landing page|account executive|sales rep|customer|client|user|lead|"
    "deal|follower|subscriber|signup|sign-up|download|install|visit|visitor|session|ticket|"
    "employee|hire|engineer|developer|designer|rep|candidate|interview|post|article|video|"
    "webinar|podcast|event|conference|meetup|workshop|feature|release|survey|review|meeting|"
    "demo|call|partner|account|contract|order|sale|app|trial|referral|backlink|page|campaign|"
    "email|newsletter|point|star|bug|incident|defect|issue|complaint|request|story|project|"
    "course|training|module|integration|market|country|city|store|office|speaker|attendee|"
    "participant|member|student|mention|share|like|comment|view|impression|click|keyword|"
    "opportunity|proposal|pilot|prototype|experiment|test|idea|suggestion|improvement|template|"
    "guide|ebook|report|dashboard|item|person|time|logo|reseller|distributor|agency|vendor|"
    "supplier|hackathon|action|task|exception|error|drill|region|tier|language|workflow|"
    "conversation|failure|mile|book|answer|service|deployment|sub-page"
)
IRREGULAR_PLURALS = {"people": "person", "men": "man", "women": "woman", "children": "child"}
PERCENT_WORDS = phrases("điểm phần trăm|phần trăm|percentage points|percent|per cent|pp")

STOP_WORDS = {
    "vi": frozenset(
        phrases(
            "trong|để|về|của|và|cho|tại|với|từ|trên|qua|do|mà|đã|đang|sẽ|được|có|là|vào|trước|"
            "sau|đến|tới|mỗi|hàng|hằng|các|những|này|đó|khi|nhằm|nhờ|bằng|so|hoặc|hay|thông|"
            "đều|cần|phải|như|lên|xuống|còn|thì|ở|theo|trở|đảm|đạt|chiếm|giúp|mang|phục"
        )
    ),
    "en": frozenset(
        phrases(
            "in|on|at|by|for|from|to|of|with|per|within|before|after|across|during|via|through|"
            "into|over|under|than|and|or|but|the|a|an|that|who|which|this|these|those|every|"
            "each|while|as|vs|versus|compared|is|are|be|will|next|last"
        )
    ),
}
# Comparisons against a period: the target is a change over that period.
TIME_COMPARISONS = phrases(
    "yoy|qoq|year over year|year-over-year|year on year|year-on-year|quarter over quarter|"
    "quarter-over-quarter|month over month|month-over-month|cùng kỳ năm trước|cùng kỳ năm ngoái"
)
# Words that make a bare "5 tỷ" mean money in Vietnamese.
MONEY_CONTEXT = phrases(
    "doanh thu|doanh số|lợi nhuận|chi phí|ngân sách|giá trị|tiền|giá|cpa|cpc|cpm|cpl|cac"
)
