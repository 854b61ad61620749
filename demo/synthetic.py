"""Synthetic inventory entries that read like real ones.

Synthetic inventory entries that read like real ones, for the demo, the tests and the
benchmarks.

An entry is drawn from an action line's templates (``demo.activities``): its
place (a country, a sub-region, several countries or the world), its
organisation (a facilitator of the action line, a member of its team or a
national organisation of a fitting kind, in the entry's country), its dates and
the status they imply, then its texts, which say what the rest says. Entries
carried out by the team's facilitators or members are reported by the team.

Deterministic for a given seed and day, and fast enough for 100,000 entries: no
per-entry query, rows written with ``bulk_create`` (organisations, entries, facet
values, partners) in batches.
"""

import calendar
import datetime
import random
import unicodedata
from html import escape

from django.db import transaction
from django.utils import timezone

from wagtail.models import Locale

from action_lines.teams import source_teams, team_codes
from home.models import StakeholderOrganisation, organisation_slug_base
from home.rich_text import paragraphs_html
from inventory.choices import ActivityStatus, ActivityType, Coverage
from inventory.models import EntryFacetValue, InventoryEntry
from inventory.regions import regions_for

from .activities import LINES
from .organisations import (
    INTERNATIONAL,
    facilitator,
    implementers,
    indicative_facilitators,
    national,
    team_members,
)
from .places import COUNTRIES, SUB_REGIONS, number_words

BATCH = 2000
FIRST_YEAR_BACK = 9  # activities start up to this many years before today
COVERAGE_WEIGHTS = {"N": 6, "R": 3, "I": 1, "G": 1}
COVERAGE = {
    "N": Coverage.NATIONAL,
    "R": Coverage.REGIONAL,
    "I": Coverage.INTERNATIONAL,
    "G": Coverage.INTERNATIONAL,
}
# How long an activity of each type lasts, in days (None: open-ended).
DURATIONS = {
    ActivityType.PROJECT: (365, 1460),
    ActivityType.PROGRAMME: (730, 1825),
    ActivityType.TRAINING: (5, 200),
    ActivityType.CONFERENCE: (1, 4),
    ActivityType.WEBSITE: None,
    ActivityType.GUIDELINE: (180, 540),
    ActivityType.TOOLKIT: (120, 400),
}
MONTHS = calendar.month_name
# Contact persons (never public), by ITU region.
NAMES = {
    "africa": (
        [
            "Amina",
            "Kwame",
            "Fatou",
            "Chinedu",
            "Wanjiru",
            "Tendai",
            "Abebe",
            "Aïssatou",
            "Moussa",
            "Grace",
            "Joseph",
            "Esther",
        ],
        [
            "Mensah",
            "Okafor",
            "Diallo",
            "Kamau",
            "Ndlovu",
            "Traoré",
            "Banda",
            "Mwangi",
            "Haile",
            "Sow",
            "Uwimana",
            "Achieng",
        ],
    ),
    "americas": (
        [
            "María",
            "José",
            "Ana",
            "Carlos",
            "Lucía",
            "Diego",
            "Camila",
            "Luis",
            "Sofía",
            "Jorge",
            "Patricia",
            "Andrés",
        ],
        [
            "González",
            "Rodríguez",
            "Silva",
            "Pérez",
            "Fernández",
            "Ramírez",
            "Torres",
            "Flores",
            "Castro",
            "Morales",
            "Vargas",
            "Rojas",
        ],
    ),
    "arab-states": (
        [
            "Ahmed",
            "Fatima",
            "Omar",
            "Layla",
            "Youssef",
            "Mariam",
            "Khalid",
            "Nour",
            "Hassan",
            "Salma",
            "Karim",
            "Rania",
        ],
        [
            "Haddad",
            "Mansour",
            "Khalil",
            "Amrani",
            "Nasser",
            "Saleh",
            "Farouk",
            "Aziz",
            "Hamdan",
            "Ibrahim",
            "Yassin",
            "Bakri",
        ],
    ),
    "asia-pacific": (
        [
            "Priya",
            "Arjun",
            "Siti",
            "Budi",
            "Maria",
            "Anh",
            "Somchai",
            "Rahul",
            "Ayesha",
            "Tashi",
            "Mele",
            "Ravi",
        ],
        [
            "Sharma",
            "Santos",
            "Wijaya",
            "Tran",
            "Rahman",
            "Perera",
            "Dorji",
            "Chen",
            "Kumar",
            "Reyes",
            "Tupou",
            "Shrestha",
        ],
    ),
    "cis": (
        [
            "Aigerim",
            "Nursultan",
            "Anna",
            "Dmitri",
            "Gulnara",
            "Timur",
            "Olena",
            "Arman",
            "Nino",
            "Rustam",
            "Elena",
            "Bakyt",
        ],
        [
            "Abdullayev",
            "Kovalenko",
            "Sargsyan",
            "Beridze",
            "Aliyev",
            "Karimov",
            "Omarov",
            "Isakov",
            "Melnyk",
            "Grigoryan",
            "Japaridze",
            "Tursunov",
        ],
    ),
    "europe": (
        [
            "Ana",
            "Marko",
            "Elena",
            "Piotr",
            "Kadri",
            "Ioana",
            "Ivan",
            "Maja",
            "Andrei",
            "Sofia",
            "Jan",
            "Aoife",
        ],
        [
            "Novak",
            "Kowalski",
            "Tamm",
            "Popescu",
            "Petrović",
            "Hoxha",
            "Dimitrovski",
            "Horvat",
            "Nowak",
            "Ionescu",
            "Kask",
            "Murphy",
        ],
    ),
}


