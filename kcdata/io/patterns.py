"""The patterns of a layout: heading templates, numbers in any written form, and the
regular expressions of a layout file (refused when they could run for ever)."""

from __future__ import annotations

import re
import re._parser as re_parser  # the standard library's own parser, to check patterns
import unicodedata

from kcdata.messages import translate as _

__all__ = ["BARE_NUMBER_PATTERN", "BRACKETS", "NUMBER_PATTERN", "heading_number",
           "heading_regex", "literal", "user_regex"]

#: Characters of a number, in any of its written forms (before NFKC).
_NUMBER_CHARS = r"0-9０-９①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫIVXivx一二三四五六七八九十"
_OPEN, _CLOSE = r"(（\[［〔【<＜〈", r")）\]］〕】>＞〉"
_STOP = r"(?=[\s.．:：、]|$)"


def _number(bare: str) -> str:
    """A number in brackets of any kind, or ``bare``; named groups ``no`` and ``bare``."""
    return rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]|(?P<bare>{bare}))\s*"


#: What ``{no}`` stands for in a heading pattern, a full stop after it allowed.
NUMBER_PATTERN = _number(rf"[0-9０-９]+|[①-⑳]|[{_NUMBER_CHARS}]+{_STOP}") + r"[.．:：、]?\s*"
#: ``{no}`` alone: a bracketed or circled number, or a bare one followed by a space or stop.
BARE_NUMBER_PATTERN = _number(rf"[①-⑳]|[{_NUMBER_CHARS}]+{_STOP}") + r"[.．:：、]?\s*"
#: Brackets of either width; with full stops and colons, the characters a template matches
#: in either width.
BRACKETS = {"(": "(（", ")": ")）", "[": "[［", "]": "]］", "（": "(（", "）": ")）"}
_EITHER_WIDTH = {**BRACKETS, ".": ".．", "．": ".．", ":": ":：", "：": ":："}
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ROMAN = {"I": 1, "V": 5, "X": 10}
_MAX_DIGITS = 18  # int64


def literal(text: str, widths: dict[str, str] = _EITHER_WIDTH) -> str:
    """Text as a regular expression matching itself, the characters of ``widths`` in
    either width."""
    return "".join(f"[{re.escape(widths[c])}]" if c in widths else re.escape(c) for c in text)


def heading_regex(pattern: str) -> re.Pattern[str]:
    """A heading pattern compiled, anchored at the line's start; the rest is the title.

    A template with ``{no}`` is literal text around a number in any form
    (:func:`heading_number`); ``{no}`` alone needs white space, a stop or the
    line's end after a bare number (「2019年度…」 is no heading). Any other pattern
    is a regular expression (:func:`user_regex`), numbered by a ``(?P<no>…)``
    group or, without one, in order of appearance.
    """
    if "{no}" in pattern:
        before, _, after = pattern.partition("{no}")
        if after.strip():  # text follows the number: any run of number characters (第十一章)
            number = _number(rf"[{_NUMBER_CHARS}]+")
        else:
            number = NUMBER_PATTERN if before.strip() else BARE_NUMBER_PATTERN
        pattern = f"{literal(before)}{number}{literal(after)}"
    else:
        user_regex(pattern, "heading")
    return re.compile(rf"\s*(?:{pattern})\s*(?P<title>.*)$", re.DOTALL)


def user_regex(pattern: str, key: str) -> re.Pattern[str]:
    """A regular expression of a layout file, compiled; a ``ValueError`` naming ``key`` when
    it is not one, or when a repeated group repeats itself (ReDoS: ``(\\w+\\s?)*``).

    >>> user_regex(r"^(\\w+\\s?)*$", "ignore")
    Traceback (most recent call last):
    ...
    ValueError: ignore: the pattern '^(\\\\w+\\\\s?)*$' repeats a group that repeats itself ...
    """
    if not isinstance(pattern, str) or not pattern:
        raise ValueError(_("{key}: expected a regular expression (a non-empty string)").format(
            key=key))
    try:
        compiled = re.compile(pattern)
        tree = re_parser.parse(pattern)
    except re.error as err:
        raise ValueError(_("{key}: not a regular expression: {pattern!r} ({err})").format(
            key=key, pattern=pattern, err=err)) from None
    if _nested_repeat(tree.data, inside=False):
        raise ValueError(_(
            "{key}: the pattern {pattern!r} repeats a group that repeats itself "
            "(such as {example}), which can run for ever on an ordinary line; "
            "write the repetition once, as in {once}"
        ).format(key=key, pattern=pattern, example=r"(\w+\s?)*", once=r"[\w\s]*"))
    return compiled


def _nested_repeat(items: list, *, inside: bool) -> bool:
    """Whether a parsed pattern has a repeat (more than once) inside another one."""
    for op, value in items:
        op = str(op)
        if op in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            _, high, body = value
            repeats = high is re_parser.MAXREPEAT or high > 1
            if (repeats and inside) or _nested_repeat(
                    getattr(body, "data", body), inside=inside or repeats):
                return True
        elif op == "BRANCH" and any(_nested_repeat(branch.data, inside=inside)
                                    for branch in value[1]):
            return True
        elif op in ("SUBPATTERN", "ASSERT", "ASSERT_NOT") and _nested_repeat(
                value[-1].data, inside=inside):
            return True
    return False


def heading_number(token: str) -> int:
    """The value of a heading number: Arabic or full-width digits, circled (①), Roman (Ⅳ,
    IV) or kanji up to 九十九; a ``ValueError`` otherwise or past 18 digits.

    >>> [heading_number(t) for t in ["3", "１２", "④", "Ⅳ", "xii", "十一", "二十"]]
    [3, 12, 4, 4, 12, 11, 20]
    """
    text = unicodedata.normalize("NFKC", token).strip()
    if text.isdigit() and text.isascii():
        if len(text.lstrip("0")) > _MAX_DIGITS:
            raise ValueError(_("heading number {number} is too long (at most {n} digits)").format(
                number=text, n=_MAX_DIGITS))
        return int(text)
    if text and set(text.upper()) <= set(_ROMAN):
        values = [_ROMAN[c] for c in text.upper()]
        return sum(-v if i + 1 < len(values) and v < values[i + 1] else v
                   for i, v in enumerate(values))
    if text and set(text) <= set(_KANJI_DIGITS):
        return int("".join(str(_KANJI_DIGITS[c]) for c in text))
    if text and set(text) <= set(_KANJI_DIGITS) | {"十"}:
        tens, _ten, ones = text.rpartition("十")
        return _KANJI_DIGITS.get(tens, 1) * 10 + (_KANJI_DIGITS[ones] if ones else 0)
    raise ValueError(_("not a heading number: {token!r}").format(token=token))
