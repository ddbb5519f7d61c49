"""Recording what was seen: drafts, completion and the lock, conflicts, photos."""

import io
import re
from datetime import timedelta

from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Conclusion, Meeting, Supervision, SupervisionStatus
from portal.rules.meetings import CHINA
from portal.supervision import operations

from ..meetings.helpers import user

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def local(moment) -> str:
    return moment.astimezone(CHINA).strftime("%Y-%m-%dT%H:%M")


def past_supervision(app, meetings, world) -> int:
    """A planned supervision of A's meeting that has ended (marked before it started)."""
    with app.app_context():
        meeting = db.session.get(Meeting, meetings.past)
        supervision = operations.mark(meeting, [world.users["inspector"]], None,
                                      user("regulator"),
                                      now=meeting.starts_at - timedelta(days=3))
        db.session.commit()
        return supervision.id


def record_data(app, supervision_id, **changes) -> dict:
    with app.app_context():
        supervision = db.session.get(Supervision, supervision_id)
        starts_at = supervision.meeting.starts_at
        version = supervision.version
    data = {"observed_at": local(starts_at + timedelta(minutes=20)), "headcount_seen": "48",
            "is_fee_charged": "no", "is_venue_as_filed": "yes", "are_trainers_as_filed": "yes",
            "banned_content": "", "conclusion": "compliant", "observations": "秩序良好，无收费。",
            "version": str(version)}
    data.update(changes)
    return data


def test_an_assigned_inspector_saves_a_draft_then_completes_and_the_record_locks(
        supervisions, meetings, world, as_user, app):
    supervision_id = past_supervision(app, meetings, world)
    client = as_user("inspector")
    draft = record_data(app, supervision_id, conclusion="", save="1")
    assert client.post(f"/supervision/{supervision_id}/record", data=draft).status_code == 302
    with app.app_context():
        supervision = db.session.get(Supervision, supervision_id)
        assert supervision.status is SupervisionStatus.PLANNED
        assert supervision.headcount_seen == 48 and supervision.conclusion is None
    done = record_data(app, supervision_id, complete="1")
    assert client.post(f"/supervision/{supervision_id}/record", data=done).status_code == 302
    with app.app_context():
        supervision = db.session.get(Supervision, supervision_id)
        assert supervision.status is SupervisionStatus.DONE
        assert supervision.conclusion is Conclusion.COMPLIANT
        assert supervision.is_fee_charged is False and supervision.is_venue_as_filed is True
        assert supervision.recorded_by.username == "inspector"
        assert supervision.completed_at is not None
        actions = list(db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "Supervision",
            AuditEvent.object_id == str(supervision_id)).order_by(AuditEvent.id)))
        assert actions == ["supervision.marked", "supervision.recorded",
                           "supervision.completed"]
        version = supervision.version
    # Locked: the form is closed, a POST changes nothing, the operation refuses.
    again = record_data(app, supervision_id, headcount_seen="99", complete="1")
    response = client.post(f"/supervision/{supervision_id}/record", data=again,
                           follow_redirects=True)
    assert "该现场监督已办结，不能再修改" in response.get_data(as_text=True)
    with app.app_context():
        supervision = db.session.get(Supervision, supervision_id)
        assert supervision.headcount_seen == 48 and supervision.version == version
        try:
            operations.record(supervision, {"headcount_seen": 1}, [], user("regulator"),
                              version, complete=False)
        except operations.SupervisionError as error:
            assert error.codes == ["locked"]
        else:
            raise AssertionError("a completed record was changed")
        db.session.rollback()


