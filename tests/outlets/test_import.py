"""Bulk import of outlets from CSV and XLSX: templates, every row checked, all or nothing."""

import csv
import io
import random
import re
import zipfile

import openpyxl
import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Filing, FilingSequence, Outlet
from portal.outlets import operations
from portal.rules.premises import Premises
from portal.rules.workflow import Status

from ..factories import USERNAMES

URL = "/enterprise/outlets/import"
ZH = ["网点名称", "场所类型", "所在区县", "地址", "负责人", "联系电话", "营业时间"]
EN = ["Outlet name", "Type of premises", "District", "Address", "Person in charge", "Phone",
      "Opening hours"]
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def row(name="泽州路服务网点", premises="商铺门店", district="140502", address="泽州路100号",
        person="王芳", phone="13800001111", hours="周一至周六 9:00-18:00"):
    return [name, premises, district, address, person, phone, hours]


def csv_bytes(rows, header=(ZH, EN), encoding="utf-8-sig") -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows([*header, *rows])
    return buffer.getvalue().encode(encoding)


def xlsx_bytes(rows, header=(ZH,)) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for values in [*header, *rows]:
        sheet.append(values)
    for cells in sheet.iter_rows():
        for cell in cells:
            if isinstance(cell.value, str) and cell.value.startswith("="):
                cell.data_type = "s"  # text that looks like a formula, as Excel stores it
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(client, data: bytes, name="outlets.csv", lang="en"):
    return client.post(f"{URL}?lang={lang}", data={"file": (io.BytesIO(data), name)},
                       content_type="multipart/form-data")


def outlet_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Outlet))


def text(response) -> str:
    return re.sub(r"\s+", " ", response.get_data(as_text=True).replace("&#39;", "'"))


def problems(response) -> list[tuple[int, str, str]]:
    """(row, column, problem) of each line in the problems table."""
    page = response.get_data(as_text=True).replace("&#39;", "'")
    table = page.split('id="problems"', 1)[1].split("</table>", 1)[0]
    found = []
    for cells in re.findall(r"<tr>\s*(.*?)</tr>", table, re.S):
        tds = [re.sub(r"<[^>]+>", " ", td) for td in re.findall(r"<td>(.*?)</td>", cells, re.S)]
        if tds:
            found.append((int(tds[0]), tds[1].strip(), " ".join(tds[3].split())))
    return found


@pytest.fixture
def staff(world, client, login):
    login(USERNAMES["enterprise_staff"])
    return client


# --- templates -----------------------------------------------------------------------------

def test_csv_template_decodes_with_both_heading_rows_and_a_skipped_example(staff, app):
    response = staff.get(f"{URL}/template.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")  # Excel needs the BOM for Chinese
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ZH and rows[1] == EN
    assert rows[2][0].startswith("#") and rows[2][2] == "140502"  # inside A's licence
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)
    # The untouched template holds no outlet: its example row is skipped.
    assert "The file holds no outlets" in text(upload(staff, response.data))


