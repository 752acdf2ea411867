import json

from django.core.management.base import BaseCommand

from kechuang.ingest import parsers

from ._common import read_and_repair


class Command(BaseCommand):
    help = "Print the facts found in a report file as JSON lines (no database)."

    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("file", help="a .txt/.html/.docx/.pdf file, or - for standard input")
        parser.add_argument("--year", type=int, help="the report's year (dates and periods)")
        parser.add_argument("--mentions", action="store_true", help="also print entity mentions")

    def handle(self, *args, file, year=None, mentions=False, **options):
        _decoded, result = read_and_repair(file)
        for fact in parsers.extract_facts(result.text, year=year, result=result):
            self.stdout.write(json.dumps(fact.as_json(), ensure_ascii=False))
        if mentions:
            from kechuang.ingest.parsers.entities import find_mentions

            for m in find_mentions(result.text):
                self.stdout.write(json.dumps({"mention": m.as_json()}, ensure_ascii=False))
