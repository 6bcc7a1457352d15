"""PDF sources: plans printed to PDF the way a city hall prints them, read through the engine.

The fixtures in tests/fixtures/pdf/ were made by make_pdfs.py there (a word
processor's table document printed by LibreOffice); these tests need only the
PDFs. Everything goes through public functions: kcdata.read_measures and the
kcdata command.
"""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pdfplumber
import pytest

import kcdata
from kcdata import ParseError, PlanWarning
from kcdata.cli import main
from kcdata.text import clean_text, unify_ideographs

PDFS = Path(__file__).parent / "fixtures" / "pdf"
HEADING_PLAN = PDFS / "heading_plan.pdf"
COLUMN_PLAN = PDFS / "column_plan.pdf"
COLUMN_LAYOUT = PDFS / "column_plan.toml"


def read(path: Path, layout: str | Path | None = None):
    """The listing table and the warnings, as (line, message)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PlanWarning)
        df = kcdata.read_measures(path, layout)
    return df, [(w.message.line, w.message.message) for w in caught
                if isinstance(w.message, PlanWarning)]


@pytest.fixture(scope="module")
def heading_plan():
    return read(HEADING_PLAN)


@pytest.fixture(scope="module")
def column_plan():
    return read(COLUMN_PLAN, COLUMN_LAYOUT)


def listing(df, measure):
    (row,) = df.index[(df["measure"] == measure) & ~df["relisted"]]
    return df.loc[row]


# --- a plan of heading lines over tables (the bundled plan's form) ----------------------------


def test_heading_plan_counts(heading_plan):
    df, _ = heading_plan
    assert len(df) == 24
    assert int(df["relisted"].sum()) == 1
    assert df.attrs["layout"] == "kanazawa"
    assert df.attrs["title"] == "金沢市地域コミュニティ活性化推進計画（例）"
    assert df.groupby(["policy_no", "direction_no"]).size().to_dict() == {
        (1, 1): 4, (1, 2): 18, (2, 1): 2}
    assert df.loc[df["policy_no"] == 2, "policy"].iloc[0] == "地域コミュニティ組織の持続可能性向上"
    assert sorted(kcdata.explode_departments(df)["department"].unique()) == sorted([
        "市民協働推進課", "緑と花の課", "福祉政策課", "広報広聴課", "危機管理課", "地域力再生課",
        "生涯学習課"])


def test_cells_wrapped_inside_the_table_are_joined(heading_plan):
    df, _ = heading_plan
    first = listing(df, "校下町会連合会周年記念事業")  # 「市民協働推進」 / 「課」 in the PDF
    assert first["departments"] == ("市民協働推進課",)
    hub = listing(df, "まちづくりHUB Project事業")  # Latin words keep their space
    assert hub["summary"] == "Community Design Workshopを開催し、担い手を育成"
    assert hub["departments"] == ("市民協働推進課", "緑と花の課")
    summary = listing(df, "地域活動情報発信事業1")["summary"]
    assert summary == ("地域の団体や住民が取り組む活動を広く紹介し、参加のきっかけとなる情報を"
                       "発信するとともに、事業1の成果を共有")


def test_radicals_are_read_as_the_ideographs(heading_plan):
    with pdfplumber.open(HEADING_PLAN) as pdf:  # the fixture prints them as radicals
        printed = "".join(page.extract_text() for page in pdf.pages)
    assert "市⺠協働推進" in printed and "⽀援" in printed
    df, _ = heading_plan
    assert listing(df, "旧町名復活事業")["departments"] == ("市民協働推進課",)
    assert listing(df, "地域活動支援補助事業")["departments"] == ("市民協働推進課",)
    assert listing(df, "善隣館いこいの広場事業")["summary"] == "地域共生型の居場所づくりを支援"
    pairs = kcdata.explode_departments(df)
    assert (pairs["department"] == "市民協働推進課").sum() == 6
    assert not pairs["department"].str.contains("⺠").any()


def test_full_width_letters_stay(heading_plan):
    df, _ = heading_plan
    assert "防災ラジオ（ＦＭ）配布事業" in set(df["measure"])


def test_the_repeated_header_is_one_header(heading_plan):
    with pdfplumber.open(HEADING_PLAN) as pdf:  # the header row is printed on both pages
        assert all(page.extract_tables()[0][0] == ["事業名", "事業概要", "所管する課"]
                   for page in pdf.pages)
    df, _ = heading_plan
    assert not df["measure"].isin(["事業名", "事業概要", "所管する課"]).any()
    page_two = df[(df["page"] == 2) & (df["policy_no"] == 1)]
    assert page_two["measure"].tolist() == [f"地域活動情報発信事業{k}" for k in (15, 16, 17)]
    assert (page_two["direction"] == "地域活動への住民参加の促進").all()


def test_a_merged_cell_continues_across_the_page_break(heading_plan):
    df, _ = heading_plan
    radio = listing(df, "防災ラジオ（ＦＭ）配布事業")  # 事業名 merged over rows on pages 1 and 2
    assert radio["departments"] == ("危機管理課", "市民協働推進課", "地域力再生課", "生涯学習課")
    assert radio["summary"] == "町会の防災訓練に防災ラジオを配布"
    assert radio["page"] == 1


def test_page_numbers_are_skipped_with_a_warning_naming_line_and_page(heading_plan):
    df, found = heading_plan
    assert found == [(27, "p.1: page number 「- 1 -」 skipped"),
                     (38, "p.2: page number 「- 2 -」 skipped")]
    assert df["page"].tolist() == [1] * 19 + [2] * 5
    assert df["line"].is_unique


def test_relisted_listing(heading_plan):
    df, _ = heading_plan
    relisted = df[df["relisted"]]
    assert relisted["measure"].tolist() == ["旧町名復活事業"]
    assert relisted[["policy_no", "direction_no", "page"]].values.tolist() == [[2, 1, 2]]


# --- a plan whose hierarchy is in merged table columns -----------------------------------------


def test_column_plan_counts(column_plan):
    df, _ = column_plan
    assert len(df) == 17
    assert int(df["relisted"].sum()) == 1
    assert df.attrs["levels"] == ["基本目標", "施策"]
    assert df.groupby(["policy_no", "policy", "direction_no", "direction"]).size().to_dict() == {
        (1, "誰もが安心して暮らせるまち", 1, "見守り体制の充実"): 7,
        (1, "誰もが安心して暮らせるまち", 2, "相談支援の充実"): 7,
        (2, "地域でつながり支え合うまち", 1, "地域活動の担い手づくり"): 3,
    }
    both = listing(df, "地域福祉活動計画支援事業")["departments"]
    assert both == ("福祉政策課", "市民協働推進課")
    assert listing(df, "ボランティア養成事業")["departments"] == ("市民協働推進課",)


def test_a_merged_cell_cut_by_the_page_break_is_joined_with_a_warning(column_plan):
    df, found = column_plan
    assert df.loc[df["page"] == 2, "policy"].tolist() == ["地域でつながり支え合うまち"] * 2
    assert (20, "p.2: 「え合うまち」 continues 「2 地域でつながり支」 of line 17, cut by the "
                "page break: joined") in found
    assert (20, "p.2: 「づくり」 continues 「(1) 地域活動の担い手」 of line 17, cut by the "
                "page break: joined") in found
    assert (18, "p.1: page number 「1 / 2」 skipped") in found


def test_compatibility_ideographs_are_read_as_unified(column_plan):
    df, _ = column_plan
    summary = listing(df, "ボランティア養成事業")["summary"]
    assert summary == "\u795e社や公園の清掃ボランティア講座を開催"  # printed as U+FA19


def test_an_error_names_the_page(tmp_path):
    with pytest.raises(ParseError) as caught:
        read(COLUMN_PLAN, "kanazawa")
    assert caught.value.line == 2
    assert caught.value.reason.startswith("p.1: the header row has no 所管する課 column")


# --- the command --------------------------------------------------------------------------------


def test_cli_check_and_report(tmp_path, capsys):
    assert main(["check", str(HEADING_PLAN)]) == 0
    captured = capsys.readouterr()
    assert "ok: 24 listings (1 【再掲】), 23 measures, 7 departments" in captured.out
    assert f"{HEADING_PLAN}:27: warning: p.1: page number 「- 1 -」 skipped" in captured.err
    assert main(["check", str(COLUMN_PLAN), "--layout", str(COLUMN_LAYOUT)]) == 0
    assert "ok: 17 listings" in capsys.readouterr().out
    assert main(["report", str(HEADING_PLAN), "--out", str(tmp_path), "--no-html"]) == 0
    assert (tmp_path / "heading_plan_summary.xlsx").is_file()


def test_cli_error_names_file_line_and_page(capsys):
    assert main(["check", str(COLUMN_PLAN), "--layout", "kanazawa"]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{COLUMN_PLAN}:2: p.1: the header row has no 所管する課 column")
    assert "Traceback" not in err


# --- documents that are refused ----------------------------------------------------------------


def blank_pdf(pages: int) -> bytes:
    """A PDF of ``pages`` empty pages, written by hand."""
    kids = " ".join(f"{n} 0 R" for n in range(3, pages + 3))
    objects = ["<< /Type /Catalog /Pages 2 0 R >>",
               f"<< /Type /Pages /Kids [{kids}] /Count {pages} >>"]
    objects += ["<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>"] * pages
    out, offsets = b"%PDF-1.4\n", []
    for n, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{n} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"\
        .encode()
    return out


@pytest.mark.parametrize(("make", "reason"), [
    (lambda: HEADING_PLAN.read_bytes()[:3000], "not a readable PDF"),
    (lambda: b"not a PDF at all\n", "not a readable PDF"),
    (lambda: b"", "not a readable PDF"),
    (lambda: (PDFS / "encrypted.pdf").read_bytes(), "the PDF is encrypted"),
    (lambda: blank_pdf(1), "the PDF has no text (a scanned image?)"),
    (lambda: blank_pdf(2001), "the PDF has 2,001 pages: kcdata reads at most 2,000"),
])
def test_bad_pdfs_are_refused_with_a_reason(tmp_path, capsys, make, reason):
    path = tmp_path / "plan.pdf"
    path.write_bytes(make())
    with pytest.raises(ParseError, match=re.escape(reason)) as caught:
        kcdata.read_measures(path)
    assert caught.value.line is None
    assert main(["check", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: {reason}")
    assert "Traceback" not in err


# --- text as printed, in every source ------------------------------------------------------------


def test_unify_ideographs():
    assert unify_ideographs("市⺠協働推進課") == "市民協働推進課"  # CJK Radicals Supplement
    assert unify_ideographs("⽀援") == "支援"  # Kangxi radical
    assert unify_ideographs("\ufa0c") == "\u5140"  # 兀: compatibility -> unified
    assert unify_ideographs("\U0002f800") == "\u4e3d"  # the supplementary compatibility block
    assert unify_ideographs("防災ラジオ（ＦＭ）配布事業") == "防災ラジオ（ＦＭ）配布事業"
    assert unify_ideographs("ｶﾞ ＩＣＴ ①") == "ｶﾞ ＩＣＴ ①"  # no NFKC
    assert clean_text(" 市⺠ 協働 ") == "市民協働"


def test_a_text_document_with_radicals_counts_one_department():
    doc = ("基本方針1 方針\n施策の方向性(1) 方向\n事業名\t事業概要\t所管する課\n"
           "A事業\t概要を⽀援\t市⺠協働推進課\nB事業\t概要\t市民協働推進課\n")
    df = kcdata.parse_measures(doc)
    assert df["departments"].tolist() == [("市民協働推進課",)] * 2
    assert df["summary"].tolist() == ["概要を支援", "概要"]
