"""Probes: documents in the patterns of other cities' plans (issue 24), each read with a layout
file written from the README's レイアウトファイル guide alone, and read exactly.

The documents and layouts are in tests/fixtures/probes/ (the workbooks were written by
make_sheets.py there, the PDFs printed by make_pdfs.py with LibreOffice). Every listing is
checked through ``kcdata.read_measures``: its section numbers (outermost first), its 事業名
(``*`` marks a 【再掲】), its departments (``|`` between them, ``-`` for none), and every
section's title; then what each probe has of its own (extra columns, joined text, per-department
values, the warnings' lines).

=====================  ==========================================================
document               pattern
=====================  ==========================================================
toyoake.txt            豊明市: 基本目標 > 重点課題{no}. > 課題 (column, no numbers)
                       > 対応する施策 (①②); a row cut off with no 担当課 (skip)
hirakata.txt           枚方市: no department column; bare （１）; wrapped 取組の内容
chikusei_style.txt     筑西市: ○事業名〈担当課〉 records, description paragraphs,
                       page headers, a record cut off at the page's end
saku_style.txt         佐久市: 事務事業・組織対応表, merged 担当部/担当課 cells blank
bare_subheadings.txt   基本方針１ / (1) with titles on the next line, bullets,
                       事業名 wrapped onto the next line
evaluation.txt         continuation rows with each department's 評価
final_evaluation.txt   「最終評価結果が「拡大」とされた事業」 headings, no number;
                       a column without a role before 事業名
kanji_chapters.txt     第一章, unnumbered 【政策】, 1-2 numbers by a regex
hibari_cp932.csv       CSV from Excel (CP932): blank merged cells, a two-line cell
env_merged.xlsx        Excel: merged hierarchy and 担当課 cells, a No. column
community_sheets.xlsx  Excel: cover sheet, heading rows above each table
kankyo_columns.pdf     PDF: hierarchy columns merged over a page break, header
                       repeated, department names wrapped in their cells
kenko_headings.pdf     PDF: titles on the next paragraph, bare （１）, running
                       header, a row split over the page break
kyoiku_rows.pdf        PDF: section rows merged across the table, header not
                       repeated, 事業名（再掲） wrapped in its cell
=====================  ==========================================================
"""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import NamedTuple

import pandas as pd
import pytest

import kcdata as kc
from kcdata import PlanWarning

HERE = Path(__file__).resolve().parent / "fixtures" / "probes"
NUMBERS = ("policy_no", "direction_no", "level3_no", "level4_no")
TITLES = ("policy", "direction", "level3", "level4")


class Probe(NamedTuple):
    document: str
    layout: str
    sheet: str | None
    warning_lines: tuple[int, ...]
    listings: str
    sections: str


def read(document: str, layout: str, sheet: str | None = None) -> tuple[pd.DataFrame, list]:
    """The listing table and the PlanWarnings raised while reading it."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        df = kc.read_measures(HERE / document, str(HERE / layout), sheet=sheet)
    return df, [w.message for w in caught if isinstance(w.message, PlanWarning)]


def depth(df: pd.DataFrame) -> int:
    return len(df.attrs["levels"])


def listings(df: pd.DataFrame) -> list[str]:
    """One line per listing: section numbers, 事業名 (* for 【再掲】), departments."""
    out = []
    for row in df.to_dict("records"):
        numbers = [str(row[c]) for c in NUMBERS[:depth(df)]]
        name = ("*" if row["relisted"] else "") + row["measure"]
        out.append(" ".join([*numbers, name, "|".join(row["departments"]) or "-"]))
    return out


def sections(df: pd.DataFrame) -> list[str]:
    """Every section once, in document order: 「1.2 title」."""
    seen: dict[str, None] = {}
    for row in df.to_dict("records"):
        for k in range(depth(df)):
            numbers = ".".join(str(row[c]) for c in NUMBERS[:k + 1])
            seen.setdefault(f"{numbers} {row[TITLES[k]]}")
    return list(seen)


PROBES = [
    Probe(
        "toyoake.txt", "toyoake.toml", None, (24,),
        """
