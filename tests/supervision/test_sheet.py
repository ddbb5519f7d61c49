"""The one-page supervision sheet: Chinese by default, English on request, one A4 page."""

import io

from pypdf import PdfReader

from portal.extensions import db
from portal.models import Enterprise, Filing, Trainer
from portal.rules.workflow import Status
from portal.supervision import operations

from ..meetings.helpers import make_meeting, user


def pdf_text(data: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(data))
    return len(reader.pages), "".join(page.extract_text() for page in reader.pages)


def test_the_sheet_is_one_chinese_page_with_the_meeting_number(supervisions, meetings,
                                                               as_user, app):
    response = as_user("inspector").get(f"/supervision/{supervisions.planned}/sheet.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    pages, text = pdf_text(response.data)
    assert pages == 1
    with app.app_context():
        number = db.session.get(Filing, meetings.upcoming).number
    assert number in text
    for phrase in ("直销培训会议现场监督检查表", "现场检查事项", "未以任何形式", "李培训",
                   "企业代表（签字）", "监督人员（签字）", "晋城市城区泽州路1号"):
        assert phrase in text.replace(" ", ""), phrase
    # The meeting's handout is a stub without text: the checker's warning is on the sheet.
    assert "讲义.pdf" in text


def test_the_sheet_in_english(supervisions, as_user):
    response = as_user("regulator").get(f"/supervision/{supervisions.planned}/sheet.pdf?lang=en")
    pages, text = pdf_text(response.data)
    assert pages == 1
    assert "On-site supervision sheet for a training meeting" in text
    assert "Enterprise representative" in text


def test_a_long_meeting_with_many_claims_still_fits_one_page(supervisions, setting, world,
                                                             as_user, app):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        trainer = db.session.get(Trainer, setting.trainer)
        topic = "第{n}节：月入过万的秘诀与根治慢病的神药，躺赚财务自由"
        sessions = [{"topic": topic.format(n=n), "speaker": "李培训", "minutes": 45}
                    for n in range(1, 9)]
        meeting = make_meeting(a, user("ent-staff"), user("regulator"), [trainer],
                               Status.SUBMITTED, sessions=sessions,
                               title="激励会：轻松致富，稳赚不赔，零副作用" * 2)
        supervision = operations.mark(meeting, [world.users["inspector"]], "注意录音",
                                      user("regulator"))
        db.session.commit()
        supervision_id = supervision.id
    client = as_user("regulator")
    pages, text = pdf_text(client.get(f"/supervision/{supervision_id}/sheet.pdf").data)
    assert pages == 1
    assert "另有" in text  # more hits than fit are summed up
    pages, text = pdf_text(client.get(f"/supervision/{supervision_id}/sheet.pdf?lang=en").data)
    assert pages == 1 and "more: see the filing" in text
