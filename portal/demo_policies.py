"""Demo return and exchange policies for the demo enterprises (fictional data).

Each enterprise gets a previous (superseded) approved version, the current approved version and
filings in the other workflow states, each with a generated PDF policy document whose text
matches its key terms (or, where the bureau returned or rejected it, shows why). Decisions are
taken by the demo regulator of the bureau holding the enterprise's seat. Seeding is skipped for
an enterprise that already has policy filings, so re-running is safe.
"""

import io
from datetime import date, timedelta

from sqlalchemy import func, select

from .demo_filings import PATHS, _regulator_for
from .extensions import db
from .filings import operations as filings
from .models import Document, Enterprise, Filing, FilingKind, User
from .pdf import render_pdf
from .policies import operations as policies
from .rules.workflow import Action, Side
from .storage import PDF_ONLY, get_store

ALL_PLACES = ["enterprise", "branch", "outlet", "seller"]
BUREAU_ACTIONS = {Action.APPROVE, Action.RETURN, Action.REJECT}

# Extra paragraphs some documents carry: the reason a bureau returned or rejected them.
REFUND_15_DAYS = ("本公司及其分支机构、服务网点和直销员自收到退换货申请之日起15日内"
                  "办理退款或换货。")
NO_RETURN_ON_PROMOTION = "参加限时促销活动购买的产品，一经售出，概不退换。"

# The terms of each demo version: (title, state, effective date, terms, document, reasons).
# Dates given as a number are days from the day of seeding.
POLICIES = {
    "91140500MA0K7Q3D2": {
        "contact": "客服热线400-035-1188；晋城市城区凤台东街1188号晋康源客户服务中心",
        "versions": [
            ("晋康源产品退换货管理办法（2024年版）", "approved", date(2024, 3, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7}, None, ()),
            ("晋康源产品退换货管理办法（2025年修订）", "approved", date(2025, 7, 1),
             {"consumer_return_days": 45, "seller_return_days": 30, "refund_days": 5}, None, ()),
            ("晋康源产品退换货管理办法（2026年修订）", "submitted", 30,
             {"consumer_return_days": 60, "seller_return_days": 45, "refund_days": 3}, None, ()),
            ("晋康源会员产品退换货补充规定", "returned", 45,
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7},
             REFUND_15_DAYS,
             ("制度文本第三章规定退款在收到申请之日起15日内办理，与填报的“7日内”不一致，且超过"
              "《直销管理条例》第二十五条规定的7日期限，请修改制度文本后重新上传",)),
            ("晋康源限时促销产品退换货规定", "rejected", date(2025, 11, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7},
             NO_RETURN_ON_PROMOTION,
             ("制度规定促销产品“一经售出，概不退换”，排除了消费者依《直销管理条例》第二十五条享有的"
              "退换货权利",)),
            ("晋康源产品退换货管理办法（2026年修订征求意见稿）", "draft", 60,
             {"consumer_return_days": 60, "seller_return_days": 45, "refund_days": 10}, None, ()),
        ],
    },
    "91140100MA0H2W8L5": {
        "contact": "客服热线0351-7788166；太原市小店区长风街66号太行优品服务大厅",
        "versions": [
            ("太行优品退换货制度（2022年版）", "approved", date(2022, 1, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7}, None, ()),
            ("太行优品退换货制度（2024年修订）", "approved", date(2024, 9, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7,
              "requires_unopened": False}, None, ()),
            ("太行优品电商渠道退换货规定", "withdrawn", date(2023, 6, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7}, None, ()),
            ("太行优品退换货制度（2025年修订）", "returned", 40,
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7},
             REFUND_15_DAYS,
             ("制度文本规定15日内办理退款，超过《直销管理条例》第二十五条规定的7日期限，"
              "请修改后重新提交",)),
            ("太行优品会员专享退换货规定", "rejected", date(2025, 5, 1),
             {"consumer_return_days": 30, "seller_return_days": 30, "refund_days": 7},
             NO_RETURN_ON_PROMOTION,
             ("制度排除促销产品退换货，不符合《直销管理条例》第二十五条",)),
            # No document yet: the filing page shows that one is required.
            ("太行优品退换货制度（2026年修订草案）", "draft", 75,
             {"consumer_return_days": 30, "seller_return_days": 20, "refund_days": 7}, "", ()),
        ],
    },
}