1 1 1 1 男女共同参画講座開催事業 市民協働課
1 1 1 1 広報とよあけ特集記事掲載事業 秘書政策課
1 1 1 2 男女共同参画情報紙発行事業 市民協働課
1 1 2 1 男性の料理教室開催事業 生涯学習課|市民協働課
1 2 1 1 人権教育推進事業 学校教育課
1 2 1 1 キャリア教育推進事業 学校教育課
1 2 1 2 教職員研修事業 教育委員会総務課
2 1 1 1 審議会等女性登用促進事業 行政経営課
2 1 1 1 女性人材リスト整備事業 市民協働課
2 2 1 1 事業所向け啓発事業 商工観光課
2 2 1 1 子育て応援企業認定事業 商工観光課|子育て支援課
2 2 1 2 病児保育事業 子育て支援課
""",
        """
1 男女共同参画社会の実現に向けた意識づくり
1.1 男女平等の意識づくり
1.1.1 固定的な性別役割分担意識が根強い
1.1.1.1 意識啓発の推進
1.1.1.2 情報提供の充実
1.1.2 家庭での役割分担が偏っている
1.1.2.1 家事・育児参加の促進
1.2 男女平等を推進する教育・学習の充実
1.2.1 学校での学びが十分でない
1.2.1.1 学校教育の充実
1.2.1.2 教職員研修の充実
2 あらゆる分野で活躍できる環境づくり
2.1 政策・方針決定過程への女性の参画
2.1.1 審議会の女性委員が少ない
2.1.1.1 審議会等への女性登用
2.2 ワーク・ライフ・バランスの推進
2.2.1 長時間労働が続いている
2.2.1.1 事業所への啓発
2.2.1.2 子育て支援の充実
""",
    ),
    Probe(
        "hirakata.txt", "hirakata.toml", None, (9, 14, 15, 31),
        """
1 1 地域の見守り活動の推進 -
1 1 小地域ネットワーク活動への支援 -
1 1 地域の居場所づくり -
1 2 福祉ボランティアの養成 -
1 2 民生委員・児童委員の活動支援 -
2 1 重層的支援体制整備事業の推進 -
2 1 コミュニティソーシャルワーカーの配置 -
2 1 ひきこもり支援の充実 -
2 2 成年後見制度の利用促進 -
2 2 日常生活自立支援事業の推進 -
2 2 虐待防止の取組 -
2 3 生活困窮者自立相談支援 -
2 3 子どもの学習・生活支援 -
""",
        """
1 誰もが地域でつながり支え合うまちづくり
1.1 地域での見守り・支え合いの推進
1.2 地域福祉の担い手の育成
2 必要な支援につながる仕組みづくり
2.1 包括的な相談支援体制の構築
2.2 権利擁護の推進
2.3 生活困窮者への支援
""",
    ),
    Probe(
        "chikusei_style.txt", "chikusei_style.toml", None, (18, 20, 22, 38),
        """
1 中小企業デジタル化支援事業 商工振興課
1 企業立地促進事業 企業誘致推進局企業誘致推進課
1 農産物ブランド化推進事業 農政課|商工振興課
2 妊婦訪問指導事業 健康増進課
2 地域包括ケア推進事業 高齢福祉課
2 障害者就労支援事業(令和5年度繰越事業) 障害福祉課
2 子ども医療費助成事業 こども課
""",
        """
1 活力ある産業のまちづくり
2 安心して暮らせる健康福祉のまちづくり
""",
    ),
    Probe(
        "saku_style.txt", "saku_style.toml", None, (),
        """
