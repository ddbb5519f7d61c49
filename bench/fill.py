"""Fill a migrated database with the demo plus many filings, fast (core bulk inserts).

Used by bench/queue_bench.py. The spread is meant to look like a few years of a province's
filings: mostly approved, a few thousand waiting for review, every kind, both bureaus' areas,
submission times over three years, a detail row for every filing and one or two history events.
"""

import random
import time
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import func, insert, select, text

from portal import demo
from portal.extensions import db
from portal.filings import tally
from portal.models import (
    Enterprise,
    EnterpriseRegion,
    EnterpriseStatus,
    Filing,
    FilingEvent,
    FilingFlag,
    FilingKind,
    Meeting,
    MeetingSession,
    Outlet,
    ReturnPolicy,
    Trainer,
    User,
)
from portal.models.filings import NUMBER_PREFIXES, Degree, FlagCategory, MeetingKind
from portal.rules.premises import Premises
from portal.rules.workflow import Status

PASSWORD = "Bench-password-1"  # noqa: S105  (throw-away benchmark database)
JINCHENG = ["140502", "140521", "140522", "140524", "140525", "140581"]  # demo-regulator's area
TAIYUAN = ["140105", "140106", "140107", "140108", "140109", "140110", "140121", "140181"]
# Meetings are filed most often; an enterprise has a few return-policy versions, not hundreds.
KINDS = [(FilingKind.OUTLET, 38), (FilingKind.TRAINER, 10), (FilingKind.MEETING, 51),
         (FilingKind.RETURN_POLICY, 1)]
STATUSES = [(Status.APPROVED, 880), (Status.SUBMITTED, 35), (Status.RETURNED, 20),
            (Status.REJECTED, 25), (Status.WITHDRAWN, 10), (Status.DRAFT, 30)]
EXTRA_ENTERPRISES = 200
BATCH = 5000


def _weighted(pairs, rng, n):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=n)


def _extra_enterprises(rng) -> None:
    """More enterprises, seated in both cities and approved in one or both."""
    rows, regions = [], []
    for n in range(EXTRA_ENTERPRISES):
        seat = rng.choice(JINCHENG + TAIYUAN)
        rows.append({
            "name": f"压测企业{n:04d}有限公司", "name_en": f"Bench Enterprise {n:04d} Co., Ltd.",
            "credit_code": demo.credit_code(f"91{seat}MA9B{n:05d}"),
            "licence_no": f"直销经营许可证〔2020〕第9{n:03d}号",
            "licence_issued_on": date(2020, 1, 1), "address": f"压测路{n}号",
            "region_code": seat, "status": EnterpriseStatus.ACTIVE,
        })
    db.session.execute(insert(Enterprise), rows)
    ids = db.session.scalars(select(Enterprise.id).where(Enterprise.name.like("压测企业%"))
                             .order_by(Enterprise.id)).all()
    for enterprise_id in ids:
        for city in rng.sample(["140500", "140100"], rng.choice([1, 2])):
            regions.append({"enterprise_id": enterprise_id, "region_code": city,
                            "approved_on": date(2020, 1, 1)})
    db.session.execute(insert(EnterpriseRegion), regions)


