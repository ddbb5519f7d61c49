"""Catalogues maintained as data: the claims checker's phrases, review reasons, and the legal
provisions rectification notices cite; and the stamp that tells each process when the
catalogues its pages keep (phrases, reasons, bureaus' meeting rules, enterprises' names)
have changed."""

import enum

from flask import g, has_app_context
from sqlalchemy import DDL, JSON, Enum, Integer, String, event, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from ..extensions import db
from .organisation import Bureau, Enterprise


class ClaimCategory(enum.StrEnum):
    """What a phrase signals, each tied to the rule it breaks."""

    FALSE_PRODUCT_CLAIM = "false_product_claim"  # TRAIN Art. 8: exaggerated or false claims
    INCOME_PROMISE = "income_promise"  # TRAIN Art. 8: touting income or easy success
    DISPARAGING = "disparaging"  # TRAIN Art. 8: disparaging rivals
    PRESSURE_TO_BUY = "pressure_to_buy"  # TRAIN Art. 8: pressure to buy
    DISGUISED_TRAINING = "disguised_training"  # seminars, incentive meetings …


class ClaimPhrase(db.Model):
    """A phrase the claims checker looks for in titles, agendas and materials."""

    __tablename__ = "claim_phrase"

    id: Mapped[int] = mapped_column(primary_key=True)
    phrase: Mapped[str] = mapped_column(String(64), unique=True)
    category: Mapped[ClaimCategory] = mapped_column(
        Enum(
            ClaimCategory,
            name="claim_category",
            native_enum=False,
            create_constraint=True,
            length=24,
            values_callable=lambda members: [m.value for m in members],
            validate_strings=True,
        )
    )
    is_active: Mapped[bool] = mapped_column(default=True)

    def __repr__(self):
        return f"<ClaimPhrase {self.id} {self.phrase}>"


class ReviewReason(db.Model):
    """A reason a regulator may give when returning or rejecting a filing.

    ``kinds`` lists the filing kinds (values) the reason applies to; empty means every kind.
    A decision's history stores ``text_zh`` (the record, shown on Chinese pages); English pages
    show ``text_en`` of the reason whose ``text_zh`` matches the stored text, for as long as one
    does (``portal.review.reasons.decision_reasons``).
    ``default_text_zh`` is the Chinese text of ``data/review_reasons.csv`` the row was loaded
    from (None for reasons administrators added). Edits never change it, so ``flask catalogues
    load`` recognises an edited or deactivated default and does not add it again.
    """

    __tablename__ = "review_reason"

    id: Mapped[int] = mapped_column(primary_key=True)
    text_zh: Mapped[str] = mapped_column(String(100), unique=True)
    text_en: Mapped[str] = mapped_column(String(200))
    kinds: Mapped[list] = mapped_column(JSON, default=list)
    is_active: Mapped[bool] = mapped_column(default=True)
    default_text_zh: Mapped[str | None] = mapped_column(String(100), unique=True)

    def applies_to(self, kind) -> bool:
        """Whether the reason may be given for a filing of *kind*."""
        return not self.kinds or str(kind) in self.kinds

    def __repr__(self):
        return f"<ReviewReason {self.id} {self.text_zh}>"


class LegalProvision(db.Model):
    """An article a rectification notice may cite as violated, with the penalty it carries.

    Administrators maintain the catalogue (``admin.list_provisions``); ``flask catalogues
    load`` adds the defaults of ``data/legal_provisions.csv`` that are missing by code and
    leaves the rest as administrators keep it. A notice copies the texts it cites when it is
    issued (``Notice.provisions``), so editing the catalogue never changes an issued notice.
    ``suggested_for`` lists what the provision is pre-filled for: a check item's legal basis
    (a key of ``portal.legal.BASIS``) or a flag's category as ``flag:<category>``.
    """

    __tablename__ = "legal_provision"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    article_zh: Mapped[str] = mapped_column(String(200))
    article_en: Mapped[str] = mapped_column(String(300))
    penalty_zh: Mapped[str] = mapped_column(String(400))
    penalty_en: Mapped[str] = mapped_column(String(400))
    suggested_for: Mapped[list] = mapped_column(JSON, default=list)
    position: Mapped[int] = mapped_column(Integer, default=0)
    is_active: Mapped[bool] = mapped_column(default=True)

    def snapshot(self) -> dict:
        """What a notice keeps of this provision when it cites it."""
        return {"code": self.code, "article_zh": self.article_zh,
                "article_en": self.article_en, "penalty_zh": self.penalty_zh,
                "penalty_en": self.penalty_en}

    def __repr__(self):
        return f"<LegalProvision {self.code}>"


class CatalogueStamp(db.Model):
    """One row whose ``generation`` goes up in the same transaction as any change to a kept
    catalogue (:data:`KEPT_CATALOGUES`).

    It is read with the signed-in user on every request (``auth.operations.load_user``), in
    the same statement, so a process can keep what it read of those catalogues
    (``portal.kept.per_catalogue``) and know, without another round trip, when to read them
    again: a change made in one process is seen by the next request of every other.
    """

    __tablename__ = "catalogue_stamp"

    id: Mapped[int] = mapped_column(primary_key=True)
    generation: Mapped[int] = mapped_column(Integer, default=0)


# The row exists from the start, whether the schema comes from the migrations (which insert
# it too) or from create_all (the tests).
event.listen(CatalogueStamp.__table__, "after_create",
             DDL("INSERT INTO catalogue_stamp (id, generation) VALUES (1, 0)"))

# What processes keep and the stamp vouches for.
KEPT_CATALOGUES = (ClaimPhrase, ReviewReason, Bureau, Enterprise)


def _bump_stamp(session) -> None:
    """Mark the kept catalogues changed. The rest of the request reads them afresh: the
    stamp it read with the user no longer vouches for them. (A change made with SQL outside
    the portal should run ``UPDATE catalogue_stamp SET generation = generation + 1``, or is
    seen within ``portal.kept.CATALOGUE_SECONDS``.)"""
    stamp = CatalogueStamp.__table__
    session.connection().execute(
        update(stamp).where(stamp.c.id == 1).values(generation=stamp.c.generation + 1))
    if has_app_context():
        g.pop("catalogue_stamp", None)


@event.listens_for(Session, "before_flush")
def _stamp_catalogue_changes(session, _context, _instances) -> None:
    """A flush that adds, changes or deletes a kept catalogue's row moves the stamp on, in
    the same transaction: committed together or not at all."""
    if any(isinstance(row, KEPT_CATALOGUES)
           for rows in (session.new, session.dirty, session.deleted) for row in rows):
        _bump_stamp(session)
