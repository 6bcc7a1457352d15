"""The patterns of a layout: heading templates, numbers in any form, regular expressions
a layout file may hold (refused when they could run for ever).

A heading template is literal text around ``{no}`` (:func:`heading_regex`);
``{no}`` is a number in any written form (:func:`heading_number`): Arabic or
full-width digits, circled, Roman or kanji numerals, optionally in brackets of
either width. A pattern without ``{no}`` is a regular expression
(:func:`user_regex`).
"""

from __future__ import annotations

import re
import re._parser as re_parser  # the standard library's own parser, to check patterns
import unicodedata

from kcdata.messages import translate as _

__all__ = ["BARE_NUMBER_PATTERN", "NUMBER_PATTERN", "heading_number", "heading_regex",
           "user_regex"]

#: Characters of a number, in any of its written forms (before NFKC).
_NUMBER_CHARS = r"0-9０-９①-⑳ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫIVXivx一二三四五六七八九十"
_OPEN, _CLOSE = r"(（\[［〔【<＜〈", r")）\]］〕】>＞〉"
#: What ``{no}`` stands for in a heading pattern.
NUMBER_PATTERN = (
    rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
    rf"|(?P<bare>[0-9０-９]+|[①-⑳]|[{_NUMBER_CHARS}]+(?=[\s.．:：、]|$)))\s*[.．:：、]?\s*"
)
#: ``{no}`` alone: a bracketed or circled number, or a bare one followed by a space or stop.
BARE_NUMBER_PATTERN = (
    rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
    rf"|(?P<bare>[①-⑳]|[{_NUMBER_CHARS}]+(?=[\s.．:：、]|$)))\s*[.．:：、]?\s*"
)
_KANJI_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_ROMAN = {"I": 1, "V": 5, "X": 10}
_MAX_DIGITS = 18  # int64


def heading_regex(pattern: str) -> re.Pattern[str]:
    """A heading pattern compiled, anchored at the line's start; the rest is the title.

    A template with ``{no}`` is literal text around a number (any form of
    :func:`heading_number`): 「重点課題{no}.」 means a 「.」 after the number, never
    "any character"; a bracket or a full stop matches either width (「({no})」
    finds 「（1）」). A template that is ``{no}`` alone (a bare 「(1)」, 「①」 or
    「1.」 heading) needs white space, a full stop or the line's end after a
    bare number, so that 「2019年度…」 is not a heading. A pattern without
    ``{no}`` is a regular expression (:func:`user_regex`); with a ``(?P<no>…)``
    group it gives the number, without one the heading is unnumbered (the
    sections are numbered in order of appearance).
    """
    if "{no}" in pattern:
        before, _, after = pattern.partition("{no}")
        if after.strip():  # text follows the number: any run of number characters (第十一章)
            number = (rf"\s*(?:[{_OPEN}]\s*(?P<no>[{_NUMBER_CHARS}]+)\s*[{_CLOSE}]"
                      rf"|(?P<bare>[{_NUMBER_CHARS}]+))\s*")
        else:
            number = NUMBER_PATTERN if before.strip() else BARE_NUMBER_PATTERN
        pattern = f"{_literal(before)}{number}{_literal(after)}"
    else:
        user_regex(pattern, "heading")
    return re.compile(rf"\s*(?:{pattern})\s*(?P<title>.*)$", re.DOTALL)


_EITHER_WIDTH = {"(": "(（", ")": ")）", "[": "[［", "]": "]］", "（": "(（", "）": ")）",
                 ".": ".．", "．": ".．", ":": ":：", "：": ":："}


def _literal(text: str) -> str:
    """Template text as a regular expression: itself, brackets and stops of either width."""
    return "".join(f"[{re.escape(_EITHER_WIDTH[c])}]" if c in _EITHER_WIDTH else re.escape(c)
                   for c in text)


def user_regex(pattern: str, key: str) -> re.Pattern[str]:
    """A regular expression from a layout file, compiled; refused when it could run for ever.

    A repeated group that itself holds a repetition (``(\\w+\\s?)*``, ``(.+)+``)
    can take time exponential in the line's length on a line it does not match
    (ReDoS). Such a pattern is refused with a ``ValueError`` naming the key;
    write the repetition once (``[\\w\\s]*``). Patterns are Python's
    :mod:`re` syntax.

    >>> user_regex(r"^第\\d+章", "ignore").pattern
    '^第\\\\d+章'
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


_REPEATS = {"MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"}


def _nested_repeat(items: list, *, inside: bool) -> bool:
    """Whether a parsed pattern has an unbounded-or-many repeat inside another one."""
    for op, value in items:
        if str(op) in _REPEATS:
            _, high, body = value
            repeats = high is re_parser.MAXREPEAT or high > 1
            if repeats and inside:
                return True
            if _nested_repeat(body.data if hasattr(body, "data") else body,
                              inside=inside or repeats):
                return True
        elif str(op) == "SUBPATTERN":
            if _nested_repeat(value[-1].data, inside=inside):
                return True
        elif str(op) == "BRANCH":
            if any(_nested_repeat(branch.data, inside=inside) for branch in value[1]):
                return True
        elif str(op) in ("ASSERT", "ASSERT_NOT"):
            if _nested_repeat(value[1].data, inside=inside):
                return True
    return False


def heading_number(token: str) -> int:
    """The value of a heading number written in any of the usual forms.

    Arabic or full-width digits, circled numbers (①), Roman numerals (Ⅳ or IV)
    and kanji numerals up to 九十九. Raises ``ValueError`` for anything else,
    and for a number longer than 18 digits.

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
    if text and set(text) <= set(_KANJI_DIGITS) | {"十"}:
        tens, _ten, ones = text.rpartition("十")
        if "十" not in text:
            return int("".join(str(_KANJI_DIGITS[c]) for c in text))
        return (_KANJI_DIGITS.get(tens, 1) if tens else 1) * 10 + (
            _KANJI_DIGITS[ones] if ones else 0
        )
    raise ValueError(_("not a heading number: {token!r}").format(token=token))
