"""Photos of a supervision: kept across form attempts, checked by content like every upload."""

from flask_login import current_user

from ..extensions import db
from ..filings.uploads import own_document, store_upload, upload_message
from ..i18n import gettext as _
from ..storage import PDF_OR_PHOTO, UploadError

MAX_PHOTOS = 30


def kept_photos(form, supervision) -> tuple[list, list[str]]:
    """The photos kept from earlier attempts (minus those ticked for removal) plus new uploads.

    A kept id must be a photo of this supervision or a file the current user uploaded for the
    meeting's enterprise, so a hidden field cannot smuggle in another document. Each new upload
    is committed at once, so a form error elsewhere never makes anyone upload it again.
    Returns (documents, upload error messages).
    """
    enterprise_id = supervision.meeting.filing.enterprise_id
    removed = set(form.remove_photos.data or ())
    attached = {d.id for d in supervision.photos}
    kept = []
    for ident in (form.photo_ids.data or "").split(","):
        document = own_document(ident.strip(), enterprise_id, bureau_side=True)
        if (document is not None and document.id not in removed and document not in kept
                and (document.id in attached or document.uploaded_by_id == current_user.id)):
            kept.append(document)
    errors = []
    for upload in form.photos.data or ():
        if not getattr(upload, "filename", ""):
            continue
        if len(kept) >= MAX_PHOTOS:
            errors.append(_("At most %(n)s files per record.", n=MAX_PHOTOS))
            break
        try:
            kept.append(store_upload(upload, enterprise_id, current_user,
                                     allowed=PDF_OR_PHOTO))
        except UploadError as error:
            errors.append(_("%(name)s: %(error)s", name=upload.filename,
                            error=upload_message(error, PDF_OR_PHOTO)))
            continue
        db.session.commit()
    form.photo_ids.data = ",".join(str(d.id) for d in kept)
    return kept, errors
