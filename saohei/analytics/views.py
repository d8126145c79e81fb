from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST

from saohei.analytics.models import RepeatMatch
from saohei.analytics.scoring import clue_score_update
from saohei.analytics.services import repeat_match_decide
from saohei.clues.models import Clue


@login_required
@require_POST
def repeat_decide(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or reject a repeat candidate; a candidate the user may not see is not found."""
    visible = Clue.objects.visible_to(request.user).values("pk")
    match = RepeatMatch.objects.filter(pk=pk, report__clue__in=visible, earlier__clue__in=visible).first()
    if match is None:
        raise Http404
    clue_id = match.report.clue_id
    try:
        match = repeat_match_decide(match=match, actor=request.user,  # type: ignore[arg-type]
                                    decision=request.POST.get("decision", ""), note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
    return redirect("clue-detail", pk=clue_id)


@login_required
@require_POST
def clue_score(request: HttpRequest, pk: int) -> HttpResponse:
    """Compute the clue's priority now (it is derived data: no decision is taken, nothing is audited)."""
    if not Clue.objects.visible_to(request.user).filter(pk=pk).exists():
        raise Http404
    clue_score_update(clue_id=pk)
    return redirect(f"{reverse('clue-detail', kwargs={'pk': pk})}#clue-priority")
