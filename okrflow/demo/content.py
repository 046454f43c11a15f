"""Hold the demo organisation's data as plain Python, ready for the demo loader.

The organisation and its OKRs are the template library's examples (`okrflow.library.examples`,
the seed article's OKRs), imported here so that `okrflow.demo.content.X` keeps working; this
module adds the demo's people, their password and last quarter's reflections.
"""

from __future__ import annotations

from dataclasses import dataclass

from okrflow.library.examples import (  # noqa: F401 (re-exported for the demo loader and tests)
    COMPANY_NAME,
    COMPANY_NAME_EN,
    MARKETING_TYPES,
    OBJECTIVES,
    PLACEHOLDERS,
    PROJECTS,
    SHAPES,
    TRAJECTORIES,
    UNITS,
    Confidence,
    Currency,
    Direction,
    Due,
    KeyResult,
    Language,
    Objective,
    ObjectiveKind,
    OwnerKind,
    Period,
    Project,
    Shape,
    Source,
    Trajectory,
    Unit,
    quarter_placeholders,
    render_text,
    resolve_due,
)

DEMO_PASSWORD = "okrflow"


@dataclass(frozen=True)
class Person:
    """A demo user; `unit` is a Unit key, `manager` a username."""

    username: str
    full_name: str
    unit: str | None
    manager: str | None
    is_admin: bool
    language: Language
    job_title: str


PEOPLE: tuple[Person, ...] = (
    Person("admin", "Phạm Minh Tuấn", "company", "ceo", True, "vi", "Quản trị hệ thống OKR"),
    Person("ceo", "Trần Quốc Bảo", "company", None, False, "vi", "Tổng Giám đốc"),
    Person("hr.officer", "Dương Thị Hạnh", "company", "ceo", False, "vi", "Chuyên viên Nhân sự"),
    Person(
        "head.marketing", "Lê Thu Hà", "marketing", "ceo", False, "vi", "Trưởng phòng Marketing"
    ),
    Person(
        "specialist.marketing",
        "Nguyễn Minh Anh",
        "marketing",
        "head.marketing",
        False,
        "vi",
        "Chuyên viên Marketing",
    ),
    Person(
        "content.marketing",
        "Phan Ngọc Trâm",
        "marketing_content",
        "head.marketing",
        False,
        "vi",
        "Trưởng nhóm Nội dung & SEO",
    ),
    Person(
        "seo.marketing",
        "Trịnh Gia Huy",
        "marketing_content",
        "content.marketing",
        False,
        "en",
        "Chuyên viên SEO",
    ),
    Person(
        "event.marketing",
        "Đoàn Mai Phương",
        "marketing_events",
        "head.marketing",
        False,
        "vi",
        "Trưởng nhóm Sự kiện & Email",
    ),
    Person(
        "email.marketing",
        "Lý Thanh Tâm",
        "marketing_events",
        "event.marketing",
        False,
        "vi",
        "Chuyên viên Email Marketing",
    ),
    Person("head.sales", "Vũ Đức Thắng", "sales", "ceo", False, "vi", "Trưởng phòng Kinh doanh"),
    Person(
        "sales.rep1", "Hồ Văn Phúc", "sales", "head.sales", False, "vi", "Chuyên viên Kinh doanh"
    ),
    Person(
        "sales.rep2",
        "Mai Thị Hồng Nhung",
        "sales",
        "head.sales",
        False,
        "vi",
        "Chuyên viên Kinh doanh",
    ),
    Person(
        "head.product", "Đặng Hoàng Nam", "product", "ceo", False, "en", "Trưởng phòng Sản phẩm"
    ),
    Person(
        "dev.product", "Cao Minh Khoa", "product", "head.product", False, "vi", "Kỹ sư phần mềm"
    ),
    Person(
        "head.support",
        "Bùi Thị Lan",
        "support",
        "ceo",
        False,
        "vi",
        "Trưởng phòng Chăm sóc khách hàng",
    ),
    Person(
        "agent.support",
        "Tạ Thị Ngọc Ánh",
        "support",
        "head.support",
        False,
        "vi",
        "Nhân viên Chăm sóc khách hàng",
    ),
    # Belongs to no unit and has no manager: the persona for "sees only what is public".
    Person("outsider", "Đỗ Thanh Tùng", None, None, False, "vi", "Cộng tác viên bên ngoài"),
)


# Last quarter's reflections, written when the demo closes it (objective key → what went well,
# what did not, lessons). The other objectives of last quarter are graded without one.
REFLECTIONS = {
    "marketing_seo": (
        "Nội dung chuyên sâu về “tư vấn thương hiệu” lên top 10 sau 6 tuần; lượt truy cập tự nhiên tăng đều.",
        "Tuyển nhân viên SEO chậm 3 tuần nên việc tối ưu kỹ thuật dồn vào cuối quý.",
        "Chốt tuyển dụng ngay tuần đầu quý; chia KR kỹ thuật thành mốc hai tuần một lần.",
    ),
    "email_connect": (
        "Tỷ lệ mở email vượt mục tiêu nhờ thử nghiệm tiêu đề A/B mỗi tuần.",
        "Danh sách khách hàng cũ chưa được làm sạch, tỷ lệ thư bị trả về còn cao.",
        "Làm sạch dữ liệu trước khi gửi; đo tỷ lệ chuyển đổi chứ không chỉ tỷ lệ mở.",
    ),
    "support_retention": (
        "Thời gian phản hồi giảm rõ sau khi chia ca trực.",
        "Hai nhân viên nghỉ việc giữa quý, mục tiêu gia hạn hợp đồng không đạt.",
        "Có kế hoạch dự phòng nhân sự và đào tạo chéo trước mùa cao điểm.",
    ),
}
