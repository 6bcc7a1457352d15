"""A spreadsheet cell's value as the text the sheet shows, given its number format.

Excel turns codes into numbers and dates as they are typed: 「1-2」 becomes
the 2nd of January shown as ``m-d``, 「00123」 becomes 123 shown as ``00000``.
openpyxl hands back the value (a ``datetime``, an ``int``, a ``float``) and
the cell's ``number_format``; :func:`shown_text` renders the value through
the format as Excel would, so a plan's code comes back as the text a planner
saw: 「1-2」, 「00123」, 「11111」 (never ``2026-01-02 00:00:00`` or ``11111.0``).

The formats understood are the ones that carry codes, numbers and dates:
``General`` (``G/標準``, also with literals: ``G/標準"件"``), ``@``, digit
placeholders ``0 # ?`` with literals between them (``000-0000``), thousands
separators, decimals, percent, sections (``pos;neg;zero;text``), quoted and
escaped literals, ``[Red]``/``[$-411]`` codes, and date and time tokens
(``yyyy m d h mm ss AM/PM``, the weekday ``aaa``/``aaaa`` and the Japanese
era ``g e``, which no Python library renders). Anything else (fractions,
scientific notation, elapsed ``[h]``) is reported as not understood and the
value is shown as General; the caller warns. Pure functions, no I/O.
"""

from __future__ import annotations

import datetime as dt
import functools
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

_TOKEN = re.compile(
    r'"[^"]*"|\\.|_.|\*.|\[[^\]]*\]|General|G/標準|AM/PM|A/P|yyyy|yy|mmmmm|mmmm|mmm|mm|m|dddd|ddd|dd|d|'
    r"aaaa|aaa|ggg|gg|g|ee|e|hh|h|ss|s|\.0+|[0#?]|.",
    re.IGNORECASE | re.DOTALL,
)
_DATE_TOKENS = re.compile(r"^(y+|m+|d+|h+|s+|a{3,4}|g+|e+|am/pm|a/p)$", re.IGNORECASE)
_UNSUPPORTED = re.compile(r"[eE][+-]|/|\[[hms]+\]", re.IGNORECASE)
_GENERAL = ("general", "g/標準")
_PLACES = ("0", "#", "?")
_EMPTY_PLACE = {"0": "0", "#": "", "?": " "}  # what a placeholder without a digit shows
_ERAS = (  # (first day, name, initial)
    (dt.date(2019, 5, 1), "令和", "R"),
    (dt.date(1989, 1, 8), "平成", "H"),
    (dt.date(1926, 12, 25), "昭和", "S"),
    (dt.date(1912, 7, 30), "大正", "T"),
    (dt.date(1868, 1, 25), "明治", "M"),
)
_WEEKDAYS_JA = "月火水木金土日"
_WEEKDAYS_EN = "Monday Tuesday Wednesday Thursday Friday Saturday Sunday".split()
_MONTHS_EN = ("January February March April May June July August September October "
              "November December").split()


def shown_text(value: object, number_format: str | None = "General") -> tuple[str, bool]:
    """The text a cell shows, and whether its format was understood.

    ``None`` is ``""``; text is itself; ``True`` is ``TRUE``; numbers and
    dates go through ``number_format``. When the format is not understood the
    value is shown as General and the flag is ``False``. Cost: one regular
    expression pass over the format.

    >>> shown_text(dt.datetime(2026, 1, 2), "m-d")
    ('1-2', True)
    >>> shown_text(11111.0, "General"), shown_text(123, "00000")
    (('11111', True), ('00123', True))
    >>> shown_text(1234567, "#,##0"), shown_text(0.125, "0.0%")
    (('1,234,567', True), ('12.5%', True))
    >>> shown_text(dt.datetime(2025, 4, 1), '[$-411]ggge"年"m"月"d"日"')
    ('令和7年4月1日', True)
    """
    if value is None:
        return "", True
    if isinstance(value, str):
        return value, True
    if isinstance(value, bool):
        return ("TRUE" if value else "FALSE"), True
    fmt = number_format or "General"
    section = _section(fmt, value)
    if section is None:
        return general_text(value), True
    if isinstance(value, dt.datetime | dt.date | dt.time):
        if _is_date_format(section):
            return _date_text(value, section), True
        return general_text(value), False
    number = isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))
    if not number or _is_date_format(section):
        return general_text(value), False  # a duration, nan or inf, a serial number as a date
    # A negative number in a format with its own negative section is shown unsigned.
    negative_section = value < 0 and ";" in _strip_literals(fmt)
    try:
        return _number_text(abs(value) if negative_section else value, section)
    except ArithmeticError:  # past decimal's precision (about 1e28): shown as General
        return general_text(value), False


