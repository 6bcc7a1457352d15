"""A cell's value as the text its number format shows (kcdata.io.cellformat)."""

from __future__ import annotations

import datetime as dt

import pytest

from kcdata.io.cellformat import general_text, shown_text

JAN2 = dt.datetime(2026, 1, 2, 13, 5, 9)


@pytest.mark.parametrize(
    ("value", "fmt", "text"),
    [
        (None, "General", ""),
        ("1-2", "@", "1-2"),
        (True, "General", "TRUE"),
        (11111, "General", "11111"),
        (11111.0, "General", "11111"),
        (0.1, "General", "0.1"),
        (123, "00000", "00123"),
        (1234567, "000-0000", "123-4567"),
        (9200001, '000"-"0000', "920-0001"),
        (1234567.891, "#,##0.00", "1,234,567.89"),
        (5, "#,##0", "5"),
        (2.5, "0", "3"),  # Excel rounds half away from zero
        (-5, "0;(0)", "(5)"),
        (-5, "0", "-5"),
        (0, '0;-0;"-"', "-"),
        (0.125, "0.0%", "12.5%"),
        (3.1, "0.0#", "3.1"),
        (1500000, "#,##0,", "1,500"),
        (12, '"No."0', "No.12"),
        (7, "[Red]0", "7"),
        (5, 'G/標準"件"', "5件"),
        (-3, 'G/標準;"▲"G/標準', "▲3"),
        (-1234, "#,##0;[Red]\\-#,##0", "-1,234"),
        (1234, "#,##0_ ", "1,234"),
        (JAN2, "m-d", "1-2"),
        (JAN2, "mm-dd-yy", "01-02-26"),
        (JAN2, "yyyy/m/d h:mm", "2026/1/2 13:05"),
        (JAN2, "h:mm:ss AM/PM", "1:05:09 PM"),
        (JAN2, 'm"月"d"日"(aaa)', "1月2日(金)"),
        (JAN2, '[$-411]ggge"年"m"月"d"日"', "令和8年1月2日"),
        (dt.datetime(2019, 4, 30), "[$-411]ge.m.d", "H31.4.30"),
        (dt.datetime(2019, 5, 1), "[$-411]gge", "令1"),
        (dt.date(2026, 4, 1), "yyyy-mm-dd", "2026-04-01"),
    ],
)
def test_shown_text(value, fmt, text):
    assert shown_text(value, fmt) == (text, True)


@pytest.mark.parametrize(("value", "fmt"), [(1.5, "# ?/?"), (12345, "0.00E+00"),
                                            (dt.timedelta(hours=30), "[h]:mm")])
def test_formats_not_understood_are_flagged(value, fmt):
    text, understood = shown_text(value, fmt)
    assert not understood
    assert text == general_text(value)


def test_a_number_past_decimal_precision_is_shown_as_general_not_a_crash():
    from kcdata.io.cellformat import shown_text

    text, understood = shown_text(1e30, "0")
    assert text == "1e+30" and understood is False
