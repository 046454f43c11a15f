"""Hold the template library's examples as plain Python: the seed article's OKRs.

Every example OKR the article (`okr-for-marketing.vi.txt`) gives, by level and by marketing
type, the cross-department customer-retention example and the "focus on sales" example, with
the organisation they are set in (the company's units and marketing projects; owners are named
by key or username). Titles are written in our own words; the article's numbers and deadlines are
kept. The library (`okrflow.library.catalog`) owns them; the demo organisation
(`okrflow.demo.content`) is built from them and adds its people, how each key result plays out
(trajectory, confidence, obstacles) and last quarter's reflections.

Dates are quarter-relative. The demo's active cycle is always the current calendar quarter,
while the article sets its OKRs in quarter II (April to June) with a few items in March.
April, May and June become months 1, 2 and 3 of the cycle; the article's March items
become month 1. Titles carry `str.format` placeholders instead of month numbers:
`{m0}` (the month just before the quarter), `{m1}`, `{m2}`, `{m3}` (the quarter's months),
`{q}` and `{prev_q}` (Roman numerals), `{year}` and `{prev_year}`; see
`quarter_placeholders`.

Numbers are decimal strings (`"10000"`, `"0.7"`) so the loader can build `Decimal`s.
"""

from __future__ import annotations

import calendar
import datetime
from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

Language = Literal["vi", "en"]
OwnerKind = Literal["unit", "person", "project"]
ObjectiveKind = Literal["committed", "aspirational"]
Source = Literal["article-level", "article-type", "article-retention", "article-sales-focus"]
Shape = Literal[
    "metric", "threshold", "percentage", "currency", "relative", "milestone", "recurring"
]
Direction = Literal["increase", "decrease", "at_least", "at_most"]
Period = Literal["week", "month"]
Currency = Literal["VND", "USD"]
Trajectory = Literal[
    "ahead", "on_pace", "slightly_behind", "behind", "stalled", "done_early", "pending"
]
Confidence = Literal["high", "medium", "low"]

SHAPES: tuple[Shape, ...] = (
    "metric",
    "threshold",
    "percentage",
    "currency",
    "relative",
    "milestone",
    "recurring",
)
# Milestones only know "done_early" (already done) or "pending" (not yet; see confidence).
TRAJECTORIES: tuple[Trajectory, ...] = (
    "ahead",
    "on_pace",
    "slightly_behind",
    "behind",
    "stalled",
    "done_early",
    "pending",
)
MARKETING_TYPES = ("inbound", "content", "event", "email")
PLACEHOLDERS = ("m0", "m1", "m2", "m3", "q", "prev_q", "year", "prev_year")

_ROMAN_QUARTERS = ("I", "II", "III", "IV")


@dataclass(frozen=True)
class Unit:
    """An org unit: the company, a department or a team."""

    key: str
    name: str
    name_en: str
    parent: str | None
    lead: str


@dataclass(frozen=True)
class Project:
    """A marketing project; `members` does not repeat the lead."""

    key: str
    name: str
    name_en: str
    lead: str
    members: tuple[str, ...]


@dataclass(frozen=True)
class Due:
    """A deadline inside the cycle: month 1..3 of the quarter, day None = end of that month."""

    month_of_quarter: int
    day: int | None = None


@dataclass(frozen=True)
class KeyResult:
    """A key result in its native shape.

    metric / percentage / currency: `start` -> `target`, direction increase/decrease.
    threshold: stay `at_least`/`at_most` `target`; `start` is today's baseline, optional.
    relative: `start` is the past-period value, `relative_change` a percent,
    `baseline_label` names the past period (it may hold placeholders).
    milestone: done or not, no numbers.
    recurring: `per_period` times every `period`.
    """

    title: str
    title_en: str
    shape: Shape
    owner: str
    unit: str = ""
    start: str | None = None
    target: str | None = None
    direction: Direction | None = None
    relative_change: str | None = None
    baseline_label: str | None = None
    baseline_label_en: str | None = None
    per_period: int | None = None
    period: Period | None = None
    currency: Currency | None = None
    due: Due | None = None
    weight: str = "1"
    trajectory: Trajectory = "on_pace"
    confidence: Confidence = "high"
    obstacle: str | None = None
    # A blocker that strikes in the latest week: the value falls back and confidence drops to
    # low, the "sudden" risk of the article (an unforeseen problem) for the risk engine to catch.
    sudden: str | None = None

    @property
    def effective_target(self) -> Decimal | None:
        """Return the target, computing it from the baseline for relative KRs."""
        if self.shape == "relative":
            if self.start is None or self.relative_change is None:
                return None
            return Decimal(self.start) * (1 + Decimal(self.relative_change) / 100)
        return None if self.target is None else Decimal(self.target)


@dataclass(frozen=True)
class Objective:
    """An objective; `owner` is a Unit key, a username or a Project key per `owner_kind`."""

    key: str
    title: str
    title_en: str
    description: str
    owner_kind: OwnerKind
    owner: str
    kind: ObjectiveKind
    parent: str | None
    source: Source
    key_results: tuple[KeyResult, ...]
    extra_parents: tuple[tuple[str, str], ...] = ()
    tags: tuple[str, ...] = ()
    private: bool = False


def quarter_placeholders(year: int, quarter: int) -> dict[str, str]:
    """Return the `str.format` values for the titles of a cycle in `quarter` of `year`."""
    if quarter not in (1, 2, 3, 4):
        raise ValueError(f"quarter must be 1..4, not {quarter}")
    first_month = 3 * (quarter - 1) + 1
    previous_quarter = 4 if quarter == 1 else quarter - 1
    return {
        "m0": str(12 if first_month == 1 else first_month - 1),
        "m1": str(first_month),
        "m2": str(first_month + 1),
        "m3": str(first_month + 2),
        "q": _ROMAN_QUARTERS[quarter - 1],
        "prev_q": _ROMAN_QUARTERS[previous_quarter - 1],
        "year": str(year),
        "prev_year": str(year - 1),
    }


