"""Where a synthetic activity takes place, and how its title says so."""

import random
from types import SimpleNamespace

from demo.places import COUNTRIES
from demo.synthetic import Generator

EUROPE = [code for code in sorted(COUNTRIES) if COUNTRIES[code].region == "europe"]
AFRICA = [code for code in sorted(COUNTRIES) if COUNTRIES[code].region == "africa"]


class Draws(random.Random):
    """A random sequence that draws the given countries, in order."""

    def __init__(self, countries):
        super().__init__(0)
        self.queue = list(countries)

    def randint(self, a, b):
        return a

    def choice(self, sequence):
        return self.queue.pop(0)


def test_an_international_activity_may_span_more_countries_than_words():
    """Drawing nine European countries before an African one gave ten countries.

    The title's number had words up to eight only: seed_demo stopped with an
    IndexError deep into a million entries.
    """
    generator = Generator.__new__(Generator)
    generator.random = Draws([*EUROPE[:9], AFRICA[0]])
    generator.countries = sorted(COUNTRIES)
    countries, in_english, in_french = generator.place(
        "I", SimpleNamespace(country=None), None
    )
    assert len(countries) == 10
    assert (in_english, in_french) == ("in 10 countries", "dans 10 pays")
    generator.random = Draws([AFRICA[0], AFRICA[1], EUROPE[0]])
    _countries, in_english, in_french = generator.place(
        "I", SimpleNamespace(country=None), None
    )
    assert (in_english, in_french) == ("in three countries", "dans trois pays")
