"""Issuing and serving rectification notices (changes; the caller commits)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from .. import audit
from ..database import dialect_insert
from ..extensions import db
from ..models import (
    Check,
    CheckResult,
    CheckStatus,
    Filing,
    FilingFlag,
    Notice,
    NoticeExtension,
    NoticeReport,
    NoticeSequence,
    NoticeStatus,
    NotificationKind,
    ReportOutcome,
    Role,
    ServiceMethod,
    User,
    Verdict,
    VerifyMethod,
    utcnow,
)
from ..notifications.operations import notify
from ..rules import notices as rules
from ..rules.meetings import china_date
from . import provisions as catalogue


def _params(notice: Notice) -> dict:
    return {"number": notice.number, "party": notice.party_name, "bureau": notice.bureau.name_zh,
            "bureau_en": notice.bureau.name_en or "",
            "deadline": notice.deadline.isoformat() if notice.deadline else ""}


def enterprise_recipients(notice: Notice) -> list[User]:
    """The party's active administrators (and whoever of its staff reported last)."""
    users = list(db.session.scalars(select(User).where(
        User.enterprise_id == notice.enterprise_id, User.role == Role.ENTERPRISE_ADMIN,
        User.is_active_account.is_(True)).order_by(User.id)))
    if notice.reports and notice.reports[-1].submitted_by not in users:
        users.append(notice.reports[-1].submitted_by)
    return users


def bureau_recipients(notice: Notice) -> list[User]:
    """The active regulators of the issuing bureau."""
    return list(db.session.scalars(select(User).where(
        User.bureau_id == notice.bureau_id, User.role == Role.REGULATOR,
        User.is_active_account.is_(True)).order_by(User.id)))


def tell(notice: Notice, side: str, message: str, kind=NotificationKind.NOTICE) -> None:
    """Notify the enterprise (*side* "enterprise") or the bureau ("bureau") about *notice*."""
    users = enterprise_recipients(notice) if side == "enterprise" else bureau_recipients(notice)
    notify(users, kind, message, _params(notice), notice=notice)


