"""The catalogue of provisions notices cite: administrators maintain it, notices keep the text
they cited on the day of issue, suggestions follow the catalogue, and defaults reload safely."""

import io
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from portal.extensions import db
from portal.models import AuditEvent, Bureau, Enterprise, Filing, LegalProvision, Notice
from portal.notices import operations, provisions

from ..review.conftest import signed_in
from .test_notices import FIELDS, by_name, issue

NEW = {"code": "disc-13", "article_zh": "《直销企业信息报备、披露管理办法》第十三条（未按期报备）",
       "article_en": "Reporting and Disclosure Measures, Article 13 (late reporting)",
       "penalty_zh": "责令限期改正，处1万元以下罚款",
       "penalty_en": "order to correct, fine up to 10,000",
       "suggested_for": ["DISC-5", "flag:other"], "position": "5"}


def text_of(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def provision(code) -> LegalProvision:
    return db.session.scalar(select(LegalProvision).where(LegalProvision.code == code))


def test_the_defaults_are_loaded_once_and_edits_survive_a_reload(app, world):
    with app.app_context():
        assert db.session.scalar(select(LegalProvision.code).order_by(
            LegalProvision.position)) == "DSR-39"
        assert len(provisions.active()) == 10
        edited = provision("DSR-50")
        provisions.update_provision(edited, penalty_zh="处10万元以下罚款（本省细则）")
        provisions.set_provision_active(provision("DSR-41"), False)
        db.session.commit()
        assert provisions.load_provisions() == 0
        assert provision("DSR-50").penalty_zh == "处10万元以下罚款（本省细则）"
        assert not provision("DSR-41").is_active
        db.session.delete(provision("DSR-51"))
        db.session.flush()
        assert provisions.load_provisions() == 1  # a missing code comes back


def test_an_administrator_adds_edits_and_deactivates_provisions(app, world):
    admin = signed_in(app, "admin")
    refused = admin.post("/admin/provisions/new?lang=en", data={**NEW, "code": "DSR-50"})
    assert refused.status_code == 400
    page = refused.get_data(as_text=True)
    assert "Another provision already has this code." in page
    assert NEW["article_zh"] in page and NEW["penalty_en"] in page  # what was typed stays
    assert admin.post("/admin/provisions/new", data={**NEW, "article_zh": ""}).status_code == 400
    assert admin.post("/admin/provisions/new", data={**NEW, "suggested_for": ["X-1"]}
                      ).status_code == 400  # not a choice
    assert admin.post("/admin/provisions/new", data=NEW).status_code == 302
    with app.app_context():
        added = provision("DISC-13")  # codes are upper-cased
        assert added.suggested_for == ["DISC-5", "flag:other"] and added.position == 5
        added_id = added.id
    page = text_of(admin, "/admin/provisions?lang=en")
    assert "DISC-13" in page and "Flag: Other concern" in page
    assert admin.post(f"/admin/provisions/{added_id}/edit",
                      data={**NEW, "penalty_zh": "处2万元以下罚款"}).status_code == 302
    assert admin.post(f"/admin/provisions/{added_id}/deactivate").status_code == 302
    row = f'id="provision-{added_id}"'
    assert row not in text_of(admin, "/admin/provisions?state=active")
    assert row in text_of(admin, "/admin/provisions?state=inactive")
    assert admin.post(f"/admin/provisions/{added_id}/reactivate").status_code == 302
    with app.app_context():
        assert provision("DISC-13").penalty_zh == "处2万元以下罚款"
        actions = db.session.scalars(select(AuditEvent.action).where(
            AuditEvent.object_type == "LegalProvision").order_by(AuditEvent.id)).all()
        assert actions == ["provision.created", "provision.updated", "provision.deactivated",
                           "provision.reactivated"]


@pytest.mark.parametrize("username", ["regulator", "inspector", "ent-admin"])
def test_only_administrators_maintain_the_catalogue(app, world, username):
    client = signed_in(app, username)
    with app.app_context():
        ident = provision("DSR-50").id
    assert client.post("/admin/provisions/new", data=NEW).status_code == 403
    assert client.post(f"/admin/provisions/{ident}/deactivate").status_code == 403
    with app.app_context():
        assert provision("DISC-13") is None and provision("DSR-50").is_active


def test_a_notice_keeps_the_text_it_cited_when_the_catalogue_changes(app, world):
    with app.app_context():
        notice = issue(world, fields={"provisions": ["DSR-50"], "deadline": date(2030, 3, 15),
                                      "deadline_working_days": None})
        notice_id = notice.id
        cited = dict(notice.provisions[0])
        assert cited == provision("DSR-50").snapshot()
        provisions.update_provision(provision("DSR-50"), penalty_zh="新的处罚幅度",
                                    article_zh="《直销管理条例》第五十条（改）")
        provisions.set_provision_active(provision("DSR-50"), False)
        db.session.commit()
        assert db.session.get(Notice, notice_id).provisions == [cited]
    page = text_of(signed_in(app, "ent-admin"), f"/notices/{notice_id}?lang=zh")
    assert cited["article_zh"] in page and "（改）" not in page
    pdf = signed_in(app, "regulator").get(f"/notices/{notice_id}/notice.pdf?lang=zh")
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    text = text.replace("\n", "")
    assert "第五十条" in text and "新的处罚幅度" not in text
    english = text_of(signed_in(app, "regulator"), f"/notices/{notice_id}?lang=en")
    assert "Direct Selling Regulation, Article 50 (failing to report or disclose)" in english


def test_a_deactivated_provision_is_neither_offered_nor_accepted(app, world):
    with app.app_context():
        provisions.set_provision_active(provision("DSR-39"), False)
        db.session.commit()
    regulator = signed_in(app, "regulator")
    form = text_of(regulator, "/notices/new?lang=zh")
    assert 'value="DSR-39"' not in form and 'value="DSR-50"' in form
    assert "处10万元以下罚款" in form  # each choice shows its penalty
    data = {"enterprise_id": world.enterprise_a, "facts": "经查，超出核准区域销售。",
            "corrections": "停止区域外销售。", "provisions": ["DSR-39"],
            "deadline_kind": "date", "deadline": "2030-01-01"}
    refused = regulator.post("/notices/new?lang=en", data=data)
    assert refused.status_code == 400
    assert "经查，超出核准区域销售。" in refused.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(Notice).where(
            Notice.enterprise_id == world.enterprise_a)) is None
        # The operation refuses it too, whatever the form let through.
        with pytest.raises(operations.NoticeError) as error:
            issue(world, fields={"provisions": ["DSR-39"]})
        assert error.value.code == "unknown_provision"
        db.session.rollback()
        with pytest.raises(operations.NoticeError) as error:
            issue(world, fields={"provisions": []})
        assert error.value.code == "no_provision"