def render_text(text: str, year: int, quarter: int) -> str:
    """Fill a title's placeholders for a cycle in `quarter` of `year`."""
    return text.format(**quarter_placeholders(year, quarter))


def resolve_due(due: Due | None, year: int, quarter: int) -> datetime.date:
    """Return the calendar date of a quarter-relative deadline (None = end of the quarter)."""
    if due is None:
        due = Due(3)
    month = 3 * (quarter - 1) + due.month_of_quarter
    last_day = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(due.day or last_day, last_day))


# --- Org tree ----------------------------------------------------------------------------------

COMPANY_NAME = "Công ty Cổ phần Tư vấn Thương hiệu Sao Việt"
COMPANY_NAME_EN = "Sao Viet Brand Consulting JSC"

UNITS: tuple[Unit, ...] = (
    Unit("company", COMPANY_NAME, COMPANY_NAME_EN, None, "ceo"),
    Unit("marketing", "Phòng Marketing", "Marketing Department", "company", "head.marketing"),
    Unit("sales", "Phòng Kinh doanh", "Sales Department", "company", "head.sales"),
    Unit("product", "Phòng Sản phẩm", "Product Department", "company", "head.product"),
    Unit(
        "support",
        "Phòng Chăm sóc khách hàng & Bảo hành bảo trì",
        "Customer Support & Maintenance Department",
        "company",
        "head.support",
    ),
    Unit(
        "marketing_content",
        "Nhóm Nội dung & SEO",
        "Content & SEO Team",
        "marketing",
        "content.marketing",
    ),
    Unit(
        "marketing_events",
        "Nhóm Sự kiện & Email",
        "Events & Email Team",
        "marketing",
        "event.marketing",
    ),
)

# The article: "Mỗi dự án Marketing sẽ có mục tiêu khác nhau" - objectives per marketing project.
PROJECTS: tuple[Project, ...] = (
    Project(
        "product_launch",
        "Ra mắt sản phẩm mới (Inbound)",
        "New product launch (Inbound)",
        "head.marketing",
        ("specialist.marketing", "seo.marketing", "content.marketing", "email.marketing"),
    ),
    Project(
        "industry_seminar",
        "Hội thảo chuyên ngành",
        "Industry seminar",
        "content.marketing",
        ("head.marketing", "event.marketing", "specialist.marketing", "seo.marketing"),
    ),
    Project(
        "loyalty_conference",
        "Hội nghị khách hàng thân thiết hằng quý",
        "Quarterly loyal-customer conference",
        "event.marketing",
        ("email.marketing", "sales.rep2", "agent.support"),
    ),
)


# --- OKRs by level (article: "OKR Marketing theo cấp bậc áp dụng") ---------------------------

_COMPANY_TOP3 = Objective(
    key="company_top3",
    title="Vươn lên vững vàng trong Top 3 thị phần tư vấn phát triển thương hiệu doanh nghiệp",
    title_en="Firmly take a Top-3 market share in corporate brand-development consulting",
    description=(
        "Mục tiêu mở rộng cấp công ty: thương hiệu Sao Việt phải được nhắc tới đầu tiên "
        "khi doanh nghiệp cần tư vấn thương hiệu."
    ),
    owner_kind="unit",
    owner="company",
    kind="aspirational",
    parent=None,
    source="article-level",
    tags=("brand", "market-share"),
    key_results=(
        KeyResult(
            title=(
                "Dẫn trước đối thủ gần nhất tối thiểu 0,7 điểm cơ bản về giá trị nhận thức "
                "thương hiệu"
            ),
            title_en="Lead the nearest competitor by at least 0.7 basis points in brand perception",
            shape="threshold",
            owner="ceo",
            unit="điểm",
            start="0.3",
            target="0.7",
            direction="at_least",
            weight="2",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Đối thủ gần nhất vừa tung chiến dịch truyền thông lớn, khoảng cách thu hẹp.",
        ),
        KeyResult(
            title="Ít nhất 20% khách hàng mới đến từ lời giới thiệu của khách hàng cũ và hiện tại",
            title_en="At least 20% of new clients come from referrals by past and current clients",
            shape="threshold",
            owner="head.sales",
            unit="%",
            start="14",
            target="20",
            direction="at_least",
            trajectory="on_pace",
        ),
        KeyResult(
            title=(
                "Nâng mức nhận diện thương hiệu trong phân khúc mục tiêu từ 65% lên 80% "
                "(so với năm {prev_year})"
            ),
            title_en=(
                "Raise brand awareness in our market segment from 65% to 80% (vs {prev_year})"
            ),
            shape="percentage",
            owner="head.marketing",
            unit="%",
            start="65",
            target="80",
            direction="increase",
            trajectory="behind",
            confidence="low",
            obstacle="Ngân sách khảo sát nhận diện bị cắt một nửa, số liệu đo được còn ít.",
        ),
    ),
)

