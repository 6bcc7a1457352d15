"""Time kcdata.analysis.themes.tag_themes on N listings against pandas.read_csv of the same
listings.

    python benchmarks/bench_themes.py [--rows 100000] [--runs 3] [--seed 0] [--distinct-summaries]

The listings are those of ``bench_parse.generate`` (rows drawn from the bundled
plan, measure names made distinct by a serial number, 【再掲】 rows and
co-managed departments), parsed once with kcdata (not timed). The dictionary
has exactly 200 words: kcdata's default dictionary (its 12 themes and their
exclusions) and eight more themes of words a community plan uses (health,
tourism, farming, housing, human rights, schools, finance, facilities),
trimmed to 200 words in all. ``--distinct-summaries`` also gives every
事業概要 a serial number, so that no cell repeats (the key is then computed
for every cell).

Both run in this one process, alternating, after a warm-up: ``tag_themes(df,
dictionary)`` (the dictionary loaded once, before timing) and
``pandas.read_csv(flat, sep="\\t", dtype=str)`` of the same rows written as a
flat TSV (``bench_parse``'s). The last line is ``tag/read_csv ratio: R``
(median over median).
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_parse  # the generator shared with the parser's benchmark

import kcdata
from kcdata.analysis.themes import ThemeDictionary, load_themes, tag_themes

WORDS = 200
#: Themes added to the default dictionary to reach 200 words.
EXTRA_THEMES = {
    "健康・医療": ["健康", "医療", "病院", "検診", "感染症", "予防接種", "食育", "体操",
                  "介護予防", "保健"],
    "観光・商工": ["観光", "商工", "商業", "産業", "雇用", "就労", "起業", "創業", "中小企業",
                  "特産"],
    "農林水産": ["農業", "農地", "休耕田", "林業", "水産", "獣害", "中山間", "田園", "営農",
                "漁業"],
    "住まい・景観": ["住宅", "空き家", "景観", "町並み", "建築", "耐震", "都市計画", "土地利用",
                  "再開発", "移住"],
    "人権・男女共同参画": ["人権", "男女共同参画", "女性", "ダイバーシティ", "ジェンダー", "差別",
                     "多様性", "ハラスメント", "虐待", "相談"],
    "学校・教育": ["教育", "小学校", "中学校", "教員", "部活動", "学力", "いじめ", "不登校",
                  "給食", "図書"],
    "財政・行政": ["財政", "予算", "納税", "奨励金", "補助金", "行政改革", "窓口", "手続",
                  "職員", "会計"],
    "地域拠点": ["拠点", "施設整備", "集会所", "コミュニティセンター", "広場", "居場所",
                "交流拠点", "会館", "児童館", "憩の家"],
}


def dictionary_of(words: int = WORDS) -> ThemeDictionary:
    """The default dictionary plus :data:`EXTRA_THEMES`, cut to ``words`` words in all."""
    themes: dict[str, dict[str, list[str]]] = {
        t.name: {"words": list(t.words), "exclude": list(t.exclude)}
        for t in load_themes().themes
    }
    themes.update({name: {"words": list(w)} for name, w in EXTRA_THEMES.items()})
    total = sum(len(t["words"]) for t in themes.values())
    if total < words:
        raise SystemExit(f"only {total} words available, {words} asked for")
    for spec in reversed(list(themes.values())):  # trim the last themes first
        cut = min(total - words, len(spec["words"]) - 1)
        del spec["words"][len(spec["words"]) - cut:]
        total -= cut
    return load_themes(themes)


def listings(rows: int, seed: int, distinct_summaries: bool) -> tuple[pd.DataFrame, str]:
    """The listing table and the flat TSV of the same rows."""
    doc, flat = bench_parse.generate(rows, seed)
    if distinct_summaries:
        doc, flat = (_number_summaries(doc), _number_summaries(flat))
    return kcdata.parse_measures(doc), flat


def _number_summaries(text: str) -> str:
    out, k = [], 0
    for line in text.split("\n"):
        fields = line.split("\t")
        if len(fields) == 3 and fields[0] != "事業名":
            k += 1
            fields[1] = f"{fields[1]}（{k}）"
        out.append("\t".join(fields))
    return "\n".join(out)


def _timed(work) -> float:
    gc.collect()
    start = time.perf_counter()
    result = work()
    elapsed = time.perf_counter() - start
    del result
    return elapsed


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000, help="listings (default 100000)")
    parser.add_argument("--runs", type=int, default=3, help="timed runs of each (default 3)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--distinct-summaries", action="store_true",
                        help="number every 事業概要, so that no cell repeats")
    args = parser.parse_args(argv)

    dictionary = dictionary_of(WORDS)
    words = sum(len(t.words) for t in dictionary.themes)
    df, flat = listings(args.rows, args.seed, args.distinct_summaries)
    with tempfile.TemporaryDirectory(prefix="kcdata-bench-") as tmp:
        flat_path = Path(tmp, "flat.tsv")
        flat_path.write_text(flat, encoding="utf-8")
        del flat

        def read() -> pd.DataFrame:
            return pd.read_csv(flat_path, sep="\t", dtype=str)

        def tag() -> pd.DataFrame:
            return tag_themes(df, dictionary)

        assert len(read()) == len(df) == args.rows, "generated row counts differ"
        tags = tag()  # warm-up (and the size of the result)
        tag_times, csv_times = [], []
        for _ in range(args.runs):
            tag_times.append(_timed(tag))
            csv_times.append(_timed(read))

    tag_median, csv_median = statistics.median(tag_times), statistics.median(csv_times)
    distinct = df["measure"].nunique() + df["summary"].nunique()
    print(f"rows: {len(df)}  (distinct cells: {distinct}; dictionary: "
          f"{len(dictionary.themes)} themes, {words} words, "
          f"{sum(len(t.exclude) for t in dictionary.themes)} exclusions)")
    print(f"runs: {args.runs} each, alternating, after one warm-up")
    print(f"tag_themes: median {tag_median:8.3f} s  ({len(tags)} tag rows, "
          f"{tags['line'].nunique()} listings tagged)")
    print(f"read_csv:   median {csv_median:8.3f} s")
    print(f"tag/read_csv ratio: {tag_median / csv_median:.2f}")


if __name__ == "__main__":
    main()