def test_suggestions_follow_the_catalogue(app, world):
    with app.app_context():
        filing = db.session.get(Filing, world.filing_b)  # flagged: entry fee
        assert operations.prefill_from_filing(filing)["provisions"] == ["PPS-24"]
        assert provisions.suggested(bases=["DSR-25", "TRAIN-8"]) == ["DSR-46", "DSR-49"]
        pps = provision("PPS-24")
        provisions.update_provision(pps, suggested_for=["PPS-7"])
        provisions.create_provision(code="PPS-26", article_zh="《禁止传销条例》第二十六条",
                                    article_en="PPS Article 26", penalty_zh="罚款",
                                    penalty_en="fine", suggested_for=["flag:entry_fee"],
                                    position=1)
        db.session.commit()
        assert operations.prefill_from_filing(filing)["provisions"] == ["PPS-26"]
    page = text_of(signed_in(app, "regulator2"), f"/notices/new?filing={world.filing_b}")
    assert _is_checked(page, "PPS-26") and not _is_checked(page, "PPS-24")


def _is_checked(page: str, code: str) -> bool:
    import re

    tag = re.search(rf'<input[^>]*value="{code}"[^>]*>', page)
    return bool(tag) and "checked" in tag.group(0)


def test_the_case_referral_cites_the_texts_the_notice_keeps(app, world):
    with app.app_context():
        notice = operations.issue(db.session.get(Bureau, world.bureau1),
                                  db.session.get(Enterprise, world.enterprise_a),
                                  FIELDS, by_name("regulator"))
        provisions.update_provision(provision("DSR-50"), penalty_zh="改过的幅度")
        referral = operations.referral_text(notice)
        assert "《直销管理条例》第五十条（未依规报告或披露信息）" in referral
        assert "处10万元以下罚款" in referral and "改过的幅度" not in referral
        db.session.rollback()
