"""Demo review data: rule-warning counts and flags (fictional), after the filings are seeded.

The demo seeders take filings through the workflow without the view's rule check, so the
warning count each filing had at submission is recorded here from the same rules. Each bureau
then has open flags (an entry fee, team pay) and a cleared one on filings in its jurisdiction.
Flags are added only where a bureau has none, so re-running is safe.
"""

from sqlalchemy import case, func, select

from .extensions import db
from .filings.kinds import KINDS
from .models import Bureau, Filing, FilingFlag, FilingKind, FlagCategory, Role, User
from .review import flags
from .rules.workflow import Status

FLAGS = (
    (FlagCategory.ENTRY_FEE, "宣传页称“缴纳 2980 元成为会员方可参加培训”，涉嫌收取入门费。",
     None),
    (FlagCategory.TEAM_PAY, "会议议程含“团队业绩分红”环节，涉嫌以下线业绩计酬。", None),
    (FlagCategory.PAY_BY_RECRUITS, "群众举报称现场动员发展下线并按人数给予奖励。",
     "现场核查未发现按发展人数计酬的情况，举报不实。"),
)


def count_warnings() -> None:
    """Record the rule warnings of every submitted (non-draft) demo filing."""
    for filing in db.session.scalars(select(Filing).where(Filing.status != Status.DRAFT)):
        info = KINDS[filing.kind]
        detail = db.session.get(info.model, filing.id)
        filing.warning_count = sum(1 for p in info.problems(detail) if not p.is_error)
    db.session.flush()


def seed_flags() -> None:
    for bureau in db.session.scalars(select(Bureau).order_by(Bureau.id)):
        regulator = db.session.scalar(select(User).where(
            User.bureau_id == bureau.id, User.role == Role.REGULATOR).order_by(User.id))
        if regulator is None:
            continue
        in_area = Filing.region_code.like(bureau.jurisdiction_prefix + "%")
        if db.session.scalar(select(func.count(FilingFlag.id)).join(FilingFlag.filing)
                             .where(in_area)):
            continue
        candidates = db.session.scalars(
            select(Filing).where(in_area, Filing.status.in_([Status.SUBMITTED, Status.APPROVED]))
            # Meetings first: their agendas are where the hallmarks show.
            .order_by(case((Filing.kind == FilingKind.MEETING, 0), else_=1), Filing.id)
            .limit(len(FLAGS))
        ).all()
        for filing, (category, note, cleared) in zip(candidates, FLAGS, strict=False):
            flag = flags.raise_flag(filing, category, note, regulator)
            if cleared:
                flags.clear_flag(flag, cleared, regulator)


def seed() -> None:
    count_warnings()
    seed_flags()
