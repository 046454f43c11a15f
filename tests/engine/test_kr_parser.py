"""Key-result parsing on real sentences: the seed article's KRs and common OKR examples.

The tables read "sentence  => spec"; a sentence may wrap onto indented lines. A spec is
"kind | [start → ]target unit | direction | relative | per=week | day=15 month=4", where
every part but the kind is optional: direction defaults to "achieve" ("none" for activities),
relative to false, per and deadline to null.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from okrflow.engine.kr_parser import ParsedKeyResult, detect_language, parse_key_result

SEED_NAME = "okr-for-marketing.vi.txt"
KINDS = {"metric", "percentage", "currency", "milestone", "recurring", "activity", "template"}
UNMEASURED = {"activity", "template"}
DIRECTIONS = {"increase", "decrease", "at_least", "at_most", "achieve", "none"}
JSON_KEYS = {"measurable", "kind", "start", "target", "relative", "unit", "direction"}
JSON_KEYS |= {"deadline", "per", "starts", "parts", "slot", "text", "lang"}
_AMOUNT = re.compile(r"(?:(?P<start>-?[\d_.]+) → )?(?P<target>-?[\d_.]+)(?: (?P<unit>.+))?")


def to_number(raw: str) -> int | float:
    """Read a spec number: int unless it has a decimal point."""
    return float(raw) if "." in raw else int(raw)


def read_deadline(part: str) -> dict[str, int | None]:
    """Read "day=15 month=4" into a full deadline dict."""
    deadline: dict[str, int | None] = dict.fromkeys(("day", "month", "quarter", "year"))
    for item in part.split():
        key, _, value = item.partition("=")
        deadline[key] = int(value)
    return deadline


def expect(spec: str) -> dict[str, object]:
    """Turn a spec into the JSON fields a sentence must parse to."""
    kind, *parts = (part.strip() for part in spec.split("|"))
    expected: dict[str, object] = {"measurable": kind not in UNMEASURED, "kind": kind}
    expected |= {"start": None, "target": None, "relative": False, "unit": None}
    expected |= {"direction": "none" if kind in UNMEASURED else "achieve"}
    expected |= {"deadline": None, "per": None}
    for part in parts:
        amount = _AMOUNT.fullmatch(part)
        if part in DIRECTIONS:
            expected["direction"] = part
        elif part == "relative":
            expected["relative"] = True
        elif part.startswith("per="):
            expected["per"] = part.removeprefix("per=")
        elif "=" in part:
            expected["deadline"] = read_deadline(part)
        elif amount:
            start = amount["start"]
            expected["start"] = to_number(start) if start else None
            expected["target"] = to_number(amount["target"])
            expected["unit"] = amount["unit"]
        else:
            raise AssertionError(f"bad spec part {part!r}")
    return expected


def read_table(table: str) -> list[tuple[str, str]]:
    """Split a table into (sentence, spec) rows, joining wrapped sentence lines."""
    rows, text = [], ""
    for line in table.strip().splitlines():
        body, arrow, spec = line.partition("=>")
        text = f"{text} {body.strip()}".strip()
        if arrow:
            rows.append((text, spec.strip()))
            text = ""
    return rows


def cases(table: str) -> list[object]:
    """Turn a table into pytest parameters named after their sentence."""
    return [pytest.param(text, spec, id=text[:60]) for text, spec in read_table(table)]


# Every "- KR" line of the seed article, in order.
ARTICLE_KRS = """
Đạt tối thiểu 0,7 điểm cơ bản về giá trị nhận thức thương hiệu so với đối thủ cạnh tranh gần
    nhất  => metric | 0.7 điểm | at_least | relative
Đạt tối thiểu 20% khách hàng có được nhờ khách hàng đã, đang sử dụng dịch vụ giới thiệu
  => percentage | 20 % | at_least
Tăng nhận diện thương hiệu trong phân khúc thị trường từ 65% lên 80% so với năm 2022
  => percentage | 65 → 80 % | increase
Website công ty được hiển thị trên trang đầu tiên cho từ khóa “tư vấn thương hiệu”  => milestone
Gia tăng 20% lượng truy cập website so với quý I  => percentage | 20 % | increase | relative
Tuyển dụng và đào tạo 1 nhân viên nội dung và 2 nhân viên SEO website trong quý II
  => metric | 3 nhân viên | quarter=2
Khảo sát ít nhất 100 khách hàng doanh nghiệp trong tháng 3 để hiểu nhu cầu, những thắc mắc của
    khách hàng về dịch vụ tư vấn thương hiệu  => metric | 100 khách hàng | at_least | month=3
Kiểm tra và có đánh giá tổng quan 100 câu trả lời của khách hàng về dịch vụ tư vấn thương hiệu
    trong tháng 5  => metric | 100 câu trả lời | month=5
Kiểm tra và cho ý kiến chỉnh sửa, phê duyệt 4 Infographic, 1 slide, 1 video demo giới thiệu dịch
    vụ do Phòng Marketing làm trong tháng 4  => metric | 6 hạng mục | month=4
