from django.db import models
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    PORTAL = "portal", _("online portal")
    HOTLINE = "hotline", _("hotline 12337")
    LETTER = "letter", _("letter")
    VISIT = "visit", _("visit in person")
    EMAIL = "email", _("e-mail")
    WECHAT = "wechat", _("WeChat")
    INCIDENT_110 = "incident_110", _("110 incident")
    HIGHER_REFERRAL = "higher_referral", _("referral from a higher office")
    UNIT_TRANSFER = "unit_transfer", _("transfer from another unit")
    SCREENING = "screening", _("screening")
    CASE_SPINOFF = "case_spinoff", _("case spin-off")


PUBLIC_CHANNELS = frozenset(
    {Channel.PORTAL, Channel.HOTLINE, Channel.LETTER, Channel.VISIT, Channel.EMAIL, Channel.WECHAT}
)


class ImportState(models.TextChoices):
    QUEUED = "queued", _("queued")
    CHECKING = "checking", _("checking rows")
    WRITING = "writing", _("saving")
    DONE = "done", _("imported")
    FAILED = "failed", _("refused")


class AttachmentKind(models.TextChoices):
    IMAGE = "image", _("photo")
    AUDIO = "audio", _("audio")
    VIDEO = "video", _("video")
    DOCUMENT = "document", _("document")


class MessageDirection(models.TextChoices):
    FROM_REPORTER = "from_reporter", _("from the reporter")
    TO_REPORTER = "to_reporter", _("to the reporter")


class RewardState(models.TextChoices):
    PROPOSED = "proposed", _("proposed")
    APPROVED = "approved", _("approved")
    PAID = "paid", _("paid")
    VOIDED = "voided", _("voided")


class IdentityRequestState(models.TextChoices):
    PENDING = "pending", _("awaiting a second person")
    APPROVED = "approved", _("approved")
    REFUSED = "refused", _("refused")
    USED = "used", _("used")