1 1 子育て支援センター運営事業 子育て支援課
1 1 ファミリーサポートセンター事業 子育て支援課
1 1 病児・病後児保育事業 子育て支援課
1 1 乳幼児健康診査事業 健康づくり推進課
1 2 学校ICT環境整備事業 学校教育課
1 2 特別支援教育支援員配置事業 学校教育課
1 2 学校給食運営事業 学校給食センター
2 1 地域福祉活動支援事業 福祉課
2 1 民生委員・児童委員活動支援事業 福祉課
2 2 介護予防・日常生活支援総合事業 高齢者福祉課
2 2 高齢者見守りネットワーク事業 高齢者福祉課
2 2 認知症初期集中支援事業 高齢者福祉課
3 1 有害鳥獣対策事業 耕地林務課
3 1 新規就農者支援事業 農政課
3 2 観光情報発信事業 観光課
3 2 インバウンド推進事業 観光課
""",
        """
1 子育て・教育
1.1 子育て支援の充実
1.2 学校教育の充実
2 健康・福祉
2.1 地域福祉の推進
2.2 高齢者福祉の充実
3 産業・交流
3.1 農林業の振興
3.2 観光の振興
""",
    ),
    Probe(
        "bare_subheadings.txt", "bare_subheadings.toml", None, (10, 16),
        """
1 1 市民大学講座 生涯学習課
1 1 出前講座 生涯学習課|広報課
1 1 公民館講座の充実と地域人材の活用事業 中央公民館
1 2 生涯学習情報誌の発行 生涯学習課
1 2 学習情報ポータルサイトの運営事業 生涯学習課|情報政策課
2 1 生涯学習ボランティアバンク事業 生涯学習課
2 1 地域学校協働活動推進事業 学校教育課
2 2 図書館資料の充実 中央図書館
2 2 子ども読書活動推進事業 中央図書館|学校教育課
2 2 *出前講座 生涯学習課
""",
        """
1 学びの機会の充実
1.1 多様な講座の提供
1.2 学習情報の発信
2 学びを生かす地域づくり
2.1 学習成果の活用
2.2 読書活動の推進
""",
    ),
    Probe(
        "evaluation.txt", "evaluation.toml", None, (6, 9, 10, 15, 21),
        """
1 1 自主防災組織育成事業 危機管理課|消防本部警防課
1 1 防災士養成事業 危機管理課
1 1 総合防災訓練実施事業 危機管理課|消防本部警防課|健康推進課
1 2 避難所運営マニュアル整備事業 危機管理課
1 2 福祉避難所指定事業 福祉総務課|危機管理課
2 1 防犯灯設置補助事業 市民生活課
2 1 防犯カメラ設置事業 市民生活課|学校教育課
""",
        """
1 災害に強いまちづくり
1.1 地域防災力の向上
1.2 避難体制の整備
2 安全で安心な暮らしの確保
2.1 防犯対策の推進
""",
    ),
    Probe(
        "final_evaluation.txt", "final_evaluation.toml", None, (),
        """
1 子ども家庭センター運営事業 こども家庭課
1 公共施設予約システム運用事業 情報政策課|生涯学習課
1 地域公共交通再編事業 交通政策課
2 ごみ減量推進事業 環境政策課
2 住宅耐震化促進事業 建築指導課
2 移住定住促進事業 企画課
2 健康ポイント事業 健康推進課
3 敬老記念品贈呈事業 長寿福祉課
3 紙の広報誌発送事業 広報課
4 市民会館ピアノ貸出事業 文化振興課
""",
        """
1 最終評価結果が「拡大」とされた事業
2 最終評価結果が「継続」とされた事業
3 最終評価結果が「縮小」とされた事業
4 最終評価結果が「廃止」とされた事業
""",
    ),
    Probe(
        "kanji_chapters.txt", "kanji_chapters.toml", None, (),
        """
