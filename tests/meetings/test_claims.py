"""The claims checker on meetings, the phrase catalogue, and PDF materials."""

import io
from functools import lru_cache

from sqlalchemy import func, select
from weasyprint import HTML

from portal.cli import catalogues_cli
from portal.extensions import db
from portal.meetings.claims import PHRASES_CSV, extract_pdf_text, load_claim_phrases
from portal.models import ClaimCategory, ClaimPhrase, Document, Filing, Meeting
from portal.rules.workflow import Status

from ..factories import USERNAMES
from .conftest import form_data
from .test_meetings import create_and_get, newest_meeting, status_of, submit

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@lru_cache(maxsize=1)
def handout_pdf() -> bytes:
    """A one-page PDF with Chinese text, made the way the portal makes its own PDFs."""
    html = ("<html><body><p style='font-family: \"Noto Sans CJK SC\", sans-serif'>"
            "加入我们，轻松月入过万。</p></body></html>")
    return HTML(string=html).write_pdf()


def test_pypdf_reads_the_chinese_text():
    assert "月入过万" in extract_pdf_text(handout_pdf()).replace(" ", "")
    assert extract_pdf_text(b"%PDF-1.4 not really a pdf") in (None, "")


def test_loading_the_phrases_is_idempotent_and_keeps_switched_off_phrases(app):
    with app.app_context():
        added, changed = load_claim_phrases()
        rows = sum(1 for _ in open(PHRASES_CSV, encoding="utf-8")) - 1
        assert (added, changed) == (rows, 0)
        phrase = db.session.scalar(select(ClaimPhrase).where(ClaimPhrase.phrase == "躺赚"))
        assert phrase.category is ClaimCategory.INCOME_PROMISE
        phrase.is_active = False
        db.session.add(ClaimPhrase(phrase="包赚不赔", category=ClaimCategory.INCOME_PROMISE))
        db.session.commit()
        assert load_claim_phrases() == (0, 0)
        assert db.session.scalar(select(func.count(ClaimPhrase.id))) == rows + 1
        assert phrase.is_active is False
        db.session.rollback()


def test_the_cli_command_loads_the_phrases(app):
    result = app.test_cli_runner().invoke(catalogues_cli, ["load"])
    assert result.exit_code == 0, result.output
    assert "added" in result.output
    with app.app_context():
        assert db.session.scalar(select(func.count(ClaimPhrase.id))) > 20
    again = app.test_cli_runner().invoke(catalogues_cli, ["load"])
    assert "0 added, 0 changed" in again.output


def test_hits_in_title_agenda_and_a_pdf_are_warnings_shown_before_submit(staff, app, setting):
    data = form_data(setting, title="年度优秀直销员表彰会",
                     **{"sessions-2-topic": "本品零副作用，可根治失眠"})
    data["materials"] = [(io.BytesIO(handout_pdf()), "讲义.pdf")]
    response = staff.post("/enterprise/meetings/new", data=data,
                          content_type="multipart/form-data")
    assert response.status_code == 302
    with app.app_context():
        filing_id = newest_meeting().filing_id
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "“表彰会” (title): a seminar, incentive or commendation meeting" in page
    assert "Under Article 3 of the Measures on Business Training of Direct Sellers" in page
    assert "“零副作用” (agenda item 2) reads like an exaggerated or false product claim." in page
    assert "“根治” (agenda item 2) reads like an exaggerated or false product claim." in page
    assert "“月入过万” (material 讲义.pdf) touts income or easy success." in page
    assert "“轻松致富”" not in page
    assert "Under Article 8 of the Measures on Business Training of Direct Sellers" in page
    assert "Refused" not in page
    # Warnings do not block the submission; the regulator sees them too.
    submit(staff, app, filing_id)
    assert status_of(app, filing_id) is Status.SUBMITTED
    regulator = app.test_client()
    regulator.post("/auth/login", data={"username": "regulator", "password": "Correct-horse-42"})
    seen = regulator.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "“月入过万” (material 讲义.pdf)" in seen