_MARKETING_SEO = Objective(
    key="marketing_seo",
    title="Đưa website công ty lên vị trí SEO hàng đầu cho từ khóa “tư vấn thương hiệu”",
    title_en="Bring the company website to the top SEO ranks for “brand consulting”",
    description="Mục tiêu cấp phòng Marketing, đóng góp cho mục tiêu Top 3 thị phần của công ty.",
    owner_kind="unit",
    owner="marketing",
    kind="committed",
    parent="company_top3",
    source="article-level",
    tags=("seo", "inbound", "brand"),
    key_results=(
        # "Trang đầu tiên" of Google = positions 1..10, so the rank must fall from 23 to 10.
        KeyResult(
            title="Đưa website lên trang đầu Google với từ khóa “tư vấn thương hiệu” (top 10)",
            title_en="Get the website onto Google's first page for “brand consulting” (top 10)",
            shape="metric",
            owner="seo.marketing",
            unit="vị trí",
            start="23",
            target="10",
            direction="decrease",
            weight="2",
            trajectory="behind",
            confidence="low",
            obstacle="Google cập nhật thuật toán giữa quý, thứ hạng tụt 5 bậc.",
        ),
        KeyResult(
            title="Tăng 20% lượt truy cập website so với quý {prev_q}",
            title_en="Grow website visits by 20% over quarter {prev_q}",
            shape="relative",
            owner="seo.marketing",
            unit="lượt truy cập",
            start="12000",
            relative_change="20",
            direction="increase",
            baseline_label="quý {prev_q}",
            baseline_label_en="quarter {prev_q}",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Tuyển và đào tạo xong 1 nhân viên nội dung và 2 nhân viên SEO trong quý {q}",
            title_en="Hire and train 1 content writer and 2 SEO specialists in quarter {q}",
            shape="metric",
            owner="head.marketing",
            unit="nhân sự",
            start="0",
            target="3",
            direction="increase",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Mới tuyển được 1 nhân viên SEO, ứng viên nội dung chưa đạt yêu cầu.",
        ),
    ),
)

_HEAD_SIMPLIFY = Objective(
    key="head_simplify",
    title=("Làm cho dịch vụ tư vấn phát triển thương hiệu dễ hiểu, rõ ràng trên mọi nền tảng"),
    title_en="Make our brand-development consulting service simple and clear on every platform",
    description="OKR của Trưởng phòng Marketing, hỗ trợ mục tiêu SEO của phòng.",
    owner_kind="person",
    owner="head.marketing",
    kind="committed",
    parent="marketing_seo",
    source="article-level",
    tags=("brand", "content"),
    key_results=(
        # The article sets this survey in March, the month before its quarter: month 1 here.
        KeyResult(
            title=(
                "Khảo sát tối thiểu 100 khách hàng doanh nghiệp trong tháng {m1} để nắm nhu cầu "
                "và thắc mắc về dịch vụ tư vấn thương hiệu"
            ),
            title_en=(
                "Survey at least 100 business clients in month {m1} on their needs and questions "
                "about brand consulting"
            ),
            shape="metric",
            owner="head.marketing",
            unit="khách hàng",
            start="0",
            target="100",
            direction="increase",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title="Rà soát và tổng hợp đánh giá 100 câu trả lời khảo sát trong tháng {m2}",
            title_en="Review and summarise the 100 survey answers in month {m2}",
            shape="metric",
            owner="head.marketing",
            unit="câu trả lời",
            start="0",
            target="100",
            direction="increase",
            due=Due(2),
            trajectory="on_pace",
        ),
        KeyResult(
            title=(
                "Duyệt 4 infographic, 1 slide và 1 video demo giới thiệu dịch vụ trong tháng {m1}"
            ),
            title_en="Approve 4 infographics, 1 slide deck and 1 demo video in month {m1}",
            shape="metric",
            owner="head.marketing",
            unit="ấn phẩm",
            start="0",
            target="6",
            direction="increase",
            due=Due(1),
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Video demo phải quay lại vì kịch bản chưa nêu rõ lợi ích dịch vụ.",
        ),
        KeyResult(
            title="Kênh video YouTube và TikTok đạt ít nhất 10.000 người theo dõi trong quý {q}",
            title_en="Reach at least 10,000 followers on YouTube and TikTok in quarter {q}",
            shape="metric",
            owner="head.marketing",
            unit="người theo dõi",
            start="3200",
            target="10000",
            direction="increase",
            trajectory="behind",
            confidence="low",
            obstacle="Chỉ ra được 1 video/tuần thay vì 3 do thiếu người dựng video.",
        ),
        KeyResult(
            title="Fanpage giới thiệu dịch vụ đạt ít nhất 10.000 người theo dõi trong quý {q}",
            title_en="Reach at least 10,000 followers on the service fanpage in quarter {q}",
            shape="metric",
            owner="head.marketing",
            unit="người theo dõi",
            start="6500",
            target="10000",
            direction="increase",
            trajectory="ahead",
        ),
    ),
)

_SPECIALIST_BEHAVIOUR = Objective(
    key="specialist_behaviour",
    title="Thấu hiểu hành vi và những yếu tố quyết định việc khách hàng chọn dịch vụ",
    title_en="Understand client behaviour and what drives the decision to buy our service",
    description=(
        "OKR cá nhân của Chuyên viên Marketing, do chính chuyên viên đề xuất và trưởng phòng "
        "đồng ý; để ở chế độ riêng tư trong lúc hoàn thiện."
    ),
    owner_kind="person",
    owner="specialist.marketing",
    kind="committed",
    parent="head_simplify",
    source="article-level",
    tags=("research", "email"),
    private=True,
    key_results=(
        # March in the article -> month 1.
        KeyResult(
            title="Thực hiện ít nhất 10 khảo sát khách hàng trực tuyến trong tháng {m1} "
            "và phân tích kết quả",
            title_en="Run at least 10 online client surveys in month {m1} and analyse the results",
            shape="metric",
            owner="specialist.marketing",
            unit="khảo sát",
            start="0",
            target="10",
            direction="increase",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title=(
                "Hoàn thành bản phân tích hành vi khách hàng, chỉ ra các yếu tố quyết định "
                "chọn dịch vụ, trong tháng {m1}"
            ),
            title_en=(
                "Deliver a client-behaviour analysis naming the factors behind the buying "
                "decision in month {m1}"
            ),
            shape="milestone",
            owner="specialist.marketing",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title=(
                "Phân tích các kênh tiếp thị hiện có và đưa ra ít nhất 5 đề xuất cải tiến "
                "trong tháng {m2}"
            ),
            title_en=(
                "Analyse the current marketing channels and propose at least 5 improvements "
                "in month {m2}"
            ),
            shape="metric",
            owner="specialist.marketing",
            unit="đề xuất",
            start="0",
            target="5",
            direction="increase",
            due=Due(2),
            trajectory="on_pace",
        ),
        KeyResult(
            title="Triển khai 3 chiến dịch tiếp thị tại Hà Nội, TP. Hồ Chí Minh và Đà Nẵng "
            "trong tháng {m3}",
            title_en="Launch 3 marketing campaigns in Hanoi, Ho Chi Minh City and Da Nang in "
            "month {m3}",
            shape="metric",
            owner="specialist.marketing",
            unit="chiến dịch",
            start="0",
            target="3",
            direction="increase",
            due=Due(3),
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Chưa chốt được đối tác tổ chức sự kiện tại Đà Nẵng.",
        ),
        KeyResult(
            title="Tăng tỷ lệ đăng ký nhận email trong quý {q} thêm 20% so với quý {prev_q}",
            title_en="Raise the email sign-up rate in quarter {q} by 20% over quarter {prev_q}",
            shape="relative",
            owner="specialist.marketing",
            unit="%",
            start="4.5",
            relative_change="20",
            direction="increase",
            baseline_label="quý {prev_q}",
            baseline_label_en="quarter {prev_q}",
            trajectory="behind",
            confidence="low",
            obstacle="Biểu mẫu đăng ký trên website bị lỗi hiển thị trên điện thoại suốt 2 tuần.",
        ),
    ),
)


