"""The errors and warnings of reading a document: ParseError and PlanWarning."""

from __future__ import annotations

from kcdata.messages import translate as _

__all__ = ["ParseError", "PlanWarning"]


class ParseError(ValueError):
    """A document that does not follow its layout.

    ``line`` is the 1-based line (or sheet row) of the offending line, or
    ``None`` for a problem of the whole document; ``reason`` says what is
    wrong; ``sheet`` names the spreadsheet's sheet, if any.
    """

    def __init__(self, reason: str, line: int | None = None, sheet: str | None = None) -> None:
        self.reason = reason
        self.line = line
        self.sheet = sheet
        where = f"{sheet}!{line}" if sheet is not None and line is not None else line
        super().__init__(_("line {line}: {message}").format(line=where, message=reason)
                         if line is not None else reason)

    def __reduce__(self):  # keep pickling (multiprocessing, joblib) working
        return type(self), (self.reason, self.line, self.sheet)


class PlanWarning(UserWarning):
    """A line skipped, joined or read in a special way; ``line`` and ``sheet`` say where."""

    def __init__(self, message: str, line: int | None = None, sheet: str | None = None) -> None:
        self.message = message
        self.line = line
        self.sheet = sheet
        super().__init__(_("line {line}: {message}").format(line=line, message=message)
                         if line is not None else message)

    def __reduce__(self):
        return type(self), (self.message, self.line, self.sheet)
