"""The product's modules and classes, for the walkers that check every form or serializer the product has
(test_web_free_text_bounded, test_form_lengths_fit_columns, test_api_serializers_bounded): every module under
kechuang imported, test modules, conftest, migrations and settings left out."""

import importlib
import pkgutil

import kechuang


def _is_test_module(name: str) -> bool:
    return any(part in name for part in (".tests", "conftest"))


def product_modules():
    """(name, module) of every product module, each imported."""
    for info in pkgutil.walk_packages(kechuang.__path__, "kechuang."):
        name = info.name
        if _is_test_module(name) or any(part in name for part in (".migrations", ".settings")):
            continue
        yield name, importlib.import_module(name)


def product_subclasses(base) -> list[type]:
    """Every subclass of `base`, however deep, that a product module defines, by module and name. A test
    module's own subclass (core.tests.test_attempts.NameForm) is left out: it is one once that module has been
    imported in the same process, which depends on what ran before."""
    for _ in product_modules():
        pass
    seen, todo = set(), [base]
    while todo:
        for sub in todo.pop().__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in seen if c.__module__.startswith("kechuang.") and not _is_test_module(c.__module__)),
        key=lambda c: (c.__module__, c.__qualname__),
    )
