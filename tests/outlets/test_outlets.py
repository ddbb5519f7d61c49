"""Registering service outlets: the form, the rules with their articles, uploads, the workflow."""

import io

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Document, Filing, FilingEvent, Outlet
from portal.rules.workflow import Status

from ..factories import USERNAMES

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def outlet_data(**changes):
    data = {
        "name": "晋城城区服务网点",
        "premises_type": "shop",
        "region_code": "140502",
        "address": "晋城市城区泽州路100号",
        "person_in_charge": "王芳",
        "phone": "13800001111",
        "opening_hours": "周一至周六 9:00–18:00",
    }
    data.update(changes)
    return data


@pytest.fixture
def staff(world, client, login):
    login(USERNAMES["enterprise_staff"])
    return client


def create(client, **changes):
    return client.post("/enterprise/outlets/new", data=outlet_data(**changes))


def the_filing():
    """The newest filing (the world fixture already holds a few)."""
    return db.session.scalars(select(Filing).order_by(Filing.id.desc())).first()


def count(model):
    return len(db.session.scalars(select(model)).all())


def test_register_an_outlet_as_draft_with_a_number(staff, app):
    response = create(staff)
    assert response.status_code == 302
    with app.app_context():
        filing = the_filing()
        assert filing.status is Status.DRAFT
        assert filing.number.startswith("WD-") and filing.number[-6:].isdigit()
        assert db.session.get(Outlet, filing.id).name == "晋城城区服务网点"
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "filing.created"))


def test_numbers_count_up_per_kind_and_year(staff, app):
    create(staff)
    create(staff, name="第二个网点")
    with app.app_context():
        numbers = sorted(db.session.scalars(select(Filing.number)))
        assert [int(n[-6:]) for n in numbers] == list(range(1, len(numbers) + 1))
        assert len({n[:7] for n in numbers}) == 1  # one kind, one year


def test_forbidden_premises_are_refused_on_submit_with_the_article(staff, app):
    create(staff, premises_type="private_home")
    with app.app_context():
        filing = the_filing()
    page = staff.get(f"/filings/{filing.id}").get_data(as_text=True)
    assert "服务网点不得设在此类场所" in page
    assert "《直销行业服务网点设立管理办法》第二条" in page
    response = staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version},
                          follow_redirects=True)
    assert "请先更正" in response.get_data(as_text=True)
    with app.app_context():
        assert the_filing().status is Status.DRAFT


def test_region_outside_the_licence_is_refused_in_english_too(staff, app):
    create(staff, region_code="140105")  # Taiyuan: enterprise A is approved in Jincheng only
    with app.app_context():
        filing = the_filing()
    page = staff.get(f"/filings/{filing.id}?lang=en").get_data(as_text=True)
    assert "outside the regions the enterprise&#39;s licence approves" in page
    assert "Article 3 of the Measures on Service Outlets" in page


def test_submit_writes_history_and_a_receipt(staff, app):
    create(staff)
    with app.app_context():
        filing = the_filing()
    response = staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    assert response.status_code == 302
    with app.app_context():
        filing = the_filing()
        assert filing.status is Status.SUBMITTED and filing.revision == 1
        event = db.session.scalars(
            select(FilingEvent).where(FilingEvent.filing_id == filing.id)).one()
        assert (event.action, event.from_status, event.to_status) == ("submit", "draft",
                                                                     "submitted")
        assert event.snapshot["name"] == "晋城城区服务网点"
        assert event.snapshot["premises_type"] == "shop"
    receipt = staff.get(f"/filings/{filing.id}/receipt.pdf")
    assert receipt.status_code == 200 and receipt.data.startswith(b"%PDF")


def test_a_stale_version_is_a_conflict_not_an_overwrite(staff, app):
    create(staff)
    with app.app_context():
        filing = the_filing()
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    response = staff.post(f"/filings/{filing.id}/withdraw", data={"version": filing.version})
    assert response.status_code == 409
    assert "您打开此备案后，它已被更改" in response.get_data(as_text=True)