# --- OKRs by marketing type (article: "OKR theo loại hình Marketing") -------------------------

_INBOUND_LEADS = Objective(
    key="inbound_leads",
    title="Mở rộng mạnh mẽ danh sách khách hàng tiềm năng cho sản phẩm mới ra mắt",
    title_en="Grow the list of prospects for the newly launched product, fast",
    description="Inbound O1, do dự án Ra mắt sản phẩm mới nắm giữ.",
    owner_kind="project",
    owner="product_launch",
    kind="aspirational",
    parent="marketing_sales_focus",
    source="article-type",
    tags=("inbound", "leads"),
    key_results=(
        KeyResult(
            title="Tăng 15% lượt tải tài liệu giới thiệu sản phẩm so với tháng {m0}",
            title_en="Grow product brochure downloads by 15% over month {m0}",
            shape="relative",
            owner="content.marketing",
            unit="lượt tải",
            start="800",
            relative_change="15",
            direction="increase",
            baseline_label="tháng {m0}",
            baseline_label_en="month {m0}",
            trajectory="ahead",
        ),
        KeyResult(
            title="Tăng 30% số lượt gửi biểu mẫu liên hệ so với tháng {m0}",
            title_en="Grow contact-form submissions by 30% over month {m0}",
            shape="relative",
            owner="seo.marketing",
            unit="lượt gửi biểu mẫu",
            start="240",
            relative_change="30",
            direction="increase",
            baseline_label="tháng {m0}",
            baseline_label_en="month {m0}",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Biểu mẫu có quá nhiều trường bắt buộc, nhiều người bỏ dở giữa chừng.",
        ),
        KeyResult(
            title="Cộng đồng khách hàng thân thiết đạt tối thiểu 5.000 thành viên trong tháng {m1}",
            title_en="Grow the loyal-customer community to at least 5,000 members in month {m1}",
            shape="metric",
            owner="email.marketing",
            unit="thành viên",
            start="3800",
            target="5000",
            direction="increase",
            due=Due(1),
            trajectory="behind",
            confidence="low",
            obstacle="Hết tháng mới đạt khoảng 4.300 thành viên; chưa có quà mời tham gia.",
        ),
    ),
)

_INBOUND_TRAFFIC = Objective(
    key="inbound_traffic",
    title="Thu hút thêm nhiều khách truy cập website sản phẩm",
    title_en="Draw more visitors to the product website",
    description="Inbound O2, do chuyên viên SEO phụ trách.",
    owner_kind="person",
    owner="seo.marketing",
    kind="committed",
    parent="marketing_seo",
    # Visitors to the product site also feed the launch's prospect list.
    extra_parents=(("inbound_leads", "0.5"),),
    source="article-type",
    tags=("inbound", "seo", "ads"),
    key_results=(
        # "Duy trì từ 15/4" reads as an ongoing duty, not a one-off: modelled as a weekly
        # commitment (campaigns live and reviewed every week) rather than a milestone.
        KeyResult(
            title=(
                "Duy trì quảng cáo Google và Facebook dẫn về website sản phẩm mỗi tuần, "
                "bắt đầu từ 15/{m1}"
            ),
            title_en=(
                "Keep Google and Facebook ads pointing to the product website running every "
                "week from 15/{m1}"
            ),
            shape="recurring",
            owner="seo.marketing",
            unit="tuần chạy quảng cáo",
            per_period=1,
            period="week",
            trajectory="on_pace",
        ),
        # Launching the newsletter is a one-off step; sending it weekly is the email team's
        # recurring KR under email_connect.
        KeyResult(
            title=(
                "Trước 15/{m1}, phát hành bản tin online hằng tuần giới thiệu sản phẩm tới "
                "email khách hàng tiềm năng, kèm link về website sản phẩm"
            ),
            title_en=(
                "By 15/{m1}, launch a weekly online newsletter to prospects' inboxes, linking "
                "to the product website"
            ),
            shape="milestone",
            owner="seo.marketing",
            due=Due(1, 15),
            trajectory="done_early",
        ),
        KeyResult(
            title="Trước 30/{m3}, đưa website vào top 5 kết quả Google cho từ khóa sản phẩm",
            title_en="By 30/{m3}, get the website into Google's top 5 for the product keyword",
            shape="metric",
            owner="seo.marketing",
            unit="vị trí",
            start="14",
            target="5",
            direction="decrease",
            due=Due(3, 30),
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Thiếu backlink chất lượng; các trang báo đối tác phản hồi chậm.",
        ),
    ),
)

