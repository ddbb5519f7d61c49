"""The import's reading and checking pieces, without HTTP: cells, encodings, headings, districts."""

import io
from datetime import time

import openpyxl
import pytest

from portal.extensions import db
from portal.models import Enterprise
from portal.outlets.importer import Districts, check_rows, error_message, premises_aliases
from portal.outlets.tables import FileRefused, clean, read_rows
from portal.rules.premises import Premises

HEADER = "网点名称,场所类型,所在区县,地址,负责人,联系电话,营业时间"
ROW = "甲网点,商铺门店,140502,泽州路1号,王芳,13800001111,9:00-18:00"


@pytest.fixture
def en_ctx(app):
    """A request in English: messages are translated as a page would show them."""
    with app.test_request_context("/?lang=en"):
        yield
        db.session.rollback()


def test_cells_become_one_line_of_text():
    assert clean(None) == ""
    assert clean(13800001111.0) == "13800001111"
    assert clean(140502) == "140502"
    assert clean(2.5) == "2.5"
    assert clean(time(9, 0)) == "09:00"
    assert clean("  泽州路\n 100号\x01\x07 ") == "泽州路 100号"
    assert clean("=1+1") == "=1+1"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_csv_in_every_expected_encoding_reads_the_same(en_ctx, encoding):
    data = f"{HEADER}\r\n{ROW}\r\n".encode(encoding)
    assert read_rows(data, 10) == [(2, dict(zip(
        ["name", "premises_type", "region_code", "address", "person_in_charge", "phone",
         "opening_hours"], ROW.split(","), strict=True)))]


def test_tab_or_semicolon_separated_files_read_too(en_ctx):
    for separator in ("\t", ";"):
        data = f"{HEADER}\n{ROW}\n".replace(",", separator).encode()
        assert read_rows(data, 10)[0][1]["name"] == "甲网点"


def test_headings_match_in_either_language_with_hints_and_marks(en_ctx):
    data = ("\n\nOutlet name*,TYPE OF PREMISES,所在区县（代码或名称）,address,负责人：,phone,"
            "opening_hours,备注\n" + ROW + ",随便写\n").encode()
    assert read_rows(data, 10) == [(4, {
        "name": "甲网点", "premises_type": "商铺门店", "region_code": "140502",
        "address": "泽州路1号", "person_in_charge": "王芳", "phone": "13800001111",
        "opening_hours": "9:00-18:00"})]


def test_comment_rows_repeated_headings_and_blank_rows_are_skipped(en_ctx):
    data = "\n".join([
        HEADER,
        "Outlet name,Type of premises,District,Address,Person in charge,Phone,Opening hours",
        "# 示例," + ROW.split(",", 1)[1],
        ",,,,,,",
        ROW,
    ]).encode()
    assert [number for number, _values in read_rows(data, 10)] == [5]


@pytest.mark.parametrize("data, code", [
    (b"", "not_table"),
    (b"a,b,c\n1,2,3\n", "no_header"),
    (f"{HEADER},网点名称\n{ROW}\n".encode(), "duplicate_column"),
    (f"{HEADER}\n".encode(), "no_rows"),
    ("网点名称,地址\n甲,乙\n".encode(), "missing_columns"),
    (f"{HEADER}\n{ROW}\n{ROW}\n{ROW}\n".encode(), "too_many_rows"),
    (b"\xff\xfe\x00\xd8", "not_table"),  # a broken UTF-16 surrogate
])
def test_files_refused_as_a_whole(en_ctx, data, code):
    with pytest.raises(FileRefused) as refused:
        read_rows(data, 2)
    assert refused.value.code == code
    assert refused.value.message()


def test_a_workbook_reads_its_first_sheet_with_cached_values_only(en_ctx):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(HEADER.split(","))
    sheet.append(ROW.split(","))
    sheet["A2"] = "=CONCAT(\"a\",\"b\")"  # a real formula: openpyxl stores no cached value
    workbook.create_sheet("other").append(["ignored"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_rows(buffer.getvalue(), 10)[0][1]["name"] == ""  # never evaluated


def test_premises_are_accepted_as_code_chinese_or_english(en_ctx):
    aliases = premises_aliases()
    assert aliases["shop"] is aliases["商铺门店"] is aliases["shoporstorefront"] is Premises.SHOP
    assert aliases["commercialcomplex"] is Premises.COMMERCIAL_COMPLEX


@pytest.fixture
def enterprise_a(world, en_ctx):
    return db.session.get(Enterprise, world.enterprise_a)


@pytest.mark.parametrize("text, code", [
    ("140502", "140502"),
    ("晋城市城区", "140502"),
    ("晋城市 城区", "140502"),
    ("晋城城区", "140502"),
    ("山西省晋城市城区", "140502"),
    ("Jincheng Chengqu", "140502"),
    ("泽州县", "140525"),
    ("zezhouxian", "140525"),
    ("小店区", "140105"),  # known by name in the licence's province, refused later by the rule
    ("110101", "110101"),  # known anywhere by code
])
def test_districts_resolve_by_code_or_unique_name(enterprise_a, text, code):
    assert Districts(enterprise_a, {text}).resolve(text) == (code, None, {})


@pytest.mark.parametrize("text, problem", [
    ("城区", "district_ambiguous"),
    ("140500", "district_not_district"),
    ("140000", "district_not_district"),
    ("999999", "district_unknown"),
    ("东城区", "district_unknown"),  # Beijing: not a province of the licence, so by code only
])
def test_districts_refused(enterprise_a, text, problem):
    assert Districts(enterprise_a, {text}).resolve(text)[1] == problem


def test_an_ambiguous_name_lists_the_candidates_in_the_language_typed(enterprise_a):
    districts = Districts(enterprise_a)
    assert districts.resolve("城区")[2] == {
        "candidates": "阳泉市城区 140302、晋城市城区 140502", "example": "晋城市城区"}
    assert districts.resolve("Chengqu")[2] == {
        "candidates": "Yangquan Chengqu 140302, Jincheng Chengqu 140502",
        "example": "Jincheng Chengqu"}


def values(**changes):
    base = dict(zip(["name", "premises_type", "region_code", "address", "person_in_charge",
                     "phone", "opening_hours"], ROW.split(","), strict=True))
    return {**base, **changes}


def test_check_rows_types_a_good_row(enterprise_a):
    checked = check_rows([(3, values(phone="0356 202 1234"))], enterprise_a)
    assert checked.error_count == 0
    assert checked.rows == [(3, {**values(), "premises_type": Premises.SHOP,
                                 "phone": "03562021234"})]


def test_forbidden_premises_are_reported_even_when_the_district_is_wrong(enterprise_a):
    checked = check_rows([(3, values(premises_type="学校", region_code="nowhere"))],
                         enterprise_a)
    assert [(e.column, e.code, e.basis) for e in checked.errors] == [
        ("region_code", "district_unknown", None),
        ("premises_type", "premises_forbidden", "OUT-2"),
    ]
    assert checked.rows == []


def test_problem_messages_fill_their_placeholders(enterprise_a):
    checked = check_rows([(3, values()), (9, values())], enterprise_a)
    assert error_message(checked.errors[0]) == (
        "Row 3 already has an outlet of this name in this district.")
