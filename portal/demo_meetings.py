"""Demo training meetings: every workflow state for both demo enterprises (fictional data).

Each enterprise gets meetings that are past (approved, with and without the attendance
report), upcoming (approved, submitted), returned, rejected, withdrawn (cancelled) and a draft,
in districts where its demo outlets are approved, plus meetings whose title or handout holds a
banned phrase, so the claims checker's warnings show. The trainers are the enterprise's
approved trainers (portal/demo_trainers.py, which should run first); an enterprise without any
gets two approved trainers made here. Seeding is skipped for an enterprise that already has
meeting filings, so re-running is safe.
"""

import io
from datetime import date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, select
from weasyprint import HTML
from werkzeug.datastructures import FileStorage

from .demo_filings import PATHS, _regulator_for
from .extensions import db
from .filings import operations as filings
from .filings.uploads import store_upload
from .meetings import operations as meetings
from .meetings.claims import load_claim_phrases
from .models import (
    Degree,
    Document,
    Enterprise,
    Filing,
    FilingKind,
    MeetingKind,
    Trainer,
    User,
    utcnow,
)
from .pdf import font_configuration
from .rules.meetings import CHINA, china_date
from .rules.premises import Premises as P
from .rules.workflow import Action, Side, Status
from .storage import PDF_ONLY

K = MeetingKind
A = "91140500MA0K7Q3D2"
B = "91140100MA0H2W8L5"

