"""Demo rectification notices: every state, for both demo enterprises and both bureaus.

Jincheng (demo-regulator) to 晋康源: one issued today and not yet served, one served in the
portal with an extension waiting for the bureau, one whose correction report waits to be
verified, one closed as
corrected; and, from Jincheng's published spot check with a failed item, one served in
person on whichever enterprise the draw picked. Taiyuan (demo-regulator2) to 太行优品: one
served by post and now overdue, one
escalated with its case referral, one whose report was sent back, one issued from a flagged
filing. Safe to re-run: nothing is added when a bureau already has notices.
"""

import io
from datetime import timedelta

from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage

from .demo_supervision import _png
from .extensions import db
from .filings.uploads import store_upload
from .models import (
    Bureau,
    Check,
    CheckPlan,
    CheckStatus,
    Enterprise,
    Filing,
    FilingFlag,
    Notice,
    ReportOutcome,
    Role,
    ServiceMethod,
    User,
    VerifyMethod,
    utcnow,
)
from .notices import operations
from .rules.meetings import china_date
from .storage import PDF_OR_PHOTO

PAIRS = (("晋城市监", "晋康源健康科技股份有限公司"), ("并市监", "太行优品日用品有限公司"))


def _first(stmt):
    return db.session.scalar(stmt.limit(1))


def _fields(facts, corrections, provisions=("DSR-50",), deadline=None, days=None):
    return operations.NoticeFields(facts=facts, provisions=list(provisions),
                                   corrections=corrections, deadline=deadline,
                                   deadline_working_days=days)


def _photo(enterprise, actor, shade):
    return store_upload(FileStorage(io.BytesIO(_png(shade=shade)), filename="整改后照片.png"),
                        enterprise.id, actor, allowed=PDF_OR_PHOTO)


def seed() -> int:
    """Create the demo notices; returns how many were made."""
    made = 0
    for short, name in PAIRS:
        bureau = db.session.scalar(select(Bureau).where(Bureau.short_name == short))
        enterprise = db.session.scalar(select(Enterprise).where(Enterprise.name == name))
        if bureau is None or enterprise is None or db.session.scalar(
                select(func.count(Notice.id)).where(Notice.bureau_id == bureau.id)):
            continue
        regulator = _first(select(User).where(User.bureau_id == bureau.id,
                                              User.role == Role.REGULATOR).order_by(User.id))
        admin = _first(select(User).where(User.enterprise_id == enterprise.id,
                                          User.role == Role.ENTERPRISE_ADMIN).order_by(User.id))
        if regulator is None or admin is None:
            continue
        seeder = _jincheng if short == "晋城市监" else _taiyuan
        made += seeder(bureau, enterprise, regulator, admin)
    db.session.flush()
    return made


def _issue(bureau, enterprise, regulator, fields, days_ago, **source):
    return operations.issue(bureau, enterprise, fields, regulator,
                            now=utcnow() - timedelta(days=days_ago), **source)


