"""What a serving process does once, before its first request (issue #19): `kechuang.wsgi` and `kechuang.asgi`
call `warm_up()` after the application is built.

- jieba's dictionary (half a million words, the word segmentation of every Chinese search) is loaded here,
  not by the first search each worker serves: that first search waited 1-5 s (the load, and two full
  garbage collections of its objects) while the benchmark's other connection went on, and wrk's correction
  for the stalled connection put a few seconds of one request into the p95 and p99 of the platform search.
- the discipline table (core.disciplines: GB/T 13745 names and their pinyin, ~1.2 s for pypinyin's
  dictionary) is read here too, not by the first discipline picker a worker answers.
- `gc.freeze()` then moves every object built so far (modules, URL patterns, templates' code, the
  dictionary: about 230,000 tracked objects) out of the collector's view: a full collection walks only what
  requests built since, a few ms instead of 180-600 ms in the middle of a request. Those objects live as
  long as the process anyway; the garbage among them is collected first.
"""

import gc


def warm_up() -> None:
    import jieba
    from django.urls import get_resolver

    jieba.initialize()
    from kechuang.core import disciplines

    disciplines.search("shuxue")  # the table, the name index and the pinyin, built once
    # Every app's URLs and views imported, and the names `reverse` and `{% url %}` look up: Django does both
    # on the first request otherwise (1.6 s of it on the national dataset's machine).
    get_resolver().reverse_dict  # noqa: B018
    gc.collect()
    gc.freeze()
