"""data/processed/ is exactly what `kcdata build` makes from the bundled document."""

from __future__ import annotations

from kcdata import read_measures
from kcdata.outputs.processed import MEASURE_DEPARTMENTS_CSV, MEASURES_CSV, write_processed
from kcdata.paths import BUNDLED_DOCUMENT, PROCESSED_DIR


def test_committed_processed_data_equals_a_fresh_build(tmp_path):
    written = write_processed(read_measures(BUNDLED_DOCUMENT), tmp_path)
    assert {p.name for p in written} == {MEASURES_CSV, MEASURE_DEPARTMENTS_CSV}
    for path in written:
        assert (PROCESSED_DIR / path.name).read_bytes() == path.read_bytes(), path.name
