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


def site(text: str, decoder: str, aided, *, ascii_marks: bool = False) -> str:
    """`text` as a site keeps it: each of `aided`'s characters given its reading aid after every occurrence of its
    bytes (forward.py's byte-level step), with `ascii_marks` some full-width marks written half-width first, then
    read by the site's `decoder`."""
    from collections import Counter

    forward = load("forward.py")
    data = forward._Bytes(text)
    if ascii_marks:
        forward._ascii_marks(data, Counter())
    forward._aids(data, list(aided), Counter())
    return forward.site_decode(bytes(data.buf), decoder)
