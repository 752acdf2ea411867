"""The benchmark's own modules (benchmarks/ingest/: the forward model of the corruption, the corpus evaluation)
for the repair tests that damage constructed pages with them. They are not part of the package, so each is
loaded from its file once per process and shared by every test module that asks."""

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[4] / "benchmarks" / "ingest"


def load(file: str):
    """benchmarks/ingest/<file> as a module, loaded once per process."""
    name = "kechuang_bench_" + file.removesuffix(".py")
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, BENCH / file)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
    return sys.modules[name]
