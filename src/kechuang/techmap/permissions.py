"""Who sees and who edits the technology map.

Staff edit everything. Commissioners and experts read the whole map, internal notes and the gap report
included. Everyone else (the public, applicants, platform operators) sees the published chains only,
without internal notes and without coverage links (which point at other apps' internal records).
"""

from django.db.models import QuerySet

from kechuang.core.roles import Role, has_role

from .models import Chain, ChainLink, Coverage, Technology

INTERNAL_READERS = (Role.STAFF, Role.COMMISSIONER, Role.EXPERT)


def can_edit_map(user) -> bool:
    """Only department staff change chains, links, technologies, TRL values and coverage."""
    return has_role(user, Role.STAFF)


def can_read_internal(user) -> bool:
    """Staff, commissioners and experts read unpublished chains, internal notes and coverage."""
    return has_role(user, *INTERNAL_READERS)


def can_view_gap_report(user) -> bool:
    """The gap report is internal: staff, commissioners and experts."""
    return can_read_internal(user)


def can_create_topic_from_gap(user, technology=None) -> bool:
    """Turning a gap into a topic is a staff decision."""
    if not has_role(user, Role.STAFF):
        return False
    return technology is None or technology.is_bottleneck


def chains_visible_to(user) -> QuerySet[Chain]:
    """Internal readers see every chain; anyone else the published ones."""
    if can_read_internal(user):
        return Chain.objects.all()
    return Chain.objects.filter(published=True)


def links_visible_to(user) -> QuerySet[ChainLink]:
    """Links of the chains the user sees."""
    if can_read_internal(user):
        return ChainLink.objects.all()
    return ChainLink.objects.filter(chain__published=True)


def technologies_visible_to(user) -> QuerySet[Technology]:
    """Technologies of the chains the user sees."""
    if can_read_internal(user):
        return Technology.objects.all()
    return Technology.objects.filter(link__chain__published=True)


def coverages_visible_to(user) -> QuerySet[Coverage]:
    """Coverage links are internal records (they name other apps' drafts and contracts)."""
    if can_read_internal(user):
        return Coverage.objects.all()
    return Coverage.objects.none()


def can_view_chain(user, chain: Chain) -> bool:
    """A published chain is public; an unpublished one is for internal readers."""
    if chain.published:
        return True
    return can_read_internal(user)


def can_view_technology(user, technology: Technology) -> bool:
    """As its chain."""
    return can_view_chain(user, technology.link.chain)
