"""Fill empty msgstr entries of a .po file from a JSON dictionary {msgid: msgstr}; report what is left.

    python tools/po_fill.py src/kechuang/locale/en/LC_MESSAGES/django.po src/kechuang/locale/en/translations.json

The dictionary is the translators' source of truth: `make messages` regenerates the .po from the code and
this script carries the translations over, so that a msgid moved between files keeps its translation.
"""

import json
import re
import sys
from pathlib import Path

ENTRY = re.compile(r'((?:^#.*\n)*)^msgid ((?:".*"\n)+)^msgstr ((?:".*"\n)+)', re.M)


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"\n'


def main(po_path: str, dict_path: str) -> int:
    po = Path(po_path).read_text(encoding="utf-8")
    table = json.loads(Path(dict_path).read_text(encoding="utf-8"))
    missing = []

    def fill(m):
        comments, msgid_block, msgstr_block = m.group(1), m.group(2), m.group(3)
        msgid = unquote(msgid_block)
        if not msgid:
            return m.group(0)
        current = unquote(msgstr_block)
        new = table.get(msgid) or current
        if not new:
            missing.append(msgid)
            return m.group(0)
        comments = comments.replace("#, fuzzy\n", "")
        return f"{comments}msgid {msgid_block}msgstr {quote(new)}"

    Path(po_path).write_text(ENTRY.sub(fill, po), encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}")
    print(f"{len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
