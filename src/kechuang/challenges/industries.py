"""The industries a need or a topic belongs to: the list lives in kechuang.core.industries (platforms name
the industries they serve by it too); its names are kept here for the code and the migrations that import them."""

from kechuang.core.industries import (  # noqa: F401
    CHOICES,
    INDUSTRIES,
    KEYS,
    choices_with,
    closest,
    english_name,
    label,
    matching,
    parse,
)
