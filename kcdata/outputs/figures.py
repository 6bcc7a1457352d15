"""The charts' house style: figure size, palette, fonts, labels, literal text, saving.

What every chart of :mod:`kcdata.outputs.charts` and :mod:`kcdata.outputs.corpus_charts`
shares: titles, axes and legends in Japanese; long labels wrapped by display width
(full-width characters count as two, :func:`wrap_label`); the Okabe-Ito
colour-blind-safe palette (:data:`OKABE_ITO`, grey :data:`NEUTRAL` for 「その他」);
7.5 inches wide to fit an A4 page with margins; constrained layout so no label
is clipped (:func:`new_figure`); text drawn as written, a ``$`` never the start
of mathtext (:func:`literal_text`); files saved byte-for-byte reproducibly as
PNG and SVG (:func:`save_figure`, :func:`svg_text`). No figure is taller than
:data:`~kcdata.limits.MAX_FIGURE_INCHES`. matplotlib is imported only inside the
functions, when a figure is made or saved.

>>> wrap_label("地域活動への住民参加の促進", 20)
'地域活動への\\n住民参加の促進'
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd

from kcdata.files import atomic_path
from kcdata.limits import MAX_FIGURE_INCHES
from kcdata.outputs.fonts import use_japanese_font
from kcdata.vocab import char_width

if TYPE_CHECKING:  # pragma: no cover
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

__all__ = [
    "DPI",
    "FIGURE_WIDTH",
    "GRID",
    "LABEL_SIZE",
    "NEUTRAL",
    "OKABE_ITO",
    "PNG_COMPRESS_LEVEL",
    "SVG_FALLBACK_FONTS",
    "SVG_HASH_SALT",
    "TITLE_SIZE",
    "integer_axis",
    "literal_text",
    "new_figure",
    "note_figure",
    "note_text",
    "policy_colours",
    "save_figure",
    "style_axes",
    "svg_text",
    "text_colour",
    "use_japanese_font",
    "wrap_label",
]

#: Width of every figure in inches: an A4 page (8.27 in) less margins.
FIGURE_WIDTH = 7.5
#: Resolution of the PNG files.
DPI = 200
#: zlib level of the PNG files: 3 encodes about 30 % faster than Pillow's default 6; the
#: report's PNGs are 1 % larger in all (up to 8 % for one), with the same pixels.
PNG_COMPRESS_LEVEL = 3
#: Fixed salt for the ids in SVG files, so that saving twice gives the same bytes.
SVG_HASH_SALT = "kcdata"
#: The fonts an SVG file names after the charts' own (IPAexGothic), for a computer
#: without it: the Japanese fonts of Windows (Yu Gothic, Meiryo, MS Gothic) and of
#: macOS (Hiragino), then any sans-serif font. SVG text is kept as text (see
#: :func:`svg_text`), so it is drawn with a font of the computer that shows it.
SVG_FALLBACK_FONTS = ("Yu Gothic", "Meiryo", "MS Gothic", "Hiragino Sans",
                      "Hiragino Kaku Gothic ProN", "sans-serif")
#: The Okabe-Ito colour-blind-safe palette, darkest-first order for bars on white.
OKABE_ITO = (
    "#0072B2",  # blue
    "#E69F00",  # orange
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#D55E00",  # vermillion
    "#F0E442",  # yellow
    "#000000",  # black
)

#: The colour of what is not one 基本方針: 「その他」 bars and segments, notes.
NEUTRAL = "#555555"
#: The colour of grid lines and cell borders.
GRID = "#DDDDDD"
#: Font sizes (points) of chart titles and of tick and bar labels.
TITLE_SIZE = 12
LABEL_SIZE = 9


def policy_colours(policy_nos: Iterable[int]) -> dict[int, str]:
    """Each 基本方針 number's colour: :data:`OKABE_ITO` in number order, round again after 8.

    >>> policy_colours([3, 1, 1])
    {1: '#0072B2', 3: '#E69F00'}
    """
    ordered = sorted({int(p) for p in policy_nos})
    return {p: OKABE_ITO[i % len(OKABE_ITO)] for i, p in enumerate(ordered)}


# Characters that must not begin a wrapped line (Japanese line-breaking rules).
_NO_LINE_START = set("、。，．,.)）」』】〕〉》・ー～ぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮヵヶ")
# Characters that must not end a wrapped line.
_NO_LINE_END = set("(（「『【〔〈《")


# ---------------------------------------------------------------- text helpers


def _is_word_char(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@functools.cache
def _phrase_parser() -> Any:
    """BudouX's Japanese phrase segmenter (its model loaded once per process)."""
    import budoux

    return budoux.load_default_japanese_parser()


