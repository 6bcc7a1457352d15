"""The charts' house style: figure size, palette, wrapped labels, literal text, saving.

Figures are 7.5 inches wide (A4 less margins) with constrained layout, coloured with
the Okabe-Ito colour-blind-safe palette (grey for 「その他」), and saved reproducibly as
PNG and SVG. matplotlib is imported only when a figure is made or saved.
"""

from __future__ import annotations

import functools
import io
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.files import atomic_path
from kcdata.limits import MAX_FIGURE_INCHES
from kcdata.outputs.fonts import use_japanese_font
from kcdata.vocab import display_width

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI", "FIGURE_WIDTH", "GRID", "LABEL_SIZE", "NEUTRAL", "OKABE_ITO", "SVG_FALLBACK_FONTS",
    "SVG_HASH_SALT", "TITLE_SIZE", "bar_axes", "integer_axis", "literal_text", "new_figure",
    "note_figure", "note_text", "policy_colours", "save_figure", "style_axes", "svg_text",
    "text_colour", "use_japanese_font", "wrap_label",
]

FIGURE_WIDTH = 7.5  # inches
DPI = 200  # of the PNG files
#: Fixed salt for the ids in SVG files, so that saving twice gives the same bytes.
SVG_HASH_SALT = "kcdata"
#: The fonts an SVG file names after IPAexGothic: Japanese fonts of Windows and macOS.
SVG_FALLBACK_FONTS = ("Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans",
                      "Hiragino Kaku Gothic ProN", "sans-serif")
#: The Okabe-Ito colour-blind-safe palette, darkest first.
OKABE_ITO = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442",
             "#000000")
NEUTRAL = "#555555"  # 「その他」 bars and segments, notes
GRID = "#DDDDDD"  # grid lines and cell borders
TITLE_SIZE = 12
LABEL_SIZE = 9


def policy_colours(policy_nos: Iterable[int]) -> dict[int, str]:
    """Each 基本方針 number's colour: :data:`OKABE_ITO` in number order, round again after 8.

    >>> policy_colours([3, 1, 1])
    {1: '#0072B2', 3: '#E69F00'}
    """
    ordered = sorted({int(p) for p in policy_nos})
    return {p: OKABE_ITO[i % len(OKABE_ITO)] for i, p in enumerate(ordered)}


