"""Files kept between form attempts: a hidden field only brings back the enterprise's own."""

from sqlalchemy import select

from portal.extensions import db
from portal.filings.uploads import own_document
from portal.models import Enterprise, Filing, Outlet, User

from ..factories import make_document
from ..review.conftest import signed_in


def user(username):
    return db.session.scalar(select(User).where(User.username == username))


def test_a_bureau_file_about_the_enterprise_is_not_the_enterprises_own(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        photo = make_document(a, user("regulator"), name="现场照片.pdf")
        own = make_document(a, user("ent-staff"))
        db.session.commit()
        assert own_document(str(own.id), a.id) == own
        assert own_document(str(photo.id), a.id) is None
        assert own_document(str(photo.id), a.id, bureau_side=True) == photo
        assert own_document(str(own.id), world.enterprise_b) is None


def test_an_outlet_form_cannot_pull_in_a_bureau_file(app, world):
    with app.app_context():
        a = db.session.get(Enterprise, world.enterprise_a)
        photo_id = make_document(a, user("inspector"), name="检查证据.pdf").id
        db.session.commit()
    client = signed_in(app, "ent-staff")
    page = client.get("/enterprise/outlets/new").get_data(as_text=True)
    assert 'name="proof_document_id"' in page
    response = client.post("/enterprise/outlets/new", data={
        "name": "晋康源测试网点", "premises_type": "shop", "address": "凤台东街1号",
        "region_code": "140502", "person_in_charge": "刘芳", "phone": "13800000000",
        "opening_hours": "周一至周六 9:00–18:00", "proof_document_id": str(photo_id),
    })
    assert response.status_code == 302  # saved as a draft, without the bureau's file
    with app.app_context():
        documents = db.session.scalars(select(Outlet.proof_document_id).join(
            Filing, Filing.id == Outlet.filing_id).where(Filing.title == "晋康源测试网点")).all()
        assert documents == [None]


def test_a_full_disk_is_told_and_loses_nothing(app, world, monkeypatch):
    """The disk fills up while a second file is written: the user is told in plain words,
    what was typed and the first file (kept earlier) stay, and no partial file is left."""
    import errno
    import io
    import os
    from pathlib import Path

    from portal import storage

    client = signed_in(app, "ent-staff")
    form = {"name": "满盘测试网点", "premises_type": "shop", "address": "凤台东街2号",
            "region_code": "140502", "person_in_charge": "刘芳", "phone": "13800000000",
            "opening_hours": "周一至周六 9:00–18:00"}
    with app.app_context():
        kept = make_document(db.session.get(Enterprise, world.enterprise_a), user("ent-staff"))
        db.session.commit()
        kept_id, root = kept.id, Path(app.instance_path) / "uploads"

    def full(_fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(storage.os, "fsync", full)
    response = client.post("/enterprise/outlets/new?lang=en", data={
        **form, "proof_document_id": str(kept_id),
        "proof": (io.BytesIO(b"%PDF-1.4\n% another\n%%EOF\n"), "证明.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "no room to store this file" in page and "满盘测试网点" in page
    assert f'value="{kept_id}"' in page  # the file kept earlier is still offered
    assert not [p for p in root.rglob(".upload-*")], os.listdir(root)
    with app.app_context():
        assert db.session.scalar(select(Filing).where(Filing.title == "满盘测试网点")) is None