def test_xlsx_template_opens_with_openpyxl(staff):
    response = staff.get(f"{URL}/template.xlsx")
    assert response.status_code == 200
    assert response.mimetype.endswith("spreadsheetml.sheet")
    workbook = openpyxl.load_workbook(io.BytesIO(response.data))
    sheet = workbook.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ZH and list(rows[1]) == EN and rows[2][0].startswith("#")
    assert sheet["F4"].number_format == "@" or sheet.column_dimensions["F"].number_format == "@"
    codes = [r[0] for r in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "shop" in codes and "140502" in codes and "140105" in codes  # all of Shanxi


def test_template_of_enterprise_b_gives_an_example_inside_its_own_licence(world, client, login):
    login(USERNAMES["enterprise2_staff"])
    rows = list(csv.reader(io.StringIO(
        client.get(f"{URL}/template.csv").data.decode("utf-8-sig"))))
    assert rows[2][2].startswith("1401")


def test_the_import_page_explains_the_columns_and_links_the_templates(staff):
    page = text(staff.get(f"{URL}?lang=en"))
    assert f"{URL}/template.xlsx" in page and f"{URL}/template.csv" in page
    assert "at most 2,000 rows" in page
    assert "private_home" in page and "Under Article 2 of the Measures on Service Outlets" in page
    assert "晋城市城区" in page  # the district list


# --- all or nothing --------------------------------------------------------------------------

def test_a_mixed_file_imports_nothing_and_reports_every_bad_row(staff, app):
    with app.app_context():
        before = outlet_count()
    data = csv_bytes([
        row(name="好网点一"),                                        # row 3: fine
        row(name="住宅网点", premises="private_home"),               # row 4: forbidden premises
        row(name="城区网点", district="城区", phone="12345"),        # row 5: two problems
        row(name="好网点二", district="泽州县"),                     # row 6: fine
        row(name="", address=""),                                    # row 7: required
        row(name="好网点一", district="晋城市城区"),                 # row 8: same as row 3
        row(name="太原网点", district="140105"),                     # row 9: outside licence
        row(name="名" * 129, district="140500"),                     # row 10: long, a city
        row(name="未知网点", premises="农家乐", district="999999"),  # row 11: unknown both
    ])
    response = upload(staff, data)
    assert response.status_code == 200
    page = text(response)
    assert "Nothing was imported." in page
    assert "outlets.csv has 11 problems in 7 rows" in page
    found = problems(response)
    assert [(r, c) for r, c, _m in found] == [
        (4, "Type of premises"),
        (5, "District"), (5, "Phone"),
        (7, "Outlet name"), (7, "Address"),
        (8, "Outlet name"),
        (9, "District"),
        (10, "Outlet name"), (10, "District"),
        (11, "Type of premises"), (11, "District"),
    ]
    messages = {(r, c): m for r, c, m in found}
    assert messages[(4, "Type of premises")] == (
        "Outlets may not be set up in this type of premises. Under Article 2 of the Measures "
        "on Service Outlets of the Direct-Selling Industry")
    assert "阳泉市城区 140302、晋城市城区 140502" in messages[(5, "District")]
    assert "landline" in messages[(5, "Phone")]
    assert messages[(7, "Outlet name")] == "This column must be filled in."
    assert messages[(8, "Outlet name")] == (
        "Row 3 already has an outlet of this name in this district.")
    assert "outside the regions the enterprise's licence approves" in messages[(9, "District")]
    assert "Article 3 of the Measures on Service Outlets" in messages[(9, "District")]
    assert messages[(10, "Outlet name")] == "Longer than 128 characters."
    assert "province or a city" in messages[(10, "District")]
    assert "Unknown type of premises" in messages[(11, "Type of premises")]
    with app.app_context():
        assert outlet_count() == before
        assert db.session.scalar(select(FilingSequence.last)) == 3  # the world's three only


def test_the_problems_download_as_csv_in_the_readers_language(staff, app):
    data = csv_bytes([row(name="=HYPERLINK(\"http://x\")", premises="school"), row(phone="x")])
    page = upload(staff, data).get_data(as_text=True)
    token = re.search(r'name="report" value="([^"]+)"', page).group(1)
    response = staff.post(f"{URL}/report?lang=en", data={"report": token})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0] == ["Row", "Column", "Value", "Problem", "Legal basis"]
    assert rows[1][:3] == ["3", "Type of premises", "school"]
    assert rows[1][4].startswith("Under Article 2")
    assert rows[2][:3] == ["4", "Phone", "x"]
    # A tampered report, or one made for someone else, is refused.
    assert staff.post(f"{URL}/report", data={"report": token[:-2] + "xx"}).status_code == 400
    assert staff.post(f"{URL}/report", data={}).status_code == 400
    other = staff.application.test_client()
    other.post("/auth/login", data={"username": USERNAMES["enterprise_admin"],
                                    "password": "Correct-horse-42"})
    assert other.post(f"{URL}/report", data={"report": token}).status_code == 400


def test_the_report_never_hands_a_formula_to_a_spreadsheet(staff):
    data = csv_bytes([row(name="=1+1", premises="school"), row(name="@SUM(A1)", phone="-1")])
    page = upload(staff, data).get_data(as_text=True)
    token = re.search(r'name="report" value="([^"]+)"', page).group(1)
    rows = list(csv.reader(io.StringIO(
        staff.post(f"{URL}/report", data={"report": token}).data.decode("utf-8-sig"))))
    values = [r[2] for r in rows[1:]]
    assert values == ["school", "'-1"]
    assert not any(cell.startswith(("=", "+", "-", "@")) for r in rows for cell in r)


def created(app, since_id):
    with app.app_context():
        return [
            (f.number, f.status, o.name, o.premises_type, o.region_code, o.phone)
            for f, o in db.session.execute(
                select(Filing, Outlet).join(Outlet, Outlet.filing_id == Filing.id)
                .where(Filing.id > since_id).order_by(Filing.id))
        ]


def last_filing_id(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.max(Filing.id)))


