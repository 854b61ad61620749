"""Vocabularies of the stocktaking inventory (docs/inventory-query.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ActivityType(models.TextChoices):
    PROJECT = "project", _("Project")
    PROGRAMME = "programme", _("Programme")
    TRAINING = "training", _("Training")
    CONFERENCE = "conference", _("Conference")
    WEBSITE = "website", _("Website")
    GUIDELINE = "guideline", _("Guideline")
    TOOLKIT = "toolkit", _("Toolkit")
    OTHER = "other", _("Other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ONGOING = "ongoing", _("Ongoing")
    COMPLETED = "completed", _("Completed")


class Coverage(models.TextChoices):
    NATIONAL = "national", _("National")
    REGIONAL = "regional", _("Regional")
    INTERNATIONAL = "international", _("International")


class Region(models.TextChoices):
    """ITU Development Sector regions."""

    AFRICA = "africa", _("Africa")
    AMERICAS = "americas", _("Americas")
    ARAB_STATES = "arab-states", _("Arab States")
    ASIA_PACIFIC = "asia-pacific", _("Asia & Pacific")
    CIS = "cis", _("CIS")
    EUROPE = "europe", _("Europe")


class ActionLineCode(models.TextChoices):
    """Action lines of the Geneva Plan of Action (C7 and its sub-lines included)."""

    C1 = "C1", _("C1 Public governance authorities and all stakeholders")
    C2 = "C2", _("C2 Information and communication infrastructure")
    C3 = "C3", _("C3 Access to information and knowledge")
    C4 = "C4", _("C4 Capacity building")
    C5 = "C5", _("C5 Confidence and security in the use of ICTs")
    C6 = "C6", _("C6 Enabling environment")
    C7 = "C7", _("C7 ICT applications")
    C7_EGOV = "C7-EGOV", _("C7 E-government")
    C7_EBUS = "C7-EBUS", _("C7 E-business")
    C7_ELEARN = "C7-ELEARN", _("C7 E-learning")
    C7_EHEALTH = "C7-EHEALTH", _("C7 E-health")
    C7_EEMPLOY = "C7-EEMPLOY", _("C7 E-employment")
    C7_EENV = "C7-EENV", _("C7 E-environment")
    C7_EAGRI = "C7-EAGRI", _("C7 E-agriculture")
    C7_ESCI = "C7-ESCI", _("C7 E-science")
    C8 = "C8", _("C8 Cultural and linguistic diversity, local content")
    C9 = "C9", _("C9 Media")
    C10 = "C10", _("C10 Ethical dimensions of the Information Society")
    C11 = "C11", _("C11 International and regional cooperation")


GLOBAL = "global"


class Freshness(models.TextChoices):
    """How recently an entry was updated (inventory.freshness keeps it)."""

    CURRENT = "current", _("current")
    STALE = "stale", _("not updated")
    INACTIVE = "inactive", _("inactive")
