"""Who issues and reads a project's official documents and archive.

Staff issue (and re-issue) documents and build archives. A document is read by whoever sees its project
(challenges' rule: staff, the project's commissioner, the contracted unit), except the review sheet, which the
unit reads only once the review results are released. The archive holds the audit trail, so it is staff's.
The public verification page shows no document, only whether one is genuine and current.
"""

from kechuang.challenges import permissions as projects
from kechuang.core.roles import Role, has_role

from .models import DocumentKind, OfficialDocument


def can_issue(user) -> bool:
    return has_role(user, Role.STAFF)


def can_read_document(user, document: OfficialDocument) -> bool:
    contract = document.contract
    if not projects.can_view_contract(user, contract):
        return False
    if document.kind == DocumentKind.REVIEW:
        return projects.can_see_review_result(user, contract.application)
    return True


def can_build_archive(user) -> bool:
    return has_role(user, Role.STAFF)


def can_read_archive(user) -> bool:
    return has_role(user, Role.STAFF)


def can_build_opendata(user) -> bool:
    return has_role(user, Role.STAFF)