_CONTENT_BRAND = Objective(
    key="content_brand",
    title="Đưa thương hiệu công ty đến gần hơn với cộng đồng doanh nghiệp",
    title_en="Make the company brand known across the business community",
    description=(
        "Content O1: tăng nhận diện thương hiệu qua báo chí, hội thảo chuyên ngành và sách; "
        "do dự án Hội thảo chuyên ngành nắm giữ."
    ),
    owner_kind="project",
    owner="industry_seminar",
    kind="committed",
    parent="company_top3",
    source="article-type",
    tags=("content", "brand", "pr"),
    key_results=(
        KeyResult(
            title=(
                "Mỗi tháng ít nhất 1 lần lãnh đạo hoặc quản lý của công ty lên báo chí "
                "trả lời các vấn đề chuyên môn"
            ),
            title_en=(
                "At least once a month, a company leader or manager answers expert questions "
                "in the press"
            ),
            shape="recurring",
            owner="head.marketing",
            unit="lần xuất hiện",
            per_period=1,
            period="month",
            trajectory="on_pace",
        ),
        KeyResult(
            title=(
                "Tổ chức hội thảo chuyên ngành trong tháng {m1} với ít nhất 300 khách mời "
                "trực tiếp và 5.000 người xem livestream"
            ),
            title_en=(
                "Hold the industry seminar in month {m1} with at least 300 guests on site and "
                "5,000 livestream viewers"
            ),
            shape="milestone",
            owner="content.marketing",
            due=Due(1),
            weight="2",
            trajectory="done_early",
        ),
        KeyResult(
            title="Biên soạn và xuất bản sách từ các tham luận của hội thảo trong tháng {m2}",
            title_en="Edit and publish a book of the seminar's papers in month {m2}",
            shape="milestone",
            owner="content.marketing",
            due=Due(2),
            trajectory="pending",
            confidence="medium",
            obstacle="Ba diễn giả chưa gửi bản tham luận hoàn chỉnh.",
        ),
    ),
)

_CONTENT_QUALITY = Objective(
    key="content_quality",
    title="Nâng tầm chất lượng nội dung trên tất cả các nền tảng",
    title_en="Lift the quality of our content on every platform",
    description="Content O2, do Nhóm Nội dung & SEO nắm giữ.",
    owner_kind="unit",
    owner="marketing_content",
    kind="committed",
    parent="marketing_seo",
    source="article-type",
    tags=("content", "quality"),
    key_results=(
        KeyResult(
            title="Từ tháng {m1}, mọi bài viết đều có ô chấm điểm 1–5 sao để khách hàng đánh giá",
            title_en="From month {m1}, every article carries a 1–5 star rating for readers",
            shape="milestone",
            owner="seo.marketing",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title=(
                "Khảo sát tối thiểu 200 khách hàng về nội dung họ muốn thấy trên các kênh "
                "của công ty trong tháng {m1}"
            ),
            title_en=(
                "Survey at least 200 clients on the content they want on our channels in month {m1}"
            ),
            shape="metric",
            owner="content.marketing",
            unit="khách hàng",
            start="0",
            target="200",
            direction="increase",
            due=Due(1),
            trajectory="behind",
            confidence="low",
            obstacle="Tỷ lệ phản hồi khảo sát thấp, hết hạn mới thu được khoảng 140 phiếu.",
        ),
        KeyResult(
            title="Tuyển ít nhất 1 senior content chuyên trách trong tháng {m1}",
            title_en="Hire at least 1 dedicated senior content writer in month {m1}",
            shape="milestone",
            owner="content.marketing",
            due=Due(1),
            trajectory="pending",
            confidence="low",
            obstacle="Hai ứng viên cuối cùng đều đòi mức lương vượt ngân sách.",
        ),
    ),
)

_EVENT_GOODWILL = Objective(
    key="event_goodwill",
    title="Tạo thiện cảm và nhiều đánh giá tích cực của khách hàng qua các sự kiện",
    title_en="Win clients' goodwill and positive reviews through our events",
    description="Event O1, do Nhóm Sự kiện & Email nắm giữ.",
    owner_kind="unit",
    owner="marketing_events",
    kind="committed",
    parent="company_top3",
    # Goodwill built at events also keeps existing clients coming to the loyalty conference.
    extra_parents=(("marketing_retention", "0.5"),),
    source="article-type",
    tags=("event", "brand"),
    key_results=(
        KeyResult(
            title="Tổ chức hội nghị khách hàng trong tháng {m1}",
            title_en="Hold the client conference in month {m1}",
            shape="milestone",
            owner="event.marketing",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title="Tham gia ít nhất 1 hoạt động thiện nguyện có sức lan tỏa trong tháng {m2}",
            title_en="Take part in at least 1 far-reaching charity activity in month {m2}",
            shape="milestone",
            owner="email.marketing",
            due=Due(2),
            trajectory="pending",
            confidence="high",
        ),
        KeyResult(
            title="Tổ chức sự kiện trải nghiệm sản phẩm miễn phí tại các điểm bán trong tháng {m3}",
            title_en="Run free product-trial events at points of sale in month {m3}",
            shape="milestone",
            owner="event.marketing",
            due=Due(3),
            trajectory="pending",
            confidence="medium",
            obstacle="Hai chuỗi bán lẻ chưa đồng ý cho đặt gian trải nghiệm.",
        ),
    ),
)

