"""Time reading the EIS 2023 database and computing the scoreboard (no database needed).

DJANGO_SETTINGS_MODULE=kechuang.settings.test .venv/bin/python benchmarks/indicators/bench_eis.py
"""

import os
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "kechuang.settings.test")
django.setup()

from kechuang.indicators import formulas, specs  # noqa: E402
from kechuang.indicators.tables import read_records  # noqa: E402


def main(repeat: int = 5) -> None:
    data = specs.EIS_DATA.read_bytes()
    spec = specs.shipped_spec("eis", "2023")
    t_read, t_compute = [], []
    for _ in range(repeat):
        t0 = time.perf_counter()
        parsed = read_records(data, specs.EIS_DATA.name)
        t1 = time.perf_counter()
        result = formulas.compute_index(spec, parsed.data())
        t2 = time.perf_counter()
        t_read.append(t1 - t0)
        t_compute.append(t2 - t1)
    print(f"rows read: {len(parsed.records)}, unit-years scored: {len(result.rows)}")
    print(f"read   best {min(t_read):.3f}s  mean {sum(t_read) / repeat:.3f}s")
    print(f"compute best {min(t_compute):.3f}s  mean {sum(t_compute) / repeat:.3f}s")


if __name__ == "__main__":
    main()
