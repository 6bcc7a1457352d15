"""The parser: facts of the bundled plan, layouts, encodings, and one test per bad input."""

from __future__ import annotations

import pickle
import warnings

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kcdata import COLUMNS, ParseError, parse_measures, read_measures

from .conftest import HEADER_ROW, doc


def test_bundled_document_facts(bundled):
    assert list(bundled.columns) == COLUMNS
    assert len(bundled) == 110
    assert int(bundled["relisted"].sum()) == 2
    assert bundled["measure"].nunique() == 108
    departments = [d for ds in bundled["departments"] for d in ds]
    assert len(departments) == 113
    assert len(set(departments)) == 33
    assert int((bundled["departments"].map(len) > 1).sum()) == 3
    assert bundled["policy_no"].unique().tolist() == [1, 2, 3, 4]
    assert len(bundled[["policy_no", "direction_no"]].drop_duplicates()) == 10
    assert bundled["line"].is_monotonic_increasing


def test_bundled_dtypes(bundled):
    assert bundled["policy_no"].dtype == "int64"
    assert bundled["direction_no"].dtype == "int64"
    assert bundled["line"].dtype == "int64"
    assert bundled["relisted"].dtype == bool
    for column in ["policy", "direction", "measure", "summary"]:
        assert pd.api.types.is_string_dtype(bundled[column]), column
    assert all(isinstance(d, tuple) for d in bundled["departments"])


@pytest.mark.parametrize(
    ("line", "column", "expected"),
    [
        (39, "measure", "地域コミュニティICT化推進プロジェクト事業"),
        (40, "summary", "令和7年4月からの適用開始をめざし、公民館・児童館・消防団の施設整備における"
                        "地元負担のあり方等について検討"),
        (43, "measure", "放課後児童クラブ施設使用料支援事業"),
        (144, "measure", "まちづくりHUB Project事業"),
        (10, "measure", "校下(地区)町会連合会50周年記念事業"),
    ],
)
def test_extraction_spaces_removed_latin_spaces_kept(bundled, line, column, expected):
    assert bundled.set_index("line").loc[line, column] == expected


def test_bundled_relisted_and_co_managed(bundled):
    relisted = bundled[bundled["relisted"]]
    assert relisted["measure"].tolist() == ["シビックテック推進事業", "地域コミュニティ活性化事業"]
    assert relisted["line"].tolist() == [146, 147]
    co = bundled[bundled["departments"].map(len) > 1].set_index("line")["departments"]
    assert co.loc[95] == ("緑と花の課", "内水整備課")
    assert co.loc[116] == ("文化政策課", "農業水産振興課")


def test_small_document_every_column(small_doc):
    df = parse_measures(small_doc)
    expected = pd.DataFrame(
        {
            "policy_no": [1, 1, 1, 1, 1, 2],
            "policy": ["地域の醸成"] * 5 + ["連携"],
            "direction_no": [1, 1, 1, 2, 2, 1],
            "direction": ["理解の促進"] * 3 + ["参加"] * 2 + ["人材"],
            "measure": ["B事業", "A事業", "C事業", "D事業", "E事業", "B事業"],
            "summary": ["概要B", "概要A", "", "概要D", "概要E", "概要B"],
            "departments": [("乙課",), ("甲課",), ("甲課", "丙課"), ("丁課",), ("甲課",),
                            ("乙課",)],
            "relisted": [True, False, False, False, False, False],
            "line": [7, 8, 10, 13, 15, 19],
        }
    ).astype({"policy": "str", "direction": "str", "measure": "str", "summary": "str"})
    pd.testing.assert_frame_equal(df, expected)


def test_headings_full_width_digits_brackets_and_spacing():
    df = parse_measures(doc(
        "基本方針１　多様な主体",
        "施策の方向性（１２） 人材",
        "A\tB\tC",
        "基本方針 3 次",
        "施策の方向性 ( 2 )次の方向",
        "D\tE\tF",
    ))
    assert df[["policy_no", "direction_no"]].values.tolist() == [[1, 12], [3, 2]]
    assert df["policy"].tolist() == ["多様な主体", "次"]
    assert df["direction"].tolist() == ["人材", "次の方向"]


def test_free_text_and_header_before_first_policy_are_skipped():
    df = parse_measures(doc("計画の説明", HEADER_ROW, "", "基本方針1 a", "施策の方向性(1) b",
                            "A\tB\tC"))
    assert df["line"].tolist() == [6]


def test_table_continues_after_blank_line_without_header():
    df = parse_measures(doc("基本方針1 a", "施策の方向性(1) b", HEADER_ROW, "A\tB\tC", "", "",
                            "D\tE\tF", HEADER_ROW, "G\tH\tI"))
    assert df["measure"].tolist() == ["A", "D", "G"]
    assert df["line"].tolist() == [4, 7, 9]


