"""Vocabularies shared across the platform."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StakeholderType(models.TextChoices):
    """Stakeholder groups of the WSIS process (slugs from data/action_lines.json)."""

    GOVERNMENT = "government", _("Government")
    PRIVATE_SECTOR = "private-sector", _("Private sector")
    CIVIL_SOCIETY = "civil-society", _("Civil society")
    INTERNATIONAL_ORGANIZATION = (
        "international-organization",
        _("International organization"),
    )
    ACADEMIA = "academia", _("Academia")
    TECHNICAL_COMMUNITY = "technical-community", _("Technical community")
    OTHER = "other", _("Other")


class UNLanguage(models.TextChoices):
    """The six official languages of the United Nations."""

    ARABIC = "ar", pgettext_lazy("UN language", "Arabic")
    CHINESE = "zh", pgettext_lazy("UN language", "Chinese")
    ENGLISH = "en", pgettext_lazy("UN language", "English")
    FRENCH = "fr", pgettext_lazy("UN language", "French")
    RUSSIAN = "ru", pgettext_lazy("UN language", "Russian")
    SPANISH = "es", pgettext_lazy("UN language", "Spanish")


class SDG(models.IntegerChoices):
    """The 17 Sustainable Development Goals."""

    NO_POVERTY = 1, _("1. No poverty")
    ZERO_HUNGER = 2, _("2. Zero hunger")
    GOOD_HEALTH = 3, _("3. Good health and well-being")
    QUALITY_EDUCATION = 4, _("4. Quality education")
    GENDER_EQUALITY = 5, _("5. Gender equality")
    CLEAN_WATER = 6, _("6. Clean water and sanitation")
    CLEAN_ENERGY = 7, _("7. Affordable and clean energy")
    DECENT_WORK = 8, _("8. Decent work and economic growth")
    INDUSTRY_INNOVATION = 9, _("9. Industry, innovation and infrastructure")
    REDUCED_INEQUALITIES = 10, _("10. Reduced inequalities")
    SUSTAINABLE_CITIES = 11, _("11. Sustainable cities and communities")
    RESPONSIBLE_CONSUMPTION = 12, _("12. Responsible consumption and production")
    CLIMATE_ACTION = 13, _("13. Climate action")
    LIFE_BELOW_WATER = 14, _("14. Life below water")
    LIFE_ON_LAND = 15, _("15. Life on land")
    PEACE_JUSTICE = 16, _("16. Peace, justice and strong institutions")
    PARTNERSHIPS = 17, _("17. Partnerships for the goals")