def _tokens(text: str, width: int) -> list[str]:
    """The pieces a line may break between: Japanese phrases (BudouX), so that no word is cut.

    A phrase wider than ``width`` is cut into :func:`_characters` (it could not
    fit a line anyway).
    """
    tokens: list[str] = []
    for phrase in _phrase_parser().parse(text) if text else []:
        if sum(char_width(c) for c in phrase) <= width:
            tokens.append(phrase)
        else:
            tokens.extend(_characters(phrase))
    return tokens


def _characters(text: str) -> list[str]:
    """Runs of ASCII letters/digits stay whole; every other character is a token."""
    tokens: list[str] = []
    for ch in text:
        if tokens and _is_word_char(ch) and _is_word_char(tokens[-1][-1]):
            tokens[-1] += ch
        else:
            tokens.append(ch)
    return tokens


def _is_one_word(line: str) -> bool:
    """Whether ``line`` is one run of ASCII letters and digits (with its brackets and
    punctuation): a line that has nowhere to break, however wide."""
    word = line.rstrip("".join(_NO_LINE_START)).lstrip("".join(_NO_LINE_END))
    return bool(word) and all(_is_word_char(c) for c in word)


def _greedy_wrap(paragraph: str, width: int) -> list[str]:
    lines: list[str] = []
    line, used = "", 0
    for token in _tokens(paragraph, width):
        w = sum(char_width(c) for c in token)
        fits = used + w <= width
        # Keep closing punctuation with the line before (it may overhang by one, or
        # more after a line that is one word: there is nowhere to break it).
        if (not fits and line and token[0] in _NO_LINE_START
                and (used + w <= width + 2 or _is_one_word(line))):
            fits = True
        if fits or not line:
            line, used = line + token, used + w
            continue
        carry = ""
        if token[0] in _NO_LINE_START and line[-1] in _NO_LINE_START:
            # The line already overhangs (「ティ」 then 「、」): break before the
            # last ordinary character instead, taking it and its marks down.
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
        line, used = carry + token, sum(char_width(c) for c in carry + token)
    lines.append(line)
    return lines


def wrap_label(text: str, width: int = 30) -> str:
    """Wrap ``text`` into balanced lines of at most ``width`` display columns.

    Full-width characters (East Asian width W or F) count as two columns,
    others as one. Lines break between phrases, as BudouX segments Japanese
    (「地域コミュニティに／対する／理解や」), so that no word is cut
    (「コミュ／ニティ」); a phrase wider than ``width`` breaks between
    characters, never inside a run of ASCII letters and digits, never before
    closing punctuation such as 「、」「）」 nor after an opening bracket; a token
    wider than ``width`` gets a line of its own (with its brackets and punctuation).
    The lines are balanced: the fewest lines that fit ``width``, made as even
    as possible, so no line is left with a single character. Existing line breaks are kept.

    >>> wrap_label("地域コミュニティに対する理解や連帯意識の高揚の促進", 30)
    '地域コミュニティに対する\\n理解や連帯意識の高揚の促進'
    >>> wrap_label("ICTを活用したまちづくり", 10)
    'ICTを活\\n用したま\\nちづくり'
    """
    if width < 2:
        raise ValueError("width must be at least 2")
    out: list[str] = []
    for paragraph in text.split("\n"):
        lines = _greedy_wrap(paragraph, width)
        # Balancing narrows the lines, but never so far that a phrase that fits is cut.
        whole = [sum(char_width(c) for c in t) for t in _tokens(paragraph, width)]
        narrower = width
        while narrower > max([2, *whole]):
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
    luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b
    return "black" if luminance > 0.179 else "white"