def test_form_error_keeps_typed_input_and_the_uploaded_file(staff, app):
    data = outlet_data(phone="not a phone")
    data["proof"] = (io.BytesIO(PDF), "租赁合同.pdf")
    response = staff.post("/enterprise/outlets/new", data=data,
                          content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert 'value="晋城市城区泽州路100号"' in page
    assert "租赁合同.pdf" in page
    with app.app_context():
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
        assert document.original_name == "租赁合同.pdf"
    # Sending the form again without choosing the file again keeps the upload.
    data = outlet_data(proof_document_id=str(document.id))
    assert staff.post("/enterprise/outlets/new", data=data).status_code == 302
    with app.app_context():
        assert db.session.get(Outlet, the_filing().id).proof_document_id == document.id


def test_a_renamed_non_pdf_is_refused_by_content(staff, app):
    with app.app_context():
        before = count(Filing), count(Document)
    data = outlet_data()
    data["proof"] = (io.BytesIO(b"MZ\x90\x00 not a pdf at all"), "lease.pdf")
    response = staff.post("/enterprise/outlets/new", data=data,
                          content_type="multipart/form-data")
    assert response.status_code == 200
    assert "不是 PDF、JPEG 或 PNG 文件" in response.get_data(as_text=True)
    with app.app_context():
        assert (count(Filing), count(Document)) == before


def test_another_enterprise_cannot_download_the_document(world, app, client, login):
    login(USERNAMES["enterprise_staff"])
    data = outlet_data()
    data["proof"] = (io.BytesIO(PNG), "门头照片.png")
    client.post("/enterprise/outlets/new", data=data, content_type="multipart/form-data")
    with app.app_context():
        filing = the_filing()
        document = db.session.scalars(select(Document).order_by(Document.id.desc())).first()
    url = f"/filings/{filing.id}/documents/{document.id}"
    response = client.get(url)
    assert response.status_code == 200 and response.data == PNG
    assert "attachment" in response.headers["Content-Disposition"]
    other = client.application.test_client()
    other.post("/auth/login", data={"username": USERNAMES["enterprise2_staff"],
                                    "password": "Correct-horse-42"})
    assert other.get(url).status_code == 404
    assert other.get(f"/filings/{filing.id}").status_code == 404


def test_regulators_do_not_see_drafts_but_see_submissions_in_their_area(world, app, client,
                                                                        login):
    login(USERNAMES["enterprise_staff"])
    create(client)
    with app.app_context():
        filing = the_filing()
    regulator = app.test_client()
    regulator.post("/auth/login", data={"username": "regulator", "password": "Correct-horse-42"})
    assert regulator.get(f"/filings/{filing.id}").status_code == 404
    client.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    assert regulator.get(f"/filings/{filing.id}").status_code == 200
    other = app.test_client()
    other.post("/auth/login", data={"username": "regulator2", "password": "Correct-horse-42"})
    assert other.get(f"/filings/{filing.id}").status_code == 404


def test_discard_a_draft(staff, app):
    create(staff)
    with app.app_context():
        filing = the_filing()
    assert staff.post(f"/filings/{filing.id}/discard").status_code == 302
    with app.app_context():
        assert db.session.get(Filing, filing.id) is None
        assert db.session.get(Outlet, filing.id) is None


def test_a_forged_document_id_is_ignored(staff, app):
    for forged in ("²", "-1", "1e3", "99999999999999999999999"):
        assert staff.post("/enterprise/outlets/new",
                          data=outlet_data(proof_document_id=forged)).status_code == 302


def test_an_oversized_upload_is_refused_with_a_friendly_page(staff, app):
    saved = app.config["MAX_CONTENT_LENGTH"]
    app.config["MAX_CONTENT_LENGTH"] = 2048
    try:
        data = outlet_data()
        data["proof"] = (io.BytesIO(PDF + b"0" * 4096), "大文件.pdf")
        response = staff.post("/enterprise/outlets/new", data=data,
                              content_type="multipart/form-data")
    finally:
        app.config["MAX_CONTENT_LENGTH"] = saved
    assert response.status_code == 413
    assert "文件过大" in response.get_data(as_text=True)


def test_a_file_over_the_limit_inside_an_allowed_request_is_refused(app, tmp_path):
    from portal.storage import LocalStore, UploadError

    store = LocalStore(tmp_path)
    with pytest.raises(UploadError) as caught:
        store.save(io.BytesIO(PDF + b"0" * 5000), "big.pdf", max_bytes=1000)
    assert caught.value.code == "too_large"
    assert [p.name for p in tmp_path.rglob("*") if p.is_file()] == []  # nothing left behind


def test_the_receipt_pdf_has_the_chinese_text_and_embeds_a_cjk_font(staff, app):
    from pypdf import PdfReader

    create(staff)
    with app.app_context():
        filing = the_filing()
    staff.post(f"/filings/{filing.id}/submit", data={"version": filing.version})
    pdf = PdfReader(io.BytesIO(staff.get(f"/filings/{filing.id}/receipt.pdf").data))
    text = "".join(page.extract_text() for page in pdf.pages)
    for expected in ("备案回执", filing.number, "晋城城区服务网点", "服务网点"):
        assert expected in text
    fonts = {str(font["/BaseFont"]) for page in pdf.pages
             for font in page["/Resources"]["/Font"].values()
             for font in [font.get_object()]}
    assert any("CJK" in name for name in fonts), fonts


@pytest.mark.parametrize("version", ["²", "abc", "", "9" * 30])
def test_a_garbage_version_is_a_conflict_not_a_crash(staff, app, version):
    create(staff)
    with app.app_context():
        filing = the_filing()
    response = staff.post(f"/filings/{filing.id}/submit", data={"version": version})
    assert response.status_code == 409
