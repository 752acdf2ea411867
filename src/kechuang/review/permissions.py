"""Who may see and do what in review.

Staff see and run everything. An expert sees their own profile and only their own assignments and
reviews, never another expert's scores. An applicant never sees reviews, only the anonymous opinions
staff release (through `subject_results`).
"""

from django.db.models import QuerySet

from kechuang.core.roles import Role, has_role

from .models import Assignment, ExpertProfile, Review, Round


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.is_active


def is_staff(user) -> bool:
    """Department staff (or a superuser)."""
    return _signed_in(user) and has_role(user, Role.STAFF)


def can_manage_pool(user) -> bool:
    """Staff list, import, approve and mark experts."""
    return is_staff(user)


def can_view_profile(user, profile: ExpertProfile) -> bool:
    """Staff see every profile; an expert sees their own."""
    if not _signed_in(user):
        return False
    if is_staff(user):
        return True
    return profile.user_id == user.pk


def can_edit_profile(user, profile: ExpertProfile) -> bool:
    """An expert edits their own profile; staff edit any (e.g. to correct an import)."""
    if not _signed_in(user):
        return False
    if is_staff(user):
        return True
    if not has_role(user, Role.EXPERT):
        return False
    return profile.user_id == user.pk


def can_manage_round(user, rnd: Round | None = None) -> bool:
    """Rounds are set up, assigned, swapped and closed by staff only."""
    return is_staff(user)


def can_view_assignment(user, assignment: Assignment) -> bool:
    """Staff, or the assigned expert."""
    if not _signed_in(user):
        return False
    if is_staff(user):
        return True
    return assignment.expert_id == user.pk and assignment.status == Assignment.Status.ACTIVE


def can_edit_review(user, review: Review) -> bool:
    """Only the assigned expert writes a review, and only while it is open."""
    if not _signed_in(user):
        return False
    if not has_role(user, Role.EXPERT):
        return False
    if review.assignment.expert_id != user.pk:
        return False
    if review.assignment.status != Assignment.Status.ACTIVE:
        return False
    return review.status == Review.Status.OPENED


def can_view_review(user, review: Review) -> bool:
    """Staff see every review; an expert only their own (never a colleague's scores), and not once they
    declared a conflict with it: the proposal is then closed to them."""
    if not can_view_assignment(user, review.assignment):
        return False
    return is_staff(user) or review.status != Review.Status.DECLINED


def can_release_review(user, review: Review) -> bool:
    """Staff decide which opinions the applicant may read."""
    return is_staff(user)


def rounds_visible_to(user) -> QuerySet[Round]:
    """Staff see every round; an expert the rounds they were assigned in; others none."""
    if is_staff(user):
        return Round.objects.all()
    if _signed_in(user) and has_role(user, Role.EXPERT):
        return Round.objects.filter(assignments__expert=user, assignments__status="active").distinct()
    return Round.objects.none()


def assignments_visible_to(user) -> QuerySet[Assignment]:
    """Staff see every assignment; an expert only their own active ones."""
    if is_staff(user):
        return Assignment.objects.all()
    if _signed_in(user) and has_role(user, Role.EXPERT):
        return Assignment.objects.filter(expert=user, status=Assignment.Status.ACTIVE)
    return Assignment.objects.none()


def reviews_visible_to(user) -> QuerySet[Review]:
    """Staff see every review; an expert only their own; an applicant none."""
    if is_staff(user):
        return Review.objects.all()
    if _signed_in(user) and has_role(user, Role.EXPERT):
        return Review.objects.filter(assignment__expert=user, assignment__status=Assignment.Status.ACTIVE)
    return Review.objects.none()


def profiles_visible_to(user) -> QuerySet[ExpertProfile]:
    """Staff see the pool; an expert sees only their own profile."""
    if is_staff(user):
        return ExpertProfile.objects.all()
    if _signed_in(user):
        return ExpertProfile.objects.filter(user=user)
    return ExpertProfile.objects.none()
