"""Realistic synthetic inventory entries for demos, tests and benchmarks.

Deterministic for a given seed, and fast enough for 100,000 entries: rows are
written with ``bulk_create`` (entries, facet values, partners) in batches.
"""

import datetime
import random

from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from faker import Faker

from action_lines.teams import source_teams
from home.choices import StakeholderType
from home.models import StakeholderOrganisation
from home.rich_text import paragraphs_html
from inventory.choices import ActionLineCode, ActivityStatus, ActivityType, Coverage
from inventory.models import EntryFacetValue, InventoryEntry
from inventory.regions import region_of_country, regions_for

BATCH = 2000

TOPICS = {
    "C1": ["national ICT strategy", "digital government policy", "e-strategy review"],
    "C2": ["rural broadband", "community networks", "spectrum management",
           "submarine cable landing", "satellite connectivity"],
    "C3": ["open data portal", "public library access", "open educational resources"],
    "C4": ["digital skills", "ICT teacher training", "coding for girls"],
    "C5": ["cybersecurity", "child online protection", "CIRT capacity",
           "cyber drill", "spam prevention"],
    "C6": ["ICT regulation", "consumer protection online", "data protection law"],
    "C7": ["ICT applications"],
    "C7-EGOV": ["e-government services", "digital identity"],
    "C7-EBUS": ["e-commerce for SMEs", "mobile payments"],
    "C7-ELEARN": ["distance learning", "school connectivity"],
    "C7-EHEALTH": ["telemedicine", "health information systems"],
    "C7-EEMPLOY": ["online job matching", "telework"],
    "C7-EENV": ["e-waste recycling", "climate early warning"],
    "C7-EAGRI": ["agricultural market information", "farmer SMS advisory"],
    "C7-ESCI": ["research and education network", "open science"],
    "C8": ["local content", "indigenous languages online", "digital heritage"],
    "C9": ["community radio", "media literacy"],
    "C10": ["ethics of AI", "information ethics"],
    "C11": ["regional cooperation", "south-south cooperation"],
}  # fmt: skip
KINDS = {
    "project": "project", "programme": "programme", "training": "training course",
    "conference": "forum", "website": "platform", "guideline": "guidelines",
    "toolkit": "toolkit", "other": "initiative",
}  # fmt: skip
ADJECTIVES = ["National", "Regional", "Inclusive", "Open", "Sustainable", "Community",
              "Youth", "Women's", "Affordable", "Secure", "Smart", "Rural"]  # fmt: skip


def synthetic_reference(seed, number):
    return f"DEMO-{seed}-{number:06d}"