Đảm bảo phát triển kênh video trên Youtube, Tiktok giới thiệu dịch vụ công ty đạt ít nhất 10.000
    theo dõi trong quý II  => metric | 10000 theo dõi | at_least | quarter=2
Đảm bảo phát triển kênh fanpage giới thiệu dịch vụ công ty đạt ít nhất 10.000 theo dõi trong quý
    II  => metric | 10000 theo dõi | at_least | quarter=2
Thực hiện ít nhất 10 khảo sát khách hàng trực tuyến trong tháng 3 và phân tích kết quả thu được
  => metric | 10 khảo sát | at_least | month=3
Lập bản phân tích hành vi của khách hàng để xác định những yếu tố ảnh hưởng quyết định sử dụng
    dịch vụ trong tháng 4  => milestone | month=4
Lập bản phân tích các kênh tiếp thị, giới thiệu dịch vụ hiện tại và đưa ra ít nhất 5 đề xuất cải
    tiến trong tháng 5  => metric | 5 đề xuất | at_least | month=5
Phát triển 3 chiến dịch tiếp thị tại thị trường Hà Nội, TP. Hồ Chí Minh và Đà Nẵng trong tháng 6
  => metric | 3 chiến dịch | month=6
Tăng tỷ lệ đăng ký nhận email từ công ty trong quý II lên 20% so với quý I
  => percentage | 20 % | increase | quarter=2
Tăng 15% lượng tải tài liệu giới thiệu sản phẩm so với tháng 3
  => percentage | 15 % | increase | relative
Tăng 30% số lần gửi biểu mẫu liên hệ so với tháng 3  => percentage | 30 % | increase | relative
Phát triển nhóm khách hàng thân thiết lên tối thiểu 5.000 thành viên trong tháng 4
  => metric | 5000 thành viên | increase | month=4
Thực hiện chạy quảng cáo trên Google, Facebook với đường dẫn về website duy trì từ 15/4
  => milestone
Triển khai việc phát hành bản tin online giới thiệu sản phẩm gửi về email khách hàng tiềm năng
    định kỳ 1 lần/tuần trước 15/4. Bản tin cần có link truy cập đến website sản phẩm.
  => recurring | 1 lần | at_least | per=week | day=15 month=4
Trước 30/6, đưa website vào top 5 trong danh sách tìm kiếm trên Google, theo từ khóa sản phẩm.
  => metric | 5 thứ hạng | at_most | day=30 month=6
Ít nhất 1 lần / tháng, có lãnh đạo hoặc cấp quản lý của công ty xuất hiện trả lời các vấn đề
    chuyên môn trên các kênh báo chí  => recurring | 1 lần | at_least | per=month
Tổ chức hội thảo chuyên ngành trong tháng 4 thu hút được ít nhất 300 khách mời tham gia trực
    tiếp và 5000 khách theo dõi qua livestream  => metric | 300 khách mời | at_least | month=4
Trên cơ sở các tham luận ở hội thảo chuyên ngành, Phòng Marketing thực hiện biên soạn và xuất
    bản sách trong tháng 5  => milestone | month=5
Tiến hành ghi nhận ý kiến đánh giá của khách hàng trên mỗi bài viết với cơ chế từ 1 – 5 sao từ
    tháng 4  => milestone
Khảo sát ý kiến của tối thiểu 200 khách hàng về nội dung họ mong đợi xuất hiện trên các nền tảng
    thông tin của công ty trong tháng 4  => metric | 200 khách hàng | at_least | month=4
Tuyển dụng ít nhất 1 senior content chuyên trách trong tháng 4
  => metric | 1 senior content | at_least | month=4
Tổ chức hội nghị khách hàng trong tháng 4  => milestone | month=4
Tham gia ít nhất 1 hoạt động thiện nguyện, từ thiện có tính lan tỏa trong tháng 5
  => metric | 1 hoạt động | at_least | month=5
Tổ chức sự kiện trải nghiệm miễn phí sản phẩm tại các điểm bán hàng trong tháng 6
  => milestone | month=6
Đảm bảo 100% các sự kiện quan trọng, tổ chức thường niên của ngành hàng, công ty đều tham dự
  => percentage | 100 %
Đảm bảo 80% các sự kiện, công ty đều có ít nhất 1 vị trí phát biểu giới thiệu, chia sẻ về sản
    phẩm  => percentage | 80 %
Gia tăng ít nhất 25% khách hàng tiềm năng từ việc tổ chức sự kiện
  => percentage | 25 % | increase | relative
Duy trì việc gửi bản tin cập nhật về sản phẩm vào 17.00 chiều thứ 6 hàng tuần tới danh sách
    email khách hàng thân thiết  => recurring | 1 lần | at_least | per=week
Đạt tỷ lệ tối thiểu 70% khách hàng mở email  => percentage | 70 % | at_least
Đạt tỷ lệ tối thiểu 10% khách hàng mở email yêu cầu demo, hỏi thêm thông tin về sản phẩm qua
    fanpage sản phẩm  => percentage | 10 % | at_least
Cải thiện tỷ lệ đăng ký nhận email tiếp thị lên hơn 20% so với quý I
  => percentage | 20 % | increase
