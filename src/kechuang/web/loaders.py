"""The demo province and the generated dataset, each app's part in order (`kechuang demo`, `kechuang gendata`).

An app may define `demo.py` with `load(*, stdout) -> None` (its part of the demo province, idempotent), run in
the order of DEMO_ORDER, and `gendata.py` with `generate(ctx) -> None` (its part of the bulk dataset,
core.gendata), run in the order of GENDATA_ORDER. Only web's commands read these.
"""

from kechuang.core.ui import app_module

DEMO_ORDER = [
    "accounts",
    "platforms",
    "challenges",
    "integrity",
    "review",
    "evaluation",
    "techmap",
    "indicators",
    "ingest",
    "funds",
    "registry",
    "programmes",
]

# The bulk dataset generator's order (kechuang gendata): each app's part reads what earlier parts made.
GENDATA_ORDER = [
    "accounts",
    "platforms",
    "challenges",
    "review",
    "evaluation",
    "techmap",
    "indicators",
]


def demo_loaders():
    for app in DEMO_ORDER:
        mod = app_module(app, "demo")
        if mod and hasattr(mod, "load"):
            yield app, mod.load


def gendata_generators():
    for app in GENDATA_ORDER:
        mod = app_module(app, "gendata")
        if mod and hasattr(mod, "generate"):
            yield app, mod.generate