1 1 1 健康ポイント事業 健康推進課
1 1 1 がん検診事業 健康推進課
1 1 2 休日当番医事業 地域医療課
1 2 1 介護予防教室事業 長寿介護課
1 2 1 認知症カフェ支援事業 長寿介護課|地域包括支援センター
1 2 2 障害者就労支援事業 障害福祉課
2 1 1 子育て支援センター事業 こども家庭課
2 1 1 病児保育事業 保育課
2 2 1 学校ICT推進事業 学校教育課
2 2 1 *子育て支援センター事業 こども家庭課
""",
        """
1 健やかに暮らせるまち
1.1 保健・医療
1.1.1 健康づくりの推進
1.1.2 地域医療の確保
1.2 福祉
1.2.1 高齢者福祉の充実
1.2.2 障害者福祉の充実
2 子どもが育つまち
2.1 子育て
2.1.1 子育て支援の充実
2.2 教育
2.2.1 学校教育の充実
""",
    ),
    Probe(
        "hibari_cp932.csv", "hibari_cp932.toml", None, (),
        """
1 1 基幹相談支援センター運営事業 障害福祉課
1 1 地域生活支援拠点整備事業 障害福祉課|福祉総務課
1 2 グループホーム整備補助事業 障害福祉課|福祉総務課
1 2 住宅改修費助成事業 障害福祉課|建築住宅課
2 1 障害者就労支援センター事業 障害福祉課
2 1 優先調達推進事業 契約検査課
2 2 障害者スポーツ大会開催事業 スポーツ振興課
2 2 *障害者就労支援センター事業 障害福祉課
""",
        """
1 地域で安心して暮らす
1.1 相談支援体制の充実
1.2 住まいの確保
2 社会参加と就労
2.1 就労支援の推進
2.2 文化・スポーツ活動の推進
""",
    ),
    Probe(
        "env_merged.xlsx", "env_merged.toml", None, (),
        """
1 1 住宅用太陽光発電設備設置補助 環境政策課
1 1 公共施設への太陽光発電導入 環境政策課|施設管理課
1 2 LED防犯灯更新事業 市民安全課
1 2 省エネ家電買替促進事業 環境政策課
1 2 エコドライブ講習会 環境政策課
2 1 生ごみ処理機購入補助 ごみ減量推進課
2 1 フードドライブ推進事業 ごみ減量推進課
2 2 小型家電リサイクル事業 ごみ減量推進課
2 2 *生ごみ処理機購入補助 ごみ減量推進課
3 1 里山保全活動支援事業 みどり公園課
3 1 外来生物対策事業 環境政策課|農林課
""",
        """
1 脱炭素社会の実現
1.1 再生可能エネルギーの導入
1.2 省エネルギーの推進
2 循環型社会の形成
2.1 ごみの減量
2.2 資源の循環
3 自然との共生
3.1 生物多様性の保全
""",
    ),
    Probe(
        "community_sheets.xlsx", "community_sheets.toml", '事業一覧', (),
        """
1 1 地域リーダー養成講座 市民協働課
1 1 若者の地域活動参加促進事業 市民協働課|生涯学習課
1 2 地区集会所整備補助 市民協働課
1 2 空き家活用地域拠点事業 住宅政策課
2 1 町会ホームページ作成支援 広報広聴課
2 1 回覧板デジタル化事業 デジタル推進課
2 1 *地域リーダー養成講座 市民協働課
""",
        """
1 地域活動の担い手づくり
1.1 人材の発掘と育成
1.2 活動の場の確保
2 情報の共有と発信
2.1 地域情報の発信
""",
    ),
    Probe(
        "kankyo_columns.pdf", "kankyo_columns.toml", None, (18, 29),
        """
