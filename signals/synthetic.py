"""Synthetic people of the region and realistic variations of how partners write them down.

Used to measure match quality against a known truth (and later to fill benchmark databases).
Everything here is invented; no name belongs to a real case.
"""

import datetime as dt
import random
from dataclasses import dataclass

GIVEN = {
    "VE": ["José", "Luis", "María", "Alejandra", "Yusmary", "Carlos", "Eduardo", "Daniela",
           "Jesús", "Andreína", "Ángel", "Génesis", "Yorman", "Wilmer", "Yelitza", "Oriana",
           "Ender", "Yuleisy", "Keiber", "Rosángela", "Deivis", "Marielvis", "Johandry",
           "Nairoby"],
    "CO": ["Juan", "Camilo", "Luz", "Marina", "Andrés", "Felipe", "Paola", "Andrea", "Jhon",
           "Fredy", "Leidy", "Johana", "Sebastián", "Yésica", "Duván", "Yurany", "Brayan",
           "Dayana", "Estiven", "Marisol", "Wilson", "Nelly", "Hernán", "Lorena"],
    "DO": ["Yokasta", "Ramón", "Antonio", "Altagracia", "Wilkin", "Yudelka", "Franklin",
           "Ana", "Mercedes", "Radhamés", "Yajaira", "Rafael", "Yanelis", "Ambiorix",
           "Wanda", "Eulogio", "Yaritza", "Confesor", "Leonela", "Aneudy"],
    "HT": ["Jean-Baptiste", "Marie-Claire", "Wilner", "Rose-Andrée", "Fritznel", "Nadège",
           "Jocelyne", "Dieuseul", "Guerline", "Wisly", "Mackenson", "Roseline", "Jameson",
           "Islande", "Frantz", "Nathalie"],
    "CW": ["Shurendy", "Giselle", "Rudsel", "Jurgen", "Ruthmila", "Kemberly", "Jandino",
           "Sharella", "Quincy", "Rhoderick", "Jeaneth", "Dorothy", "Ashwin", "Shanaira",
           "Ergilio", "Jamila"],
    "AW": ["Dexter", "Anushka", "Ryan", "Jeanine", "Glenbert", "Shahaira", "Xiomara",
           "Rodney", "Zuleika", "Edsel", "Ivanna", "Jairo"],
    "NL": ["Pieter", "Anouk", "Marco", "Sanne", "Bram", "Femke", "Jeroen", "Lotte", "Niels",
           "Eline", "Thijs", "Iris", "Ruben", "Marloes", "Joost", "Esther"],
    "SR": ["Ravi", "Sharmila", "Errol", "Rishma", "Dwight", "Nadira", "Soedesh", "Anita",
           "Clifton", "Wendy", "Radjesh", "Ingrid", "Romeo", "Shakira"],
    "CN": ["Wei", "Mei", "Ling", "Jian", "Xiu", "Ying", "Hao", "Na", "Jun", "Lei", "Fang",
           "Yan", "Qiang", "Min", "Tao", "Hui"],
    "IN": ["Rahul", "Priya", "Sanjay", "Anjali", "Vikram", "Deepa", "Arjun", "Kavita",
           "Suresh", "Meena", "Rohit", "Pooja", "Amit", "Sunita", "Rakesh", "Neha"],
}
FAMILY = {
    "VE": ["Rodríguez", "Pérez", "González", "Hernández", "Martínez", "Silva", "Rojas",
           "Díaz", "Mendoza", "Guzmán", "Bracho", "Quintero", "Urdaneta", "Colmenares",
           "Villalobos", "Chirinos", "Parra", "Ferrer", "Zambrano", "Arocha"],
    "CO": ["García", "Londoño", "Restrepo", "Ramírez", "Ortiz", "Cárdenas", "Muñoz", "Zapata",
           "Valencia", "Osorio", "Giraldo", "Quintana", "Cardona", "Arango", "Betancur",
           "Montoya", "Agudelo", "Patiño"],
    "DO": ["De la Cruz", "Santana", "Reyes", "Peña", "Familia", "Almonte", "Báez", "Rosario",
           "Mejía", "Batista", "Tavárez", "Ventura", "Paulino", "Cuevas", "Encarnación",
           "Polanco"],
    "HT": ["Joseph", "Pierre-Louis", "Baptiste", "Jean-Charles", "Dorvil", "Saint-Fleur",
           "Célestin", "Dorélien", "Exantus", "Lafontant", "Mondésir", "Noël", "Pétion",
           "Toussaint"],
    "CW": ["Martina", "Isenia", "Rosaria", "Leito", "Pieternella", "Sulvaran", "Cijntje",
           "Girigorie", "Wawoe", "Anita", "Statia", "Jacobs", "Koeiman", "Bakhuis"],
    "AW": ["Croes", "Kock", "Tromp", "Maduro", "Werleman", "Geerman", "Arends", "Lacle",
           "Vrolijk", "Ras", "Dijkhoff", "Wever"],
    "NL": ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "de Boer", "Smit", "Mulder",
           "Meijer", "de Groot", "Bos", "Vos", "Peters", "Hendriks"],
    "SR": ["Ramdin", "Mohan", "Pinas", "Sewdien", "Karsters", "Jagesar", "Doekhie",
           "Ramsaran", "Biharie", "Kartosen", "Sumter", "Wongsodikromo"],
    "CN": ["Zhang", "Li", "Chen", "Wang", "Liu", "Huang", "Zhao", "Wu", "Zhou", "Xu", "Sun",
           "Ma", "Zhu", "Hu"],
    "IN": ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair", "Mehta",
           "Joshi", "Bose", "Chopra", "Desai", "Rao"],
}
DOUBLE_FAMILY_NAMES = {"VE", "CO", "DO"}