def test_an_all_good_utf8_csv_with_bom_imports_every_row_as_a_draft(staff, app):
    since = last_filing_id(app)
    data = csv_bytes([row(name="一号网点"), row(name="二号网点", premises="office",
                                                 district="晋城市泽州县", phone="0356-2021234"),
                      row(name="三号网点", premises="Commercial complex", district="高平市")])
    response = upload(staff, data)
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/filings/?kind=outlet&status=draft")
    rows = created(app, since)
    assert [r[1:] for r in rows] == [
        (Status.DRAFT, "一号网点", Premises.SHOP, "140502", "13800001111"),
        (Status.DRAFT, "二号网点", Premises.OFFICE, "140525", "0356-2021234"),
        (Status.DRAFT, "三号网点", Premises.COMMERCIAL_COMPLEX, "140581", "13800001111"),
    ]
    assert all(re.fullmatch(r"WD-\d{4}-\d{6}", r[0]) for r in rows)
    page = text(staff.get(response.headers["Location"] + "&lang=en"))
    assert f"3 outlets imported as drafts ({rows[0][0]} to {rows[-1][0]})" in page
    with app.app_context():
        summary = db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "outlets.imported")).one()
        assert summary.details["count"] == 3 and summary.details["file"] == "outlets.csv"
        assert (summary.details["first"], summary.details["last"]) == (rows[0][0], rows[-1][0])
        numbers = {a.details["number"] for a in db.session.scalars(
            select(AuditEvent).where(AuditEvent.action == "filing.created"))}
        assert {r[0] for r in rows} <= numbers


def test_an_all_good_gb18030_csv_imports_every_row(staff, app):
    since = last_filing_id(app)
    data = csv_bytes([row(name="晋城凤台街网点"), row(name="陵川崇文镇网点", district="陵川县")],
                     header=(ZH,), encoding="gb18030")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert upload(staff, data).status_code == 302
    assert [r[2] for r in created(app, since)] == ["晋城凤台街网点", "陵川崇文镇网点"]


def test_an_xlsx_imports_every_row_with_numbers_kept_as_text(staff, app):
    since = last_filing_id(app)
    # English headings in another order and an extra column; Excel stored numbers as numbers.
    header = ["Phone", "Outlet name", "Notes", "District", "Type of premises", "Address",
              "Person in charge", "Opening hours"]
    data = xlsx_bytes([
        [13800001111, "阳城网点", "备注", 140522, "shop", "阳城县8号", "李明", "9:00-18:00"],
        [None, None, None, None, None, None, None, None],  # a blank row is skipped
        ["0356-2021234", "沁水网点", None, "140521", "Hotel or conference venue", "沁水县3号",
         "李明", "9:00-18:00"],
    ], header=(header,))
    assert upload(staff, data, name="网点.xlsx").status_code == 302
    assert [r[2:] for r in created(app, since)] == [
        ("阳城网点", Premises.SHOP, "140522", "13800001111"),
        ("沁水网点", Premises.HOTEL, "140521", "0356-2021234"),
    ]


def test_xlsx_problems_carry_the_spreadsheet_row_numbers(staff, app):
    data = xlsx_bytes([row(name="一号"), [None] * 7, row(name="二号", phone="123")],
                      header=(ZH, EN))
    response = upload(staff, data, name="x.xlsx")
    assert problems(response) == [(5, "Phone", "Enter a mobile number or a landline with its "
                                                "area code.")]


def test_a_formula_looking_value_is_stored_as_text(staff, app):
    since = last_filing_id(app)
    assert upload(staff, csv_bytes([row(name="=1+1"), row(name="+SUM(A1)",
                                                          address="@A1")])).status_code == 302
    assert upload(staff, xlsx_bytes([row(name="=HYPERLINK(\"x\")")]),
                  name="x.xlsx").status_code == 302
    assert [r[2] for r in created(app, since)] == ["=1+1", "+SUM(A1)", "=HYPERLINK(\"x\")"]
    with app.app_context():
        assert db.session.scalar(select(Outlet.address).where(Outlet.name == "+SUM(A1)")) == "@A1"


def test_importing_the_same_file_twice_is_refused_the_second_time(staff, app):
    data = csv_bytes([row(name="一号网点")])
    assert upload(staff, data).status_code == 302
    with app.app_context():
        number = db.session.scalar(select(Filing.number).order_by(Filing.id.desc()))
    response = upload(staff, data)
    assert problems(response) == [
        (3, "Outlet name",
         f"The enterprise already has an outlet of this name in this district: {number}.")]


