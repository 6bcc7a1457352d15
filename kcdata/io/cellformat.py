"""A spreadsheet cell's value as the text the sheet shows, given its number format.

Excel turns codes into numbers and dates as they are typed (「1-2」 becomes a date
shown ``m-d``, 「00123」 the number 123 shown ``00000``); :func:`shown_text` renders
the value back through the format. Understood: General (``G/標準``, with literals),
``@``, placeholders ``0 # ?`` with literals between them, thousands separators and
scaling commas, decimals, ``%``, sections, quoted and escaped literals, ``[Red]`` and
``[$-411]`` codes, and date tokens (``y m d h mm s AM/PM``, weekdays ``aaa``/``aaaa``,
the Japanese era ``g e``). Anything else is shown as General and flagged.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_UP, Decimal

__all__ = ["JAPANESE_BUILTIN_FORMATS", "general_text", "shown_text"]

#: Built-in format ids whose code depends on the locale, as a Japanese Excel shows them
#: (ECMA-376 Part 1, 18.8.30, ja-JP). openpyxl reads them as General.
JAPANESE_BUILTIN_FORMATS: dict[int, str] = {
    **dict.fromkeys((27, 36, 50, 57), '[$-411]ge.m.d'),
    **dict.fromkeys((28, 29, 51, 54, 58), '[$-411]ggge"年"m"月"d"日"'),
    30: "m/d/yy",
    31: 'yyyy"年"m"月"d"日"',
    32: 'h"時"mm"分"',
    33: 'h"時"mm"分"ss"秒"',
    **dict.fromkeys((34, 52, 55), 'yyyy"年"m"月"'),
    **dict.fromkeys((35, 53, 56), 'm"月"d"日"'),
}

_TOKEN = re.compile(r'"[^"]*"|\\.|[_*].|\[[^\]]*\]|General|G/標準|AM/PM|A/P|a{3,4}|'
                    r"y+|m+|d+|h+|s+|g+|e+|.", re.IGNORECASE | re.DOTALL)
_DATE_TOKEN = re.compile(r"(y+|m+|d+|h+|s+|g+|e+|a{3,4}|am/pm|a/p)", re.IGNORECASE)
_GENERAL = ("general", "g/標準")
_EMPTY_PLACE = {"0": "0", "#": "", "?": " "}  # what a placeholder without a digit shows
_ERAS = [(dt.date(2019, 5, 1), "令和", "R"), (dt.date(1989, 1, 8), "平成", "H"),
         (dt.date(1926, 12, 25), "昭和", "S"), (dt.date(1912, 7, 30), "大正", "T"),
         (dt.date(1868, 1, 25), "明治", "M")]
_MONTHS = ("January February March April May June July August September October "
           "November December").split()
_WEEKDAYS = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()


def shown_text(value: object, number_format: str | None = "General") -> tuple[str, bool]:
    """The text a cell shows, and whether its format was understood (if not: General).

    >>> shown_text(dt.datetime(2026, 1, 2), "m-d"), shown_text(123, "00000")
    (('1-2', True), ('00123', True))
    >>> shown_text(dt.datetime(2025, 4, 1), '[$-411]ggge"年"m"月"d"日"')
    ('令和7年4月1日', True)
    """
    if value is None:
        return "", True
    if isinstance(value, str | bool):
        return general_text(value), True
    sections = _sections(number_format or "General")
    is_number = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    section = sections[0]
    if is_number and value < 0 and len(sections) > 1:
        section, value = sections[1], -value  # the negative section shows its own sign
    elif is_number and value == 0 and len(sections) > 2:
        section = sections[2]
    if "".join(section).strip().lower() in (*_GENERAL, "@", ""):
        return general_text(value), True
    is_date = any(_is_date_token(t) for t in section)
    if isinstance(value, dt.datetime | dt.date | dt.time) and is_date:
        return _date_text(value, section), True
    if not is_number or is_date:  # a duration, nan, a date shown as a number or the reverse
        return general_text(value), False
    try:
        return _number_text(value, section)
    except ArithmeticError:  # past decimal's precision (about 1e28)
        return general_text(value), False


def general_text(value: object) -> str:
    """A value as Excel's General format shows it: integers without ``.0``.

    >>> general_text(11111.0), general_text(1.5), general_text(True)
    ('11111', '1.5', 'TRUE')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value)


def _sections(fmt: str) -> list[list[str]]:
    sections: list[list[str]] = [[]]
    for token in _TOKEN.findall(fmt):
        if token == ";":
            sections.append([])
        else:
            sections[-1].append(token)
    return sections


def _is_date_token(token: str) -> bool:
    return _DATE_TOKEN.fullmatch(token) is not None


def _literal(token: str) -> str:
    """A token's text: quoted or escaped text; padding, fill and [codes] show nothing."""
    if token[0] == '"':
        return token[1:-1]
    if token[0] == "\\":
        return token[1:]
    if token[0] in "_*[" and len(token) > 1:
        return ""
    return token


