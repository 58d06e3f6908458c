"""The signed-in user's API tokens: list the live ones, revoke one."""
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_POST

from accounts import tokens


@login_required
@require_GET
def token_list(request):
    return render(request, "accounts/tokens.html", {
        "tokens": list(tokens.live_tokens(request.user)), "lifetime": tokens.lifetime(request.user)})


@login_required
@require_POST
def token_revoke(request, pk):
    if not tokens.revoke(request.user, pk):
        raise Http404(gettext("令牌不存在或已失效"))
    messages.success(request, gettext("令牌已吊销，使用它的程序须重新获取令牌"))
    return redirect("accounts:tokens")
