"""Generate a corpus of plans for benchmarks/bench_corpus.py (deterministic, seeded).

Each plan has 3 to 5 outer sections of 2 to 4 inner ones and about 100
listings. Measure names are drawn from a shared pool (so plans share
measures) built from word parts, departments from a pool of 80; about one
listing in twenty carries a renamed variant of a pool name (a prefix such as
「かなざわ」 or 「推進」 added, or a word changed), about one in fifty is a
【再掲】 of an earlier listing of the same plan, and about one in ten is
co-managed. Plans alternate between two layouts: the bundled plan's
(基本方針N / 施策の方向性(N), written with :func:`kcdata.to_text`) and, when the
parser knows the ``generic`` layout, a generic one (基本目標N / 施策(N)
headings, a 事業名<TAB>内容<TAB>担当課 header).
"""

from __future__ import annotations

import random
from pathlib import Path

import pandas as pd

import kcdata

_PLACES = ["地域", "地区", "市民", "町会", "公民館", "児童館", "校下", "まちなか", "中山間地",
           "商店街", "学校", "図書館", "公園", "駅前", "港", "団地", "集落", "市街地"]
_SUBJECTS = ["防災", "交流", "子育て", "高齢者見守り", "福祉", "環境美化", "文化", "スポーツ",
             "観光", "情報発信", "担い手", "ボランティア", "国際交流", "健康づくり", "食育",
             "空き家", "移住", "デジタル", "伝統工芸", "消費生活", "男女共同参画", "青少年"]
_ACTIONS = ["支援", "推進", "育成", "整備", "促進", "活性化", "交付金", "運営", "の実施",
            "強化", "相談", "講座", "研修", "啓発", "補助", "連携"]
_ENDINGS = ["事業", "", "事業費", "制度"]
_RENAMES = ["かなざわ", "新", "地域", "市民", "推進"]
_DEPARTMENTS = [f"{a}{b}課" for a in ["市民", "地域", "福祉", "環境", "文化", "観光", "教育",
                                     "危機管理", "企画", "子育て"]
                for b in ["協働", "政策", "推進", "支援", "振興", "総務", "管理", "保全"]]
_TITLES = ["地域コミュニティの活性化", "担い手の育成", "安全安心なまちづくり", "交流の促進",
           "多様な主体との連携", "持続可能な地域づくり", "情報の共有", "子どもと高齢者の居場所"]


def measure_pool(size: int, rng: random.Random) -> list[str]:
    """``size`` distinct measure names made of word parts."""
    names: dict[str, None] = {}
    while len(names) < size:
        names[rng.choice(_PLACES) + rng.choice(_SUBJECTS) + rng.choice(_ACTIONS)
              + rng.choice(_ENDINGS)] = None
    return list(names)


def renamed(name: str, rng: random.Random) -> str:
    """A renamed variant of ``name`` (a word added in front or a place changed)."""
    if rng.random() < 0.6:
        return rng.choice(_RENAMES) + name
    for place in _PLACES:
        if name.startswith(place):
            return rng.choice(_PLACES) + name[len(place):]
    return name + "の拡充"


def plan_table(rng: random.Random, pool: list[str], listings: int = 100) -> pd.DataFrame:
    """One plan's listing table (the parser's columns) of about ``listings`` rows."""
    rows = []
    n_policies = rng.randint(3, 5)
    sections = [(p, d) for p in range(1, n_policies + 1) for d in range(1, rng.randint(2, 4) + 1)]
    names = rng.sample(pool, listings)
    written: list[tuple[str, str, tuple[str, ...]]] = []
    for k, name in enumerate(names):
        policy_no, direction_no = sections[k * len(sections) // listings]
        if rng.random() < 0.05:
            name = renamed(name, rng)
        departments = tuple(rng.sample(_DEPARTMENTS, 2 if rng.random() < 0.1 else 1))
        summary = f"{name}を通じて地域の課題に取り組む" if rng.random() < 0.5 else ""
        relisted = bool(written) and rng.random() < 0.02
        if relisted:
            name, summary, departments = rng.choice(written)
        else:
            written.append((name, summary, departments))
        rows.append({"policy_no": policy_no, "policy": _TITLES[policy_no % len(_TITLES)],
                     "direction_no": direction_no,
                     "direction": _TITLES[(policy_no + direction_no) % len(_TITLES)] + "の推進",
                     "measure": name, "summary": summary, "departments": departments,
                     "relisted": relisted})
    return pd.DataFrame(rows)


def generic_layout_available() -> bool:
    """Whether this kcdata's parser reads the generic layout (issue 10)."""
    try:
        kcdata.parse_measures("基本目標1 a\n施策(1) b\n事業名\t内容\t担当課\nA\t\t甲課\n",
                              layout="generic")  # type: ignore[call-arg]
    except TypeError:
        return False
    return True


def generic_text(df: pd.DataFrame, title: str) -> str:
    """A plan in a generic layout: 基本目標N / 施策(N) headings, 事業名・内容・担当課 tables."""
    out = [title, ""]
    for (policy_no, direction_no), rows in df.groupby(["policy_no", "direction_no"], sort=True):
        if direction_no == 1:
            out += [f"基本目標{policy_no} {rows['policy'].iloc[0]}", ""]
        out += [f"施策({direction_no}) {rows['direction'].iloc[0]}", "", "事業名\t内容\t担当課"]
        for row in rows.itertuples(index=False):
            mark = "【再掲】" if row.relisted else ""
            out.append(f"{mark}{row.measure}\t{row.summary}\t{'、'.join(row.departments)}")
        out.append("")
    return "\n".join(out) + "\n"


def write_corpus(folder: Path, n_plans: int = 1000, listings: int = 100, seed: int = 0,
                 generic: bool | None = None) -> list[Path]:
    """Write ``n_plans`` plan documents into ``folder``; return their paths."""
    rng = random.Random(seed)
    pool = measure_pool(max(3000, listings * 4), rng)
    generic = generic_layout_available() if generic is None else generic
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for k in range(n_plans):
        df = plan_table(rng, pool, listings)
        path = folder / f"plan_{k:04d}.txt"
        if generic and k % 2 == 1:
            path.write_text(generic_text(df, f"第{k}次 市民協働推進プラン"), encoding="utf-8")
        else:
            path.write_text(kcdata.to_text(df), encoding="utf-8")
        paths.append(path)
    return paths
