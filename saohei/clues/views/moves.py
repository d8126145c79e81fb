"""A move on a clue: its form (in the modal) and its submission through clue_transition."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect, reswap, retarget

from saohei.audit.canonical import sha256_hex
from saohei.clues.choices import State
from saohei.clues.forms import MOVE_FORMS, MoveForm
from saohei.clues.models import Assignment, Clue
from saohei.clues.selectors import clue_get_for_user
from saohei.clues.services.common import check_move
from saohei.clues.services.transitions import clue_transition
from saohei.clues.views.detail import panel_context
from saohei.clues.workflow import MOVES_BY_NAME, Move
from saohei.signoff.services import next_step


def _is_htmx(request: HttpRequest) -> bool:
    return bool(getattr(request, "htmx", False))


def _assignment(request: HttpRequest, clue: Clue, move: Move) -> Assignment | None:
    """The track a track-level move acts on: the one named, else the only active one."""
    if move.level != "track":
        return None
    tracks = clue.assignments.select_related(
        "unit__parent__parent", "unit__jurisdiction", "verification__policy"
    )
    raw = (request.POST if request.method == "POST" else request.GET).get("assignment", "")
    if raw:
        if not raw.isdigit() or int(raw) >= 2**62:
            return None
        return tracks.filter(pk=int(raw)).first()
    active = list(tracks.filter(active=True)[:2])
    return active[0] if len(active) == 1 else None


def _sign_facts(assignment: Assignment | None) -> dict[str, Any]:
    """What the signer signs: the step and the SHA-256 of the conclusion as it stands."""
    verification = getattr(assignment, "verification", None) if assignment is not None else None
    if verification is None or verification.policy is None:
        return {}
    step = next_step(policy=verification.policy, subject_type="verification", subject_id=verification.pk)
    return {
        "sign_step": step,
        "sign_hash": sha256_hex(verification.signed_content()),
        "verification": verification,
    }


def _form_response(
    request: HttpRequest,
    *,
    clue: Clue,
    move: Move,
    form: MoveForm | None,
    assignment: Assignment | None,
    errors: list[str],
    status: int = 200,
) -> HttpResponse:
    context: dict[str, Any] = {
        "nav": "clues",
        "clue": clue,
        "move": move,
        "form": form,
        "assignment": assignment,
        "errors": errors,
        "in_modal": _is_htmx(request),
        **(_sign_facts(assignment) if move.name == "sign" else {}),
    }
    if _is_htmx(request):
        response = render(request, "clues/move_modal.html", context, status=status)
        if request.method == "POST":
            # The form posts into the clue panel; a refusal goes back into the modal instead.
            retarget(response, "#modal")
            reswap(response, "innerHTML")
        return response
    return render(request, "clues/move_page.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def clue_move(request: HttpRequest, pk: int, name: str) -> HttpResponse:
    clue = clue_get_for_user(user=request.user, clue_id=pk)
    move = MOVES_BY_NAME.get(name)
    if move is None:
        raise Http404(_("No such move."))
    assignment = _assignment(request, clue, move)
    form_class = MOVE_FORMS[move.name]
    if request.method == "GET":
        try:
            check_move(actor=request.user, name=move.name, clue=clue, assignment=assignment)  # type: ignore[arg-type]
        except ValidationError as exc:
            return _form_response(
                request,
                clue=clue,
                move=move,
                form=None,
                assignment=assignment,
                errors=exc.messages,
                status=422,
            )
        except PermissionDenied as exc:
            return _form_response(
                request, clue=clue, move=move, form=None, assignment=assignment, errors=[str(exc)], status=403
            )
        form = form_class(clue=clue, user=request.user, assignment=assignment)
        return _form_response(request, clue=clue, move=move, form=form, assignment=assignment, errors=[])

    form = form_class(request.POST, clue=clue, user=request.user, assignment=assignment)
    if not form.is_valid():
        return _form_response(
            request,
            clue=clue,
            move=move,
            form=form,
            assignment=assignment,
            errors=[str(e) for e in form.non_field_errors()]
            + [str(e) for f in form.hidden_fields() for e in f.errors],
            status=422,
        )
    try:
        clue = clue_transition(clue=clue, name=move.name, actor=request.user, params=request.POST)  # type: ignore[arg-type]
    except ValidationError as exc:
        return _form_response(
            request, clue=clue, move=move, form=form, assignment=assignment, errors=exc.messages, status=422
        )
    except PermissionDenied as exc:
        return _form_response(
            request, clue=clue, move=move, form=form, assignment=assignment, errors=[str(exc)], status=403
        )

    done = _("“%(move)s” done. The clue is now %(state)s.") % {
        "move": move.label,
        "state": State(clue.state).label,
    }
    try:
        clue = clue_get_for_user(user=request.user, clue_id=clue.pk)
    except Http404:
        # The move handed the clue beyond this user's sight (e.g. escalated elsewhere).
        messages.success(request, done)
        if _is_htmx(request):
            return HttpResponseClientRedirect(reverse("inbox"))
        return redirect("inbox")
    if _is_htmx(request):
        return render(request, "clues/move_done.html", panel_context(request, clue, notice=done))
    messages.success(request, done)
    return redirect("clue-detail", pk=clue.pk)
