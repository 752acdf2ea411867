"""Shared by `repair` and `facts`: read one file and run the pure pipeline, without the database."""

import sys
from pathlib import Path

from django.core.management.base import CommandError

from kechuang.ingest import parsers


def read_and_repair(path: str, *, year=None):
    try:
        data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    except OSError as exc:
        raise CommandError(f"cannot read {path}: {exc.strerror}")
    try:
        decoded = parsers.decode_document(data, "" if path == "-" else path)
    except parsers.UnsupportedDocument as exc:
        raise CommandError(exc.message)
    result = parsers.repair(decoded.text)
    return decoded, result