def test_a_switched_off_phrase_is_not_reported(staff, app, setting):
    with app.app_context():
        db.session.scalar(select(ClaimPhrase).where(ClaimPhrase.phrase == "表彰会")).is_active \
            = False
        db.session.commit()
    filing_id = create_and_get(staff, app, setting, title="年度优秀直销员表彰会")
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "“表彰会”" not in page and "Rule check" not in page


def test_a_pdf_without_text_is_flagged_as_unchecked(staff, app, setting):
    data = form_data(setting)
    data["materials"] = [(io.BytesIO(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"),
                          "扫描件.pdf")]
    staff.post("/enterprise/meetings/new", data=data, content_type="multipart/form-data")
    with app.app_context():
        filing_id = newest_meeting().filing_id
    page = staff.get(f"/filings/{filing_id}?lang=en").get_data(as_text=True)
    assert "No text could be read from 扫描件.pdf" in page


def test_materials_are_pdf_only_checked_by_content(staff, app, setting):
    with app.app_context():
        before = db.session.scalar(select(func.count(Document.id)))
    data = form_data(setting)
    data["materials"] = [(io.BytesIO(PNG), "slides.pdf")]
    response = staff.post("/enterprise/meetings/new?lang=en", data=data,
                          content_type="multipart/form-data")
    assert response.status_code == 200
    assert "slides.pdf: This file is not a PDF file (checked by its content, not its name)." \
        in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(func.count(Document.id))) == before


def test_several_files_are_kept_across_form_errors_and_can_be_removed(staff, app, setting):
    data = form_data(setting, contact_phone="bad")
    data["materials"] = [(io.BytesIO(handout_pdf()), "讲义.pdf"),
                         (io.BytesIO(b"%PDF-1.4\n%%EOF\n"), "签到表.pdf")]
    response = staff.post("/enterprise/meetings/new", data=data,
                          content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "讲义.pdf" in page and "签到表.pdf" in page
    with app.app_context():
        ids = [d.id for d in db.session.scalars(select(Document).order_by(Document.id.desc())
                                                .limit(2))]
    # Send the form again, corrected, without choosing the files again.
    data = form_data(setting, material_ids=",".join(map(str, ids)))
    assert staff.post("/enterprise/meetings/new", data=data).status_code == 302
    with app.app_context():
        meeting = newest_meeting()
        filing_id = meeting.filing_id
        assert sorted(d.original_name for d in meeting.materials) == ["签到表.pdf", "讲义.pdf"]
        sign_in_sheet = next(d.id for d in meeting.materials if d.original_name == "签到表.pdf")
    data = form_data(setting, version="1", material_ids=",".join(map(str, ids)),
                     remove_materials=[str(sign_in_sheet)])
    assert staff.post(f"/enterprise/meetings/{filing_id}/edit", data=data).status_code == 302
    with app.app_context():
        assert [d.original_name for d in db.session.get(Meeting, filing_id).materials] == [
            "讲义.pdf"]


def test_another_enterprises_document_cannot_be_attached_or_downloaded(app, setting, world,
                                                                       client, login):
    login(USERNAMES["enterprise_staff"])
    data = form_data(setting)
    data["materials"] = [(io.BytesIO(handout_pdf()), "讲义.pdf")]
    client.post("/enterprise/meetings/new", data=data, content_type="multipart/form-data")
    with app.app_context():
        meeting = newest_meeting()
        filing_id, document_id = meeting.filing_id, meeting.materials[0].id
        assert db.session.get(Filing, filing_id).enterprise_id == world.enterprise_a
    assert client.get(f"/filings/{filing_id}/documents/{document_id}").data == handout_pdf()
    other = app.test_client()
    other.post("/auth/login", data={"username": USERNAMES["enterprise2_staff"],
                                    "password": "Correct-horse-42"})
    assert other.get(f"/filings/{filing_id}/documents/{document_id}").status_code == 404
    # B names A's document id in the hidden field: it is not attached to B's meeting.
    data_b = form_data(setting, region_code="140105", trainers=[str(setting.trainer_b)],
                       material_ids=str(document_id))
    assert other.post("/enterprise/meetings/new", data=data_b).status_code == 302
    with app.app_context():
        assert newest_meeting().materials == []
