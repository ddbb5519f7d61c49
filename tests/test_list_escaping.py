"""The long lists written by f-strings or format strings instead of Jinja (the enterprise's
filings, meetings and trainers; the review queue has its own test) must still escape what
enterprises typed (i18n.html_text)."""

from sqlalchemy import select

from portal.extensions import db
from portal.models import Enterprise, Filing, User

from .factories import make_outlet, make_trainer
from .meetings.helpers import make_meeting
from .review.conftest import signed_in

TYPED = '<script>alert("x")</script> & Co'
ESCAPED = "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; Co"


def test_list_rows_escape_what_enterprises_typed(app, world):
    with app.app_context():
        enterprise = db.session.get(Enterprise, world.enterprise_a)
        staff = db.session.scalar(select(User).where(User.username == "ent-staff"))
        outlet = make_outlet(enterprise, staff, submit=False)
        outlet.title = TYPED
        trainer = make_trainer(enterprise, staff, status="draft", name="王<b>五</b>")
        meeting = make_meeting(enterprise, staff, None, title=TYPED)
        db.session.commit()
        ids = outlet.id, trainer.id, meeting.filing_id
        numbers = [db.session.get(Filing, i).number for i in ids]
    client = signed_in(app, "ent-staff")
    filings = client.get("/filings/?lang=en").get_data(as_text=True)
    assert ESCAPED in filings and "<script>" not in filings
    assert f'<a href="/filings/{ids[0]}">{numbers[0]}</a>' in filings
    trainers = client.get("/enterprise/trainers/?lang=en").get_data(as_text=True)
    assert "王&lt;b&gt;五&lt;/b&gt;" in trainers and "<b>五</b>" not in trainers
    assert f'<a href="/filings/{ids[1]}">' in trainers
    meetings = client.get("/enterprise/meetings/?lang=en").get_data(as_text=True)
    assert ESCAPED in meetings and "<script>" not in meetings
    assert f'<a href="/filings/{ids[2]}">{numbers[2]}</a>' in meetings
