"""Who writes and who publishes: any staff role writes articles for their unit subtree; the
supervision office (客户服务中心) reviews and publishes them. Every signed-in user reads published ones."""
from accounts.models import Role
from accounts.scoping import unit_visible

EDITING_ROLES = (Role.HANDLER, Role.UNIT_MANAGER, Role.LEAD, Role.SUPERVISOR, Role.AGENT)
REVIEWING_ROLES = (Role.SUPERVISOR,)


def may_edit_articles(user) -> bool:
    return bool(user and user.is_authenticated and (user.has_perm("knowledge.edit_article")
                                                    or user.has_role(*EDITING_ROLES)))


def may_review_articles(user) -> bool:
    return bool(user and user.is_authenticated and (user.has_perm("knowledge.review_article")
                                                    or user.has_role(*REVIEWING_ROLES)))


def may_edit_article_of(user, unit) -> bool:
    return may_edit_articles(user) and unit_visible(user, unit)


def may_review_article_of(user, unit) -> bool:
    return may_review_articles(user) and unit_visible(user, unit)