def _date_text(value: dt.datetime | dt.date | dt.time, tokens: list[str]) -> str:
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 31), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    kinds = [t.lower() if _is_date_token(t) else "" for t in tokens]
    dated = [i for i, kind in enumerate(kinds) if kind]
    twelve_hour = "am/pm" in kinds or "a/p" in kinds
    era_name, era_initial, era_year = next(
        ((name, initial, value.year - start.year + 1) for start, name, initial in _ERAS
         if value.date() >= start), ("", "", value.year))
    numbers = {"d": value.day, "h": value.hour % 12 or 12 if twelve_hour else value.hour,
               "s": value.second, "e": era_year}  # "e": the year of the era
    out = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind.startswith(("mmm", "ddd")):  # the month's or the weekday's name
            name = _MONTHS[value.month - 1] if kind[0] == "m" else _WEEKDAYS[value.weekday()]
            out.append(name[: 3 if len(kind) == 3 else None])
        elif kind.startswith("y"):
            out.append(f"{value.year % 100:02d}" if len(kind) <= 2 else str(value.year))
        elif kind in ("aaa", "aaaa"):
            out.append("月火水木金土日"[value.weekday()] + ("曜日" if kind == "aaaa" else ""))
        elif kind in ("am/pm", "a/p"):
            out.append(("PM" if value.hour >= 12 else "AM")[: 2 if kind == "am/pm" else 1])
        elif kind.startswith("g"):  # the era: R, 令, 令和
            out.append({1: era_initial, 2: era_name[:1]}.get(len(kind), era_name))
        elif kind:  # a number: m and mm are minutes right after an hour or before seconds
            number = numbers.get(kind[0])
            if number is None:
                k = dated.index(i)
                minutes = (k > 0 and kinds[dated[k - 1]][0] == "h") or (
                    k + 1 < len(dated) and kinds[dated[k + 1]][0] == "s")
                number = value.minute if minutes else value.month
            out.append(f"{number:02d}" if len(kind) == 2 else str(number))
        else:
            out.append(_literal(token))
    return "".join(out)


def _number_text(value: int | float, tokens: list[str]) -> tuple[str, bool]:
    if any(t.lower() in _GENERAL for t in tokens):  # General with literals: G/標準"件"
        return "".join(general_text(value) if t.lower() in _GENERAL else _literal(t)
                       for t in tokens), True
    if re.search(r"[eE][+-]|/|\[[hms]+\]", "".join(map(_literal, tokens))):
        return general_text(value), False  # scientific, fractions, elapsed time
    point = tokens.index(".") if "." in tokens else len(tokens)
    whole, fraction = tokens[:point], tokens[point + 1:]
    places = [i for i, t in enumerate(whole) if t in _EMPTY_PLACE]
    last = places[-1] if places else -1
    trailing = whole[last + 1:]  # commas right after the last placeholder: 1000 each
    scaling = next((k for k, t in enumerate(trailing) if t != ","), len(trailing))
    if scaling or "%" in tokens:
        value = value * 100 ** tokens.count("%") / 1000**scaling
    decimals = sum(t in _EMPTY_PLACE for t in fraction)
    # Excel rounds half away from zero, on the digits it shows (2.5 -> 3).
    rounded = Decimal(general_text(abs(value))).quantize(Decimal(1).scaleb(-decimals),
                                                         rounding=ROUND_HALF_UP)
    int_digits, _, frac_digits = f"{rounded:f}".partition(".")
    if int_digits == "0" and "0" not in whole:
        int_digits = ""  # "#.##" shows 0.5 as ".5"
    if "," in whole[:last]:  # thousands separators: one run of placeholders, grouped by three
        digits = int_digits.rjust(whole.count("0"), "0")
        head = len(digits) % 3 or 3
        grouped = ",".join([digits[:head]] + [digits[i:i + 3] for i in range(head, len(digits), 3)])
        text = "".join(map(_literal, whole[:places[0]])) + grouped + "".join(
            _literal(t) for t in whole[last + 1:] if t != ",")
    else:  # digits into the placeholders from the right, the leftmost taking the rest
        out = ["" if t == "," else _literal(t) for t in whole]
        for n, i in enumerate(reversed(places)):
            digit, int_digits = ((int_digits, "") if n == len(places) - 1
                                 else (int_digits[-1:], int_digits[:-1]))
            out[i] = digit or _EMPTY_PLACE[whole[i]]
        text = "".join(out)
    if point < len(tokens):
        out = [_literal(t) for t in fraction]
        frac_places = [i for i, t in enumerate(fraction) if t in _EMPTY_PLACE]
        keep = len(frac_digits)  # "#" and "?" drop trailing zeros
        while keep and frac_digits[keep - 1] == "0" and fraction[frac_places[keep - 1]] != "0":
            keep -= 1
        for n, i in enumerate(frac_places):
            out[i] = frac_digits[n] if n < keep else _EMPTY_PLACE[fraction[i]]
        text += "." + "".join(out)
    return ("-" if value < 0 and rounded != 0 else "") + text, True