# --- files that are refused whole -----------------------------------------------------------

def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w/>")
    return buffer.getvalue()


@pytest.mark.parametrize("data, name", [
    (PNG, "outlets.csv"),
    (random.Random(7).randbytes(4096), "outlets.xlsx"),
    (b"PK\x03\x04" + random.Random(8).randbytes(512), "outlets.xlsx"),
    (_zip_without_workbook(), "outlets.xlsx"),
    (b"%PDF-1.4\n", "outlets.csv"),
    (b"", "outlets.csv"),
    ("网点名称\x00".encode(), "outlets.csv"),
])
def test_a_file_that_is_neither_csv_nor_xlsx_is_refused(staff, app, data, name):
    with app.app_context():
        before = outlet_count()
    response = upload(staff, data, name=name)
    assert response.status_code == 200
    assert "neither a CSV file nor an Excel workbook" in text(response)
    with app.app_context():
        assert outlet_count() == before


def test_an_old_xls_workbook_is_refused_with_advice(staff):
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512
    assert "Save it as an Excel workbook (.xlsx)" in text(upload(staff, data, name="a.xls"))


def test_a_damaged_workbook_is_refused(staff):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    assert "could not be read" in text(upload(staff, buffer.getvalue(), name="a.xlsx"))


def test_missing_columns_are_named(staff):
    data = csv_bytes([row()[:5]], header=(ZH[:5],))
    assert "These columns are missing: Phone, Opening hours" in text(upload(staff, data))


def test_too_many_rows_are_refused(staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "OUTLET_IMPORT_MAX_ROWS", 3)
    with app.app_context():
        before = outlet_count()
    data = csv_bytes([row(name=f"网点{n}") for n in range(4)])
    page = text(upload(staff, data))
    assert "The file holds more than 3 outlets" in page
    with app.app_context():
        assert outlet_count() == before
    assert upload(staff, csv_bytes([row(name=f"网点{n}") for n in range(3)])).status_code == 302


def test_an_upload_over_the_size_limit_is_413(staff, app, monkeypatch):
    monkeypatch.setitem(app.config, "MAX_CONTENT_LENGTH", 2048)
    response = upload(staff, csv_bytes([row(name=f"网点{n}") for n in range(100)]))
    assert response.status_code == 413


def test_no_file_chosen_is_a_form_error(staff):
    response = staff.post(f"{URL}?lang=en", data={}, content_type="multipart/form-data")
    assert response.status_code == 200
    assert "Choose a CSV or Excel (.xlsx) file." in text(response)


# --- who may, and where -----------------------------------------------------------------------

def test_enterprise_b_cannot_place_outlets_in_enterprise_as_regions(world, app, client, login):
    login(USERNAMES["enterprise2_staff"])
    with app.app_context():
        before = outlet_count()
    data = csv_bytes([row(name="乙一", district="140502"), row(name="乙二", district="晋城市城区"),
                      row(name="乙三", district="140105")])
    found = problems(upload(client, data))
    assert [(r, c) for r, c, _m in found] == [(3, "District"), (4, "District")]
    assert all("outside the regions the enterprise's licence approves" in m for *_x, m in found)
    with app.app_context():
        assert outlet_count() == before


@pytest.mark.parametrize("user", ["regulator", "inspector", "admin"])
def test_other_roles_cannot_import(world, app, client, login, user):
    login(USERNAMES[user])
    assert upload(client, csv_bytes([row()])).status_code == 403
    assert client.get(f"{URL}/template.csv").status_code == 403


def test_anonymous_users_are_sent_to_sign_in(world, client):
    response = upload(client, csv_bytes([row()]))
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


# --- one transaction -----------------------------------------------------------------------

def test_a_failure_midway_keeps_nothing(staff, app, monkeypatch):
    with app.app_context():
        before = outlet_count(), db.session.scalar(select(FilingSequence.last))
    real_create, calls = operations.create, []

    def failing_create(*args, **kwargs):
        calls.append(1)
        if len(calls) == 3:
            raise RuntimeError("database went away")
        return real_create(*args, **kwargs)

    monkeypatch.setattr(operations, "create", failing_create)
    with pytest.raises(RuntimeError):
        upload(staff, csv_bytes([row(name=f"网点{n}") for n in range(5)]))
    with app.app_context():
        assert (outlet_count(), db.session.scalar(select(FilingSequence.last))) == before
        assert db.session.scalar(
            select(AuditEvent).where(AuditEvent.action == "outlets.imported")) is None