# (title, kind, days from today, district, venue, premises, final state, attendance, handout)
MEETINGS = {
    A: [
        ("2026年第四季度直销法规培训", K.BUSINESS_TRAINING, -20, "140502",
         ("晋城国际酒店二楼会议厅", "晋城市城区凤台东街2000号"), P.HOTEL, "approved", 46, False),
        ("新入职直销员岗前业务培训", K.BUSINESS_TRAINING, -6, "140525",
         ("晋康源泽州培训中心", "泽州县南村镇商业街18号"), P.OWN_TRAINING_CENTRE, "approved",
         None, False),
        ("直销员资格考试（第12期）", K.EXAM, 12, "140502",
         ("晋康源城区培训中心", "晋城市城区凤台东街1188号三层"), P.OWN_TRAINING_CENTRE, "approved",
         None, False),
        ("营养补充剂产品知识讲解", K.PRODUCT_PRESENTATION, 18, "140581",
         ("高平市商务酒店会议室", "高平市建设路60号"), P.HOTEL, "submitted", None, True),
        ("年度优秀直销员表彰会", K.BUSINESS_TRAINING, 21, "140105",
         ("太原小店会展中心B厅", "太原市小店区亲贤北街120号"), P.EXHIBITION_CENTRE, "submitted",
         None, False),
        ("消费者权益保护专题培训", K.BUSINESS_TRAINING, 15, "140502",
         ("晋城国际酒店三楼会议室", "晋城市城区凤台东街2000号"), P.HOTEL, "returned", None, False),
        ("泽州县产品推介会", K.PRODUCT_PRESENTATION, 10, "140525",
         ("南村镇文化广场", "泽州县南村镇文化路1号"), P.COMMERCIAL_COMPLEX, "rejected", None,
         False),
        ("阳城片区业务培训（已取消）", K.BUSINESS_TRAINING, 9, "140525",
         ("晋康源泽州培训中心", "泽州县南村镇商业街18号"), P.OWN_TRAINING_CENTRE, "withdrawn",
         None, False),
        ("2027年春季直销员培训", K.BUSINESS_TRAINING, 40, "140502",
         ("晋康源城区培训中心", "晋城市城区凤台东街1188号三层"), P.OWN_TRAINING_CENTRE, "draft",
         None, False),
    ],
    B: [
        ("直销员职业道德与风险提示培训", K.BUSINESS_TRAINING, -15, "140105",
         ("太行优品小店培训室", "太原市小店区长风街66号二层"), P.OWN_TRAINING_CENTRE, "approved",
         38, False),
        ("日用品安全使用知识讲解", K.PRODUCT_PRESENTATION, -4, "140107",
         ("杏花岭商务酒店会议室", "太原市杏花岭区解放路210号"), P.HOTEL, "approved", None, False),
        ("直销员资格考试（第5期）", K.EXAM, 14, "140105",
         ("太行优品小店培训室", "太原市小店区长风街66号二层"), P.OWN_TRAINING_CENTRE, "approved",
         None, False),
        ("直销员激励会：轻松致富经验分享", K.BUSINESS_TRAINING, 20, "140107",
         ("杏花岭商务酒店宴会厅", "太原市杏花岭区解放路210号"), P.HOTEL, "submitted", None, False),
        ("退换货制度专题培训", K.BUSINESS_TRAINING, 16, "140105",
         ("太行优品小店培训室", "太原市小店区长风街66号二层"), P.OWN_TRAINING_CENTRE, "returned",
         None, False),
        ("社区健康讲座", K.PRODUCT_PRESENTATION, 11, "140107",
         ("杏花岭某小区活动室", "太原市杏花岭区胜利街小区3号楼"), P.RESIDENTIAL, "rejected", None,
         False),
        ("万柏林片区业务培训（已取消）", K.BUSINESS_TRAINING, 13, "140105",
         ("太行优品小店培训室", "太原市小店区长风街66号二层"), P.OWN_TRAINING_CENTRE, "withdrawn",
         None, False),
        ("2027年第一季度直销法规培训", K.BUSINESS_TRAINING, 35, "140105",
         ("太行优品小店培训室", "太原市小店区长风街66号二层"), P.OWN_TRAINING_CENTRE, "draft",
         None, False),
    ],
}
AGENDAS = {
    K.BUSINESS_TRAINING: [("《直销管理条例》《禁止传销条例》要点解读", 90),
                          ("直销员道德规范与风险揭示", 60), ("退换货制度与消费者权益保护", 45)],
    K.EXAM: [("考试规则说明", 15), ("闭卷笔试", 90)],
    K.PRODUCT_PRESENTATION: [("产品成分、适用人群与注意事项", 60), ("产品标签与说明书解读", 45)],
}
# Reasons the demo regulators give, by meeting title.
REASONS = {
    "消费者权益保护专题培训": ["培训议程未列明每节讲授人，请补充", "请上传培训讲义"],
    "泽州县产品推介会": ["会议以推介产品为目的，属于变相培训，"
                        "不符合《直销员业务培训管理办法》第三条、第八条的规定"],
    "退换货制度专题培训": ["预计人数与场地容量不符，请核实"],
    "社区健康讲座": ["会场位于居民小区内，不符合《直销员业务培训管理办法》第九条的规定"],
}
HANDOUT = ("<html><head><meta charset='utf-8'></head><body>"
           "<h1>营养补充剂产品知识讲义</h1>"
           "<p>本产品为保健食品，不能代替药物。</p>"
           "<p>长期食用零副作用，可根治慢性疲劳。</p>"
           "</body></html>")
FALLBACK_TRAINERS = [("演示培训员甲", "140502198501011017"), ("演示培训员乙", "140502198703031019")]


def _enterprise(code_prefix: str) -> Enterprise | None:
    return db.session.scalar(
        select(Enterprise).where(Enterprise.credit_code.like(code_prefix + "%")))


def _approved_trainers(enterprise: Enterprise) -> list[Trainer]:
    return list(db.session.scalars(
        select(Trainer).join(Filing, Filing.id == Trainer.filing_id)
        .where(Filing.enterprise_id == enterprise.id, Filing.status == Status.APPROVED)
        .order_by(Trainer.filing_id)
    ))


