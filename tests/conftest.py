# Cross-app tests use the same fixtures as the apps' own tests.
from kechuang.conftest import *  # noqa: F403

# `import *` leaves out names starting with "_": the autouse reset of the active language is taken by name, so a
# page requested in English here does not leave English active for the next test in the same worker (an app
# test reading the site's language then read English: test_job_error_language under xdist).
from kechuang.conftest import _language_reset  # noqa: F401
