# Cross-app tests use the same fixtures as the apps' own tests.
from kechuang.conftest import *  # noqa: F403

# `import *` leaves out names starting with "_", so the autouse ones are taken by name:
# - the reset of the active language, so a page requested in English here does not leave English active for the
#   next test in the same worker (an app test reading the site's language then read English:
#   test_job_error_language under xdist);
# - the temporary media folder: without it a test here that uploaded a file wrote it under var/media, the folder
#   `make run` serves the demo from;
# - the empty cache each test starts with (rate-limit counters and cached cards a test left for the next one).
from kechuang.conftest import _cache_empty, _language_reset, _media  # noqa: F401
