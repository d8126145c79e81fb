from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    NATIONAL = "national", _("national")
    PROVINCE = "province", _("province")
    CITY = "city", _("city")
    COUNTY = "county", _("county")


class UnitKind(models.TextChoices):
    POLICE_BUREAU = "police_bureau", _("police bureau")
    CRIMINAL_BRIGADE = "criminal_brigade", _("criminal investigation brigade")
    POLICE_STATION = "police_station", _("police station")
    PROCURATORATE = "procuratorate", _("procuratorate")
    COURT = "court", _("court")
    DISCIPLINE_COMMISSION = "discipline_commission", _("discipline inspection and supervision commission")
    JUSTICE_BUREAU = "justice_bureau", _("justice bureau")
    REGULATOR = "regulator", _("industry regulator")
    CIVIL_AFFAIRS = "civil_affairs", _("civil affairs bureau")
    ORGANISATION_DEPARTMENT = "organisation_department", _("organisation department")
    STREET_OFFICE = "street_office", _("street office")
    OTHER = "other", _("other unit")


class Sector(models.TextChoices):
    NONE = "", _("—")
    HOUSING_CONSTRUCTION = "housing_construction", _("housing and construction")
    NATURAL_RESOURCES = "natural_resources", _("natural resources")
    TRANSPORT = "transport", _("transport")
    MARKET_REGULATION = "market_regulation", _("market regulation")
    FINANCE = "finance", _("financial regulation")
    EDUCATION = "education", _("education")
    CULTURE_TOURISM = "culture_tourism", _("culture and tourism")
    ECOLOGY = "ecology", _("ecology and environment")
    INFORMATION_NETWORK = "information_network", _("information network")


class Role(models.TextChoices):
    INTAKE_CLERK = "intake_clerk", _("intake clerk")
    TRIAGE_ANALYST = "triage_analyst", _("triage analyst")
    VERIFIER = "verifier", _("verifier")
    UNIT_CHIEF = "unit_chief", _("unit chief")
    DEPUTY_CHIEF = "deputy_chief", _("deputy chief")
    OFFICE_DIRECTOR = "office_director", _("office director")
    SUPERVISOR = "supervisor", _("supervisor")
    DISCIPLINE_LIAISON = "discipline_liaison", _("discipline liaison")
    STATISTICIAN = "statistician", _("statistician")
    AUDITOR = "auditor", _("auditor")
    IDENTITY_READER = "identity_reader", _("reporter identity reader")
    SYSADMIN = "sysadmin", _("system administrator")


class WorkingGroupKind(models.TextChoices):
    VERIFICATION_TEAM = "verification_team", _("clue verification team")
    SUPERVISION_TEAM = "supervision_team", _("supervision team")
    SPECIAL_CASE_TEAM = "special_case_team", _("special case team")
    PURSUIT_TEAM = "pursuit_team", _("pursuit team")
    THEMATIC = "thematic", _("thematic working group")
