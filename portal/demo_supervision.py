"""Demo on-site supervisions (现场监督) for both demo bureaus, in every state (fictional data).

Jincheng (demo-regulator) and Taiyuan (demo-regulator2) each get: a planned supervision of an
upcoming meeting with staff assigned (demo-inspector is on two in Jincheng, one of them of the
meeting whose handout trips the claims checker, so the sheet PDF is one click away), done ones
with observations and photos (one compliant; one with concerns or violations), and a cancelled
one of a meeting the enterprise withdrew. Runs after portal/demo_meetings.py; a bureau that
already has supervisions is left alone, so re-running is safe.
"""

import io
import struct
import zlib
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from . import audit
from .extensions import db
from .filings.uploads import store_upload
from .models import (
    Bureau,
    Conclusion,
    Filing,
    Meeting,
    Supervision,
    SupervisionStatus,
    User,
    utcnow,
)
from .storage import PDF_OR_PHOTO
from .supervision import operations

# bureau short name -> [(meeting title, state, staff user names, notes, record or cancel reason)]
PLAN = {
    "晋城市监": [
        ("直销员资格考试（第12期）", "planned", ["demo-inspector", "demo-inspector2"],
         "核对考生身份与考场纪律，留意是否借考试推销产品。", None),
        ("营养补充剂产品知识讲解", "planned", ["demo-inspector", "demo-regulator"],
         "讲义含“零副作用”“根治”等用语，重点记录讲解内容，必要时录音。", None),
        ("2026年第四季度直销法规培训", "done", ["demo-inspector", "demo-regulator"], None,
         {"headcount_seen": 44, "is_fee_charged": False, "is_venue_as_filed": True,
          "are_trainers_as_filed": True, "banned_content": None,
          "conclusion": Conclusion.COMPLIANT,
          "observations": "会议按登记时间、地点举行，签到表与现场人数相符，"
                          "未发现收费和违禁宣传。"}),
        ("新入职直销员岗前业务培训", "done", ["demo-inspector2"], None,
         {"headcount_seen": 58, "is_fee_charged": False, "is_venue_as_filed": True,
          "are_trainers_as_filed": True,
          "banned_content": "讲师称“坚持服用三个月，失眠可以根治”。",
          "conclusion": Conclusion.CONCERNS,
          "observations": "现场人数明显多于登记的预计人数；讲师个别表述夸大产品功效，"
                          "已当场提醒企业负责人，建议约谈企业。"}),
        ("阳城片区业务培训（已取消）", "cancelled", ["demo-inspector"], None,
         "企业已撤回该会议登记。"),
    ],
    "并市监": [
        ("直销员资格考试（第5期）", "planned", ["demo-inspector3", "demo-regulator2"],
         "开考前半小时到场，核对监考人员。", None),
        ("直销员职业道德与风险提示培训", "done", ["demo-inspector3"], None,
         {"headcount_seen": 36, "is_fee_charged": False, "is_venue_as_filed": True,
          "are_trainers_as_filed": True, "banned_content": None,
          "conclusion": Conclusion.COMPLIANT,
          "observations": "培训内容与登记议程一致，现场张贴了退换货制度。"}),
        ("日用品安全使用知识讲解", "done", ["demo-inspector3", "demo-regulator2"], None,
         {"headcount_seen": 41, "is_fee_charged": True, "is_venue_as_filed": True,
          "are_trainers_as_filed": False,
          "banned_content": "主讲人称“别家的产品都有毒，只有我们的最安全”。",
          "conclusion": Conclusion.VIOLATIONS,
          "observations": "入场时每人收取资料费20元；主讲人并非登记的培训员；"
                          "存在诋毁同行的表述。已拍照取证，拟责令改正。"}),
        ("万柏林片区业务培训（已取消）", "cancelled", ["demo-inspector3"], None,
         "企业已撤回该会议登记。"),
    ],
}


def _png(width: int = 96, height: int = 64, shade: int = 0) -> bytes:
    """A small striped PNG standing in for a photo taken on site."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((60 + (x * 2 + shade) % 120, 90 + (y * 2) % 100, 140))
                           for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def _meeting(title: str, prefix: str) -> Meeting | None:
    return db.session.scalar(
        select(Meeting).join(Filing, Filing.id == Meeting.filing_id)
        .where(Meeting.title == title, Filing.region_code.like(prefix + "%")))


def _users(names) -> list[User]:
    return list(db.session.scalars(select(User).where(User.username.in_(names))
                                   .order_by(User.id)))


def _replay_marking(meeting: Meeting, staff, notes, regulator) -> Supervision:
    """A supervision marked while the meeting was still approved (it was withdrawn since):
    an hour after the approval (never later than now), or, without one, a week before the
    meeting and two days ago at the latest, so that it was called off in the past too."""
    now, decided_at = utcnow(), meeting.filing.decided_at
    if decided_at is not None:
        marked_at = min(decided_at + timedelta(hours=1), now)
    else:
        marked_at = min(meeting.starts_at - timedelta(days=7), now - timedelta(days=2))
    supervision = Supervision(meeting=meeting, bureau_id=regulator.bureau_id,
                              status=SupervisionStatus.PLANNED, notes=notes,
                              marked_by_id=regulator.id, marked_at=marked_at, staff=staff)
    db.session.add(supervision)
    db.session.flush()
    audit.record("supervision.marked", supervision, actor=regulator,
                 meeting=meeting.filing.number, staff=[u.username for u in staff])
    return supervision


def seed_bureau(bureau: Bureau, rows) -> int:
    """The supervisions of one bureau; returns how many were created."""
    prefix = bureau.jurisdiction_prefix
    regulator = db.session.scalar(select(User).where(
        User.bureau_id == bureau.id, User.username.like("demo-regulator%")))
    created = 0
    for n, (title, state, names, notes, extra) in enumerate(rows):
        meeting = _meeting(title, prefix)
        if meeting is None or regulator is None:
            continue
        staff = _users(names)
        if state == "cancelled":
            supervision = _replay_marking(meeting, staff, notes, regulator)
            operations.cancel(supervision, extra, regulator, supervision.version,
                              now=min(supervision.marked_at + timedelta(days=1), utcnow()))
        elif state == "done":
            marked_at = meeting.starts_at - timedelta(days=5)
            supervision = operations.mark(meeting, [u.id for u in staff], notes, regulator,
                                          now=marked_at)
            recorder = staff[0]
            photos = [store_upload(FileStorage(io.BytesIO(_png(shade=n * 17 + i)),
                                               filename=f"现场照片{i + 1}.png"),
                                   meeting.filing.enterprise_id, recorder, allowed=PDF_OR_PHOTO)
                      for i in range(2)]
            data = {**extra, "observed_at": meeting.starts_at + timedelta(minutes=25)}
            operations.record(supervision, data, photos, recorder, supervision.version,
                              complete=True, now=meeting.ends_at + timedelta(hours=2))
        else:
            operations.mark(meeting, [u.id for u in staff], notes, regulator)
        created += 1
    return created


def seed() -> int:
    """Entry point for ``flask seed-demo`` (wired in by portal.demo, after the meetings)."""
    created = 0
    for short_name, rows in PLAN.items():
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short_name))
        if bureau is None or db.session.scalar(select(func.count(Supervision.id)).where(
                Supervision.bureau_id == bureau.id)):
            continue
        created += seed_bureau(bureau, rows)
    db.session.flush()
    return created