1 1 住宅用太陽光発電設備設置補助事業 環境政策課
1 1 公共施設太陽光発電導入事業 環境政策課|公共施設マネジメント課
1 1 小水力発電調査事業 農林整備課
1 2 省エネルギー診断事業1 ゼロカーボン推進課
1 2 省エネルギー診断事業2 ゼロカーボン推進課
1 2 省エネルギー診断事業3 ゼロカーボン推進課
1 2 省エネルギー診断事業4 ゼロカーボン推進課
1 2 省エネルギー診断事業5 ゼロカーボン推進課
1 2 省エネルギー診断事業6 ゼロカーボン推進課
1 2 省エネルギー診断事業7 ゼロカーボン推進課
1 2 省エネルギー診断事業8 ゼロカーボン推進課
1 2 省エネルギー診断事業9 ゼロカーボン推進課
1 2 省エネルギー診断事業10 ゼロカーボン推進課
1 2 省エネルギー診断事業11 ゼロカーボン推進課
1 2 省エネルギー診断事業12 ゼロカーボン推進課
1 2 省エネルギー診断事業13 ゼロカーボン推進課
1 2 省エネルギー診断事業14 ゼロカーボン推進課
1 2 LED防犯灯更新事業 市民協働推進課
1 2 エコドライブ推進事業 ゼロカーボン推進課|市民協働推進課
2 1 生ごみ処理機購入補助事業 ごみ減量推進課
2 1 フードドライブ推進事業 ごみ減量推進課
2 2 小型家電リサイクル事業 資源循環課
2 2 *生ごみ処理機購入補助事業 ごみ減量推進課
""",
        """
1 脱炭素社会の実現
1.1 再生可能エネルギーの導入
1.2 省エネルギーの推進
2 循環型社会の形成
2.1 ごみの減量
2.2 資源の循環
""",
    ),
    Probe(
        "kenko_headings.pdf", "kenko_headings.toml", None, (26, 27, 39),
        """
1 1 特定健康診査受診勧奨事業 保険年金課
1 1 がん検診推進事業 健康づくり課
1 1 若年者健康診査事業 健康づくり課
1 2 糖尿病性腎症重症化予防プログラム推進事業 保険年金課|健康づくり課
1 2 健康相談事業1 健康づくり課
1 2 健康相談事業2 健康づくり課
1 2 健康相談事業3 健康づくり課
1 2 健康相談事業4 健康づくり課
1 2 健康相談事業5 健康づくり課
1 2 健康相談事業6 健康づくり課
1 2 健康相談事業7 健康づくり課
1 2 健康相談事業8 健康づくり課
1 2 健康相談事業9 健康づくり課
1 2 健康相談事業10 健康づくり課
1 2 健康相談事業11 健康づくり課
1 2 健康相談事業12 健康づくり課
1 2 特定保健指導事業 保険年金課
2 1 こころの相談事業 障がい福祉課
2 1 ゲートキーパー養成研修事業 健康づくり課|障がい福祉課
""",
        """
1 生活習慣病の予防と重症化予防
1.1 健診受診率の向上
1.2 重症化予防の推進
2 こころの健康づくり
2.1 相談支援の充実
""",
    ),
    Probe(
        "kyoiku_rows.pdf", "kyoiku_rows.toml", None, (24, 28),
        """
1 1 GIGAスクール構想推進事業 学校教育課
1 1 少人数学級編制事業 学校教育課
1 1 外国語指導助手配置事業 学校教育課|教育研究所
1 2 学習支援員配置事業1 学校教育課
1 2 学習支援員配置事業2 学校教育課
1 2 学習支援員配置事業3 学校教育課
1 2 学習支援員配置事業4 学校教育課
1 2 学習支援員配置事業5 学校教育課
1 2 学習支援員配置事業6 学校教育課
1 2 学習支援員配置事業7 学校教育課
1 2 学習支援員配置事業8 学校教育課
1 2 学習支援員配置事業9 学校教育課
1 2 学習支援員配置事業10 学校教育課
1 2 学習支援員配置事業11 学校教育課
1 2 学習支援員配置事業12 学校教育課
2 1 学校図書館司書配置事業 教育総務課
2 1 *子ども読書活動推進事業 中央図書館
2 2 部活動地域移行推進事業 スポーツ振興課|学校教育課
""",
        """