# Japanese line-breaking rules: characters that must not begin, or end, a line.
_NO_LINE_START = set("、。，．,.)）」』】〕〉》・ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
_NO_LINE_END = set("(（「『【〔〈《")


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@functools.cache
def _phrase_parser() -> Any:
    import budoux

    return budoux.load_default_japanese_parser()


def _tokens(text: str, width: int) -> list[str]:
    """BudouX's phrases of ``text``; a phrase wider than ``width`` is cut into characters,
    runs of ASCII letters and digits kept whole."""
    tokens: list[str] = []
    for phrase in _phrase_parser().parse(text) if text else []:
        if display_width(phrase) <= width:
            tokens.append(phrase)
            continue
        for ch in phrase:
            if tokens and _is_word_char(ch) and _is_word_char(tokens[-1][-1]):
                tokens[-1] += ch
            else:
                tokens.append(ch)
    return tokens


def _is_one_word(line: str) -> bool:
    """Whether ``line`` is one run of ASCII letters and digits (and its marks): unbreakable."""
    word = line.rstrip("".join(_NO_LINE_START)).lstrip("".join(_NO_LINE_END))
    return bool(word) and all(_is_word_char(c) for c in word)


def _greedy_wrap(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    for token in _tokens(paragraph, width):
        w = display_width(token)
        fits = used + w <= width
        # Closing punctuation stays on the line before: it may overhang by one (or more
        # after a line that is one word).
        if (not fits and line and token[0] in _NO_LINE_START
                and (used + w <= width + 2 or _is_one_word(line))):
            fits = True
        if fits or not line:
            line, used = line + token, used + w
            continue
        carry = ""
        if token[0] in _NO_LINE_START and line[-1] in _NO_LINE_START:
            # The line already overhangs: break before its last ordinary character.
            k = len(line) - 1
            while k > 0 and line[k] in _NO_LINE_START:
                k -= 1
            while k > 0 and _is_word_char(line[k - 1]) and _is_word_char(line[k]):
                k -= 1
            if k > 0:
                carry, line = line[k:], line[:k]
        while line and line[-1] in _NO_LINE_END:
            carry, line = line[-1] + carry, line[:-1]
        if line:
            lines.append(line)
        line, used = carry + token, display_width(carry + token)
    lines.append(line)
    return lines


def wrap_label(text: str, width: int = 30) -> str:
    """Wrap ``text`` into balanced lines of at most ``width`` columns (full-width chars count 2).

    Lines break between BudouX phrases, so no word is cut; a phrase wider than ``width``
    breaks between characters, never inside an ASCII word, before closing punctuation or
    after an opening bracket. The fewest lines, made as even as possible; existing line
    breaks are kept.

    >>> wrap_label("地域活動への住民参加の促進", 20)
    '地域活動への\\n住民参加の促進'
    >>> wrap_label("ICTを活用したまちづくり", 10)
    'ICTを活\\n用したま\\nちづくり'
    """
    if width < 2:
        raise ValueError("width must be at least 2")
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines = _greedy_wrap(paragraph, width)
        # Narrow the lines while their number stays, never so far that a phrase is cut.
        narrower = width
        while narrower > max([2, *(display_width(t) for t in _tokens(paragraph, width))]):
            candidate = _greedy_wrap(paragraph, narrower - 1)
            if len(candidate) > len(lines):
                break
            lines, narrower = candidate, narrower - 1
        out.extend(lines)
    return "\n".join(out)


def text_colour(background: str | tuple[float, ...]) -> str:
    """Black or white, whichever reads better on ``background`` (WCAG luminance)."""
    from matplotlib.colors import to_rgb

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(c) for c in to_rgb(background))
    return "black" if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.179 else "white"


def new_figure(height: float) -> Figure:
    """A figure with constrained layout, at most MAX_FIGURE_INCHES tall, closed in pyplot.

    Made through pyplot so that notebooks show it; closed at once so that it is not kept.
    """
    import matplotlib.pyplot as plt

    use_japanese_font()
    fig = plt.figure(figsize=(FIGURE_WIDTH, min(height, MAX_FIGURE_INCHES)), layout="constrained")
    plt.close(fig)
    return fig


def style_axes(ax: Axes, *, grid_axis: str = "x") -> None:
    """The house style of an axes: no top and right spines, label size, a light grid."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=LABEL_SIZE)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def integer_axis(axis: Any) -> None:
    """Ticks only at whole numbers on ``axis`` (counts are never fractions)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


def bar_axes(ax: Axes, labels: list[str], xlabel: str, ylabel: str | None = None) -> None:
    """The house style of a horizontal bar chart: a bar per label, the first at the top."""
    ax.set_yticks(range(len(labels)), labels, fontsize=LABEL_SIZE)
    ax.set_ylim(len(labels) - 0.5, -0.5)
    ax.set_xlabel(xlabel, fontsize=LABEL_SIZE)
    if ylabel is not None:
        ax.set_ylabel(ylabel, fontsize=LABEL_SIZE)
    style_axes(ax)
    integer_axis(ax.xaxis)


def note_text(ax: Axes, text: str) -> None:
    """Write ``text`` in grey in the middle of ``ax``: why there is nothing to draw there."""
    ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
            fontsize=LABEL_SIZE + 1, color=NEUTRAL)


def note_figure(title: str, text: str) -> Figure:
    """A chart that is only its ``title`` and a sentence saying why it shows nothing."""
    fig = new_figure(height=1.6)
    ax = fig.subplots()
    note_text(ax, wrap_label(text, 80))
    ax.set_axis_off()
    ax.set_title(title, fontsize=TITLE_SIZE)
    return fig