# ---------------------------------------------------------------- figure helpers


def new_figure(height: float, width: float = FIGURE_WIDTH) -> Figure:
    """A figure with constrained layout, not kept in pyplot's registry.

    Made through pyplot (so notebooks get pyplot's display hooks) and closed
    at once: it stays usable for drawing, showing and saving.
    """
    import matplotlib.pyplot as plt

    use_japanese_font()
    height = min(height, MAX_FIGURE_INCHES)
    fig = plt.figure(figsize=(width, height), layout="constrained")
    plt.close(fig)
    return fig


def style_axes(ax: Axes, *, grid_axis: str = "x") -> None:
    """The house style of an axes: no top and right spines, label size, a light grid."""
    ax.spines[["top", "right"]].set_visible(False)
    ax.tick_params(labelsize=LABEL_SIZE)
    ax.grid(axis=grid_axis, color=GRID, linewidth=0.6)
    ax.set_axisbelow(True)


def integer_axis(axis: Any) -> None:
    """Put ticks only at whole numbers on ``axis`` (counts are never fractions)."""
    from matplotlib.ticker import MaxNLocator

    axis.set_major_locator(MaxNLocator(integer=True))


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
    """Make ``chart`` draw every text literally: no mathtext, whatever ``$`` it holds.

    matplotlib reads a text with two ``$`` as mathtext: a department named
    ``$\\foo$課`` would stop the drawing with a parse error, a title
    ``予算$5から$10へ`` would lose its ``$`` and its kana. Every Text object
    made while the chart is built (titles, tick labels, legends, annotations)
    takes ``parse_math`` from ``rcParams["text.parse_math"]``, which is off for
    the call. The font is set up first, so that the rc context does not undo it.
    Lone surrogates (no font, no file can hold them) are removed from the table
    first, with a :class:`kcdata.safetext.TextCleanedWarning`.
    """

    @functools.wraps(chart)
    def literal_chart(df: pd.DataFrame, *args, **kwargs) -> Figure:
        import matplotlib

        from kcdata.safetext import remove_lone_surrogates

        df = remove_lone_surrogates(df, what=f"chart {chart.__name__}")
        use_japanese_font()
        with matplotlib.rc_context({"text.parse_math": False}):
            return chart(df, *args, **kwargs)

    return literal_chart



# ---------------------------------------------------------------- saving


def _use_agg_canvas(fig: Figure) -> None:
    """Give ``fig`` an Agg canvas if it has none (a figure shown in a window keeps its own).

    A figure closed in pyplot is left with matplotlib's base canvas, which makes
    a new canvas, and a new renderer, for every layout and every save: each
    label is then measured again each time. With one Agg canvas the layout and
    the PNG use the same renderer, and each label is measured once for both.
    """
    from matplotlib.backend_bases import FigureCanvasBase
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if type(fig.canvas) is FigureCanvasBase:
        FigureCanvasAgg(fig)


def _fix_layout(fig: Figure) -> None:
    """Run the figure's layout engine once at :data:`DPI`, then keep the positions.

    Only the engine runs (no draw pass after it), and the figure is left with
    no layout engine at all rather than ``set_layout_engine("none")``'s
    place-holder: ``savefig`` runs an extra draw pass before printing a figure
    that has any layout engine, which is wasted once the positions are fixed.
    """
    import matplotlib
    from matplotlib.layout_engine import PlaceHolderLayoutEngine

    engine = fig.get_layout_engine()
    if engine is None or isinstance(engine, PlaceHolderLayoutEngine):
        return
    if fig.axes:
        dpi = fig.dpi
        try:
            fig.dpi = DPI
            engine.execute(fig)
        except ValueError:  # as Figure.draw does: a layout that cannot be made is skipped
            pass
        finally:
            fig.dpi = dpi
    with matplotlib.rc_context({"figure.autolayout": False,
                                "figure.constrained_layout.use": False}):
        fig.set_layout_engine(None)