def test_completing_needs_every_answer_and_a_consistent_conclusion(
        supervisions, meetings, world, as_user, app):
    supervision_id = past_supervision(app, meetings, world)
    client = as_user("regulator")
    missing = record_data(app, supervision_id, is_fee_charged="", complete="1")
    page = client.post(f"/supervision/{supervision_id}/record", data=missing)
    assert page.status_code == 200
    assert "完成记录前，请填写此项" in page.get_data(as_text=True)
    assert "秩序良好，无收费。" in page.get_data(as_text=True)  # typed input kept
    contradiction = record_data(app, supervision_id, is_fee_charged="yes", complete="1")
    page = client.post(f"/supervision/{supervision_id}/record", data=contradiction)
    assert "结论不得为“合规”" in page.get_data(as_text=True)
    future = record_data(app, supervision_id, observed_at="2099-01-01T09:00", save="1")
    page = client.post(f"/supervision/{supervision_id}/record", data=future)
    assert "监督时间不能晚于当前时间" in page.get_data(as_text=True)
    with app.app_context():
        supervision = db.session.get(Supervision, supervision_id)
        assert supervision.status is SupervisionStatus.PLANNED
        assert supervision.recorded_at is None


def test_two_people_recording_at_once_do_not_overwrite_each_other(
        supervisions, meetings, world, as_user, app):
    supervision_id = past_supervision(app, meetings, world)
    first = record_data(app, supervision_id, observations="第一位", save="1")
    second = record_data(app, supervision_id, observations="第二位", save="1")
    client = as_user("inspector")
    assert client.post(f"/supervision/{supervision_id}/record", data=first).status_code == 302
    client = as_user("regulator")
    response = client.post(f"/supervision/{supervision_id}/record", data=second)
    assert response.status_code == 409
    assert "您打开此现场监督后，它已被更改" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Supervision, supervision_id).observations == "第一位"


def test_a_non_image_is_refused_with_a_translated_error_and_the_form_keeps_everything(
        supervisions, meetings, world, as_user, app):
    supervision_id = past_supervision(app, meetings, world)
    client = as_user("inspector")
    data = record_data(app, supervision_id, observations="会场门口张贴价目表", save="1")
    data["photos"] = [(io.BytesIO(PNG), "门口.png"),
                      (io.BytesIO(b"MZ\x90\x00 not an image"), "photo.jpg")]
    response = client.post(f"/supervision/{supervision_id}/record", data=data,
                           content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    # The upload check's own message, in Chinese.
    assert "photo.jpg" in page and "该文件不是 PDF、JPEG 或 PNG 文件" in page
    assert "会场门口张贴价目表" in page
    assert "门口.png" in page  # the good photo is kept, not uploaded again
    kept = re.search(r'name="photo_ids" type="hidden" value="([0-9,]+)"', page)
    assert kept, "the kept upload travels in the hidden field"
    with app.app_context():
        assert db.session.get(Supervision, supervision_id).photos == []
    data = record_data(app, supervision_id, observations="会场门口张贴价目表", save="1",
                       photo_ids=kept.group(1))
    data["photos"] = [(io.BytesIO(JPEG), "讲台.jpg")]
    assert client.post(f"/supervision/{supervision_id}/record", data=data,
                       content_type="multipart/form-data").status_code == 302
    with app.app_context():
        photos = db.session.get(Supervision, supervision_id).photos
        assert [p.original_name for p in photos] == ["门口.png", "讲台.jpg"]
        assert [p.media_type for p in photos] == ["image/png", "image/jpeg"]
        photo_id = photos[0].id
    served = client.get(f"/supervision/{supervision_id}/photos/{photo_id}")
    assert served.status_code == 200 and served.data == PNG
    assert served.mimetype == "image/png"
    # Not from anywhere else: not another bureau, not an enterprise, not through the filing.
    assert as_user("regulator2").get(
        f"/supervision/{supervision_id}/photos/{photo_id}").status_code == 404
    assert as_user("ent-staff").get(
        f"/supervision/{supervision_id}/photos/{photo_id}").status_code == 403
    assert as_user("ent-staff").get(
        f"/filings/{meetings.past}/documents/{photo_id}").status_code == 404
    assert as_user("regulator").get(
        f"/filings/{meetings.past}/documents/{photo_id}").status_code == 404


def test_a_hidden_field_cannot_attach_the_enterprises_own_documents(
        supervisions, meetings, world, as_user, app):
    supervision_id = past_supervision(app, meetings, world)
    client = as_user("inspector")
    data = record_data(app, supervision_id, save="1", photo_ids=str(meetings.material))
    assert client.post(f"/supervision/{supervision_id}/record", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Supervision, supervision_id).photos == []