PLACE_WORDS = {"enterprise": "本公司", "branch": "本公司各分支机构", "outlet": "所在地服务网点",
               "seller": "推销产品的直销员"}


def _chapters(terms: dict, contact: str, extra: str | None) -> list:
    """The chapters of a policy document stating *terms* (plus a paragraph *extra*)."""
    condition = "产品未开封、不影响二次销售的，" if terms["requires_unopened"] else ""
    places = "、".join(PLACE_WORDS[p] for p in terms["return_places"])
    refund = (extra if extra == REFUND_15_DAYS else
              f"本公司及其分支机构、服务网点和直销员自收到退换货申请之日起{terms['refund_days']}日内，"
              "按照发票或售货凭证标明的价款办理换货或退款。")
    chapters = [
        ("第一章 总则", ["为保护消费者和直销员的合法权益，根据《直销管理条例》《中华人民共和国"
                        "消费者权益保护法》等法律法规，制定本办法。"]),
        ("第二章 消费者退换货", [
            f"消费者自购买直销产品之日起{terms['consumer_return_days']}日内，{condition}"
            f"可以凭本公司开具的发票或售货凭证，向{places}办理换货和退货。"]),
        ("第三章 直销员退换货", [
            f"直销员自购买直销产品之日起{terms['seller_return_days']}日内，{condition}"
            "可以凭本公司开具的发票或售货凭证，向本公司及其分支机构或所在地服务网点办理换货和退货。",
            refund]),
    ]
    if extra and extra != REFUND_15_DAYS:
        chapters.append(("第四章 特别规定", [extra]))
    number = "第五章" if len(chapters) == 4 else "第四章"
    chapters.append((f"{number} 联系方式", [f"退换货咨询与受理：{contact}。"]))
    return chapters


def _document(enterprise, staff, title, issued, chapters) -> Document:
    """Render and store the PDF of one demo policy; flushes the Document."""
    pdf = render_pdf("pdf/demo_policy.html", title=title, enterprise=enterprise.name,
                     issued=f"{issued.year}年{issued.month}月{issued.day}日起施行",
                     chapters=chapters)
    stored = get_store().save(io.BytesIO(pdf), f"{title}.pdf", allowed=PDF_ONLY)
    document = Document(sha256=stored.sha256, size=stored.size, media_type=stored.media_type,
                        original_name=stored.original_name, enterprise_id=enterprise.id,
                        uploaded_by_id=staff.id)
    db.session.add(document)
    db.session.flush()
    return document


def seed() -> int:
    """Create the demo policies; return how many were created."""
    created = 0
    today = policies.local_today()
    for code_prefix, spec in POLICIES.items():
        enterprise = db.session.scalar(
            select(Enterprise).where(Enterprise.credit_code.like(code_prefix + "%")))
        if enterprise is None:
            continue
        existing = db.session.scalar(select(func.count(Filing.id)).where(
            Filing.enterprise_id == enterprise.id, Filing.kind == FilingKind.RETURN_POLICY))
        if existing:
            continue
        staff = db.session.scalar(select(User).where(User.enterprise_id == enterprise.id)
                                  .order_by(User.id))
        regulator = _regulator_for(enterprise.region_code)
        for title, state, effective, changes, extra, reasons in spec["versions"]:
            effective_on = today + timedelta(days=effective) if isinstance(effective, int) \
                else effective
            terms = {"consumer_return_days": 30, "seller_return_days": 30,
                     "requires_unopened": True, "refund_days": 7,
                     "return_places": list(ALL_PLACES), **changes}
            document = None if extra == "" else _document(
                enterprise, staff, title, effective_on,
                _chapters(terms, spec["contact"], extra))
            policy = policies.create(
                enterprise, {"title": title, "contact": spec["contact"],
                             "effective_on": effective_on, **terms},
                document, staff)
            for action in PATHS[state]:
                side = Side.BUREAU if action in BUREAU_ACTIONS else Side.ENTERPRISE
                filings.apply(policy.filing, action, regulator if side is Side.BUREAU else staff,
                              side, reasons=reasons if action in (Action.RETURN, Action.REJECT)
                              else ())
            created += 1
    db.session.flush()
    return created
