"""The programme types the demo province starts with, as definition files (docs/programmes.md)."""

from pathlib import Path

HERE = Path(__file__).parent
FILES = ("jiebang.json", "provincial_rd.json", "jiebang_full.json")


def read(name: str) -> bytes:
    return (HERE / name).read_bytes()