_EVENT_PROMOTION = Objective(
    key="event_promotion",
    title="Đẩy mạnh tiếp thị sản phẩm thông qua các sự kiện",
    title_en="Push product marketing hard through events",
    description="Event O2, do Trưởng nhóm Sự kiện & Email phụ trách.",
    owner_kind="person",
    owner="event.marketing",
    kind="aspirational",
    parent="marketing_sales_focus",
    source="article-type",
    tags=("event", "leads"),
    key_results=(
        KeyResult(
            title="Có mặt tại 100% sự kiện quan trọng, thường niên của ngành và của công ty",
            title_en="Attend 100% of the key annual events of the industry and the company",
            shape="threshold",
            owner="event.marketing",
            unit="%",
            start="80",
            target="100",
            direction="at_least",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Có ít nhất 1 phần phát biểu giới thiệu sản phẩm tại tối thiểu 80% sự kiện",
            title_en="Hold at least 1 speaking slot about our product at 80% or more of events",
            shape="threshold",
            owner="event.marketing",
            unit="%",
            start="50",
            target="80",
            direction="at_least",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Nhiều ban tổ chức đã chốt danh sách diễn giả từ quý trước.",
        ),
        KeyResult(
            title="Tăng ít nhất 25% khách hàng tiềm năng đến từ sự kiện so với quý {prev_q}",
            title_en="Grow prospects from events by at least 25% over quarter {prev_q}",
            shape="relative",
            owner="event.marketing",
            unit="khách hàng tiềm năng",
            start="320",
            relative_change="25",
            direction="increase",
            baseline_label="quý {prev_q}",
            baseline_label_en="quarter {prev_q}",
            trajectory="stalled",
            confidence="low",
            obstacle="Chưa có cách ghi nhận khách tiềm năng tại quầy; danh sách vẫn ghi tay.",
        ),
    ),
)

_EMAIL_CONNECT = Objective(
    key="email_connect",
    title="Gắn kết khách hàng bền chặt hơn bằng những email thực sự có giá trị",
    title_en="Bond more closely with clients through truly valuable emails",
    description="Email O1, do chuyên viên Email Marketing phụ trách.",
    owner_kind="person",
    owner="email.marketing",
    kind="aspirational",
    parent="marketing_retention",
    source="article-type",
    tags=("email", "retention"),
    key_results=(
        KeyResult(
            title=(
                "Gửi bản tin cập nhật sản phẩm lúc 17:00 thứ Sáu hằng tuần tới danh sách "
                "khách hàng thân thiết"
            ),
            title_en="Send the product update newsletter to loyal clients every Friday at 17:00",
            shape="recurring",
            owner="email.marketing",
            unit="bản tin",
            per_period=1,
            period="week",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Giữ tỷ lệ mở email ở mức tối thiểu 70%",
            title_en="Keep the email open rate at 70% or more",
            shape="threshold",
            owner="email.marketing",
            unit="%",
            start="58",
            target="70",
            direction="at_least",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Nhiều email rơi vào tab Quảng cáo của Gmail.",
        ),
        KeyResult(
            title=(
                "Tối thiểu 10% người mở email gửi yêu cầu demo hoặc hỏi thêm thông tin "
                "qua fanpage sản phẩm"
            ),
            title_en=(
                "At least 10% of email openers ask for a demo or more information via the "
                "product fanpage"
            ),
            shape="threshold",
            owner="email.marketing",
            unit="%",
            start="6",
            target="10",
            direction="at_least",
            trajectory="behind",
            confidence="low",
            obstacle="Email chưa có nút kêu gọi hành động rõ ràng dẫn về fanpage.",
        ),
    ),
)

_EMAIL_OPTIMISE = Objective(
    key="email_optimise",
    title="Khai thác hiệu quả tối đa các nỗ lực tiếp thị qua email",
    title_en="Get the most out of our email marketing efforts",
    description="Email O2, do Nhóm Sự kiện & Email nắm giữ.",
    owner_kind="unit",
    owner="marketing_events",
    kind="committed",
    parent="marketing_seo",
    source="article-type",
    tags=("email", "training"),
    key_results=(
        KeyResult(
            title="Nâng tỷ lệ đăng ký nhận email tiếp thị thêm hơn 20% so với quý {prev_q}",
            title_en="Lift the marketing-email sign-up rate by more than 20% over quarter {prev_q}",
            shape="relative",
            owner="email.marketing",
            unit="%",
            start="4.5",
            relative_change="20",
            direction="increase",
            baseline_label="quý {prev_q}",
            baseline_label_en="quarter {prev_q}",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Lỗi biểu mẫu đăng ký trên điện thoại làm mất 2 tuần dữ liệu.",
        ),
        KeyResult(
            title="Tuyển ít nhất 1 senior content phụ trách tiếp thị qua email trong tháng {m1}",
            title_en="Hire at least 1 senior content writer for email marketing in month {m1}",
            shape="milestone",
            owner="event.marketing",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title=(
                "100% nhân sự phòng Marketing tham gia khóa đào tạo nội bộ về email marketing "
                "ngày 15/{m1}"
            ),
            title_en=(
                "100% of Marketing staff attend the internal email-marketing training on 15/{m1}"
            ),
            shape="percentage",
            owner="event.marketing",
            unit="%",
            start="0",
            target="100",
            direction="increase",
            due=Due(1, 15),
            trajectory="behind",
            confidence="low",
            obstacle="2 nhân sự đi công tác vắng buổi đào tạo; cần tổ chức buổi học bù.",
        ),
    ),
)


# --- Cross-department alignment (article: the customer-retention example) ---------------------
# The article gives the company objective and one measure per department; the department
# objectives restate that measure, and the other key results are invented to complete them.

