# Cross-app tests use the same fixtures as the apps' own tests.
from kechuang.conftest import *  # noqa: F403