def _save_png(fig: Figure, path: Path) -> None:
    """Save ``fig`` as a PNG at :data:`DPI`, without an alpha channel when it is opaque.

    The charts have an opaque white background, so their alpha channel is
    255 everywhere: the pixels are rendered once (``savefig`` to raw RGBA)
    and, when every pixel is opaque, encoded as RGB, a quarter less data for
    zlib (encoding about 40 % faster, files about 10 % smaller, the same
    picture). A figure with any transparency is saved as RGBA, as
    ``savefig`` would. No software or date metadata; the resolution is stored.
    """
    import io

    import numpy as np
    from PIL import Image

    raw = io.BytesIO()
    fig.savefig(raw, format="rgba", dpi=DPI)
    width, height = (int(v) for v in fig.get_size_inches() * DPI)
    pixels = np.frombuffer(raw.getbuffer(), dtype=np.uint8)
    if pixels.size != width * height * 4:  # pragma: no cover - a renderer of another size
        fig.savefig(path, format="png", dpi=DPI, metadata={"Software": None},
                    pil_kwargs={"compress_level": PNG_COMPRESS_LEVEL})
        return
    pixels = pixels.reshape(height, width, 4)
    image = Image.fromarray(pixels, "RGBA")
    if pixels[..., 3].min() == 255:
        image = image.convert("RGB")
    image.save(path, format="png", dpi=(DPI, DPI), compress_level=PNG_COMPRESS_LEVEL)


def svg_text(fig: Figure, salt: str = SVG_HASH_SALT) -> str:
    """``fig`` as the text of an SVG file, text kept as text; what :func:`save_figure` writes.

    Labels are ``<text>`` elements (``svg.fonttype = "none"``), not glyph
    outlines: the file is smaller and quicker to write, its text can be
    searched, copied and edited (Inkscape, Illustrator, PowerPoint), and the
    computer that shows it draws the text with its own font. The font named
    is the charts' (IPAexGothic), then :data:`SVG_FALLBACK_FONTS`, the
    Japanese fonts every Windows and Mac has. ``salt`` seeds the ids of the
    clip paths and hatch patterns (the same figure and salt give the same
    text; two SVGs in one HTML page need different salts). No metadata block
    (no date, no creator).
    """
    import io

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
    """Save ``fig`` as ``<stem_path>.png`` (200 dpi) and ``<stem_path>.svg``; return both paths.

    Each file is written atomically (:func:`kcdata.files.atomic_path`) and is
    byte-for-byte reproducible: no software/date metadata (an opaque PNG is
    stored as RGB, see :func:`_save_png`), a fixed SVG hash salt (``salt``),
    and a fixed layout. The SVG keeps its text as text (:func:`svg_text`).
    Constrained layout does not reach a fixed point
    (each draw moves axes by ~1e-6, so a figure saved twice would differ), so
    the first save lays the figure out once, at the PNG's resolution, and then
    fixes it (the figure is left without a layout engine); call
    ``fig.set_layout_engine("constrained")`` to lay it out again after editing.
    A ``.png`` or ``.svg`` suffix on ``stem_path`` is dropped.
    """
    stem = Path(stem_path)
    if stem.suffix.lower() in (".png", ".svg"):
        stem = stem.with_suffix("")
    png = stem.with_name(f"{stem.name}.png")
    svg = stem.with_name(f"{stem.name}.svg")
    use_japanese_font()
    _use_agg_canvas(fig)
    _fix_layout(fig)
    with atomic_path(png) as tmp:
        _save_png(fig, tmp)
    with atomic_path(svg) as tmp:
        tmp.write_text(svg_text(fig, salt), encoding="utf-8", newline="\n")
    return [png, svg]
