"""Administrator pages for the check-item list (抽查事项清单), on the ``admin`` blueprint.

Items are never deleted: drawn plans and recorded results refer to them. ``flask catalogues
load`` only adds default codes that are missing, so edits made here stay.
"""

from itertools import groupby

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy.exc import IntegrityError

from ..access import get_scoped_or_404, roles_required
from ..extensions import db
from ..i18n import gettext as _
from ..inspections import items
from ..inspections.item_forms import CheckItemForm
from ..models import CheckItem, Role
from ..pagination import paginate
from .views import bp, report_clash


@bp.get("/check-items")
@roles_required(Role.ADMIN)
def list_check_items():
    """The check items grouped by category, filterable by state."""
    state = request.args.get("state", "")
    page = paginate(items.catalogue(state), per_page=100)
    groups = [(category, list(rows))
              for category, rows in groupby(page.items, key=lambda i: i.category_zh)]
    return render_template("admin/check_items.html", page=page, groups=groups, state=state)


@bp.route("/check-items/new", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def create_check_item():
    """Add a check item new plans may include."""
    form = CheckItemForm()
    if form.validate_on_submit():
        try:
            item = items.create_item(**form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Check item %(code)s added.", code=item.code), "success")
            return redirect(url_for("admin.list_check_items"))
    return render_template("admin/check_item_form.html", form=form, item=None)


@bp.route("/check-items/<int:item_id>/edit", methods=["GET", "POST"])
@roles_required(Role.ADMIN)
def edit_check_item(item_id: int):
    """Change a check item; plans and results keep referring to it."""
    item = get_scoped_or_404(CheckItem, item_id)
    form = CheckItemForm(item=item)
    if form.validate_on_submit():
        try:
            items.update_item(item, **form.values())
            db.session.commit()
        except IntegrityError:
            report_clash(form)
        else:
            flash(_("Check item %(code)s saved.", code=item.code), "success")
            return redirect(url_for("admin.list_check_items"))
    return render_template("admin/check_item_form.html", form=form, item=item)


@bp.post("/check-items/<int:item_id>/deactivate")
@roles_required(Role.ADMIN)
def deactivate_check_item(item_id: int):
    """Stop offering an item to new plans (plans and results keep it)."""
    item = get_scoped_or_404(CheckItem, item_id)
    items.set_item_active(item, False)
    db.session.commit()
    flash(_("Check item %(code)s deactivated: new plans no longer offer it.", code=item.code),
          "success")
    return redirect(url_for("admin.list_check_items"))


@bp.post("/check-items/<int:item_id>/reactivate")
@roles_required(Role.ADMIN)
def reactivate_check_item(item_id: int):
    """Offer a deactivated item to new plans again."""
    item = get_scoped_or_404(CheckItem, item_id)
    items.set_item_active(item, True)
    db.session.commit()
    flash(_("Check item %(code)s reactivated.", code=item.code), "success")
    return redirect(url_for("admin.list_check_items"))
