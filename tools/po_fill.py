"""Fill empty msgstr entries of a .po file from a JSON dictionary {msgid: msgstr}; report what is left.

    python tools/po_fill.py src/kechuang/locale/en/LC_MESSAGES/django.po src/kechuang/locale/en/translations.json

The dictionary is the translators' source of truth: `make messages` regenerates the .po from the code and
this script carries the translations over, so that a msgid moved between files keeps its translation.
New strings may go into `translations.d/<area>.json` beside the dictionary instead; all are read.
"""

import json
import re
import sys
from pathlib import Path

PLURAL = re.compile(
    r'((?:^#.*\n)*)^msgid ((?:".*"\n)+)^msgid_plural ((?:".*"\n)+)^msgstr\[0\] ((?:".*"\n)+)^msgstr\[1\] ((?:".*"\n)+)',
    re.M,
)
ENTRY = re.compile(
    r'(?P<comments>(?:^#.*\n)*)(?P<msgctxt>(?:^msgctxt (?:".*"\n)+)?)'
    r'^msgid (?P<msgid>(?:".*"\n)+)^msgstr (?P<msgstr>(?:".*"\n)+)',
    re.M,
)
# A msgid with a context (pgettext, `{% translate "成果" context "标题" %}`) is looked up as "<context>\x04<msgid>"
# (gettext's own key), so that "成果" as a heading may be "Results" and as a column "Result".
CONTEXT_SEP = "\x04"


def entry_key(m) -> str:
    """An ENTRY match's key in the dictionary: its msgid, or "<context>\\x04<msgid>" when it has a context."""
    msgid = unquote(m.group("msgid"))
    ctxt = m.group("msgctxt")
    return unquote(ctxt[len("msgctxt ") :]) + CONTEXT_SEP + msgid if ctxt else msgid


def unquote(block: str) -> str:
    parts = re.findall(r'"((?:[^"\\]|\\.)*)"', block)
    return "".join(parts).encode("raw_unicode_escape").decode("unicode_escape")


def quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{escaped}"\n'


def unfuzzy(comments: str) -> str:
    """Drop the fuzzy flag and the previous-msgid lines makemessages adds to a guessed entry."""
    lines = [ln for ln in comments.splitlines(keepends=True) if not ln.startswith("#|")]
    out = []
    for ln in lines:
        if ln.startswith("#,"):
            flags = [f.strip() for f in ln[2:].split(",") if f.strip() and f.strip() != "fuzzy"]
            if not flags:
                continue
            ln = "#, " + ", ".join(flags) + "\n"
        out.append(ln)
    return "".join(out)


def load_table(dict_path: Path) -> dict:
    """The dictionary, plus every `translations.d/*.json` beside it (one file per area of work, so that
    people adding strings at the same time do not edit the same file)."""
    table = json.loads(dict_path.read_text(encoding="utf-8"))
    extra = dict_path.parent / "translations.d"
    for part in sorted(extra.glob("*.json")) if extra.is_dir() else []:
        table.update(json.loads(part.read_text(encoding="utf-8")))
    return table


def main(po_path: str, dict_path: str) -> int:
    po = Path(po_path).read_text(encoding="utf-8")
    table = load_table(Path(dict_path))
    missing = []

    def fill(m):
        comments, ctxt_block, msgid_block, msgstr_block = m.group("comments", "msgctxt", "msgid", "msgstr")
        if not unquote(msgid_block):  # the header: maintained by hand, never fuzzy
            return f"{unfuzzy(comments)}msgid {msgid_block}msgstr {msgstr_block}"
        msgid = entry_key(m)
        # A fuzzy entry's text is makemessages' guess from a similar msgid ("参加评审的专家" got "Available for
        # review"), and msgfmt leaves it out of the .mo: it counts as untranslated unless the dictionary has it.
        current = "" if "fuzzy" in comments and msgid not in table else unquote(msgstr_block)
        new = table.get(msgid) or current
        if not new:
            missing.append(msgid)
            return m.group(0)
        if msgid in table:
            comments = unfuzzy(comments)
        return f"{comments}{ctxt_block}msgid {msgid_block}msgstr {quote(new)}"

    def fill_plural(m):
        comments, one, many, s0, s1 = m.groups()
        msgid = unquote(one)
        forms = table.get(msgid)
        if not isinstance(forms, list) or len(forms) != 2:
            if not (unquote(s0) and unquote(s1)):
                missing.append(msgid)
            return m.group(0)
        comments = unfuzzy(comments)
        return (
            f"{comments}msgid {one}msgid_plural {many}msgstr[0] {quote(forms[0])}msgstr[1] {quote(forms[1])}"
        )

    # Plural entries first (a dictionary value [singular, plural]), then the plain ones.
    po = PLURAL.sub(fill_plural, po)
    Path(po_path).write_text(ENTRY.sub(fill, po), encoding="utf-8")
    for msgid in missing:
        print(f"untranslated: {msgid}")
    print(f"{len(missing)} untranslated")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:3]))