1 確かな学力の育成
1.1 学びの質の向上
1.2 学びを支える環境づくり
2 豊かな心と健やかな体の育成
2.1 読書と体験の充実
2.2 体力の向上
""",
    ),]
BY_NAME = {p.document: p for p in PROBES}


@pytest.fixture(scope="module")
def tables() -> dict[str, tuple[pd.DataFrame, list]]:
    return {p.document: read(p.document, p.layout, p.sheet) for p in PROBES}


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.document)
def test_listings(probe: Probe, tables) -> None:
    df, _ = tables[probe.document]
    assert listings(df) == probe.listings.strip().splitlines()


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.document)
def test_sections(probe: Probe, tables) -> None:
    df, _ = tables[probe.document]
    assert sections(df) == probe.sections.strip().splitlines()


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.document)
def test_warnings_name_their_lines(probe: Probe, tables) -> None:
    _, caught = tables[probe.document]
    assert sorted(w.line for w in caught) == list(probe.warning_lines)


@pytest.mark.parametrize("probe", PROBES, ids=lambda p: p.document)
def test_one_level_plans_have_no_direction(probe: Probe, tables) -> None:
    df, _ = tables[probe.document]
    if depth(df) == 1:
        assert (df["direction_no"] == 0).all() and (df["direction"] == "").all()


def test_toyoake_levels_and_skipped_row(tables) -> None:
    df, caught = tables["toyoake.txt"]
    assert df.attrs["levels"] == ["基本目標", "重点課題", "課題", "対応する施策"]
    assert df["policy"].iloc[0] == "男女共同参画社会の実現に向けた意識づくり"
    # 「重点課題1.男女平等…」: the 「.」 after {no} is literal, the 男 is kept
    assert df["direction"].iloc[0] == "男女平等の意識づくり"
    assert "放課後児童クラブ運営事業" not in set(df["measure"])
    assert "skip" in str(caught[0]) and "放課後児童クラブ運営事業" in str(caught[0])


def test_hirakata_has_no_departments(tables) -> None:
    df, _ = tables["hirakata.txt"]
    assert df.attrs["title"] == "第4期枚方市地域福祉計画"
    assert all(d == () for d in df["departments"])
    assert df.loc[df["measure"] == "地域の居場所づくり", "summary"].item() == (
        "誰もが気軽に集えるサロンやカフェの立ち上げと運営を支援し、"
        "地域の中で孤立しがちな人の居場所を広げます。")


def test_chikusei_style_records(tables) -> None:
    df, caught = tables["chikusei_style.txt"]
    assert df.attrs["title"] == "令和6年度 主な事業"
    assert df["区分"].tolist() == ["新規", "", "", "新規", "", "", ""]
    assert df["予算額"].tolist() == ["450万円", "1,203万5千円", "185万4千円", "85万2千円",
                                  "2,310万円", "620万8千円", "4億1,250万円"]
    summary = dict(zip(df["measure"], df["summary"], strict=True))
    assert summary["企業立地促進事業"] == (
        "市内の工業団地に新規立地・増設をした企業に対して、固定資産税相当額の奨励金を交付します。"
        "また、新たな産業用地の確保に向けた調査を行います。")
    # the last description of page 1 is cut off; the page header is not glued onto it
    assert summary["農産物ブランド化推進事業"].endswith("首都圏での販売促進活動を行い、")
    # the record cut off at the end is warned about, not added to a description
    assert "○災害時避難所環境整備事業" in str(caught[-1])
    assert not any("災害時" in s for s in df["summary"])


def test_saku_style_blank_merged_cells(tables) -> None:
    df, _ = tables["saku_style.txt"]
    assert df["code"].tolist() == [str(k) for k in range(1, 17)]
    assert df["担当部"].tolist() == (["健康づくり部"] * 4 + ["教育部"] * 3 + ["福祉部"] * 5
                                   + ["経済部"] * 4)


def test_bare_subheadings_joined_names(tables) -> None:
    df, caught = tables["bare_subheadings.txt"]
    assert df.attrs["title"] == "○○市生涯学習推進計画（第3次）"
    assert [w.line for w in caught] == [10, 16]
    row = df[df["measure"] == "学習情報ポータルサイトの運営事業"].iloc[0]
    assert row["summary"] == "講座の検索と申込みをインターネットでできるようにする"
    assert row["line"] == 15


def test_evaluation_values_per_department(tables) -> None:
    df, _ = tables["evaluation.txt"]
    row = df[df["measure"] == "総合防災訓練実施事業"].iloc[0]
    assert row["departments"] == ("危機管理課", "消防本部警防課", "健康推進課")
    assert tuple(row["評価"]) == ("A", "A", "C")
    assert tuple(row["今後の方向性"]) == ("継続", "継続", "見直し")
    for value, departments in zip(df["評価"], df["departments"], strict=True):
        assert len(value) == len(departments)


def test_final_evaluation_other_columns(tables) -> None:
    df, _ = tables["final_evaluation.txt"]
    assert df.attrs["levels"] == ["最終評価"]
    assert df["区分"].tolist()[:3] == ["重点", "重点", "一般"]
    assert df["事業費（千円）"].tolist()[-1] == "300"


def test_kanji_chapters_level_names(tables) -> None:
    df, _ = tables["kanji_chapters.txt"]
    assert df.attrs["levels"] == ["章", "政策", "施策"]
    assert df["計画事業費（千円）"].tolist()[-2:] == ["120,000", "―"]


def test_hibari_csv(tables) -> None:
    df, _ = tables["hibari_cp932.csv"]
    # rows after the two-line cell keep their physical line numbers
    assert df["line"].tolist() == [3, 4, 6, 7, 8, 9, 10, 11]


def test_env_merged_no_column(tables) -> None:
    df, _ = tables["env_merged.xlsx"]
    assert df["No."].tolist() == [str(k) for k in range(1, 12)]
    assert df["summary"].iloc[0] == "住宅に太陽光発電設備を設置する費用の一部を補助する"
    assert set(df["sheet"]) == {"施策体系"}


def test_community_sheets_default_sheet() -> None:
    named, _ = read("community_sheets.xlsx", "community_sheets.toml", sheet="事業一覧")
    default, _ = read("community_sheets.xlsx", "community_sheets.toml")
    assert listings(default) == listings(named)
    assert set(default["sheet"]) == {"事業一覧"}


LONG = ("、関係団体と連携して取組を進め、その成果を市民に分かりやすく公表するとともに、"
        "次年度の事業の見直しに生かす")


def test_kankyo_columns_pdf(tables) -> None:
    df, _ = tables["kankyo_columns.pdf"]
    assert df.attrs["title"] == "第2次みどり川市環境基本計画"
    assert df["page"].tolist() == [1] * 14 + [2] * 9
    diagnosis = df[df["measure"].str.startswith("省エネルギー診断事業")]
    assert (diagnosis["summary"] == "事業所の省エネルギー診断を行う" + LONG).all()


def test_kenko_headings_pdf(tables) -> None:
    df, _ = tables["kenko_headings.pdf"]
    assert df.attrs["title"] == "健康みどり川21（第3次）"
    consult = df[df["measure"].str.startswith("健康相談事業")]
    assert (consult["summary"] == "保健師と栄養士が地区に出向いて相談を受ける" + LONG).all()
    # 健康相談事業11's row runs over the page break: one listing, its line on page 1
    row = df[df["measure"] == "健康相談事業11"].iloc[0]
    assert (row["line"], row["page"]) == (25, 1)


def test_kyoiku_rows_pdf(tables) -> None:
    df, _ = tables["kyoiku_rows.pdf"]
    assert df["No."].tolist() == [str(k) for k in range(1, 19)]
    assert df.loc[df["measure"] == "外国語指導助手配置事業", "summary"].item() == (
        "ALTを全校に配置し、Society 5.0の時代に必要な力を育てる")