class Generator:
    def __init__(self, seed):
        self.seed = seed
        self.random = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.faker = Faker(["en_US", "fr_FR", "es_ES"])
        self.faker.seed_instance(seed)
        self.countries = sorted(region_of_country())
        self.codes = [code for code in ActionLineCode.values if code != "C7"]
        self.teams = {team.code: team.pk for team in source_teams()}

    def organisations(self, count=400):
        # Every value is drawn whether or not the organisation exists already, so
        # the random sequence (and every entry after it) depends on the seed only.
        drawn = [
            (
                self.faker.unique.company()[:200],
                self.random.choice(StakeholderType.values),
                self.random.choice(self.countries),
            )
            for _ in range(count)
        ]
        names = [name for name, _type, _country in drawn]
        existing = set(
            StakeholderOrganisation.objects.filter(name__in=names).values_list(
                "name", flat=True
            )
        )
        locale = Locale.get_default()
        StakeholderOrganisation.objects.bulk_create(
            [
                StakeholderOrganisation(
                    name=name,
                    locale=locale,
                    acronym="".join(
                        word[0] for word in name.split() if word[:1].isalpha()
                    )[:8].upper(),
                    stakeholder_type=stakeholder_type,
                    country=country,
                )
                for name, stakeholder_type, country in drawn
                if name not in existing
            ]
        )
        return list(
            StakeholderOrganisation.objects.filter(name__in=names).order_by("name")
        )

    def entry(self, number, organisations, now):
        pick = self.random
        codes = sorted(set(pick.sample(self.codes, pick.choice([1, 1, 1, 2, 2, 3]))))
        topic = pick.choice(TOPICS[codes[0]])
        activity = pick.choice(ActivityType.values)
        coverage = pick.choice(Coverage.values)
        if coverage == Coverage.INTERNATIONAL and pick.random() < 0.4:
            countries = ["global"]
        else:
            countries = sorted(
                set(
                    pick.sample(
                        self.countries,
                        1 if coverage == "national" else pick.randint(2, 6),
                    )
                )
            )
        place = "worldwide" if countries == ["global"] else self.faker.country()
        title = f"{pick.choice(ADJECTIVES)} {topic} {KINDS[activity]} ({place})"
        year = pick.randint(2015, now.year)
        start = datetime.date(year, pick.randint(1, 12), 1) - datetime.timedelta(
            days=pick.randint(0, 700)
        )
        status = pick.choices(ActivityStatus.values, weights=[1, 4, 5])[0]
        end = (
            start + datetime.timedelta(days=pick.randint(90, 1500))
            if status == "completed"
            else None
        )
        organisation = pick.choice(organisations)
        published = timezone.make_aware(
            datetime.datetime(
                year, pick.randint(1, 12), pick.randint(1, 28), pick.randint(0, 23)
            )
        )
        published = min(published, now)
        team = self.teams.get(codes[0]) if pick.random() < 0.3 else None
        return InventoryEntry(
            reference=synthetic_reference(self.seed, number),
            title=title[:255],
            summary=self.faker.paragraph(nb_sentences=3)[:600],
            # Plain text stored as the public form stores it, which is also
            # what the editor would store (checked by the tests).
            description=paragraphs_html(self.faker.paragraph(nb_sentences=6)),
            activity_type=activity,
            action_lines=codes,
            sdgs=sorted(set(pick.sample(range(1, 18), pick.randint(1, 3)))),
            countries=countries,
            regions=regions_for(countries),
            coverage=coverage,
            stakeholder_type=organisation.stakeholder_type,
            organisation_id=organisation.pk,
            status=status,
            start_date=start,
            end_date=end,
            reporting_year=year,
            website=f"https://example.org/activities/{number}",
            keywords=", ".join(
                sorted(
                    {
                        topic,
                        *pick.sample(
                            [
                                "ICT4D",
                                "SDG",
                                "digital",
                                "inclusion",
                                "capacity",
                                "youth",
                                "gender",
                            ],
                            2,
                        ),
                    }
                )
            ),
            contact_name=self.faker.name(),
            contact_email=f"contact{number}@example.org",
            team_id=team,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
        ), pick.sample(organisations, pick.choice([0, 0, 1, 2]))


@transaction.atomic
def create_entries(count, seed=2005, progress=None):
    """Creates the synthetic entries 1…count that do not exist yet; returns how many."""
    generator = Generator(seed)
    organisations = generator.organisations()
    existing = set(
        InventoryEntry.objects.filter(
            reference__startswith=f"DEMO-{seed}-"
        ).values_list("reference", flat=True)
    )
    now = timezone.now()
    created = 0
    through = InventoryEntry.partners.through
    for start in range(1, count + 1, BATCH):
        batch, partners = [], []
        for number in range(start, min(start + BATCH, count + 1)):
            entry, entry_partners = generator.entry(number, organisations, now)
            if entry.reference in existing:
                continue
            batch.append(entry)
            partners.append(entry_partners)
        if not batch:
            if progress is not None:
                progress.update(min(BATCH, count + 1 - start))
            continue
        InventoryEntry.objects.bulk_create(batch)
        if batch[0].pk is None:  # databases that do not return ids from bulk inserts
            ids = dict(
                InventoryEntry.objects.filter(
                    reference__in=[entry.reference for entry in batch]
                ).values_list("reference", "pk")
            )
            for entry in batch:
                entry.pk = ids[entry.reference]
        EntryFacetValue.objects.bulk_create(
            [
                EntryFacetValue(entry_id=entry.pk, facet=facet, value=value)
                for entry in batch
                for facet, value in entry.facet_values()
            ]
        )
        through.objects.bulk_create(
            [
                through(
                    inventoryentry_id=entry.pk, stakeholderorganisation_id=partner.pk
                )
                for entry, entry_partners in zip(batch, partners, strict=True)
                for partner in entry_partners
            ]
        )
        created += len(batch)
        if progress is not None:
            progress.update(min(BATCH, count + 1 - start))
    return created