def literal_text(chart: Callable[..., Figure]) -> Callable[..., Figure]:
    """Make ``chart`` draw every text literally: a ``$`` never starts mathtext.

    Lone surrogates are removed from the table first, with a TextCleanedWarning.
    """

    @functools.wraps(chart)
    def literal_chart(df: pd.DataFrame, *args, **kwargs) -> Figure:
        import matplotlib

        from kcdata.safetext import remove_lone_surrogates

        df = remove_lone_surrogates(df, what=f"chart {chart.__name__}")
        use_japanese_font()  # before the rc context, which would undo it
        with matplotlib.rc_context({"text.parse_math": False}):
            return chart(df, *args, **kwargs)

    return literal_chart


def _keep_layout(fig: Figure) -> None:
    """Lay ``fig`` out once at :data:`DPI`, then drop its layout engine.

    ``savefig`` draws a figure that has any layout engine (even ``"none"``'s
    place-holder) twice; with none, each of the two files is drawn once. An Agg
    canvas lays it out, so the PNG is drawn by the renderer that measured its text.
    """
    import matplotlib
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not isinstance(fig.canvas, FigureCanvasAgg):
        FigureCanvasAgg(fig)
    engine = fig.get_layout_engine()
    if engine is not None and fig.axes:
        dpi = fig.dpi
        fig.dpi = DPI
        try:
            engine.execute(fig)
        except ValueError:  # as Figure.draw does: a layout that cannot be made is skipped
            pass
        finally:
            fig.dpi = dpi
    with matplotlib.rc_context({"figure.autolayout": False,
                                "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _save_png(fig: Figure, path: Path) -> None:
    """``fig`` as a PNG at :data:`DPI`, without metadata; stored as RGB when it is opaque."""
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI)
    size = tuple(int(v * DPI) for v in fig.get_size_inches())
    image = Image.frombuffer("RGBA", size, raw.getbuffer(), "raw", "RGBA", 0, 1)
    if image.getchannel("A").getextrema() == (255, 255):
        image = image.convert("RGB")
    image.save(path, format="png", dpi=(DPI, DPI), compress_level=3)


def svg_text(fig: Figure, salt: str = SVG_HASH_SALT) -> str:
    """``fig`` as the text of an SVG file, as :func:`save_figure` writes it.

    Text stays text (the viewer's font draws it: IPAexGothic, then
    :data:`SVG_FALLBACK_FONTS`); ``salt`` seeds the ids (two SVGs in one page need two
    salts); no metadata block.
    """
    import matplotlib

    family = use_japanese_font()
    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": salt, "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg",
                    metadata={"Date": None, "Format": None, "Type": None, "Creator": None})
    text = buffer.getvalue()
    if family is not None:  # matplotlib names the one font it drew with
        fonts = ", ".join(f if f == "sans-serif" else repr(f)
                          for f in dict.fromkeys([family, *SVG_FALLBACK_FONTS]))
        text = text.replace(f"font-family: {family!r}", f"font-family: {fonts}")
    return text


def save_figure(
    fig: Figure, stem_path: str | os.PathLike[str], *, salt: str = SVG_HASH_SALT
) -> list[Path]:
    """Save ``fig`` as ``<stem_path>.png`` (200 dpi) and ``.svg``, atomically; return both paths.

    Byte-for-byte reproducible. Constrained layout moves the axes by ~1e-6 at each draw,
    so the figure is laid out once and kept (it is left with no layout engine; call
    ``fig.set_layout_engine("constrained")`` after editing it). A ``.png`` or ``.svg``
    suffix on ``stem_path`` is dropped.
    """
    stem = Path(stem_path)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    png = stem.with_name(f"{stem.name}.png")
    svg = stem.with_name(f"{stem.name}.svg")
    _keep_layout(fig)
    with atomic_path(png) as tmp:
        _save_png(fig, tmp)
    with atomic_path(svg) as tmp:
        tmp.write_text(svg_text(fig, salt), encoding="utf-8", newline="\n")
    return [png, svg]