_COMPANY_RETENTION = Objective(
    key="company_retention",
    title="Giữ chân vượt trội khách hàng cũ gia hạn hợp đồng bảo trì hằng năm",
    title_en="Keep far more existing clients renewing their annual maintenance contracts",
    description=(
        "Mục tiêu chung cấp công ty; Kinh doanh, Marketing, Sản phẩm và Chăm sóc khách hàng "
        "cùng hướng về đây."
    ),
    owner_kind="unit",
    owner="company",
    kind="committed",
    parent=None,
    source="article-retention",
    tags=("retention", "maintenance"),
    key_results=(
        KeyResult(
            title="Nâng tỷ lệ gia hạn hợp đồng bảo trì hằng năm từ 78% lên 92%",
            title_en="Raise the annual maintenance renewal rate from 78% to 92%",
            shape="percentage",
            owner="head.sales",
            unit="%",
            start="78",
            target="92",
            direction="increase",
            weight="2",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Nhiều hợp đồng lớn hết hạn dồn vào tháng cuối quý.",
        ),
        KeyResult(
            title="Tăng doanh thu bảo trì định kỳ từ 4,2 tỷ đồng lên 5,5 tỷ đồng",
            title_en="Grow recurring maintenance revenue from VND 4.2 billion to VND 5.5 billion",
            shape="currency",
            owner="ceo",
            unit="VND",
            start="4200000000",
            target="5500000000",
            direction="increase",
            currency="VND",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Nâng chỉ số NPS của khách hàng đang dùng dịch vụ bảo trì từ 32 lên 45",
            title_en="Raise the NPS of maintenance clients from 32 to 45",
            shape="metric",
            owner="head.support",
            unit="điểm NPS",
            start="32",
            target="45",
            direction="increase",
            trajectory="on_pace",
        ),
    ),
)

_SALES_RETENTION = Objective(
    key="sales_retention",
    title="Giữ trọn khách hàng hiện tại trong chu kỳ gia hạn hợp đồng bảo trì",
    title_en="Keep our current clients through the maintenance renewal round",
    description="Phòng Kinh doanh: tối thiểu 95% khách hàng hiện tại ký hợp đồng bảo trì hằng năm.",
    owner_kind="unit",
    owner="sales",
    kind="committed",
    parent="company_retention",
    source="article-retention",
    tags=("retention", "sales"),
    key_results=(
        KeyResult(
            title="Tối thiểu 95% khách hàng hiện tại ký hợp đồng bảo trì hằng năm",
            title_en="At least 95% of current clients sign the annual maintenance contract",
            shape="threshold",
            owner="head.sales",
            unit="%",
            start="81",
            target="95",
            direction="at_least",
            weight="2",
            trajectory="behind",
            confidence="low",
            obstacle="Một số khách hàng lớn đang so sánh giá bảo trì với đối thủ.",
        ),
        KeyResult(
            title="Gặp trực tiếp 60 khách hàng có hợp đồng sắp hết hạn để tư vấn gia hạn",
            title_en="Meet 60 clients whose contracts are about to expire to discuss renewal",
            shape="metric",
            owner="sales.rep2",
            unit="cuộc gặp",
            start="0",
            target="60",
            direction="increase",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Tăng doanh thu gia hạn từ khách hàng quốc tế từ 40.000 USD lên 55.000 USD",
            title_en="Grow renewal revenue from international clients from USD 40,000 to 55,000",
            shape="currency",
            owner="sales.rep1",
            unit="USD",
            start="40000",
            target="55000",
            direction="increase",
            currency="USD",
            trajectory="ahead",
        ),
    ),
)

_MARKETING_RETENTION = Objective(
    key="marketing_retention",
    title="Biến hội nghị khách hàng thân thiết hằng quý thành điểm hẹn không thể bỏ lỡ",
    title_en="Make the quarterly loyal-client conference an event nobody wants to miss",
    description=(
        "Phòng Marketing: tỷ lệ khách hàng tham gia hội nghị khách hàng thân thiết hằng quý "
        "đạt tối thiểu 90%."
    ),
    owner_kind="unit",
    owner="marketing",
    kind="committed",
    parent="company_retention",
    source="article-retention",
    tags=("retention", "event"),
    key_results=(
        KeyResult(
            title="Tối thiểu 90% khách hàng được mời có mặt tại hội nghị khách hàng thân thiết",
            title_en="At least 90% of invited clients attend the loyal-client conference",
            shape="threshold",
            owner="event.marketing",
            unit="%",
            start="72",
            target="90",
            direction="at_least",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Lịch hội nghị trùng với một triển lãm lớn của ngành.",
        ),
        KeyResult(
            title="Tổ chức hội nghị khách hàng thân thiết quý {q} trước 20/{m3}",
            title_en="Hold the quarter {q} loyal-client conference by 20/{m3}",
            shape="milestone",
            owner="event.marketing",
            due=Due(3, 20),
            trajectory="pending",
            confidence="high",
        ),
        KeyResult(
            title="Gửi thư mời và nhắc lịch hội nghị tới khách hàng thân thiết 2 lần mỗi tháng",
            title_en="Send conference invitations and reminders to loyal clients twice a month",
            shape="recurring",
            owner="email.marketing",
            unit="lượt gửi",
            per_period=2,
            period="month",
            trajectory="ahead",
        ),
    ),
)

_PRODUCT_RETENTION = Objective(
    key="product_retention",
    title="Mang tới khách hàng hiện tại tính năng mới mà họ thực sự cần",
    title_en="Give current clients a new feature they truly need",
    description=(
        "Phòng Sản phẩm: phát triển tối thiểu 1 tính năng mới theo nhu cầu khách hàng hiện tại, "
        "tích hợp đồng bộ vào sản phẩm trước 15/{m3}."
    ),
    owner_kind="unit",
    owner="product",
    kind="committed",
    parent="company_retention",
    source="article-retention",
    tags=("retention", "product"),
    key_results=(
        KeyResult(
            title=(
                "Phát hành ít nhất 1 tính năng mới theo nhu cầu khách hàng hiện tại, tích hợp "
                "đồng bộ vào sản phẩm trước 15/{m3}"
            ),
            title_en=(
                "Ship at least 1 new feature requested by current clients, fully integrated "
                "into the product by 15/{m3}"
            ),
            shape="milestone",
            owner="head.product",
            due=Due(3, 15),
            weight="2",
            trajectory="pending",
            confidence="medium",
            obstacle="Phần tích hợp với hệ thống của khách hàng cần thêm một vòng kiểm thử.",
        ),
        KeyResult(
            title="Phỏng vấn 30 khách hàng hiện tại để chọn tính năng ưu tiên trong tháng {m1}",
            title_en="Interview 30 current clients to choose the priority feature in month {m1}",
            shape="metric",
            owner="head.product",
            unit="khách hàng",
            start="0",
            target="30",
            direction="increase",
            due=Due(1),
            trajectory="done_early",
        ),
        KeyResult(
            title="Đưa tỷ lệ khách hàng hiện tại dùng thử tính năng mới từ 0% lên 40%",
            title_en="Get 40% of current clients trying the new feature, up from 0%",
            shape="percentage",
            owner="dev.product",
            unit="%",
            start="0",
            target="40",
            direction="increase",
            trajectory="stalled",
            confidence="low",
            obstacle="Bản beta chưa phát hành nên chưa có khách hàng nào dùng thử.",
        ),
    ),
)

