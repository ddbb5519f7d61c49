"""Administrator pages for the catalogue of legal provisions notices cite, on ``admin``.

Provisions are never deleted, and a notice keeps the text it cited when it was issued, so an
edit here only reaches notices issued afterwards. ``flask catalogues load`` only adds default
codes that are missing, so edits made here stay.
"""

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from ..access import get_scoped_or_404, roles_required
from ..extensions import db
from ..i18n import gettext as _
from ..models import LegalProvision, Role
from ..notices import provisions
from ..notices.provision_forms import ProvisionForm, suggestion_labels
from ..pagination import paginate
from .views import bp, report_clash


@bp.get("/provisions")
@roles_required(Role.ADMIN)
def list_provisions():
    """The provisions in catalogue order, filterable by state."""
    state = request.args.get("state", "")
    page = paginate(provisions.catalogue(state), per_page=100)
    return render_template("admin/provisions.html", page=page, state=state,
                           labels=suggestion_labels())


@bp.route("/provisions/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_provision():
    """Add a provision new notices may cite."""
    form = ProvisionForm()
    if form.validate_on_submit():
        try:
            provision = provisions.create_provision(**form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Provision %(code)s added.", code=provision.code), "success")
            return redirect(url_for("admin.list_provisions"))
    return _form_page(form, None)


@bp.route("/provisions/<int:provision_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_provision(provision_id: int):
    """Change a provision for the notices issued from now on."""
    provision = get_scoped_or_404(LegalProvision, provision_id)
    form = ProvisionForm(provision=provision)
    if form.validate_on_submit():
        try:
            provisions.update_provision(provision, **form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Provision %(code)s saved. Notices issued before keep the text they "
                    "cited.", code=provision.code), "success")
            return redirect(url_for("admin.list_provisions"))
    return _form_page(form, provision)


def _form_page(form: ProvisionForm, provision: LegalProvision | None):
    status = 400 if form.is_submitted() else 200
    return render_template("admin/provision_form.html", form=form, provision=provision), status


@bp.post("/provisions/<int:provision_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_provision(provision_id: int):
    """Stop offering a provision to new notices (issued notices keep it)."""
    provision = get_scoped_or_404(LegalProvision, provision_id)
    provisions.set_provision_active(provision, False)
    db.session.commit()
    flash(_("Provision %(code)s deactivated: new notices no longer offer it.",
            code=provision.code), "success")
    return redirect(url_for("admin.list_provisions"))


@bp.post("/provisions/<int:provision_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_provision(provision_id: int):
    """Offer a deactivated provision to new notices again."""
    provision = get_scoped_or_404(LegalProvision, provision_id)
    provisions.set_provision_active(provision, True)
    db.session.commit()
    flash(_("Provision %(code)s reactivated.", code=provision.code), "success")
    return redirect(url_for("admin.list_provisions"))
