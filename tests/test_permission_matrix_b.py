"""The permission matrix's other half: the cases of tests/test_permission_matrix.py that module leaves to this one
(`[1::2]`), checked the same way against a world of this module's own. Two files, so that `--dist loadfile`
(tools/runtests.py) runs the matrix on both workers at once: as one file it held one worker for most of the
pass. The entries, the world and the checks stay in tests/test_permission_matrix.py (docs/security.md,
"Permission matrix")."""

import pytest

from . import test_permission_matrix as matrix
from .test_permission_matrix import ADMIN_CASES, MATRIX_CASES, Entry, check_admin_entry, run_entry

# That module's fixtures, used here as there: its world (built for this module too), its `db` (each test rolled
# back) and its two autouse overrides of the shared conftest's per-test set-ups.
world = matrix.world
db = matrix.db
_roles = matrix._roles
_media = matrix._media

pytestmark = pytest.mark.slow  # scheduled first, as the first half is: tools/runtests.py, conftest


@pytest.mark.parametrize("entry,role", MATRIX_CASES[1::2])
def test_permission(world, db, entry: Entry, role: str):
    """One URL × one role: GET and every refused write answer as the matrix says."""
    problems = run_entry(world, entry, role)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("entry", ADMIN_CASES[1::2])
def test_admin_permission(world, db, entry: Entry):
    """One admin URL × the roles, as in the first half."""
    problems = check_admin_entry(world, entry)
    assert not problems, "\n".join(problems)


def test_the_two_halves_take_every_case_once():
    assert len(MATRIX_CASES[0::2]) + len(MATRIX_CASES[1::2]) == len(MATRIX_CASES)
    ids = [p.id for p in MATRIX_CASES]
    assert len(set(ids)) == len(ids)
    assert len(ADMIN_CASES[0::2]) + len(ADMIN_CASES[1::2]) == len(ADMIN_CASES)