@dataclass(frozen=True)
class SyntheticPerson:
    truth: int
    given_names: str
    family_name: str
    date_of_birth: dt.date | None
    nationality: str
    phone: str = ""
    document_number: str = ""
    # How a variation differs from the person as the register knows them (for recall by kind).
    changes: tuple[str, ...] = ()
    # A date of birth known only by its year is written as 1 January of that year.
    year_only: bool = False


def invent(rng: random.Random, truth: int) -> SyntheticPerson:
    country = rng.choice(list(GIVEN))
    given = rng.choice(GIVEN[country])
    if rng.random() < 0.5:
        given = f"{given} {rng.choice(GIVEN[country])}"
    family = rng.choice(FAMILY[country])
    if country in DOUBLE_FAMILY_NAMES and rng.random() < 0.7:
        family = f"{family} {rng.choice(FAMILY[country])}"
    born = dt.date(rng.randint(1965, 2008), rng.randint(1, 12), rng.randint(1, 28))
    phone = f"+599 7{rng.randint(0, 99):02d} {rng.randint(0, 9999):04d}" if rng.random() < 0.4 \
        else ""
    document = f"{country}{rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else ""
    return SyntheticPerson(truth, given, family, born, country, phone, document)


def _strip_accents(text: str) -> str:
    import unicodedata

    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _typo(rng: random.Random, word: str) -> str:
    if len(word) < 5:
        return word
    i = rng.randint(1, len(word) - 2)
    kind = rng.choice(["swap", "drop", "double", "replace"])
    if kind == "swap":
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind == "drop":
        return word[:i] + word[i + 1:]
    if kind == "double":
        return word[:i] + word[i] + word[i:]
    return word[:i] + rng.choice("aeiouyszc") + word[i + 1:]


# Spellings that sound the same in the region's languages (Spanish, Papiamentu, Dutch).
_SOUND_ALIKE = [("z", "s"), ("v", "b"), ("y", "i"), ("ll", "y"), ("qu", "k"), ("ph", "f"),
                ("c", "s"), ("j", "y"), ("h", ""), ("ck", "k"), ("oe", "u")]
# Short forms as partners write them: the usual abbreviations, or an initial.
_SHORT_FORMS = {"maria": "Ma.", "josé": "J.", "jose": "J.", "francisco": "Fco.",
                "jesús": "Jhs.", "jean-baptiste": "J.-B.", "marie-claire": "M.-Cl."}


def _sound_alike(rng: random.Random, word: str) -> str:
    lower = word.lower()
    options = [(a, b) for a, b in _SOUND_ALIKE if a in lower[1:]]
    if not options:
        return word
    a, b = rng.choice(options)
    i = lower.index(a, 1)
    return word[:i] + b + word[i + len(a):]


def _short_form(word: str) -> str:
    return _SHORT_FORMS.get(word.lower(), f"{word[0]}.")


def _digit_wrong(rng: random.Random, born: dt.date) -> dt.date:
    """The same date with one digit written wrong (still a valid date)."""
    text = born.strftime("%Y%m%d")
    for _ in range(20):
        i = rng.choice([2, 3, 5, 6, 7])
        changed = text[:i] + str(rng.randint(0, 9)) + text[i + 1:]
        try:
            other = dt.date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if other != born:
            return other
    return born


# The differences the demo register has always had (its random stream stays as it was) ...
COMMON_KINDS = ["accents", "order", "short_family", "typo", "upper", "first_given",
                "swap_date", "year_only", "no_date"]
# ... and all those match quality is measured on (issue 17).
KINDS = [*COMMON_KINDS, "digit_wrong", "year_off", "sound_alike", "short_form", "no_given"]


def vary(rng: random.Random, person: SyntheticPerson,
         kinds: list[str] = COMMON_KINDS) -> SyntheticPerson:
    """The same person as another partner wrote them down, differing in one to three of
    `kinds`."""
    given, family, born = person.given_names, person.family_name, person.date_of_birth
    changes = rng.sample(kinds, k=rng.randint(1, 3))
    year_only = False
    if "accents" in changes:
        given, family = _strip_accents(given), _strip_accents(family)
    if "short_family" in changes and " " in family:
        family = family.split(" ")[0]
    if "first_given" in changes and " " in given:
        given = given.split(" ")[0]
    if "no_given" in changes and " " in family:
        given = ""  # a double family name is left to carry the name
    if "short_form" in changes and given:
        words = given.split(" ")
        words[0] = _short_form(words[0])
        given = " ".join(words)
    if "typo" in changes:
        words = family.split(" ")
        words[0] = _typo(rng, words[0])
        family = " ".join(words)
    if "sound_alike" in changes:
        words = family.split(" ")
        words[-1] = _sound_alike(rng, words[-1])
        family = " ".join(words)
    if "upper" in changes:
        given, family = given.upper(), family.upper()
    if "order" in changes:
        given, family = family, given
    if born and "swap_date" in changes and born.day <= 12:
        born = dt.date(born.year, born.day, born.month)
    elif born and "year_only" in changes:
        born, year_only = dt.date(born.year, 1, 1), True
    elif born and "digit_wrong" in changes:
        born = _digit_wrong(rng, born)
    elif born and "year_off" in changes:
        born = born.replace(year=born.year + rng.choice([-1, 1]))
    elif "no_date" in changes:
        born = None
    keep_phone = person.phone if rng.random() < 0.5 else ""
    keep_document = person.document_number if rng.random() < 0.5 else ""
    return SyntheticPerson(person.truth, given, family, born, person.nationality, keep_phone,
                           keep_document, tuple(sorted(changes)), year_only)
