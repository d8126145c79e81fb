"""Back-investigation: a clue concluded unsubstantiated, a case that shows otherwise, its signers reviewed."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import translation

from saohei.audit.models import AuditEvent
from saohei.cases import services
from saohei.cases.choices import ReviewFinding, ReviewState
from saohei.cases.models import AccountabilityReview
from saohei.cases.tests.case_helpers import new_case, signed_clue
from saohei.clues import services as clue_services
from saohei.clues.models import Clue
from saohei.clues.tests.helpers import FIVE_CHIEFS, receive, to_concluded
from saohei.orgs.choices import Role
from saohei.orgs.services import membership_grant
from saohei.signoff.models import Endorsement

pytestmark = pytest.mark.django_db

REASON = "万某强迫交易案查明的事实与该线索反映的问题一致，原核查结论为查否。"


def _resigned_clue(org) -> Clue:
    """Unsubstantiated, two signatures voided by an amendment, then the whole chain signed again."""
    clue = to_concluded(org, receive(org), "unsubstantiated")
    for name in FIVE_CHIEFS[:2]:
        clue_services.clue_sign(clue=clue, actor=org.users[name])
    clue_services.clue_amend_conclusion(clue=clue, actor=org.users["head.minzu"], conclusion="unsubstantiated",
                                        finding="经再次走访核实，仍未发现强迫交易的事实。", reason="补充核查情况")
    for name in FIVE_CHIEFS:
        clue_services.clue_sign(clue=clue, actor=org.users[name])
    return Clue.objects.get(pk=clue.pk)


def test_a_review_copies_every_live_signature_of_the_clue_into_its_signers(org):
    clue = _resigned_clue(org)
    assert Endorsement.objects.filter(voided_at__isnull=False).count() == 2
    case = new_case(org)
    review = services.accountability_review_open(actor=org.users["director.jianghan"], clue=clue, case=case,
                                                 reason=REASON)
    assert review.office == clue.office and review.jurisdiction_path == case.jurisdiction_path
    signers = list(review.signers.order_by("signed_at", "pk").values_list("signer__username", "step_label"))
    assert [s for s, _label in signers] == FIVE_CHIEFS
    assert signers[0][1] == "责任民警" and signers[-1][1] == "局长"
    assert all(s.endorsement.voided_at is None for s in review.signers.all())
    event = AuditEvent.objects.get(action="review.open", object_id=str(review.pk))
    assert event.after["clue"] == clue.number and len(event.after["signers"]) == 6
    with pytest.raises(ValidationError):  # once per clue and case
        services.accountability_review_open(actor=org.users["director.jianghan"], clue=clue, case=case, reason=REASON)


def test_only_a_signed_unsubstantiated_or_unverifiable_clue_goes_under_review(org):
    case = new_case(org)
    director = org.users["director.jianghan"]
    with translation.override("en"), pytest.raises(ValidationError, match="unsubstantiated"):
        services.accountability_review_open(actor=director, clue=signed_clue(org), case=case, reason=REASON)
    unsigned = to_concluded(org, receive(org, subject="江汉区某棋牌室赌博"), "unsubstantiated")
    with pytest.raises(ValidationError):
        services.accountability_review_open(actor=director, clue=unsigned, case=case, reason=REASON)
    unverifiable = signed_clue(org, "unverifiable", subject="江汉区某菜场欺行霸市")
    assert services.accountability_review_open(actor=director, clue=unverifiable, case=case, reason=REASON).pk
    with pytest.raises(ValidationError):  # the reason is required
        services.accountability_review_open(actor=director, clue=signed_clue(org, "unsubstantiated"), case=case,
                                            reason=" ")


@pytest.mark.parametrize("actor", ["chief.jianghan", "clerk.jianghan", "director.jiangan", "liaison.jianghan"])
def test_reviews_are_opened_by_directors_and_supervisors_of_the_subtree(org, actor):
    clue = signed_clue(org, "unsubstantiated")
    with pytest.raises(PermissionDenied):
        services.accountability_review_open(actor=org.users[actor], clue=clue, case=new_case(org), reason=REASON)
    assert not AccountabilityReview.objects.exists()


def test_the_finding_is_recorded_above_or_at_the_clues_office_and_never_by_a_signer(org):
    clue = signed_clue(org, "unsubstantiated")
    review = services.accountability_review_open(actor=org.users["supervisor.wuhan"], clue=clue, case=new_case(org),
                                                 reason=REASON)
    # The bureau chief who signed the conclusion is also a supervisor of the city office: still may not decide.
    signer = org.users["head.jhbureau"]
    membership_grant(user=signer, role=Role.SUPERVISOR, office=org.offices["wuhan"], actor=None, title="督导员")
    signer = type(signer).objects.get(pk=signer.pk)
    for actor in (signer, org.users["director.jiangan"], org.users["chief.jianghan"]):
        with pytest.raises(PermissionDenied):
            services.accountability_review_decide(actor=actor, review=review, finding=ReviewFinding.NEGLIGENT,
                                                  finding_text="未按要求调取监控，结论依据不足。")
    rows = {s.signer.username: s.pk for s in review.signers.select_related("signer")}
    services.accountability_review_decide(
        actor=org.users["director.wuhan"], review=review, finding=ReviewFinding.NEGLIGENT,
        finding_text="核查流于形式，未调取监控即作出查否结论。",
        signer_findings={rows["verifier.jianghan"]: ReviewFinding.MISCONDUCT,
                         rows["head.jhbureau"]: ReviewFinding.ERROR_NO_FAULT},
    )
    review.refresh_from_db()
    assert review.state == ReviewState.DECIDED and review.decided_by == org.users["director.wuhan"]
    findings = dict(review.signers.values_list("signer__username", "finding"))
    assert findings["verifier.jianghan"] == ReviewFinding.MISCONDUCT
    assert findings["head.jhbureau"] == ReviewFinding.ERROR_NO_FAULT
    assert findings["head.minzu"] == ReviewFinding.NEGLIGENT
    with pytest.raises(ValidationError, match="already"), translation.override("en"):
        services.accountability_review_decide(actor=org.users["director.jianghan"], review=review,
                                              finding=ReviewFinding.JUSTIFIED, finding_text="维持")
    assert AuditEvent.objects.filter(action="review.decide", object_id=str(review.pk)).count() == 1


def test_the_clues_own_county_director_may_decide_and_unknown_signers_are_refused(org):
    clue = signed_clue(org, "unsubstantiated")
    review = services.accountability_review_open(actor=org.users["director.jianghan"], clue=clue,
                                                 case=new_case(org), reason=REASON)
    with pytest.raises(ValidationError):
        services.accountability_review_decide(actor=org.users["director.jianghan"], review=review,
                                              finding=ReviewFinding.JUSTIFIED, finding_text="依当时掌握情况结论正确",
                                              signer_findings={999999: ReviewFinding.NEGLIGENT})
    services.accountability_review_decide(actor=org.users["director.jianghan"], review=review,
                                          finding=ReviewFinding.JUSTIFIED, finding_text="依当时掌握情况结论正确")
    assert set(review.signers.values_list("finding", flat=True)) == {ReviewFinding.JUSTIFIED}