@pytest.mark.parametrize(
    ("encoding", "newline"),
    [("utf-8", "\n"), ("utf-8-sig", "\n"), ("utf-8", "\r\n"), ("utf-8-sig", "\r\n"),
     ("cp932", "\n"), ("cp932", "\r\n"), ("shift_jis", "\r\n")],
)
def test_encodings_and_line_ends(tmp_path, small_doc, encoding, newline):
    path = tmp_path / "plan.txt"
    path.write_bytes(small_doc.replace("\n", newline).encode(encoding))
    pd.testing.assert_frame_equal(read_measures(path), parse_measures(small_doc))


def test_explicit_encoding(tmp_path, small_doc):
    path = tmp_path / "plan.txt"
    path.write_bytes(small_doc.encode("cp932"))
    pd.testing.assert_frame_equal(read_measures(path, encoding="cp932"),
                                  parse_measures(small_doc))
    with pytest.raises(ParseError) as info:
        read_measures(path, encoding="utf-8")
    assert info.value.line is None


def test_bundled_document_in_cp932_crlf(tmp_path, bundled):
    from kcdata.paths import BUNDLED_DOCUMENT

    text = BUNDLED_DOCUMENT.read_text(encoding="utf-8")
    path = tmp_path / "plan_sjis.txt"
    path.write_bytes(text.replace("\n", "\r\n").encode("cp932"))
    pd.testing.assert_frame_equal(read_measures(path), bundled)


@pytest.mark.parametrize(
    "data",
    ["基本方針1 a\n施策の方向性(1) b\nA\tB\tC\n".encode("utf-16"), b"\xff\xfe\xfa\x00\x81"],
)
def test_unaccepted_encoding_is_a_parse_error_without_line(tmp_path, data):
    path = tmp_path / "plan.txt"
    path.write_bytes(data)
    with pytest.raises(ParseError) as info:
        read_measures(path)
    assert info.value.line is None
    assert "encoding" in info.value.reason


P, D = "基本方針1 a", "施策の方向性(1) b"

BAD_DOCUMENTS = [
    # a line with a tab (other than a header row) before any 基本方針
    (doc("前文\tx", P, D, "A\tB\tC"), 1, "before the first 基本方針"),
    # a 施策の方向性 before any 基本方針
    (doc("前文", D, P, D, "A\tB\tC"), 2, "施策の方向性 heading before the first 基本方針"),
    # a measure row after a 基本方針 heading but before its first 施策の方向性
    (doc(P, HEADER_ROW, "A\tB\tC"), 3, "before its first 施策の方向性"),
    (doc(P, D, "A\tB\tC", "基本方針2 c", "X\tY\tZ"), 5, "基本方針2 before its first"),
    # a row with other than 3 tab-separated fields
    (doc(P, D, "A\tB"), 3, "found 2"),
    (doc(P, D, "A\tB\tC\tD"), 3, "found 4"),
    # an empty 事業名 or 所管する課
    (doc(P, D, "\tB\tC"), 3, "empty 事業名"),
    (doc(P, D, "【再掲】\tB\tC"), 3, "empty 事業名"),
    (doc(P, D, "A\tB\t　"), 3, "empty 所管する課"),
    # a repeated section number within its parent
    (doc(P, D, "A\tB\tC", "基本方針１ again", D, "X\tY\tZ"), 4, "基本方針1 appears a second"),
    (doc(P, D, "A\tB\tC", "施策の方向性（1） again", "X\tY\tZ"), 4,
     r"施策の方向性\(1\) appears a second time under 基本方針1"),
    # any other line after the first 基本方針
    (doc(P, D, "A\tB\tC", "ただの文章"), 4, "not a 基本方針 or 施策の方向性 heading"),
    (doc(P, "施策の方向性 一", "A\tB\tC"), 2,
     "「施策の方向性 一」 is not a heading of layout kanazawa"),
]


@pytest.mark.parametrize(("text", "line", "reason"), BAD_DOCUMENTS)
def test_bad_input_names_line_and_reason(text, line, reason):
    with pytest.raises(ParseError, match=reason) as info:
        parse_measures(text, "kanazawa")
    assert info.value.line == line
    assert str(info.value).startswith(f"line {line}: ")


@pytest.mark.parametrize(
    ("lines", "line", "reason"),
    [(("A\tB", "\tB\tC"), 3, "found 2"), (("\tB\tC", "A\tB"), 3, "empty 事業名"),
     (("A\tB\t ", "X"), 3, "empty 所管する課"), (("A\tB\tC", "X", "\tB\tC"), 4, "not a")],
)
def test_the_first_bad_line_is_reported(lines, line, reason):
    with pytest.raises(ParseError, match=reason) as info:
        parse_measures(doc(P, D, *lines), "kanazawa")
    assert info.value.line == line


def test_repeated_direction_numbers_under_different_policies_are_fine():
    df = parse_measures(doc(P, D, "A\tB\tC", "基本方針2 c", D, "X\tY\tZ"))
    assert df[["policy_no", "direction_no"]].values.tolist() == [[1, 1], [2, 1]]


@pytest.mark.parametrize("text", ["", "\n\n", "2 具体的な施策\n", doc(P, D, HEADER_ROW, "")])
def test_document_without_measures(text):
    with pytest.raises(ParseError) as info:
        parse_measures(text)
    assert info.value.line is None