def fill(filings: int, seed: int = 4) -> dict:
    """The demo, more enterprises and *filings* filings with details and history; commits."""
    rng = random.Random(seed)  # noqa: S311  (spread of test data, not secrets)
    started = time.perf_counter()
    demo.seed(PASSWORD)
    db.session.commit()
    print(f"  demo seeded in {time.perf_counter() - started:.1f} s", flush=True)
    _extra_enterprises(rng)
    db.session.commit()
    enterprises = db.session.scalars(select(Enterprise.id).order_by(Enterprise.id)).all()
    demo_a = db.session.scalar(select(User.enterprise_id).where(User.username == "demo-staff"))
    staff_id = db.session.scalar(select(User.id).where(User.username == "demo-staff"))
    regulator_id = db.session.scalar(select(User.id).where(User.username == "demo-regulator"))
    first_id = (db.session.scalar(select(func.max(Filing.id))) or 0) + 1
    now = datetime.now(UTC).replace(microsecond=0)
    span = int(timedelta(days=3 * 365).total_seconds())
    kinds = _weighted(KINDS, rng, filings)
    statuses = _weighted(STATUSES, rng, filings)
    tables = {name: [] for name in ("filing", "event", "outlet", "trainer", "meeting",
                                    "session", "policy", "flag")}

    def flush():
        for model, key in ((Filing, "filing"), (FilingEvent, "event"), (Outlet, "outlet"),
                           (Trainer, "trainer"), (Meeting, "meeting"),
                           (MeetingSession, "session"), (ReturnPolicy, "policy"),
                           (FilingFlag, "flag")):
            if tables[key]:
                db.session.connection().execute(model.__table__.insert(), tables[key])
                tables[key].clear()

    for n in range(filings):
        filing_id = first_id + n
        kind, status = kinds[n], statuses[n]
        # One enterprise in ten filings is demo enterprise A (a big one), the rest spread out.
        enterprise_id = demo_a if rng.random() < 0.1 else rng.choice(enterprises)
        region = rng.choice(JINCHENG) if rng.random() < 0.6 else rng.choice(TAIYUAN)
        created = now - timedelta(seconds=rng.randrange(span))
        submitted = None if status is Status.DRAFT else created + timedelta(hours=2)
        decided = (submitted + timedelta(days=3)
                   if status in {Status.APPROVED, Status.REJECTED} else None)
        if status is Status.SUBMITTED:  # what waits for review was submitted recently
            submitted = now - timedelta(seconds=rng.randrange(60 * 86400))
            created = submitted - timedelta(hours=2)
        title = f"压测{kind.value}{n}"
        tables["filing"].append({
            "id": filing_id, "number": f"{NUMBER_PREFIXES[kind]}-B{n:09d}", "kind": kind,
            "enterprise_id": enterprise_id, "region_code": region, "status": status,
            "title": title, "revision": 1, "version": 1, "created_by_id": staff_id,
            "created_at": created, "updated_at": decided or submitted or created,
            "submitted_at": submitted, "decided_at": decided,
            # One filing in twelve was submitted with rule warnings.
            "warning_count": rng.choice((1, 1, 2, 3)) if submitted and n % 12 == 5 else 0,
        })
        if submitted and n % 250 == 7:  # a few hundred flags, a quarter of them cleared
            cleared = submitted + timedelta(days=5) if n % 1000 == 7 else None
            tables["flag"].append({
                "filing_id": filing_id, "category": FlagCategory.ENTRY_FEE,
                "note": "压测：疑似收取入门费", "raised_by_id": regulator_id,
                "raised_at": submitted + timedelta(days=1),
                "cleared_by_id": regulator_id if cleared else None, "cleared_at": cleared,
                "cleared_note": "已核实" if cleared else None,
            })
        if submitted is not None:
            tables["event"].append({
                "filing_id": filing_id, "action": "submit", "from_status": "draft",
                "to_status": "submitted", "revision": 1, "actor_id": staff_id,
                "actor_name": "张伟", "created_at": submitted, "reasons": [], "snapshot": {},
            })
        if decided is not None:
            tables["event"].append({
                "filing_id": filing_id, "action": "approve" if status is Status.APPROVED
                else "reject", "from_status": "submitted", "to_status": status.value,
                "revision": 1, "actor_id": regulator_id, "actor_name": "王建国",
                "created_at": decided, "reasons": [], "snapshot": {},
            })
        if kind is FilingKind.OUTLET:
            tables["outlet"].append({
                "filing_id": filing_id, "name": f"压测网点{n}", "premises_type": Premises.SHOP,
                "address": f"压测路{n}号", "region_code": region, "person_in_charge": "张伟",
                "phone": "0356-1234567", "opening_hours": "9:00-17:00",
            })
        elif kind is FilingKind.TRAINER:
            tables["trainer"].append({
                "filing_id": filing_id, "enterprise_id": enterprise_id,
                "name": f"培训员{n}", "id_number": f"140502{n:012d}",
                "employment_start": date(2018, 1, 1), "degree": Degree.BACHELOR,
                "certificate_no": None, "is_formal_employee": True,
                "has_criminal_record": False, "is_mainland_resident": True,
            })
        elif kind is FilingKind.MEETING:
            starts = created + timedelta(days=rng.randrange(10, 40), hours=1)
            tables["meeting"].append({
                "filing_id": filing_id, "enterprise_id": enterprise_id,
                "filing_status": status,
                "kind": MeetingKind.BUSINESS_TRAINING, "title": title,
                "starts_at": starts, "ends_at": starts + timedelta(hours=3),
                "venue_premises_type": Premises.HOTEL, "venue_name": "压测酒店",
                "venue_address": f"压测路{n}号", "region_code": region,
                "expected_attendance": 80, "audience": "销售人员", "fee": Decimal("0"),
                "contact_name": "张伟", "contact_phone": "0356-1234567",
                # Approved meetings that are over have their attendance reported.
                "actual_attendance": 70 if status is Status.APPROVED and starts < now else None,
                "attendance_reported_at": starts + timedelta(days=1)
                if status is Status.APPROVED and starts < now else None,
            })
            tables["session"].append({"meeting_id": filing_id, "position": 1,
                                      "topic": "直销法规", "speaker": "王老师", "minutes": 90})
        else:
            tables["policy"].append({
                "filing_id": filing_id, "title": title, "consumer_return_days": 30,
                "seller_return_days": 30, "requires_unopened": False, "refund_days": 7,
                "return_places": ["各服务网点"], "contact": "0356-1234567",
                "effective_on": (created + timedelta(days=30)).date(),
            })
        if len(tables["filing"]) >= BATCH:
            flush()
    flush()
    if db.session.get_bind().dialect.name == "postgresql":  # explicit ids skip the sequence
        db.session.execute(text("SELECT setval(pg_get_serial_sequence('filing', 'id'), "
                                "(SELECT max(id) FROM filing))"))
    tally.recount()  # the bulk inserts bypassed the ORM, which keeps the running counts
    db.session.commit()
    return {"filings": filings, "enterprises": len(enterprises)}