Tuyển dụng ít nhất 1 senior content phụ trách về tiếp thị qua email trong tháng 4
  => metric | 1 senior content | at_least | month=4
100% nhân sự phòng Marketing cần tham gia khóa đào tạo nội bộ về email Marketing tổ chức vào
    15/4  => percentage | 100 % | day=15 month=4
"""

# Other goal sentences of the article: example KRs written as plain bullets.
ARTICLE_OTHER = """
Tổ chức sự kiện khuyến mại  => activity
Xây dựng chính sách bán theo dạng combo  => activity
Xây dựng chính sách tặng quà khách hàng thân thiết  => activity
Phòng Kinh doanh đặt mục tiêu tối thiểu 95% khách hàng hiện tại ký hợp đồng bảo trì hàng năm
  => percentage | 95 % | at_least
Phòng Marketing có thể đặt ra mục tiêu tỷ lệ khách hàng tham gia hội nghị khách hàng thân thiết
    hàng quý đạt tối thiểu 90%  => percentage | 90 % | at_least
Phòng Sản phẩm đặt mục tiêu phát triển tối thiểu 1 tính năng mới đáp ứng nhu cầu của khách hàng
    hiện tại, tích hợp đồng bộ vào sản phẩm trước 15/6
  => metric | 1 tính năng | at_least | day=15 month=6
Phòng Bảo hành bảo trì đặt mục tiêu thời gian phản hồi khách hàng không vượt quá 30 phút từ khi
    nhận được tin nhắn đầu tiên  => metric | 30 minutes | at_most
Các buổi check-in này có thể tổ chức vào mỗi chiều thứ 6 hàng tuần
  => recurring | 1 lần | at_least | per=week
"""

VIETNAMESE = """
Tăng doanh thu quý III lên 5 tỷ đồng  => currency | 5_000_000_000 VND | increase | quarter=3
Giảm thời gian phản hồi khách hàng xuống dưới 30 phút  => metric | 30 minutes | decrease
Đạt doanh số 2,5 tỷ đồng trong quý 4  => currency | 2_500_000_000 VND | quarter=4
Tuyển dụng 5 lập trình viên trước 30/6  => metric | 5 lập trình viên | day=30 month=6
Giảm tỷ lệ khách hàng rời bỏ từ 8% xuống 5%  => percentage | 8 → 5 % | decrease
Tăng 30% số lượng khách hàng tiềm năng so với quý trước  => percentage | 30 % | increase | relative
Ra mắt ứng dụng di động phiên bản mới trong quý III  => milestone | quarter=3
Hoàn thành chuyển đổi hệ thống CRM trước 31/12  => milestone | day=31 month=12
Tổ chức 2 buổi đào tạo nội bộ mỗi tháng  => recurring | 2 buổi đào tạo | at_least | per=month
Đăng 3 bài viết trên fanpage mỗi tuần  => recurring | 3 bài viết | at_least | per=week
Chi phí marketing không vượt quá 500 triệu đồng  => currency | 500_000_000 VND | at_most
Đạt 1.000 người dùng trả phí trong tháng 6  => metric | 1000 người dùng | month=6
Tăng số lượng người theo dõi trên TikTok lên 50.000  => metric | 50000 người theo dõi | increase
Nâng điểm hài lòng khách hàng (CSAT) từ 4,2 lên 4,6  => metric | 4.2 → 4.6 điểm | increase
Xây dựng quy trình chăm sóc khách hàng  => activity
Hỗ trợ phòng kinh doanh  => activity
Nghiên cứu thị trường  => activity
Chuẩn hóa quy trình tuyển dụng  => activity
Gọi điện cho ít nhất 50 khách hàng mỗi tuần  => recurring | 50 khách hàng | at_least | per=week
Họp giao ban hàng tuần với đội kinh doanh  => recurring | 1 lần | at_least | per=week
Duy trì tỷ lệ giữ chân nhân viên trên 90%  => percentage | 90 % | at_least
Giảm 20% chi phí vận hành so với năm 2023  => percentage | 20 % | decrease | relative
Đạt 500 đơn hàng trong tháng 5/2024  => metric | 500 đơn hàng | month=5 year=2024
Doanh thu năm 2024 đạt 12 tỷ đồng  => currency | 12_000_000_000 VND | year=2024
Mở rộng mạng lưới lên 20 đại lý tại miền Bắc  => metric | 20 đại lý | increase
Phản hồi 100% khiếu nại của khách hàng trong vòng 24 giờ  => percentage | 100 %
Tăng tỷ lệ chuyển đổi từ 2% lên 3,5% trước ngày 30/9
  => percentage | 2 → 3.5 % | increase | day=30 month=9
Giảm số lỗi nghiêm trọng xuống còn tối đa 5 lỗi mỗi sprint  => metric | 5 lỗi | decrease
Ký hợp đồng với 3 đối tác phân phối mới trong quý I/2025
  => metric | 3 đối tác | quarter=1 year=2025
Thu hút 10k lượt truy cập website mỗi tháng
  => recurring | 10000 lượt truy cập | at_least | per=month