def test_empty_summary_is_allowed():
    df = parse_measures(doc(P, D, "A\t\tC"))
    assert df["summary"].tolist() == [""]


def test_parse_error_is_a_value_error_and_pickles():
    err = ParseError("reason", 7)
    assert isinstance(err, ValueError)
    again = pickle.loads(pickle.dumps(err))
    assert (again.reason, again.line) == ("reason", 7)


def test_lone_surrogate_is_a_parse_error():
    with pytest.raises(ParseError) as info:
        parse_measures("基本方針1 a\n\ud800")
    assert info.value.line == 2


_ALPHABET = st.sampled_from(
    list("基本方針施策の方向性()（）12１２ \t\n\r\u3000【再掲】事業名概要所管する課aZ")
)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(_ALPHABET, max_size=80), st.text(max_size=80)))
def test_random_text_raises_nothing_but_parse_error(text):
    try:
        df = parse_measures(text)
    except ParseError as err:
        assert err.line is None or err.line >= 1
    else:
        assert list(df.columns) == COLUMNS
        assert (df["measure"].str.len() > 0).all()


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=60))
def test_random_bytes_raise_nothing_but_parse_error(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("bytes") / "doc.txt"
    path.write_bytes(data)
    try:
        read_measures(path)
    except ParseError:
        pass


_BYTE_PIECES = st.sampled_from([
    "基本方針1 a\n".encode(), "施策の方向性(1) b\n".encode(), b"A\tB\tC\n",
    "事業名\t事業概要\t所管する課\n".encode(), "課 乙課".encode(), b"\r\n", b"\n", b"\t",
    b"\xef\xbb\xbf", b"\xed\xa0\x80", b"\x82\xa0", b"\xff", "\u3000".encode(),
    "基本方針1 a\n".encode("cp932"),
])


def _outcome(parse, data):
    """The table (or the error) and the warnings' messages of one reading."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = parse(data)
        except ParseError as err:
            result = ("ParseError", err.reason, err.line)
    return result, [str(w.message) for w in caught]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from([b"", b"\xef\xbb\xbf"]),
       st.sampled_from(["\n", "\r\n"]),
       st.lists(st.sampled_from(["A\tB\tC", "事業名\t事業概要\t所管する課", "",
                                 "D事業\t概要\t甲課 乙課", "施策の方向性(2) c"]), max_size=6),
       st.lists(_BYTE_PIECES, max_size=4))
def test_bytes_read_by_arrow_as_by_python_codecs(bom, newline, lines, noise):
    """UTF-8 bytes become lines in Arrow without one Python string of the document;
    the result (or the error) and the warnings are those of decoding with Python's codecs
    first."""
    from kcdata.io.parse import decode_document, parse_bytes

    data = bom + newline.join(["基本方針1 a", "施策の方向性(1) b", *lines]).encode()
    data += b"".join(noise)
    by_arrow, arrow_warnings = _outcome(parse_bytes, data)
    by_python, python_warnings = _outcome(lambda d: parse_measures(decode_document(d)), data)
    assert arrow_warnings == python_warnings
    if isinstance(by_arrow, pd.DataFrame):
        pd.testing.assert_frame_equal(by_arrow, by_python)
        assert by_arrow.attrs == by_python.attrs
    else:
        assert by_arrow == by_python


def test_lines_of_tabs_and_spaces_are_blank():
    df = parse_measures(doc("\t\t", "基本方針1 a", "\t", "施策の方向性(1) b", " \t\u3000\t ",
                            "A\tB\tC", "\t\t"))
    assert df["line"].tolist() == [6]


def _open_maps() -> int:
    import gc
    import mmap

    return sum(1 for o in gc.get_objects() if isinstance(o, mmap.mmap) and not o.closed)


@pytest.mark.parametrize(
    ("content", "line"),
    [(doc(P, D, "A\tB\tC"), None), (doc(P, D, "A\tB"), 3), (b"\xff\xfe\x00\x81", None),
     (b"", None)],
)
def test_read_measures_leaves_no_file_mapped(tmp_path, content, line):
    path = tmp_path / "plan.txt"
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    before = _open_maps()
    try:
        df = read_measures(path)
    except ParseError as err:
        assert err.line == line
        assert _open_maps() == before  # closed even while the error's traceback is alive
    else:
        assert line is None and len(df) == 1
        assert _open_maps() == before


@pytest.mark.parametrize(
    "header",
    [
        "事業名\t事業概要\t所管する課",
        "事 業 名\t事業　概要\t 所管する課 ",
        " 事業名\u3000\t\u3000事業概要\t所管 する課",
        "\u00a0事業名\t事業概要\t所管する課\u00a0",
    ],
)
def test_header_rows_are_recognised_after_the_clean_up(header):
    df = parse_measures(doc(P, D, header, "A\tB\tC", header, "X\tY\tZ"))
    assert df["measure"].tolist() == ["A", "X"]


@pytest.mark.parametrize("name", ["事業名X", "X事業名", "事業 名 X", "事業\u540d\u540d"])
def test_names_like_the_header_are_listings(name):
    df = parse_measures(doc(P, D, f"{name}\t事業概要\t所管する課"))
    assert len(df) == 1


