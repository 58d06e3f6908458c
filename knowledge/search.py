"""Chinese search of the knowledge base without a word segmenter: Chinese text is indexed as its
overlapping character bigrams (the CJK-bigram scheme of Lucene/Elasticsearch), Latin words and numbers
whole. A two-character word anywhere in a longer phrase is a bigram of it, so it is always found;
a query is split the same way and ranked by Σ idf(term) × weight(article, term) in one SQL
aggregate over the ArticleTerm index (the same on PostgreSQL and SQLite). Highlights are drawn
on the few results shown."""
import math
import re

from django.db.models import Case, Count, F, FloatField, Sum, Value, When
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import ArticleTerm

_RUNS = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|[0-9a-z]+")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
MAX_QUERY_TERMS = 24
WEIGHTS = (("title", 3), ("tags", 2), ("body", 1))


def terms(text: str) -> list[str]:
    """Distinct terms in order of appearance: bigrams of each Chinese run (a lone character as
    itself), Latin words / numbers of two or more characters whole (up to 32)."""
    found: dict[str, None] = {}
    for run in _RUNS.findall((text or "").lower()):
        if _CJK.match(run):
            if len(run) == 1:
                found[run] = None
            for i in range(len(run) - 1):
                found[run[i:i + 2]] = None
        elif len(run) >= 2:
            found[run[:32]] = None
    return list(found)


def article_terms(article) -> dict[str, int]:
    """term → weight for an article (title 3, tags 2, body 1, summed over the fields it occurs in)."""
    weights: dict[str, int] = {}
    for field, weight in WEIGHTS:
        for term in terms(getattr(article, field)):
            weights[term] = weights.get(term, 0) + weight
    return weights


def rank(articles, query: str, *, category_id: int | None = None, limit: int = 10) -> list[tuple[int, float]]:
    """(article id, score) of the best `articles` (a queryset of searchable articles) for `query`,
    best first. An article linked to `category_id` gains a boost; without query terms the
    category's articles come by use."""
    wanted = terms(query)[:MAX_QUERY_TERMS]
    if not wanted:
        if category_id is None:
            return []
        rows = articles.filter(categories=category_id).order_by("-use_count", "-id").values_list("id", flat=True)
        return [(pk, 0.0) for pk in rows[:limit]]
    postings = ArticleTerm.objects.filter(term__in=wanted, article__in=articles)
    total = articles.count() or 1
    df = dict(postings.values("term").annotate(n=Count("article_id")).values_list("term", "n"))
    if not df:
        return []
    idf = Case(*[When(term=t, then=Value(math.log(1 + total / n))) for t, n in df.items()],
               default=Value(0.0), output_field=FloatField())
    scored = (postings.filter(term__in=df).values("article_id")
              .annotate(score=Sum(idf * F("weight"), output_field=FloatField())).order_by("-score", "article_id"))
    rows = [(r["article_id"], r["score"]) for r in scored[:limit * 3]]
    if category_id is not None:
        linked = set(articles.filter(pk__in=[pk for pk, _ in rows], categories=category_id)
                     .values_list("id", flat=True))
        boost = max((s for _, s in rows), default=0) * 0.5
        rows = sorted(((pk, s + (boost if pk in linked else 0)) for pk, s in rows), key=lambda r: (-r[1], r[0]))
    return rows[:limit]


def highlight(text: str, query: str, *, width: int = 0) -> SafeString:
    """`text` escaped, the query's words / bigrams marked; with `width`, a window of about that many
    characters around the first match (the start if nothing matches)."""
    wanted = sorted(set(terms(query)), key=len, reverse=True)
    text = " ".join((text or "").split())
    if width:
        lower = text.lower()
        hits = [lower.find(t) for t in wanted if lower.find(t) >= 0]
        start = max(min(hits) - width // 3, 0) if hits else 0
        text = ("…" if start else "") + text[start:start + width] + ("…" if start + width < len(text) else "")
    if not wanted:
        return mark_safe(escape(text))  # noqa: S308 — escaped just now
    pattern = re.compile("|".join(re.escape(t) for t in wanted), re.IGNORECASE)
    out, last = [], 0
    for match in pattern.finditer(text):
        out += [escape(text[last:match.start()]), "<mark>", escape(match.group()), "</mark>"]
        last = match.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 — every piece of text escaped
