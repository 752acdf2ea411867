"""The operator commands' shared `--language zh-hans|en`: a command speaks the operator's language.

A command built on `LanguageCommand` prints its messages (gettext, Chinese msgids) in the language given by
`--language`, or in settings.LANGUAGE_CODE (Simplified Chinese) without it. The option is accepted before and
after a sub-command (`kechuang units --language en import F` and `kechuang units import F --language en`).
Machine-readable output (JSON, CSV, TSV, file contents) does not depend on it: the work itself (an import
matching the labels of a file, an export writing them, a job, the demo's rows) runs in `site_language()`, as
it did before the option, and only the messages around it follow `--language`.
"""

import argparse

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import translation


def _codes() -> list[str]:
    return [code for code, _name in settings.LANGUAGES]


def say(stream, msgid, /, **params) -> None:
    """A progress line of work that runs in the site's language (a demo loader), in the operator's: the
    language `stream` was made for (OperatorStream, --language), else the active one. `msgid` is a Chinese
    msgid marked with gettext_noop; nothing is written without a stream."""
    if stream is None:
        return
    from .messages import Message, encode, render_in

    language = getattr(stream, "language", None) or translation.get_language() or settings.LANGUAGE_CODE
    stream.write(render_in(encode(Message(msgid, **params)), language) + "\n")


class OperatorStream:
    """A command's output stream that remembers the operator's language (for `say`)."""

    def __init__(self, stream, language: str):
        self.stream, self.language = stream, language

    def write(self, text, *args, **kwargs):
        return self.stream.write(text, *args, **kwargs)

    def __getattr__(self, name):
        return getattr(self.stream, name)


def site_language():
    """The site's language (settings.LANGUAGE_CODE) for a command's work, whatever `--language` says."""
    return translation.override(settings.LANGUAGE_CODE)


class LanguageCommand(BaseCommand):
    def create_parser(self, prog_name, subcommand, **kwargs):
        parser = super().create_parser(prog_name, subcommand, **kwargs)
        help_text = f"message language (default: {settings.LANGUAGE_CODE})"
        parser.add_argument("--language", choices=_codes(), default=None, help=help_text)
        # argparse hands everything after a sub-command's name to that sub-parser: it needs the option too
        # (SUPPRESS: a sub-parser without it leaves the value given before the sub-command alone).
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for sub in action.choices.values():
                    sub.add_argument(
                        "--language", choices=_codes(), default=argparse.SUPPRESS, help=help_text
                    )
        return parser

    def execute(self, *args, **options):
        language = options.get("language") or settings.LANGUAGE_CODE
        with translation.override(language):
            return super().execute(*args, **options)