def general_text(value: object) -> str:
    """A value as Excel's General format shows it: integers without ``.0``.

    >>> general_text(11111.0), general_text(1.5), general_text(dt.datetime(2026, 1, 2))
    ('11111', '1.5', '2026-01-02 00:00:00')
    """
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else f"{value:.15g}"
    return str(value)


def _strip_literals(fmt: str) -> str:
    return re.sub(r'"[^"]*"|\\.', "", fmt)


@functools.lru_cache(maxsize=256)
def _tokens(fmt: str) -> tuple[str, ...]:
    """A format's tokens (cached: a sheet uses a handful of formats for all its cells)."""
    return tuple(_TOKEN.findall(fmt))


@functools.lru_cache(maxsize=256)
def _sections(fmt: str) -> tuple[str, ...]:
    sections = [""]
    for token in _tokens(fmt):
        if token == ";":
            sections.append("")
        else:
            sections[-1] += token
    return tuple(sections)


def _section(fmt: str, value: object) -> str | None:
    """The section of ``fmt`` that applies to ``value``; ``None`` for General."""
    sections = _sections(fmt)
    chosen = sections[0]
    if isinstance(value, int | float):
        if value < 0 and len(sections) >= 2:
            chosen = sections[1]
        elif value == 0 and len(sections) >= 3:
            chosen = sections[2]
    return None if chosen.strip().lower() in (*_GENERAL, "@", "") else chosen


@functools.lru_cache(maxsize=256)
def _is_date_format(section: str) -> bool:
    return any(
        _DATE_TOKENS.match(token) for token in _tokens(section) if token[0] not in '"\\_*['
    )


def _literal(token: str) -> str:
    if token[0] == '"':
        return token[1:-1]
    if token[0] == "\\":
        return token[1:]
    if (token[0] in "_*" and len(token) == 2) or token[0] == "[":
        return ""  # padding, fill, colour, condition or locale
    return token


# --- dates and times --------------------------------------------------------------------------


def _date_text(value: dt.datetime | dt.date | dt.time, section: str) -> str:
    if isinstance(value, dt.time):
        value = dt.datetime.combine(dt.date(1899, 12, 31), value)
    elif not isinstance(value, dt.datetime):
        value = dt.datetime.combine(value, dt.time())
    tokens = _tokens(section)
    kinds = [t.lower() for t in tokens]
    dated = [i for i, kind in enumerate(kinds) if _DATE_TOKENS.match(kind)]
    twelve_hour = "am/pm" in kinds or "a/p" in kinds
    out = []
    for i, (token, kind) in enumerate(zip(tokens, kinds, strict=True)):
        if kind in ("m", "mm"):  # minutes after an hour or before seconds, else the month
            before = [kinds[j] for j in dated if j < i]
            after = [kinds[j] for j in dated if j > i]
            minutes = (before and before[-1][0] == "h") or (after and after[0][0] == "s")
            out.append(_digits(value.minute if minutes else value.month, kind))
        elif kind[0] == "m":  # mmm, mmmm, mmmmm
            name = _MONTHS_EN[value.month - 1]
            out.append({3: name[:3], 4: name, 5: name[0]}[len(kind)])
        elif kind[0] == "y":
            out.append(f"{value.year % 100:02d}" if len(kind) <= 2 else str(value.year))
        elif kind[0] == "d":
            weekday = _WEEKDAYS_EN[value.weekday()]
            out.append({1: str(value.day), 2: f"{value.day:02d}", 3: weekday[:3]}.get(
                len(kind), weekday))
        elif kind in ("aaa", "aaaa"):
            out.append(_WEEKDAYS_JA[value.weekday()] + ("曜日" if kind == "aaaa" else ""))
        elif kind[0] == "h":
            out.append(_digits(value.hour % 12 or 12 if twelve_hour else value.hour, kind))
        elif kind in ("s", "ss"):
            out.append(_digits(value.second, kind))
        elif kind in ("am/pm", "a/p"):
            pm = value.hour >= 12
            out.append(("PM" if pm else "AM") if kind == "am/pm" else ("P" if pm else "A"))
        elif kind[0] == "g":  # the era: R, 令, 令和
            name, initial, _ = _era(value.date())
            out.append({1: initial, 2: name[:1]}.get(len(kind), name))
        elif kind[0] == "e":  # the year of the era
            out.append(_digits(_era(value.date())[2], kind))
        elif kind[0] == ".":  # fractions of a second
            out.append("." + f"{value.microsecond / 1e6:.{len(kind) - 1}f}"[2:])
        else:
            out.append(_literal(token))
    return "".join(out)