Tiết kiệm 150 triệu đồng chi phí in ấn  => currency | 150_000_000 VND | decrease | relative
Đạt tối thiểu 4,5 sao đánh giá trên App Store  => metric | 4.5 sao | at_least
Hoàn thành khóa đào tạo kỹ năng bán hàng cho 100% nhân viên kinh doanh  => percentage | 100 %
Tăng gấp đôi số lượng khách hàng đăng ký dùng thử  => percentage | 100 % | increase | relative
Thời gian xử lý đơn hàng không quá 2 ngày  => metric | 2 days | at_most
Tăng doanh thu từ khách hàng cũ thêm 15%  => percentage | 15 % | increase | relative
Khảo sát mức độ hài lòng của nhân viên 1 lần mỗi quý  => recurring | 1 lần | at_least | per=quarter
Đạt 2 tỷ đồng doanh thu từ kênh online trước 31/12/2024
  => currency | 2_000_000_000 VND | day=31 month=12 year=2024
Ra mắt tính năng thanh toán qua ví điện tử  => milestone
Tăng lượng đăng ký bản tin thêm 1.500 người  => metric | 1500 người | increase | relative
Giảm tỷ lệ nghỉ việc xuống dưới 10% trong năm 2024  => percentage | 10 % | decrease | year=2024
Tổ chức sự kiện ra mắt sản phẩm vào 20/5  => milestone | day=20 month=5
Triển khai hệ thống OKR cho toàn công ty từ quý III  => milestone
Doanh thu đạt 5 tỷ trong quý 3  => currency | 5_000_000_000 VND | quarter=3
Đạt 3 tỷ doanh thu trong năm nay  => currency | 3_000_000_000 VND
Đạt 100+ khách hàng doanh nghiệp  => metric | 100 khách hàng | at_least
Phát triển 100 khách hàng trở lên  => metric | 100 khách hàng | at_least
Giảm chi phí vận chuyển 10-15%  => percentage | 15 % | decrease | relative
Đưa 10 từ khóa vào top 3 Google trong quý II  => metric | 10 từ khóa | quarter=2
Tăng 20% lượng truy cập website so với cùng kỳ năm ngoái  => percentage | 20 % | increase | relative
Giảm 3 điểm phần trăm tỷ lệ rời bỏ  => percentage | 3 % | decrease | relative
Giảm tỷ lệ thoát trang xuống 40%  => percentage | 40 % | decrease
Gửi báo cáo tiến độ mỗi thứ 6  => recurring | 1 lần | at_least | per=week
Check-in OKR hàng tuần với trưởng nhóm  => recurring | 1 lần | at_least | per=week
Cập nhật số liệu hằng ngày  => recurring | 1 lần | at_least | per=day
Tổ chức họp đánh giá mỗi quý  => recurring | 1 lần | at_least | per=quarter
Gửi bản tin 2 lần/tháng  => recurring | 2 lần | at_least | per=month
Gặp khách hàng hai lần mỗi tháng  => recurring | 2 lần | at_least | per=month
Mỗi tuần 3 lần kiểm tra kho  => recurring | 3 lần | at_least | per=week
Tối đa 2 lần/tuần gửi email khuyến mại  => recurring | 2 lần | at_most | per=week
"""

ENGLISH = """
Increase monthly recurring revenue from $50k to $80k  => currency | 50000 → 80000 USD | increase
Reduce churn to 3%  => percentage | 3 % | decrease
Reduce customer churn from 8% to 5% by end of Q3  => percentage | 8 → 5 % | decrease | quarter=3
Increase website traffic by 30% vs last quarter  => percentage | 30 % | increase | relative
Launch the new pricing page  => milestone
Work on the blog  => activity
Achieve an NPS of at least 50  => metric | 50 point | at_least
Close $2M in new business by December 31  => currency | 2_000_000 USD | day=31 month=12
Sign 10 new enterprise customers in Q2  => metric | 10 customer | quarter=2
Hire 5 senior engineers by June 30  => metric | 5 engineer | day=30 month=6
Publish 2 blog posts per week  => recurring | 2 blog post | at_least | per=week
Hold weekly 1:1s with every direct report  => recurring | 1 time | at_least | per=week
Send the product newsletter twice a month  => recurring | 2 time | at_least | per=month
Review the pipeline every week  => recurring | 1 time | at_least | per=week
Publish a monthly product update  => recurring | 1 time | at_least | per=month
Reduce average first response time to under 2 hours  => metric | 2 hours | decrease
Keep monthly churn below 2%  => percentage | 2 % | at_most
Maintain 99.9% uptime  => percentage | 99.9 %
Grow MRR to $1.5M by end of 2024  => currency | 1_500_000 USD | increase | year=2024
Generate 500 marketing qualified leads per month  => recurring | 500 lead | at_least | per=month
Increase trial-to-paid conversion from 12% to 18%  => percentage | 12 → 18 % | increase
Resolve 90% of support tickets within 24 hours  => percentage | 90 %
Achieve a CSAT score of at least 4.5  => metric | 4.5 point | at_least
Cut customer acquisition cost by 15%  => percentage | 15 % | decrease | relative
Get 10,000 followers on LinkedIn  => metric | 10000 follower
Reach 5k newsletter subscribers by the end of Q4  => metric | 5000 subscriber | quarter=4
Run 3 customer webinars this quarter  => metric | 3 webinar
Increase average deal size by $5,000  => currency | 5000 USD | increase | relative
Lower cost per lead below $40  => currency | 40 USD | decrease
Migrate all customers to the new billing system by March 31, 2025
  => milestone | day=31 month=3 year=2025
