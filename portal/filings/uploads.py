"""Uploads attached to filings: checked by content, recorded as Documents, kept on form errors."""

import re

from flask import current_app
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..i18n import lazy_gettext as _l
from ..models import Document, User
from ..storage import PDF_OR_PHOTO, UploadError, get_store

UPLOAD_MESSAGES = {
    "empty": _l("The file is empty."),
    "too_large": _l("The file is larger than %(mb)s MB."),
    "wrong_type": _l("This file is not a PDF, JPEG or PNG file (checked by its content)."),
    "wrong_type_pdf": _l("This file is not a PDF file (checked by its content, not its name)."),
    "no_space": _l("The server has no room to store this file just now. Nothing else was "
                   "lost: what you typed and the files already kept are still here. Try again "
                   "later, or tell the system administrator."),
}


def upload_message(error: UploadError, allowed) -> str:
    """The translated message for a refused upload."""
    code = error.code
    if code == "wrong_type" and set(allowed) == {"application/pdf"}:
        code = "wrong_type_pdf"
    return str(UPLOAD_MESSAGES[code]) % {"mb": current_app.config["UPLOAD_MAX_MB"]}


def store_upload(file_storage, enterprise_id: int, actor, allowed=PDF_OR_PHOTO) -> Document:
    """Check and keep an uploaded file for *enterprise_id*; flushes the new Document.

    :raise UploadError: empty, too large or of a type not in *allowed*.
    """
    stored = get_store().save(
        file_storage.stream,
        file_storage.filename or "",
        allowed=allowed,
        max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
    )
    document = Document(
        sha256=stored.sha256,
        size=stored.size,
        media_type=stored.media_type,
        original_name=stored.original_name,
        enterprise_id=enterprise_id,
        uploaded_by_id=actor.id,
    )
    db.session.add(document)
    db.session.flush()
    audit.record("document.uploaded", document, actor=actor, sha256=stored.sha256,
                 size=stored.size, media_type=stored.media_type)
    return document


def own_document(document_id, enterprise_id: int, *, bureau_side=False) -> Document | None:
    """The document *document_id* if it belongs to *enterprise_id* (from a hidden form field).

    Bureau staff's files about an enterprise (supervision photos, spot-check evidence) are
    stored under that enterprise too; an enterprise's own forms only accept files its own
    staff uploaded, so a guessed id cannot pull a bureau's file into a filing. Bureau code
    passes ``bureau_side=True`` and checks the file's origin itself.
    """
    if not re.fullmatch(r"[0-9]{1,18}", str(document_id or "")):
        return None  # also refuses Unicode digits such as "²", which int() cannot read
    stmt = select(Document).where(
        Document.id == int(document_id), Document.enterprise_id == enterprise_id
    )
    if not bureau_side:
        stmt = stmt.join(User, User.id == Document.uploaded_by_id).where(
            User.enterprise_id == enterprise_id)
    return db.session.scalar(stmt)


def keep_upload(file_field, id_field, enterprise_id: int, actor, allowed=PDF_OR_PHOTO):
    """Store a newly chosen file, or keep the one uploaded with an earlier attempt of the form.

    *id_field* is the form's hidden field carrying the document id between attempts. Returns
    (document or None, error message or None). A new document is committed at once, so a form
    error elsewhere never makes the user upload it again.
    """
    kept = own_document(id_field.data, enterprise_id)
    chosen = file_field.data
    if not (chosen and getattr(chosen, "filename", "")):
        return kept, None
    try:
        document = store_upload(chosen, enterprise_id, actor, allowed=allowed)
    except UploadError as error:
        return kept, upload_message(error, allowed)
    db.session.commit()
    id_field.data = str(document.id)
    return document, None


def keep_uploads(form, files, name: str, enterprise_id: int, actor, *, limit: int,
                 may_keep, bureau_side=False, allowed=PDF_OR_PHOTO, ids_field=None,
                 remove_field=None) -> tuple[list, list[str]]:
    """Several files of one form field, kept across attempts of the form.

    The form carries the ids kept so far in *ids_field* (default ``<name>-ids``,
    comma-separated) and the ones ticked for removal in *remove_field* (default
    ``remove-<name>``); new files come in ``<name>``. A kept id must
    belong to the enterprise and pass *may_keep(document)* (already attached, or uploaded by
    this user), so a guessed id cannot pull in someone else's file. New uploads are checked by
    content and committed at once, so a form error never makes the user upload them again.
    Returns (documents, error messages).
    """
    from ..i18n import gettext as _

    removed = set(form.getlist(remove_field or f"remove-{name}"))
    kept = []
    for ident in form.get(ids_field or f"{name}-ids", "").split(","):
        ident = ident.strip()
        if not ident or ident in removed:
            continue
        document = own_document(ident, enterprise_id, bureau_side=bureau_side)
        if document is not None and document not in kept and may_keep(document):
            kept.append(document)
    errors = []
    for upload in files.getlist(name):
        if not getattr(upload, "filename", ""):
            continue
        if len(kept) >= limit:
            errors.append(_("At most %(n)s files.", n=limit))
            break
        try:
            kept.append(store_upload(upload, enterprise_id, actor, allowed=allowed))
        except UploadError as error:
            errors.append(_("%(name)s: %(error)s", name=upload.filename,
                            error=upload_message(error, allowed)))
            continue
        db.session.commit()
    return kept, errors