_SUPPORT_RETENTION = Objective(
    key="support_retention",
    title="Phản hồi khách hàng nhanh chóng ngay từ tin nhắn đầu tiên",
    title_en="Answer clients quickly from their very first message",
    description=(
        "Phòng Bảo hành bảo trì: thời gian phản hồi khách hàng không quá 30 phút kể từ "
        "tin nhắn đầu tiên."
    ),
    owner_kind="unit",
    owner="support",
    kind="committed",
    parent="company_retention",
    source="article-retention",
    tags=("retention", "support"),
    key_results=(
        KeyResult(
            title="Thời gian phản hồi kể từ tin nhắn đầu tiên của khách hàng không quá 30 phút",
            title_en="Reply within at most 30 minutes of a client's first message",
            shape="threshold",
            owner="head.support",
            unit="phút",
            start="55",
            target="30",
            direction="at_most",
            trajectory="on_pace",
            sudden="Hai nhân viên trực tổng đài nghỉ việc cùng tuần; thời gian phản hồi tăng vọt.",
        ),
        KeyResult(
            title="Nâng tỷ lệ yêu cầu được xử lý xong trong 24 giờ từ 70% lên 90%",
            title_en="Raise the share of requests resolved within 24 hours from 70% to 90%",
            shape="percentage",
            owner="agent.support",
            unit="%",
            start="70",
            target="90",
            direction="increase",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Giảm số yêu cầu tồn đọng quá 48 giờ từ 40 xuống 10",
            title_en="Cut requests left open over 48 hours from 40 to 10",
            shape="metric",
            owner="agent.support",
            unit="yêu cầu",
            start="40",
            target="10",
            direction="decrease",
            trajectory="behind",
            confidence="low",
            obstacle="Thiếu một nhân viên ca tối; yêu cầu buổi tối dồn sang sáng hôm sau.",
        ),
    ),
)


# --- Marketing with Sales (article: "phối hợp hướng tới tập trung bán hàng") ------------------
# The article lists activities here (hold a promotion event, build a combo offer, build a
# loyal-client gift policy); each is rewritten as the outcome that activity should produce.

_MARKETING_SALES_FOCUS = Objective(
    key="marketing_sales_focus",
    title="Cùng Phòng Kinh doanh dồn sức thúc đẩy doanh số",
    title_en="Join forces with Sales to drive revenue",
    description="Phòng Marketing phối hợp với Phòng Kinh doanh, tập trung cho bán hàng.",
    owner_kind="unit",
    owner="marketing",
    kind="committed",
    parent="company_top3",
    source="article-sales-focus",
    tags=("sales", "promotion"),
    key_results=(
        KeyResult(
            title="Các sự kiện khuyến mại mang về 150 khách hàng tiềm năng đủ điều kiện",
            title_en="Promotion events bring in 150 qualified prospects",
            shape="metric",
            owner="event.marketing",
            unit="khách hàng tiềm năng",
            start="0",
            target="150",
            direction="increase",
            trajectory="on_pace",
        ),
        KeyResult(
            title="Doanh thu từ các gói dịch vụ combo đạt 2 tỷ đồng",
            title_en="Combo service packages bring in VND 2 billion of revenue",
            shape="currency",
            owner="head.marketing",
            unit="VND",
            start="0",
            target="2000000000",
            direction="increase",
            currency="VND",
            trajectory="slightly_behind",
            confidence="medium",
            obstacle="Phòng Kinh doanh mới được đào tạo về gói combo từ tuần thứ 4.",
        ),
        KeyResult(
            title="Nhờ chính sách quà tặng, tỷ lệ khách hàng thân thiết mua thêm dịch vụ "
            "tăng từ 18% lên 30%",
            title_en="Thanks to the gift policy, loyal clients buying an extra service rise "
            "from 18% to 30%",
            shape="percentage",
            owner="specialist.marketing",
            unit="%",
            start="18",
            target="30",
            direction="increase",
            trajectory="behind",
            confidence="low",
            obstacle="Quà tặng chưa được duyệt ngân sách nên chính sách chưa áp dụng.",
        ),
    ),
)

# Parents before children, so a loader can create them in order.
OBJECTIVES: tuple[Objective, ...] = (
    _COMPANY_TOP3,
    _COMPANY_RETENTION,
    _MARKETING_SEO,
    _MARKETING_SALES_FOCUS,
    _MARKETING_RETENTION,
    _SALES_RETENTION,
    _PRODUCT_RETENTION,
    _SUPPORT_RETENTION,
    _HEAD_SIMPLIFY,
    _SPECIALIST_BEHAVIOUR,
    _INBOUND_LEADS,
    _INBOUND_TRAFFIC,
    _CONTENT_BRAND,
    _CONTENT_QUALITY,
    _EVENT_GOODWILL,
    _EVENT_PROMOTION,
    _EMAIL_CONNECT,
    _EMAIL_OPTIMISE,
)
