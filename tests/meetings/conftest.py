"""Fixtures for the meeting tests: approved outlets, trainers and the claims phrases."""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from portal.extensions import db
from portal.meetings.claims import load_claim_phrases
from portal.models import Enterprise, Trainer, utcnow
from portal.rules.meetings import CHINA
from portal.rules.workflow import Status

from ..factories import USERNAMES, make_document
from .helpers import approve, make_meeting, make_trainer, user


@dataclass
class Setting:
    trainer: int  # enterprise A's approved trainer
    pending_trainer: int  # enterprise A's trainer still under review
    trainer_b: int  # enterprise B's approved trainer


@pytest.fixture
def setting(app, world):
    """World + approved outlets (A in 140502, B in 140105), trainers, the default phrases."""
    with app.app_context():
        regulator, regulator2 = user("regulator"), user("regulator2")
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        approve(world.filing_a, regulator)
        approve(world.filing_b, regulator2)
        trainer = make_trainer(a, user("ent-staff"), regulator, "李培训", Status.APPROVED)
        pending = make_trainer(a, user("ent-staff"), regulator, "赵待审", Status.SUBMITTED)
        trainer_b = make_trainer(b, user("ent2-staff"), regulator2, "钱外企", Status.APPROVED)
        load_claim_phrases()
        db.session.commit()
        return Setting(trainer.filing_id, pending.filing_id, trainer_b.filing_id)


@dataclass
class Meetings:
    past: int  # A's approved meeting that has ended, attendance not reported
    upcoming: int  # A's approved meeting ahead
    submitted: int  # A's submitted meeting ahead
    draft: int  # A's draft
    other: int  # B's submitted meeting
    material: int  # a PDF attached to A's upcoming meeting


@pytest.fixture
def meetings(app, setting, world):
    """A's meetings in several states (one with a material) and one of B's."""
    with app.app_context():
        staff, staff2 = user("ent-staff"), user("ent2-staff")
        regulator, regulator2 = user("regulator"), user("regulator2")
        a = db.session.get(Enterprise, world.enterprise_a)
        b = db.session.get(Enterprise, world.enterprise_b)
        trainer = db.session.get(Trainer, setting.trainer)
        trainer_b = db.session.get(Trainer, setting.trainer_b)
        now = utcnow()
        past = make_meeting(a, staff, regulator, [trainer], Status.APPROVED,
                            starts_at=now - timedelta(days=10), title="上月业务培训")
        upcoming = make_meeting(
            a, staff, regulator, [trainer], Status.APPROVED,
            starts_at=datetime(2027, 3, 2, 1, 30, tzinfo=UTC),
            title=("直销法规培训，第1期; 晋城\\城区 — 一个很长很长的标题，"
                   "用来检验折叠是否按字节计算"),
            materials=[make_document(a, staff, name="讲义.pdf")],
        )
        submitted = make_meeting(a, staff, regulator, [trainer], Status.SUBMITTED,
                                 starts_at=now + timedelta(days=25), title="下月考试")
        draft = make_meeting(a, staff, regulator, [trainer], Status.DRAFT, title="草稿会议")
        other = make_meeting(b, staff2, regulator2, [trainer_b], Status.SUBMITTED,
                             region_code="140105", title="太原企业的会议")
        db.session.commit()
        return Meetings(past.filing_id, upcoming.filing_id, submitted.filing_id,
                        draft.filing_id, other.filing_id, upcoming.materials[0].id)


@pytest.fixture
def staff(setting, client, login):
    """The test client signed in as enterprise A's staff."""
    login(USERNAMES["enterprise_staff"])
    return client


def local(moment) -> str:
    """A datetime as the form's datetime-local value in China Standard Time."""
    return moment.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")


def form_data(setting, start=None, **changes) -> dict:
    """A valid meeting form for enterprise A, starting in 30 days unless told otherwise."""
    start = start or (utcnow() + timedelta(days=30)).astimezone(CHINA).replace(
        hour=9, minute=30, second=0, microsecond=0)
    data = {
        "kind": "business_training",
        "title": "直销法规与职业道德培训",
        "starts_at": local(start),
        "ends_at": local(start + timedelta(hours=3)),
        "venue_premises_type": "hotel",
        "venue_name": "晋城宾馆三楼会议室",
        "venue_address": "晋城市城区泽州路1号",
        "region_code": "140502",
        "expected_attendance": "50",
        "audience": "本企业晋城地区直销员",
        "trainers": [str(setting.trainer)],
        "fee": "0",
        "contact_name": "王芳",
        "contact_phone": "13800001111",
        "sessions-0-topic": "直销管理条例解读",
        "sessions-0-speaker": "李培训",
        "sessions-0-minutes": "90",
        "sessions-1-topic": "",
        "sessions-1-speaker": "",
        "sessions-1-minutes": "",
        "sessions-2-topic": "消费者权益保护",
        "sessions-2-speaker": "李培训",
        "sessions-2-minutes": "60",
    }
    data.update(changes)
    return data