def synthetic_reference(seed, number):
    return f"DEMO-{seed}-{number:06d}"


def ascii_slug(text):
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text.lower() if c.isalnum())


def month(date):
    return f"{MONTHS[date.month]} {date.year}"


def format_number(number, language):
    text = f"{number:,}"
    return text.replace(",", "\u00a0") if language == "fr" else text


def capitalised(text):
    return text[:1].upper() + text[1:]


class Generator:
    """Draws entries 1, 2, 3… from one random sequence.

    Entry N is the same whatever exists already, so that growing the demo gives what
    a fresh run with the larger count gives.
    """

    def __init__(self, seed, today=None):
        self.seed = seed
        self.random = random.Random(seed)  # noqa: S311 - demo data, not secrets
        self.today = today or timezone.localdate()
        self.codes = sorted(LINES)
        self.countries = sorted(COUNTRIES)
        self.assisted = [c for c in self.countries if COUNTRIES[c].region != "europe"]
        teams = list(source_teams().values_list("pk", flat=True))
        self.teams = {code: pk for pk, code in team_codes(teams).items()}
        self.members = {code: set(team_members(code)) for code in self.codes}
        # The members who could carry out each template's activities.
        self.eligible = {
            id(template): [
                member
                for member in team_members(code)
                if member.role in template.roles and member.role != "io"
            ]
            for code in self.codes
            for template in LINES[code].templates
        }
        self.leads = {
            code: {facilitator(name) for name in indicative_facilitators()[code][0]}
            for code in self.codes
        }
        years = range(self.today.year - FIRST_YEAR_BACK, self.today.year + 1)
        self.start_years = list(years)
        # The inventory grows: more activities start in recent years.
        self.start_year_weights = [n + 2 for n in range(len(self.start_years))]

    # --- where and by whom ----------------------------------------------------

    def organisation(self, code, template, coverage, sub):
        """Return the implementing organisation, and whether the team reports the entry.

        The implementing organisation, and whether the team reports the entry: a
        facilitator of the action line (its Regional Commission in a
        sub-region), a member of its team, or a national organisation of one of
        the template's kinds, from the sub-region when there is one.
        """
        pick = self.random
        roles = [role for role in template.roles if role != "io"]
        if "io" in template.roles and pick.random() < (
            0.12 if coverage == "N" else 0.35
        ):
            region = sub.region if sub is not None else None
            candidates = implementers(code, region, template.facilitators)
            if candidates:
                organisation = facilitator(pick.choice(candidates))
                reported = (
                    organisation in self.leads[code]
                    or organisation in self.members[code]
                )
                return organisation, reported
        members = [
            member
            for member in self.eligible[id(template)]
            if sub is None or member.country in sub.codes
        ]
        if members and pick.random() < 0.15:
            return pick.choice(members), True
        if not roles:
            return facilitator(pick.choice(implementers(code))), False
        country = pick.choice(sub.codes if sub is not None else self.countries)
        return national(pick.choice(roles), country), False

    def place(self, coverage, organisation, sub):
        """(countries, English and French phrases) for a coverage letter."""
        pick = self.random
        home = organisation.country
        if coverage == "N":
            # International organizations' national activities are in the
            # countries they assist.
            country = COUNTRIES[home or pick.choice(self.assisted)]
            return [country.code], f"in {country.name}", country.in_fr
        if coverage == "R":
            size = min(len(sub.codes), pick.randint(2, 5))
            codes = set(pick.sample(sub.codes, size))
            if home:
                codes.add(home)
            return sorted(codes), f"in {sub.name}", sub.in_fr
        if coverage == "I":
            codes = {home} if home else set()
            size = pick.randint(3, 6)
            while len(codes) < size or len(self.regions_of(codes)) < 2:
                codes.add(pick.choice(self.countries))
            count = len(codes)
            return (
                sorted(codes),
                f"in {number_words(count, 'en')} countries",
                f"dans {number_words(count, 'fr')} pays",
            )
        return ["global"], "worldwide", "dans le monde"

    @staticmethod
    def regions_of(codes):
        return {COUNTRIES[code].region for code in codes}

    def partners(self, code, organisation, countries):
        pick = self.random
        found = []
        if organisation.stakeholder_type != INTERNATIONAL and pick.random() < 0.3:
            found.append(facilitator(pick.choice(implementers(code))))
        if countries != ["global"] and pick.random() < 0.3:
            role = pick.choice(("university", "isoc", "ict", "telecom"))
            partner = national(role, pick.choice(countries))
            if partner != organisation:
                found.append(partner)
        return found

    # --- when -------------------------------------------------------------------

    def when(self, kind):
        """(status, start, end, reporting year, first published).

        Planned activities start in the future, completed ones have ended; an
        activity is reported in a year when it ran, and published in that year.
        """
        pick = self.random
        today = self.today
        yesterday = today - datetime.timedelta(days=1)
        durations = DURATIONS[kind]
        days = pick.randint(*durations) if durations else None
        if pick.random() < 0.06:
            status = ActivityStatus.PLANNED
            year = today.year if pick.random() < 0.6 else today.year - 1
            start = today + datetime.timedelta(days=pick.randint(20, 330))
            earliest = datetime.date(year, 1, 1)
        else:
            year = pick.choices(self.start_years, self.start_year_weights)[0]
            # Running during the reporting year, started at least a week ago.
            first = datetime.date(year, 1, 1) - datetime.timedelta(days=days or 1000)
            last = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=7))
            start = first + datetime.timedelta(
                days=pick.randint(0, (last - first).days)
            )
            ended = days is not None and start + datetime.timedelta(days=days) < today
            status = ActivityStatus.COMPLETED if ended else ActivityStatus.ONGOING
            earliest = max(datetime.date(year, 1, 1), start)
        end = start + datetime.timedelta(days=days) if days is not None else None
        latest = min(datetime.date(year, 12, 31), yesterday)
        earliest = min(earliest, latest)
        day = earliest + datetime.timedelta(
            days=pick.randint(0, (latest - earliest).days)
        )
        published = timezone.make_aware(
            datetime.datetime(day.year, day.month, day.day, pick.randint(7, 19))
        )
        return status, start, end, year, published

    # --- what -------------------------------------------------------------------

    def number(self, low, high):
        value = int(low * (high / low) ** self.random.random())
        if value >= 100:
            digits = len(str(value)) - 2
            value = round(value, -digits)
        return max(value, low)

    def texts(self, template, slots_en, slots_fr):
        title = capitalised(template.title[0].format(**slots_en))
        summary = template.summary[0].format(**slots_en)
        return (
            title,
            summary,
            (
                capitalised(template.title[1].format(**slots_fr)),
                template.summary[1].format(**slots_fr),
            ),
        )

    def description(self, template, slots, status, start, end, year, partners):
        items = "".join(
            f"<li>{escape(capitalised(item.format(**slots)), quote=False)}</li>"
            for item in template.activities
        )
        if status == ActivityStatus.PLANNED:
            when = f"Planned to start in {month(start)}"
            when += f" and to run until {month(end)}" if end else ""
            when += "; partners and funding are being confirmed."
        elif template.kind == ActivityType.WEBSITE:
            when = f"Online since {month(start)}."
        elif status == ActivityStatus.ONGOING:
            when = f"Under way since {month(start)}"
            when += f", until {month(end)}." if end else "."
            done = self.random.randint(3, 8) * 10
            if year == self.today.year:
                when += f" About {done}% of the planned work is done."
            else:
                when += (
                    f" About {done}% of the planned work was done by the end of {year}."
                )
        else:
            if template.kind == ActivityType.CONFERENCE:
                when = f"Held in {month(start)}."
            else:
                when = f"Carried out from {month(start)} to {month(end)}."
            when += " " + template.result.format(**slots)
        text = paragraphs_html(when)
        if partners:
            text += paragraphs_html(
                "Partners: " + "; ".join(partner.name for partner in partners) + "."
            )
        return f"<p>Main activities:</p><ul>{items}</ul>{text}"

    def entry(self, number):
        """Return an unsaved entry, its organisation and partners.

        An unsaved entry, its organisation and partners (``Organisation``s).
        """
        pick = self.random
        code = pick.choice(self.codes)
        line = LINES[code]
        template = pick.choice(line.templates)
        letters = template.coverage
        coverage = pick.choices(letters, [COVERAGE_WEIGHTS[c] for c in letters])[0]
        sub = pick.choice(SUB_REGIONS) if coverage == "R" else None
        organisation, reported = self.organisation(code, template, coverage, sub)
        countries, in_place_en, in_place_fr = self.place(coverage, organisation, sub)
        status, start, end, year, published = self.when(template.kind)
        country = COUNTRIES.get(countries[0])
        span_start = (
            start.year if template.kind == ActivityType.PROGRAMME else (start.year + 1)
        )
        number_value = self.number(*template.numbers)
        count = len(countries)
        slots_en = {
            "span": f"{span_start}–{span_start + 4}",
            "in_place": in_place_en,
            "countries": number_words(count, "en"),
            "n": format_number(number_value, "en"),
        }
        slots_fr = {
            **slots_en,
            "in_place": in_place_fr,
            "countries": number_words(count, "fr"),
            "n": format_number(number_value, "fr"),
        }
        if country is not None:
            slots_en.update(country=country.name, city=country.city_in)
            slots_fr.update(of_country=country.of_fr, city=country.city_in_fr)
        topic = None
        for name, values in sorted(template.slots.items()):
            english, french = pick.choice(values)
            slots_en[name], slots_fr[name] = english, french
            if name == "topic":
                topic = english
        title, summary, (title_fr, summary_fr) = self.texts(
            template, slots_en, slots_fr
        )
        francophone = any(
            COUNTRIES[c].language == "fr" for c in countries if c in COUNTRIES
        )
        chance = 0.85 if francophone else 0.4 if reported else 0.06
        if pick.random() >= chance:
            title_fr = summary_fr = ""
        others = [c for c in line.related if pick.random() < 0.3]
        action_lines = [code, *others]
        own = template.sdgs or line.sdgs
        sdgs = set(pick.sample(own, min(len(own), pick.randint(1, 2))))
        if others and pick.random() < 0.5:
            sdgs.add(pick.choice(LINES[pick.choice(others)].sdgs))
        sdgs = sorted(sdgs)
        keywords = pick.sample(line.keywords, 2) + ([topic] if topic else [])
        partners = self.partners(code, organisation, countries)
        description = self.description(
            template, slots_en, status, start, end, year, partners
        )
        home = organisation.country or (country.code if country else "")
        region = COUNTRIES[home].region if home else pick.choice(sorted(NAMES))
        first_names, last_names = NAMES[region]
        first, last = pick.choice(first_names), pick.choice(last_names)
        entry = InventoryEntry(
            reference=synthetic_reference(self.seed, number),
            title=title[:255],
            summary=summary[:600],
            title_fr=title_fr[:255],
            summary_fr=summary_fr[:600],
            description=description,
            activity_type=template.kind,
            action_lines=action_lines,
            sdgs=sdgs,
            countries=countries,
            regions=regions_for(countries),
            coverage=COVERAGE[coverage],
            stakeholder_type=organisation.stakeholder_type,
            status=status,
            start_date=start,
            end_date=end,
            reporting_year=year,
            website=f"https://activities.example.org/{number}",
            keywords=", ".join(dict.fromkeys(keywords)),
            contact_name=f"{first} {last}",
            contact_email=f"{ascii_slug(first)}.{ascii_slug(last)}@example.org",
            team_id=self.teams.get(code) if reported else None,
            live=True,
            has_unpublished_changes=False,
            first_published_at=published,
            last_published_at=published,
        )
        return entry, organisation, partners