class NoticeError(ValueError):
    """The notice cannot be changed that way; ``code`` says why."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class NoticeFields:
    facts: str
    provisions: list
    corrections: str
    deadline: date | None
    deadline_working_days: int | None


def next_sequence(bureau_id: int, year: int) -> int:
    """The bureau's next notice number in *year*: one atomic upsert, in the caller's
    transaction, so a rolled-back issue gives its number back and two regulators issuing at
    the same moment queue on the row (gap-free and unique)."""
    stmt = dialect_insert(NoticeSequence).values(bureau_id=bureau_id, year=year, last=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[NoticeSequence.bureau_id, NoticeSequence.year],
        set_={"last": NoticeSequence.last + 1},
    ).returning(NoticeSequence.last)
    return db.session.execute(stmt).scalar_one()


def issue(bureau, enterprise, fields: NoticeFields, actor, *, check: Check | None = None,
          filing: Filing | None = None, now: datetime | None = None) -> Notice:
    """Number and issue a notice to *enterprise* (the party's details and the provisions'
    texts are copied, so later edits of either leave the notice as it was issued).

    :raise NoticeError: a deadline problem, ``unknown_provision`` (not an active provision of
        the catalogue) or ``no_provision``.
    """
    now = now or utcnow()
    issued_on = china_date(now)
    problem = rules.deadline_problem(fields.deadline, fields.deadline_working_days, issued_on)
    if problem:
        raise NoticeError(problem)
    try:
        cited = catalogue.snapshots(fields.provisions)
    except catalogue.UnknownProvisionError:
        raise NoticeError("unknown_provision") from None
    if not cited:
        raise NoticeError("no_provision")
    year = issued_on.year
    sequence = next_sequence(bureau.id, year)
    notice = Notice(
        bureau_id=bureau.id, year=year, sequence=sequence,
        number=rules.number(bureau.short_name, year, sequence),
        enterprise_id=enterprise.id, check_id=check.id if check else None,
        filing_id=filing.id if filing else None, party_name=enterprise.name,
        party_credit_code=enterprise.credit_code, party_address=enterprise.address,
        facts=fields.facts, provisions=cited, corrections=fields.corrections,
        deadline=fields.deadline, deadline_working_days=fields.deadline_working_days,
        status=NoticeStatus.ISSUED, issued_by=actor, issued_at=now,
    )
    db.session.add(notice)
    db.session.flush()
    audit.record("notice.issued", notice, actor=actor, number=notice.number,
                 enterprise=enterprise.id, check=notice.check_id, filing=notice.filing_id)
    tell(notice, "enterprise", "notice_issued")
    return notice


def serve(notice: Notice, method: ServiceMethod, actor, *, served_at: datetime | None = None,
          note: str | None = None) -> None:
    """Record service: the deadline starts to run (N working days are counted from today).

    :raise NoticeError: ``already_served``.
    """
    if notice.status is not NoticeStatus.ISSUED:
        raise NoticeError("already_served")
    served_at = served_at or utcnow()
    notice.status = NoticeStatus.SERVED
    notice.served_at = served_at
    notice.service_method = method
    notice.service_note = note or None
    notice.served_recorded_by = actor
    if notice.deadline_working_days is not None:
        notice.deadline = rules.deadline_from_service(china_date(served_at),
                                                      notice.deadline_working_days)
    db.session.flush()
    audit.record("notice.served", notice, actor=actor, method=method.value,
                 deadline=str(notice.deadline) if notice.deadline else None)


def is_overdue(notice: Notice, today: date | None = None) -> bool:
    """Served, past its deadline, and no correction accepted (nor one waiting to be checked)."""
    today = today or china_date(utcnow())
    return (notice.status is NoticeStatus.SERVED and notice.deadline is not None
            and notice.deadline < today)


def report(notice: Notice, text: str, evidence: list, actor) -> NoticeReport:
    """The enterprise reports its correction with evidence; the bureau verifies it next.

    :raise NoticeError: ``not_served`` (not yet served, or already reported or closed).
    """
    if notice.status is not NoticeStatus.SERVED:
        raise NoticeError("not_served")
    entry = NoticeReport(notice=notice, text=text, evidence=list(evidence),
                         submitted_by=actor, submitted_at=utcnow())
    db.session.add(entry)
    notice.status = NoticeStatus.REPORTED
    db.session.flush()
    audit.record("notice.reported", notice, actor=actor, report=entry.id,
                 evidence=[d.id for d in evidence])
    tell(notice, "bureau", "notice_reported")
    return entry


def verify(notice: Notice, outcome: ReportOutcome, method: VerifyMethod, note: str, actor, *,
           referral: str | None = None) -> None:
    """Record the re-check of the latest report: close the notice as corrected, send it back
    with the reasons (served again, the same deadline), or escalate it.

    :raise NoticeError: ``not_reported``; ``note_required`` to return or escalate.
    """
    if notice.status is not NoticeStatus.REPORTED:
        raise NoticeError("not_reported")
    if outcome is not ReportOutcome.ACCEPTED and not note:
        raise NoticeError("note_required")
    now = utcnow()
    latest = notice.reports[-1]
    latest.outcome, latest.verify_method, latest.verify_note = outcome, method, note or None
    latest.verified_by, latest.verified_at = actor, now
    if outcome is ReportOutcome.ACCEPTED:
        notice.status, notice.closed_at = NoticeStatus.CORRECTED, now
    elif outcome is ReportOutcome.RETURNED:
        notice.status = NoticeStatus.SERVED
    else:
        _escalate(notice, referral or referral_text(notice), actor, now)
    db.session.flush()
    audit.record("notice.verified", notice, actor=actor, outcome=outcome.value,
                 method=method.value, report=latest.id)
    tell(notice, "enterprise", f"notice_{outcome.value}")


def escalate(notice: Notice, referral: str, actor, today: date | None = None) -> None:
    """Escalate an overdue notice: its case referral goes to the case handlers.

    :raise NoticeError: ``not_overdue`` (only an overdue served notice; a reported one is
        escalated by its verification).
    """
    if not is_overdue(notice, today):
        raise NoticeError("not_overdue")
    _escalate(notice, referral, actor, utcnow())
    db.session.flush()
    audit.record("notice.escalated", notice, actor=actor)
    tell(notice, "enterprise", "notice_escalated")


def _escalate(notice: Notice, referral: str, actor, now: datetime) -> None:
    notice.status = NoticeStatus.ESCALATED
    notice.escalated_at, notice.escalated_by, notice.referral = now, actor, referral


def referral_text(notice: Notice, today: date | None = None) -> str:
    """The case referral (案件移送) pre-filled from the notice: the party, what was ordered,
    what happened, and each cited article with its penalty range (DOMAIN.md)."""
    today = today or china_date(utcnow())
    articles = [f"{n}. {p['article_zh']}：{p['penalty_zh']}"
                for n, p in enumerate(notice.provisions, start=1)]
    if notice.status is NoticeStatus.REPORTED or notice.reports:
        outcome = "当事人报送的整改情况经复查仍不符合要求。"
    else:
        outcome = "当事人逾期未报送整改情况，亦未申请延期。"
    deadline = f"{notice.deadline:%Y年%m月%d日}" if notice.deadline else "（未定）"
    return "\n".join([
        f"当事人：{notice.party_name}（统一社会信用代码：{notice.party_credit_code}）",
        f"住所：{notice.party_address}",
        f"本局于{china_date(notice.issued_at):%Y年%m月%d日}作出{notice.number}责令改正通知书，"
        f"责令当事人于{deadline}前改正。截至{today:%Y年%m月%d日}，{outcome}",
        "查明的事实：", notice.facts,
        "涉嫌违反的规定及法律责任：", *articles,
        "建议依法立案调查。",
    ])


def request_extension(notice: Notice, until: date, reason: str, actor,
                      today: date | None = None) -> NoticeExtension:
    """The enterprise asks for a later deadline, with its reason, before the deadline passes.

    :raise NoticeError: ``not_served``, ``extension_pending``, ``deadline_passed`` or
        ``extension_not_later``.
    """
    today = today or china_date(utcnow())
    if notice.status is not NoticeStatus.SERVED or notice.deadline is None:
        raise NoticeError("not_served")
    if notice.pending_extension is not None:
        raise NoticeError("extension_pending")
    if notice.deadline < today:
        raise NoticeError("deadline_passed")
    if until <= notice.deadline:
        raise NoticeError("extension_not_later")
    extension = NoticeExtension(notice=notice, reason=reason, requested_until=until,
                                previous_deadline=notice.deadline, requested_by=actor,
                                requested_at=utcnow())
    db.session.add(extension)
    notice.updated_at = utcnow()  # a change of the notice: its version moves on
    db.session.flush()
    audit.record("notice.extension_requested", notice, actor=actor, until=str(until))
    notify(bureau_recipients(notice), NotificationKind.NOTICE, "notice_extension_requested",
           {**_params(notice), "deadline": until.isoformat()}, notice=notice)
    return extension


def decide_extension(notice: Notice, grant: bool, note: str, actor,
                     until: date | None = None) -> None:
    """Grant the pending extension (the new deadline; the bureau may give a different date)
    or refuse it with the reason.

    :raise NoticeError: ``no_extension``, ``note_required`` to refuse, ``extension_not_later``.
    """
    extension = notice.pending_extension
    if extension is None or notice.status is not NoticeStatus.SERVED:
        raise NoticeError("no_extension")
    if not grant and not note:
        raise NoticeError("note_required")
    until = until or extension.requested_until
    if grant and until <= extension.previous_deadline:
        raise NoticeError("extension_not_later")
    extension.granted, extension.decision_note = grant, note or None
    extension.decided_by, extension.decided_at = actor, utcnow()
    if grant:
        notice.deadline = until
    notice.updated_at = utcnow()  # two regulators deciding at once: the second is told
    db.session.flush()
    audit.record("notice.extension_decided", notice, actor=actor, granted=grant,
                 deadline=str(notice.deadline))
    tell(notice, "enterprise", "notice_extension_granted" if grant else "notice_extension_refused")


def failed_results(check: Check) -> list[CheckResult]:
    """The failed items of a completed or published check, in the plan's item order."""
    if check.status is CheckStatus.ASSIGNED:
        return []
    order = {item.id: n for n, item in enumerate(check.plan.items)}
    rows = db.session.scalars(select(CheckResult).where(
        CheckResult.check_id == check.id, CheckResult.verdict == Verdict.FAIL)).all()
    return sorted(rows, key=lambda r: order.get(r.item_id, len(order)))