def _jincheng(bureau, enterprise, regulator, admin) -> int:
    today = china_date(utcnow())
    # Reported, awaiting verification: from the bureau's published spot check with a failed
    # item (the draw decides which enterprise it checked; the notice goes to that one).
    checks = db.session.scalars(select(Check).join(Check.plan).where(
        CheckPlan.bureau_id == bureau.id, Check.status == CheckStatus.PUBLISHED)
        .order_by(Check.id)).all()
    check = next((c for c in checks if operations.failed_results(c)), None)
    made = 4
    if check is not None:  # served in person on the enterprise the draw picked
        filled = operations.prefill_from_check(check)
        from_check = _issue(bureau, check.enterprise, regulator, _fields(
            filled["facts"], "在各服务网点显著位置公示退换货制度及价目表，并报送整改后照片。",
            filled["provisions"] or ["DSR-50"], deadline=today + timedelta(days=12)), 9,
            check=check)
        operations.serve(from_check, ServiceMethod.IN_PERSON, regulator,
                         served_at=utcnow() - timedelta(days=8), note="企业负责人当场签收")
        made += 1
    reported = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位晋城市城区服务网点未在显著位置公示退换货制度。",
        "在服务网点显著位置公示退换货制度。", deadline=today + timedelta(days=12)), 9)
    operations.serve(reported, ServiceMethod.PORTAL, admin, served_at=utcnow()
                     - timedelta(days=8))
    operations.report(reported, "已在全部服务网点公示退换货制度及价目表，附整改后照片。",
                      [_photo(enterprise, admin, 60)], admin)

    # Served in the portal, counted in working days, with an extension waiting.
    waiting = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位2026年10月培训会议登记的授课人员中有1人未经备案。",
        "停止安排未备案人员授课，补办授课人员备案。", ("DSR-46",), days=15), 4)
    operations.serve(waiting, ServiceMethod.PORTAL, admin, served_at=utcnow()
                     - timedelta(days=3))
    if waiting.deadline is None:  # beyond the working-day calendar: give it a date
        waiting.deadline = today + timedelta(days=21)
    operations.request_extension(waiting, waiting.deadline + timedelta(days=14),
                                 "授课人员备案材料需经总部审核，申请延期两周。", admin)

    # Closed as corrected.
    closed = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位未按规定在网站披露服务网点变更信息。", "在企业网站披露服务网点变更信息。",
        deadline=today - timedelta(days=20)), 40)
    operations.serve(closed, ServiceMethod.IN_PERSON, regulator,
                     served_at=utcnow() - timedelta(days=39), note="企业法务部王经理签收")
    operations.report(closed, "已在企业网站“信息披露”栏目更新服务网点信息。",
                      [_photo(enterprise, admin, 90)], admin)
    operations.verify(closed, ReportOutcome.ACCEPTED, VerifyMethod.DOCUMENTS,
                      "经网站核验，已披露。", regulator)

    # Issued today, not yet served.
    _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位晋城市泽州县服务网点营业时间与备案不一致。",
        "按备案时间营业，或办理服务网点变更备案。", days=10), 0)
    return made


def _taiyuan(bureau, enterprise, regulator, admin) -> int:
    today = china_date(utcnow())
    # Served by post, overdue: no report by the deadline.
    overdue = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位太原市小店区服务网点未公示退换货制度和价目表。",
        "在服务网点显著位置公示退换货制度和价目表。", ("DSR-49",),
        deadline=today - timedelta(days=5)), 30)
    operations.serve(overdue, ServiceMethod.POST, regulator,
                     served_at=utcnow() - timedelta(days=27), note="EMS 1100 2233 4455")

    # Escalated after the deadline passed.
    escalated = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位未按规定向主管部门报告直销员计酬情况。", "按季度报告直销员计酬情况。",
        deadline=today - timedelta(days=25)), 60)
    operations.serve(escalated, ServiceMethod.IN_PERSON, regulator,
                     served_at=utcnow() - timedelta(days=58), note="企业负责人签收")
    operations.escalate(escalated, operations.referral_text(escalated), regulator)

    # A report sent back with the reasons; the deadline still ahead.
    returned = _issue(bureau, enterprise, regulator, _fields(
        "经查，你单位部分直销员未持直销员证从事推销活动。",
        "为相关人员办理直销员证，未取得前停止其推销活动。", ("DSR-45",),
        deadline=today + timedelta(days=10)), 15)
    operations.serve(returned, ServiceMethod.PORTAL, admin,
                     served_at=utcnow() - timedelta(days=14))
    operations.report(returned, "已组织相关人员参加培训考试。", [], admin)
    operations.verify(returned, ReportOutcome.RETURNED, VerifyMethod.DOCUMENTS,
                      "未附直销员证复印件，无法确认已改正。", regulator)

    # Issued from a flagged filing, not yet served.
    flagged = _first(select(Filing).join(FilingFlag, FilingFlag.filing_id == Filing.id).where(
        Filing.enterprise_id == enterprise.id, FilingFlag.cleared_at.is_(None),
        Filing.region_code.like(bureau.jurisdiction_prefix + "%")).order_by(Filing.id))
    if flagged is not None:
        filled = operations.prefill_from_filing(flagged)
        _issue(bureau, enterprise, regulator, _fields(
            filled["facts"], "停止相关宣传，提交整改说明。", filled["provisions"],
            deadline=today + timedelta(days=20)), 1, filing=flagged)
        return 4
    return 3
