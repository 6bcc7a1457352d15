"""The ``kcdata`` console command's entry point.

It only imports :mod:`kcdata.cli` (and with it pandas, the slow part of the
start-up) inside a handler, so that Ctrl-C or SIGTERM during the start-up
ends the command as it does later: ``interrupted`` (``terminated``) on
stderr, exit status 130 (143), no traceback. Nothing has been written yet at
that point. Everything else is :func:`kcdata.cli.main`.
"""

from __future__ import annotations

import signal
import sys


class _Terminated(Exception):
    pass


def _on_sigterm(signum, frame):
    raise _Terminated


def main() -> int:
    """Run ``kcdata`` as a program; return its exit status."""
    previous = signal.signal(signal.SIGTERM, _on_sigterm)
    try:
        from kcdata.cli import main as run
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except _Terminated:
        print("terminated", file=sys.stderr)
        return 143
    finally:
        signal.signal(signal.SIGTERM, previous)
    try:
        return run()
    except KeyboardInterrupt:  # between the import and the command's own handler
        print("interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
