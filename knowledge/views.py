"""Pages: search the knowledge base, read, write and review articles, the owner's stale list, and at
intake the three best articles beside the form with one click to answer the call from one."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from complaints.views.common import require_perm
from complaints.views.intake import intake_answered
from core.config import setting
from core.errors import ApplicationError, ValidationFailed

from . import selectors, services
from .forms import ArticleForm
from .markdown import render as render_markdown
from .permissions import may_edit_article_of, may_edit_articles, may_review_article_of

INTAKE_SUGGESTIONS = 3


def _int(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _article_for(user, pk: str):
    """A published article for anyone; others only for those who maintain or review it (404 else)."""
    article = selectors.articles_for_owner(user).filter(pk=_int(pk)).first() if _int(pk) else None
    if article is None:
        article = selectors.searchable().select_related("owner_unit").filter(pk=_int(pk)).first() if _int(pk) \
            else None
    if article is None:
        raise Http404(gettext("文章不存在"))
    return article


@login_required
@require_GET
def search_page(request):
    q = request.GET.get("q", "")[:200]
    hits = selectors.article_search(q, limit=20) if q.strip() else []
    return render(request, "knowledge/search.html", {"q": q, "hits": hits,
                                                     "may_edit": may_edit_articles(request.user)})


@login_required
@require_GET
def mine(request):
    """The articles the user's unit maintains, in every state, and the stale / unused ones."""
    if not may_edit_articles(request.user):
        raise DjangoPermissionDenied(gettext("您的角色无权维护知识库"))
    return render(request, "knowledge/mine.html", {
        "articles": list(selectors.articles_for_owner(request.user)[:200]),
        "stale": selectors.stale_articles(request.user),
        "unused_days": setting("kb_unused_days")})


@login_required
@require_GET
def detail(request, pk: str):
    article = _article_for(request.user, pk)
    actions = [(name, label) for name, (label, sources, _target, reviewer) in services.TRANSITIONS.items()
               if article.status in sources and (may_review_article_of if reviewer else may_edit_article_of)(
                   request.user, article.owner_unit)]
    return render(request, "knowledge/detail.html", {
        "article": article, "body_html": render_markdown(article.body), "actions": actions,
        "may_edit": may_edit_article_of(request.user, article.owner_unit),
        "categories": list(article.categories.all())})


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: str | None = None):
    if not may_edit_articles(request.user):
        raise DjangoPermissionDenied(gettext("您的角色无权维护知识库"))
    article = _article_for(request.user, pk) if pk else None
    initial = {}
    if article is not None:
        initial = {f: getattr(article, f) for f in ("title", "body", "tags", "owner_unit", "service_types",
                                                     "effective_from", "expires_on", "review_due")}
        initial["categories"] = list(article.categories.all())
    form = ArticleForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                if article is None:
                    article = services.article_create(actor=request.user, data=form.article_data())
                else:
                    article = services.article_update(actor=request.user, article=article, data=form.article_data())
            except ValidationFailed as exc:
                form.apply_errors(exc.fields)
                messages.error(request, exc.message)
            except ApplicationError as exc:
                messages.error(request, exc.message)
                status = exc.status
            else:
                messages.success(request, gettext("文章已保存为草稿，审核发布后可被检索"))
                return redirect("knowledge:detail", article.pk)
        else:
            messages.error(request, gettext("请检查标红的项目"))
    return render(request, "knowledge/edit.html", {"form": form, "article": article}, status=status)


@login_required
@require_POST
def transition(request, pk: str, action: str):
    article = _article_for(request.user, pk)
    try:
        services.article_transition(actor=request.user, article=article, action=action)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, gettext("已%(action)s") % {"action": services.TRANSITIONS[action][0]})
    return redirect("knowledge:detail", article.pk)


# --- at intake -----------------------------------------------------------------------------------

@login_required
@require_GET
def intake_suggest(request):
    """htmx: the three best articles for the description being typed and the category picked."""
    require_perm(request.user, "complaints.intake_ticket")
    q = request.GET.get("description", "")[:500]
    hits = selectors.article_search(q, category_id=_int(request.GET.get("category")), limit=INTAKE_SUGGESTIONS)
    return render(request, "knowledge/_intake_suggest.html", {"hits": hits, "searched": bool(q.strip())})


@login_required
@require_POST
def intake_answer(request):
    """The intake form submitted with `kb_article`: an enquiry answered from the article, closed."""
    require_perm(request.user, "complaints.intake_ticket")
    article = selectors.searchable().filter(pk=_int(request.POST.get("kb_article"))).first() \
        if _int(request.POST.get("kb_article")) else None
    if article is None:
        messages.error(request, gettext("该文章未发布或已失效"))
        return redirect("complaints:intake")
    return intake_answered(
        request, description=gettext("咨询：%(title)s") % {"title": article.title},
        done=gettext("已按知识库答复并办结"),
        register=lambda **kw: services.article_answer(actor=request.user, article=article, **kw))