Complete SOC 2 certification before 30/6  => milestone | day=30 month=6
Improve onboarding experience  => activity
Explore partnerships with agencies  => activity
Decrease page load time from 3.2s to 1.5s  => metric | 3.2 → 1.5 seconds | decrease
Interview at least 20 customers in March  => metric | 20 customer | at_least | month=3
Ship the mobile app to the App Store by Q3  => milestone | quarter=3
Book 30 demos every month  => recurring | 30 demo | at_least | per=month
Double the number of active users  => percentage | 100 % | increase | relative
Ensure 100% of new hires complete onboarding within their first week  => percentage | 100 %
Reduce open P1 bugs to fewer than 5  => metric | 5 bug | decrease
Raise employee engagement score from 3.8 to 4.2  => metric | 3.8 → 4.2 point | increase
Recruit 3 new account executives in Q1 2025  => metric | 3 account executive | quarter=1 year=2025
Attend at least 4 industry conferences this year  => metric | 4 conference | at_least
Decrease employee turnover to below 10% annually  => percentage | 10 % | decrease
Achieve $500k in upsell revenue from existing customers  => currency | 500_000 USD
Onboard 25 new partners by 2025-06-30  => metric | 25 partner | day=30 month=6 year=2025
Answer every support chat within 5 minutes  => metric | 5 minutes | at_most
Run a customer advisory board meeting every quarter  => recurring | 1 time | at_least | per=quarter
Post on Instagram three times a week  => recurring | 3 time | at_least | per=week
Grow organic search traffic 40% year over year  => percentage | 40 % | increase | relative
Get the website to the first page of Google for 'OKR software'  => milestone
Achieve 1.5M app downloads  => metric | 1_500_000 download
Collect VND 1.5B in receivables by 15/4  => currency | 1_500_000_000 VND | day=15 month=4
Conduct quarterly performance reviews for all employees
  => recurring | 1 time | at_least | per=quarter