def _digits(number: int, kind: str) -> str:
    """``number`` with two digits at least for a doubled token (``mm``), else as it is."""
    return f"{number:02d}" if len(kind) == 2 else str(number)


def _era(day: dt.date) -> tuple[str, str, int]:
    for start, name, initial in _ERAS:
        if day >= start:
            return name, initial, day.year - start.year + 1
    return "", "", day.year


# --- numbers ----------------------------------------------------------------------------------


def _number_text(value: int | float, section: str) -> tuple[str, bool]:
    if isinstance(value, int) and section in ("0", "#,##0"):  # the common integer formats
        return (str(value) if section == "0" else f"{value:,}"), True
    tokens = list(_tokens(section))
    if any(t.lower() in _GENERAL for t in tokens):  # General with literals: G/標準"件"
        return "".join(general_text(value) if t.lower() in _GENERAL else _literal(t)
                       for t in tokens), True
    if _UNSUPPORTED.search(_strip_literals(section)):
        return general_text(value), False
    value = value * 100 ** tokens.count("%")
    # Split at the first "." that is not a literal (".00" was read as one token).
    point = next((i for i, t in enumerate(tokens) if t == "." or t.startswith(".0")), None)
    if point is not None and tokens[point].startswith(".0"):
        tokens[point : point + 1] = ["."] + ["0"] * (len(tokens[point]) - 1)
    whole = tokens if point is None else tokens[:point]
    fraction = [] if point is None else tokens[point + 1 :]
    # Commas right after the last integer placeholder scale by 1000 each.
    last = max((i for i, t in enumerate(whole) if t in _PLACES), default=-1)
    trailing = whole[last + 1 :]
    scale = next((k for k, t in enumerate(trailing) if t != ","), len(trailing))
    value = value / 1000**scale  # a float from here on
    decimals = sum(1 for t in fraction if t in _PLACES)
    # Excel rounds half away from zero, on the decimal digits it shows (2.5 -> 3).
    exact = Decimal(general_text(abs(value)))
    rounded = f"{exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP):f}"
    int_digits, _, frac_digits = rounded.partition(".")
    placeholders = [t for t in whole if t in _PLACES]
    if int_digits == "0" and placeholders and "0" not in placeholders:
        int_digits = ""  # "#.##" shows 0.5 as ".5"
    text = _fill_whole(whole, int_digits, grouping="," in whole[:last])
    if point is not None:
        text += "." + (_fill_fraction(fraction, frac_digits) if decimals else "")
    return ("-" if value < 0 and float(rounded) != 0 else "") + text, True


def _fill_whole(tokens: list[str], digits: str, grouping: bool) -> str:
    """Integer digits into the placeholders from the right; extra digits go to the leftmost."""
    places = [i for i, t in enumerate(tokens) if t in _PLACES]
    if grouping:
        # Thousands separators: one run of placeholders, zero-padded, grouped by three.
        padded = digits.rjust(tokens.count("0"), "0")
        grouped = ""
        if padded:
            zeros = len(padded) - len(str(int(padded)))  # leading zeros are kept ungrouped
            grouped = padded[:zeros] + f"{int(padded):,}"
        first, last = (places[0], places[-1]) if places else (len(tokens), len(tokens) - 1)
        head = "".join(_literal(t) for t in tokens[:first])
        tail = "".join(_literal(t) for t in tokens[last + 1 :] if t != ",")
        return head + grouped + tail
    out = ["" if t in (*_PLACES, ",") else _literal(t) for t in tokens]
    for n, i in enumerate(reversed(places)):
        leftmost = n == len(places) - 1
        take, digits = (digits, "") if leftmost else (digits[-1:], digits[:-1])
        out[i] = take or _EMPTY_PLACE[tokens[i]]
    return "".join(out)


def _fill_fraction(tokens: list[str], digits: str) -> str:
    """Decimal digits into the placeholders from the left; ``#`` and ``?`` drop trailing zeros."""
    places = [i for i, t in enumerate(tokens) if t in _PLACES]
    out = ["" if t in _PLACES else _literal(t) for t in tokens]
    keep = len(digits)
    while keep > 0 and digits[keep - 1] == "0" and tokens[places[keep - 1]] != "0":
        keep -= 1
    for n, i in enumerate(places):
        out[i] = digits[n] if n < keep else _EMPTY_PLACE[tokens[i]]
    return "".join(out)
