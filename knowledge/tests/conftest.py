import pytest


@pytest.fixture
def publish(users, units):
    """publish(title, body, **fields) → a published article (written by the centre, reviewed and
    published by the supervision office), through the services."""
    from knowledge.services import ArticleData, article_create, article_transition

    def make(title, body, **fields):
        fields.setdefault("owner_unit", users["supervisor"].unit)
        article = article_create(actor=users["supervisor"], data=ArticleData(title=title, body=body, **fields))
        for action in ("review", "publish"):
            article = article_transition(actor=users["supervisor"], article=article, action=action)
        return article

    return make