def prefill_from_check(check: Check) -> dict:
    """Facts and provisions from the check's failed items (the regulator edits them)."""
    failed = failed_results(check)
    lines = [f"{n}. {r.item.text_zh}：{r.note or ''}".rstrip("：")
             for n, r in enumerate(failed, start=1)]
    when = china_date(check.completed_at) if check.completed_at else None
    head = (f"{when:%Y年%m月%d日}，本局对你单位开展“双随机、一公开”抽查（{check.number}），"
            "发现以下问题：" if when else f"本局对你单位开展抽查（{check.number}），发现以下问题：")
    return {"facts": "\n".join([head, *lines]),
            "provisions": catalogue.suggested(bases=[r.item.basis for r in failed])}


def prefill_from_filing(filing: Filing) -> dict:
    """Facts and provisions from the open flags of a filing."""
    flags = db.session.scalars(select(FilingFlag).where(
        FilingFlag.filing_id == filing.id, FilingFlag.cleared_at.is_(None))
        .order_by(FilingFlag.id)).all()
    lines = [f"{n}. {f.note}" for n, f in enumerate(flags, start=1)]
    return {"facts": "\n".join([f"经审查你单位备案（{filing.number}），发现以下问题：", *lines]),
            "provisions": catalogue.suggested(flags=[f.category.value for f in flags])}
