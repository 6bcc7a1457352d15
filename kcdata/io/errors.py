"""The errors and warnings of reading a document: ParseError and PlanWarning."""

from __future__ import annotations

from kcdata.messages import translate as _

__all__ = ["ParseError", "PlanWarning"]


class ParseError(ValueError):
    """A document that does not follow its layout: ``reason``, at ``line`` (``None``: the
    whole document) of ``sheet`` (if any)."""

    def __init__(self, reason: str, line: int | None = None, sheet: str | None = None) -> None:
        self.reason, self.line, self.sheet = reason, line, sheet
        where = f"{sheet}!{line}" if sheet is not None and line is not None else line
        super().__init__(reason if line is None else
                         _("line {line}: {message}").format(line=where, message=reason))

    def __reduce__(self):  # pickling (multiprocessing) keeps the attributes
        return type(self), (self.reason, self.line, self.sheet)


class PlanWarning(UserWarning):
    """A line skipped, joined or read in a special way; ``line`` and ``sheet`` say where."""

    def __init__(self, message: str, line: int | None = None, sheet: str | None = None) -> None:
        self.message, self.line, self.sheet = message, line, sheet
        super().__init__(message if line is None else
                         _("line {line}: {message}").format(line=line, message=message))

    def __reduce__(self):
        return type(self), (self.message, self.line, self.sheet)