Grow weekly active users to 10,000  => metric | 10000 user | increase
Increase the number of paying customers from 120 to 200  => metric | 120 → 200 customer | increase
Cut infrastructure costs by $10k per month  => currency | 10000 USD | decrease | relative
Launch beta by June  => milestone | month=6
Publish the annual report before 6/30  => milestone | day=30 month=6
Roll out SSO from April  => milestone
Grow revenue 25% by 2025  => percentage | 25 % | increase | relative | year=2025
Increase customers by 2000 customers  => metric | 2000 customer | increase | relative
Sign 5 deals in Q3'24  => metric | 5 deal | quarter=3 year=2024
Hit $3M ARR in FY2025  => currency | 3_000_000 USD | year=2025
Send weekly digest every Monday at 9:00  => recurring | 1 time | at_least | per=week
Reduce time to resolution from 48h to 24h  => metric | 48 → 24 hours | decrease
Keep response time under 30min  => metric | 30 minutes | at_most
Publish 3 posts every two weeks  => recurring | 1.5 post | at_least | per=week
Grow pipeline 3x  => percentage | 200 % | increase | relative
NPS 30 → 50  => metric | 30 → 50 point | increase
Increase NPS from -10 to 20  => metric | -10 → 20 point | increase
Reduce the number of support tickets by half  => percentage | 50 % | decrease | relative
Ensure at least 80% attendance at monthly town halls  => percentage | 80 % | at_least
Host 2 webinars a month with 100+ attendees each  => recurring | 2 webinar | at_least | per=month
Reduce churn by 2 percentage points  => percentage | 2 % | decrease | relative
Tier-1 support answers 95% of tickets within 4h  => percentage | 95 %
Post on LinkedIn every Friday  => recurring | 1 time | at_least | per=week
Run 2 experiments weekly  => recurring | 2 experiment | at_least | per=week
Hold a biweekly retro  => recurring | 0.5 time | at_least | per=week
"""


# The rules added for real sentences (see tests/engine/parser_corpus/): one case per rule.
REAL_SENTENCE_RULES = """
Giảm thời gian xử lý từ 2 giờ xuống 45 phút  => metric | 120 → 45 minutes | decrease
Cut build time from 1.5s to 900ms  => metric | 1500 → 900 milliseconds | decrease
Rút ngắn thời gian duyệt từ 5 phút/hồ sơ xuống 30 giây/hồ sơ  => metric | 300 → 30 seconds | decrease
Achieve 98% on-time delivery (up from 91%)  => percentage | 91 → 98 % | increase
Raise NPS to 40 from current 25  => metric | 25 → 40 point | increase
Tỷ lệ giữ chân đạt 85% (hiện tại 70%)  => percentage | 70 → 85 % | increase
Run 8 workshops (2 per month)  => metric | 8 workshop
Tăng tỷ lệ đơn giao trong vòng 2 ngày lên 95%  => percentage | 95 % | increase
Cut support tickets in the first 14 days by 25%  => percentage | 25 % | decrease | relative
Reduce escalated bugs from 12/month to 4/month  => metric | 12 → 4 bug | decrease | per=month
Zero security incidents in Q3  => metric | 0 incident | quarter=3
Customer complaints -30%  => percentage | 30 % | decrease | relative
Đạt NPS ≥ 60  => metric | 60 điểm | at_least
Chi phí mỗi đơn ≤ 20.000 đ  => currency | 20000 VND | at_most
Giảm CPC từ 5k xuống 3k  => currency | 5000 → 3000 VND | decrease
Ra mắt ứng dụng đến T10/2026  => milestone | month=10 year=2026
Mobile score > 4/5  => metric | 4 point | at_least
Ra mắt cổng đối tác (theo kế hoạch cũ là 15/8)  => milestone
Launch the partner portal (by July 31)  => milestone | day=31 month=7
Đi ngủ trước 22h  => activity
Tuyển 4 KTV cho 2 chi nhánh  => metric | 4 ktv
Ra mắt 3 sub-pages mới  => metric | 3 sub-page
Đạt 40 story points mỗi sprint  => metric | 40 story point
Triển khai 6 game mới  => metric | 6 game
Automate 12 manual reporting tasks  => metric | 12 task
Ensure 90 of new features are documented  => metric | 90 feature
Reduce the number of bugs found after a release from 30 to 10  => metric | 30 → 10 bug | decrease
Lose 4kg by March  => metric | 4 kg | month=3
Cut cloud spend from €12k to €9k per month  => currency | 12000 → 9000 EUR | decrease
Doanh thu châu Âu đạt 50.000 EUR  => currency | 50000 EUR
Dành 20 phút mỗi ngày học tiếng Anh  => recurring | 20 minutes | at_least | per=day
Weekly active users reach 20K  => metric | 20000 user
Sản xuất 20 video 3D mới  => metric | 20 video
Pricing page live  => milestone
Tăng doanh thu từ [X] lên [Y]  => template
Increase revenue from X to Y  => template
Ký [số lượng] hợp đồng trước …/…/…  => template
Sign ___ new clients  => template
[Marketing] Tăng 20% lượng truy cập website  => percentage | 20 % | increase | relative
[số lượng] khách hàng mới ký hợp đồng  => template
Đạt 500 đơn hàng từ 3 kênh  => metric | 500 đơn hàng
Reach 200 signups from 5 campaigns  => metric | 200 signup
8 of 10 customers renew  => metric | 8 customer
Phản hồi khiếu nại trước 24h  => metric | 24 hours
"""


@pytest.mark.parametrize(("text", "spec"), cases(REAL_SENTENCE_RULES))
def test_real_sentence_rules(text: str, spec: str) -> None:
    assert_parses(text, spec, detect_language(text))


DURATION_WORDS = {
    "vi": {"giây": ("seconds", 1), "phút": ("minutes", 60), "giờ": ("hours", 3600)},
    "en": {"seconds": ("seconds", 1), "minutes": ("minutes", 60), "hours": ("hours", 3600)},
}
DURATION_SENTENCE = {
    "vi": "Giảm thời gian phản hồi từ {a} {u1} xuống {b} {u2}",
    "en": "Reduce response time from {a} {u1} to {b} {u2}",
}


@given(
    lang=st.sampled_from(["vi", "en"]),
    a=st.integers(min_value=1, max_value=500),
    b=st.integers(min_value=1, max_value=500),
    units=st.tuples(st.integers(0, 2), st.integers(0, 2)),
)
def test_a_duration_baseline_is_read_in_the_target_unit(
    lang: str, a: int, b: int, units: tuple[int, int]
) -> None:
    words = list(DURATION_WORDS[lang])
    u1, u2 = words[units[0]], words[units[1]]
    text = DURATION_SENTENCE[lang].format(a=a, u1=u1, b=b, u2=u2)
    got = parse_key_result(text, lang).to_json()
    (start_unit, start_factor), (target_unit, target_factor) = (
        DURATION_WORDS[lang][u1],
        DURATION_WORDS[lang][u2],
    )
    # Both sides in the smaller unit, so the figures stay whole numbers.
    smaller = min(start_factor, target_factor)
    unit = start_unit if start_factor == smaller else target_unit
    assert (got["unit"], got["start"], got["target"]) == (
        unit,
        a * start_factor // smaller,
        b * target_factor // smaller,
    )
    assert not got["relative"]


@given(
    outside=st.integers(min_value=1, max_value=10_000),
    inside=st.integers(min_value=0, max_value=10_000),
    remark=st.sampled_from(["{n} per month", "{n} người", "{n}%", "Score: 0.{n}"]),
)
def test_a_number_in_parentheses_never_replaces_the_target(
    outside: int, inside: int, remark: str
) -> None:
    text = f"Run {outside} workshops ({remark.format(n=inside)})"
    got = parse_key_result(text, "en").to_json()
    assert (got["kind"], got["target"], got["unit"]) == ("metric", outside, "workshop")


@pytest.mark.parametrize(("text", "spec"), cases(ARTICLE_KRS) + cases(ARTICLE_OTHER))
def test_article_key_results(text: str, spec: str) -> None:
    assert_parses(text, spec, "vi")


@pytest.mark.parametrize(("text", "spec"), cases(VIETNAMESE))
def test_vietnamese_key_results(text: str, spec: str) -> None:
    assert_parses(text, spec, "vi")


@pytest.mark.parametrize(("text", "spec"), cases(ENGLISH))
def test_english_key_results(text: str, spec: str) -> None:
    assert_parses(text, spec, "en")


def assert_parses(text: str, spec: str, lang: str) -> None:
    """Check detection, the given language and the JSON shape all agree with the spec."""
    detected = parse_key_result(text)
    forced = parse_key_result(text, lang)
    assert detected.lang == lang
    assert detected == forced
    got = forced.to_json()
    assert set(got) == JSON_KEYS
    expected = expect(spec)
    assert {key: got[key] for key in expected} == expected


def test_tables_are_large_enough() -> None:
    assert len(read_table(ARTICLE_KRS)) == 40
    assert len(read_table(VIETNAMESE)) + len(read_table(ENGLISH)) >= 40


def seed_path() -> Path | None:
    """Find the seed article in shared/, wherever the checkout sits."""
    here = Path(__file__).resolve()
    candidates = [parent / "shared" / "seed" / SEED_NAME for parent in here.parents]
    return next((path for path in candidates if path.is_file()), None)


def test_table_covers_every_article_key_result() -> None:
    path = seed_path()
    if path is None:
        pytest.skip("shared/seed article not available")
    lines = path.read_text(encoding="utf-8").splitlines()
    article = [line.split(":", 1)[1].strip() for line in lines if line.startswith("- KR")]
    assert article == [text for text, _ in read_table(ARTICLE_KRS)]
    for text in article:
        assert parse_key_result(text).measurable


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("Tăng doanh thu", "vi"),
        ("Đạt 100 khách hàng", "vi"),
        ("Ra mắt sản phẩm", "vi"),
        ("Tang doanh thu cho khach hang", "vi"),
        ("Increase revenue", "en"),
        ("Launch the café menu", "en"),
        ("Launch café menu", "en"),
        ("4.5+ rating trên App Store", "vi"),
        ("Uptime 99.9%, response time <2s", "en"),
        ("Hire 3 engineers", "en"),
        ("", "en"),
    ],
)
def test_detect_language(text: str, lang: str) -> None:
    assert detect_language(text) == lang


def test_json_numbers_are_int_when_integral_else_float() -> None:
    got = parse_key_result("Giảm tỷ lệ khách hàng rời bỏ từ 8% xuống 5,5%").to_json()
    assert type(got["start"]) is int
    assert type(got["target"]) is float


def test_json_keeps_text_and_lang() -> None:
    parsed = parse_key_result("Reduce churn to 3%")
    assert (parsed.to_json()["text"], parsed.text, parsed.lang) == (parsed.text, parsed.text, "en")
    assert parsed.text == "Reduce churn to 3%"


def test_parsed_key_result_is_frozen() -> None:
    parsed = parse_key_result("Reduce churn to 3%")
    assert isinstance(parsed, ParsedKeyResult)
    with pytest.raises(dataclasses.FrozenInstanceError):
        parsed.kind = "metric"  # type: ignore[misc]


def test_leading_kr_label_is_ignored() -> None:
    plain = parse_key_result("Tổ chức hội nghị khách hàng trong tháng 4").to_json()
    labelled = parse_key_result("- KR1: Tổ chức hội nghị khách hàng trong tháng 4").to_json()
    assert {**labelled, "text": ""} == {**plain, "text": ""}


def test_baseline_year_is_not_a_deadline() -> None:
    parsed = parse_key_result("Tăng 10% doanh thu so với năm 2022")
    assert parsed.deadline is None
    assert parsed.relative


def test_unsupported_language_is_rejected() -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        parse_key_result("Reduce churn to 3%", "fr")


@pytest.mark.parametrize(
    "text", ["", "   ", "???", "100", "%", "từ", "from to", "Q3", "1:1", "top", "$", "15/4"]
)
def test_odd_input_does_not_crash(text: str) -> None:
    check_invariants(parse_key_result(text))


VOCABULARY_TEXT = """
tăng giảm đạt tối thiểu ít nhất tối đa dưới lên xuống từ so với quý II tháng 4 trước 15/4 năm 2024
khách hàng 10.000 1,5 tỷ đồng 20% hàng tuần 1 lần/tuần top 5 increase reduce by from to at least
under $2k 5k Q3 June 30 weekly twice a month 1:1 17.00 thứ 6 - – , . + double gấp đôi 3x 24h 30
phút 2025 every other week launch hoàn thành ≥ ≤ >= ( ) (from (up from (currently [X] X Y
200ms 5kg 2D T12/2026 10/10 trước 23h zero -50% 6 phút/CV giây tuần 8/quarter KĐT MAU 1,000
"""
VOCABULARY = VOCABULARY_TEXT.split()


@given(
    words=st.lists(st.sampled_from(VOCABULARY), max_size=12),
    lang=st.sampled_from(["vi", "en", None]),
)
def test_parser_handles_any_mix_of_its_vocabulary(words: list[str], lang: str | None) -> None:
    check_invariants(parse_key_result(" ".join(words), lang))


@given(text=st.text(max_size=80))
def test_parser_handles_arbitrary_text(text: str) -> None:
    check_invariants(parse_key_result(text))


def check_invariants(parsed: ParsedKeyResult) -> None:
    """Check the rules every parse obeys whatever the input."""
    got = parsed.to_json()
    assert got["kind"] in KINDS
    assert got["measurable"] is (got["kind"] not in UNMEASURED)
    assert got["direction"] in DIRECTIONS
    if got["kind"] == "recurring":
        assert got["per"] is not None
    if got["per"] is not None:
        # A rate per period: a recurring commitment, or a metric measured per period.
        assert got["kind"] == "recurring" or got["start"] is not None
    assert (got["target"] is None) is (got["kind"] in {"milestone", "activity", "template"})
    if got["kind"] == "template":
        assert got["deadline"] is None and got["direction"] == "none"
    if got["start"] is not None:
        assert not got["relative"]


CORPUS = Path(__file__).parent / "parser_corpus" / "key_results.jsonl"
CORPUS_FIELDS = ("measurable", "kind", "start", "target", "relative", "unit", "direction")
CORPUS_FIELDS += ("deadline", "per", "slot")


def read_corpus() -> list[dict[str, object]]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line]


def test_corpus_is_labelled_in_both_languages() -> None:
    rows = read_corpus()
    for lang in ("vi", "en"):
        assert sum(1 for row in rows if row["lang"] == lang) >= 150
    for row in rows:
        assert set(row) == {"sentence", "lang", "source", "expected"}
        assert set(row["expected"]) == set(CORPUS_FIELDS)  # type: ignore[arg-type]
        assert row["expected"]["kind"] in KINDS  # type: ignore[index]
        assert row["source"]
    assert len({row["sentence"] for row in rows}) == len(rows)


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_parser_reads_at_least_90_percent_of_real_sentences(lang: str) -> None:
    rows = [row for row in read_corpus() if row["lang"] == lang]
    right = 0
    for row in rows:
        got = parse_key_result(str(row["sentence"])).to_json()
        expected = row["expected"]
        fields_right = all(got[key] == expected[key] for key in CORPUS_FIELDS)  # type: ignore[index]
        right += fields_right and got["lang"] == lang
    assert right / len(rows) >= 0.9


@given(
    words=st.lists(st.sampled_from(VOCABULARY), max_size=8),
    placeholder=st.sampled_from(["[số lượng]", "[Competitor]", "from X to Y", "___", "…/…/…"]),
    at=st.integers(min_value=1, max_value=8),
)
def test_a_placeholder_makes_any_sentence_a_template(
    words: list[str], placeholder: str, at: int
) -> None:
    # After the first word: a one-word "[Tag]" opening a sentence is a label (next test).
    text = " ".join(["Đạt", *words[:at], placeholder, *words[at:]])
    got = parse_key_result(text).to_json()
    assert (got["kind"], got["measurable"], got["target"]) == ("template", False, None)


# --- #16: a start date and the parts of a compound target -----------------------------------


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("Chạy quảng cáo Facebook với đường dẫn về website duy trì từ 15/4", (15, 4)),
        ("Đánh giá 1 – 5 sao từ tháng 4", (None, 4)),
        ("Gửi bản tin 1 lần/tuần bắt đầu từ 15/10", (15, 10)),
        ("Ship the newsletter weekly from April", (None, 4)),
        ("Grow fanpage followers from 6,500 to 10,000 by June 1", None),
        ("Tăng doanh thu từ 2 tỷ lên 3 tỷ trong tháng 6", None),
    ],
)
def test_a_stated_start_date_is_read_and_is_no_deadline(
    text: str, starts: tuple[int | None, int] | None
) -> None:
    got = parse_key_result(text).to_json()
    if starts is None:
        assert got["starts"] is None
        return
    assert got["starts"] == {"day": starts[0], "month": starts[1], "quarter": None, "year": None}
    assert got["deadline"] is None


def test_a_target_joined_by_va_splits_into_measurable_parts() -> None:
    got = parse_key_result(
        "Tổ chức hội thảo với ít nhất 300 khách mời tham dự trực tiếp và 5.000 người xem livestream"
    ).to_json()
    assert [(p["target"], p["unit"]) for p in got["parts"]] == [  # type: ignore[union-attr, index]
        (300, "khách mời"),
        (5000, "người"),
    ]
    english = parse_key_result("Host 300 guests in person and 5,000 livestream viewers").to_json()
    assert [p["target"] for p in english["parts"]] == [300, 5000]  # type: ignore[union-attr, index]


@pytest.mark.parametrize(
    "text",
    ["Tăng doanh thu và lợi nhuận 20%", "Ra mắt website và app mới", "Grow revenue by 20%"],
)
def test_a_single_target_has_no_parts(text: str) -> None:
    assert parse_key_result(text).to_json()["parts"] == []
