"""Who may see and review ingested reports: department staff only (reports are internal material)."""

from django.db.models import QuerySet

from kechuang.core.roles import Role, has_role

from .models import Document, Fact


def can_ingest_document(user) -> bool:
    """Staff import reports. A non-user actor (a command, the demo loader) acts as the system."""
    if isinstance(user, str):
        return True
    return has_role(user, Role.STAFF)


def can_view_document(user, document: Document | None = None) -> bool:
    """Staff see every report; nobody else sees any."""
    return has_role(user, Role.STAFF)


def can_review_fact(user, fact: Fact | None = None) -> bool:
    """Staff accept, edit or reject facts."""
    if isinstance(user, str):
        return True
    return has_role(user, Role.STAFF)


def can_revert_change(user, change=None) -> bool:
    """Staff undo a repair step's change."""
    return has_role(user, Role.STAFF)


def documents_visible_to(user) -> QuerySet[Document]:
    """Every document for staff, none for anyone else."""
    if not can_view_document(user):
        return Document.objects.none()
    return Document.objects.all()


def facts_visible_to(user) -> QuerySet[Fact]:
    """Every fact for staff, none for anyone else."""
    if not can_view_document(user):
        return Fact.objects.none()
    return Fact.objects.all()