class OrganisationRows:
    """The demo's organisations by name, created the first time they are needed."""

    def __init__(self):
        self.locale = Locale.get_default()
        self.ids = {}

    def ensure(self, organisations):
        missing = {o.name: o for o in organisations if o.name not in self.ids}
        if not missing:
            return
        self.ids.update(
            StakeholderOrganisation.objects.filter(
                name__in=list(missing), locale=self.locale
            ).values_list("name", "pk")
        )
        new = [o for name, o in sorted(missing.items()) if name not in self.ids]
        rows = [
            StakeholderOrganisation(name=o.name, locale=self.locale, **o.fields)
            for o in new
        ]
        # bulk_create skips save(), which gives each organisation its slug.
        slugs = set()
        for row in rows:
            base = organisation_slug_base(row.name, row.acronym)
            row.slug = StakeholderOrganisation.free_slug(base or "org", reserved=slugs)
            slugs.add(row.slug)
        StakeholderOrganisation.objects.bulk_create(rows)
        if new:
            self.ids.update(
                StakeholderOrganisation.objects.filter(
                    name__in=[o.name for o in new], locale=self.locale
                ).values_list("name", "pk")
            )


@transaction.atomic
def create_entries(count, seed=2005, progress=None, today=None):
    """Create the synthetic entries 1…count that do not exist yet; return how many."""
    generator = Generator(seed, today)
    organisations = OrganisationRows()
    existing = set(
        InventoryEntry.objects.filter(
            reference__startswith=f"DEMO-{seed}-"
        ).values_list("reference", flat=True)
    )
    created = 0
    through = InventoryEntry.partners.through
    for start in range(1, count + 1, BATCH):
        batch = []
        for number in range(start, min(start + BATCH, count + 1)):
            drawn = generator.entry(number)
            if drawn[0].reference not in existing:
                batch.append(drawn)
        if progress is not None:
            progress.update(min(BATCH, count + 1 - start))
        if not batch:
            continue
        organisations.ensure(
            [o for _entry, org, partners in batch for o in (org, *partners)]
        )
        entries = []
        for entry, organisation, _partners in batch:
            entry.organisation_id = organisations.ids[organisation.name]
            entries.append(entry)
        InventoryEntry.objects.bulk_create(entries)
        if entries[0].pk is None:  # databases that do not return ids from bulk inserts
            ids = dict(
                InventoryEntry.objects.filter(
                    reference__in=[entry.reference for entry in entries]
                ).values_list("reference", "pk")
            )
            for entry in entries:
                entry.pk = ids[entry.reference]
        EntryFacetValue.objects.bulk_create(
            [
                EntryFacetValue(entry_id=entry.pk, facet=facet, value=value)
                for entry in entries
                for facet, value in entry.facet_values()
            ]
        )
        through.objects.bulk_create(
            [
                through(
                    inventoryentry_id=entry.pk,
                    stakeholderorganisation_id=organisations.ids[partner.name],
                )
                for entry, _organisation, partners in batch
                for partner in partners
            ]
        )
        created += len(entries)
    return created