def _fallback_trainers(enterprise: Enterprise, staff: User) -> list[Trainer]:
    """Two approved trainers, for a database where the trainer demo has not run."""
    regulator = _regulator_for(enterprise.region_code)
    made = []
    for name, id_number in FALLBACK_TRAINERS:
        filing = filings.create(FilingKind.TRAINER, enterprise, enterprise.region_code, name,
                                staff)
        trainer = Trainer(filing=filing, name=name, id_number=id_number,
                          employment_start=date(2018, 3, 1), degree=Degree.BACHELOR,
                          certificate_no="DEMO-PXY-001", is_formal_employee=True,
                          has_criminal_record=False, is_mainland_resident=True)
        db.session.add(trainer)
        db.session.flush()
        filings.apply(filing, Action.SUBMIT, staff, Side.ENTERPRISE)
        filings.apply(filing, Action.APPROVE, regulator, Side.BUREAU)
        made.append(trainer)
    return made


def _handout(enterprise: Enterprise, staff: User) -> Document:
    """A small PDF handout with a banned phrase in it (the claims checker reads it)."""
    pdf = HTML(string=HANDOUT).write_pdf(font_config=font_configuration())
    upload = FileStorage(stream=io.BytesIO(pdf), filename="产品知识讲义.pdf")
    return store_upload(upload, enterprise.id, staff, allowed=PDF_ONLY)


def _backdate(filing: Filing, starts_at) -> None:
    """Make a past meeting's history read as filed two weeks and approved ten days before."""
    filing.created_at = starts_at - timedelta(days=16)
    steps = [starts_at - timedelta(days=14), starts_at - timedelta(days=10)]
    for event, when in zip(filing.events, steps, strict=False):
        event.created_at = when
    filing.submitted_at = steps[0]
    filing.decided_at = steps[1]


def _start(days: int) -> datetime:
    """9:00 China Standard Time, *days* from today in China."""
    today = china_date(utcnow())
    return datetime(today.year, today.month, today.day, 9, tzinfo=CHINA) + timedelta(days=days)


def seed_meetings() -> int:
    """Create the demo meetings; return how many were created."""
    load_claim_phrases()
    created = 0
    for code_prefix, rows in MEETINGS.items():
        enterprise = _enterprise(code_prefix)
        if enterprise is None:
            continue
        existing = db.session.scalar(select(func.count(Filing.id)).where(
            Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.MEETING))
        if existing:
            continue
        staff = db.session.scalar(
            select(User).where(User.enterprise_id == enterprise.id).order_by(User.id))
        trainers = _approved_trainers(enterprise) or _fallback_trainers(enterprise, staff)
        for n, (title, kind, days, district, venue, premises, state, attendance,
                handout) in enumerate(rows):
            starts_at = _start(days)
            data = {
                "kind": kind, "title": title, "starts_at": starts_at,
                "ends_at": starts_at + timedelta(hours=3), "venue_premises_type": premises,
                "venue_name": venue[0], "venue_address": venue[1], "region_code": district,
                "expected_attendance": 30 + 5 * n, "audience": "本企业在当地的直销员",
                "fee": Decimal("0"), "contact_name": staff.display_name,
                "contact_phone": "0356-2" + district[-3:] + "666",
            }
            chosen = trainers[n % len(trainers):][:2] or trainers[:1]
            sessions = [{"topic": topic, "speaker": chosen[i % len(chosen)].name,
                         "minutes": minutes} for i, (topic, minutes) in enumerate(AGENDAS[kind])]
            materials = [_handout(enterprise, staff)] if handout else []
            meeting = meetings.create(enterprise, data, sessions,
                                      [t.filing_id for t in chosen], materials, staff)
            regulator = _regulator_for(district)
            for action in PATHS[state]:
                bureau = action in (Action.APPROVE, Action.RETURN, Action.REJECT)
                filings.apply(meeting.filing, action, regulator if bureau else staff,
                              Side.BUREAU if bureau else Side.ENTERPRISE,
                              reasons=REASONS.get(title, ()) if bureau and
                              action is not Action.APPROVE else ())
            if days < 0:
                _backdate(meeting.filing, starts_at)
            if attendance is not None:
                meetings.report_attendance(meeting, attendance, staff)
            created += 1
    db.session.flush()
    return created


def seed() -> int:
    """Entry point for ``flask seed-demo`` (wired in by portal.demo, after the trainers)."""
    return seed_meetings()
