"""A labelled population of the region for judging the match suggestions without flattering
them (issue 17): thousands of given and family names per nationality, each with a Zipf-like
frequency, so true namesakes occur as often as they do in life; households that share a
family name and a phone; mentions written again as partners write them, each with the kinds
of difference it carries; and strangers who are not in the register.

Every name is made here, combinatorially from parts written for this file (nothing is
downloaded); none belongs to a real case. Pure Python, no Django: Splink reads the same
records (bench.match_splink).
"""

import datetime as dt
import itertools
import random
import unicodedata
from dataclasses import dataclass, field, replace

# Nationalities of the region and their share among presumed victims (an assumption, stated
# in the README): Venezuelan, Colombian, Dominican, Haitian, Surinamese, Dutch, Curaçaoan and
# Aruban (Antillean), Chinese, Filipino, Indian.
NATIONALITIES = {"VE": 30, "CO": 17, "DO": 11, "HT": 6, "SR": 6, "NL": 5, "CW": 6, "AW": 3,
                 "CN": 6, "PH": 5, "IN": 5}

# --- names: a head of common names, then combinations of parts -------------------------

_HISPANIC_F = ["María", "Ana", "Luz", "Carmen", "Yusmary", "Daniela", "Andreína", "Yelitza",
               "Génesis", "Dayana", "Leidy", "Paola", "Andrea", "Marisol", "Yokasta", "Altagracia",
               "Mercedes", "Guadalupe", "Rosa", "Johana", "Yajaira", "Marina", "Isabel",
               "Alejandra", "Valentina", "Gabriela", "Yennifer", "Josefina", "Teresa"]
_HISPANIC_M = ["José", "Luis", "Juan", "Carlos", "Jesús", "Francisco", "Antonio", "Manuel",
               "Alejandro", "Eduardo", "Ángel", "Andrés", "Camilo", "Felipe", "Ramón", "Rafael",
               "Guillermo", "Ignacio", "Enrique", "Roberto", "Alberto", "Fernando", "Wilmer",
               "Yorman", "Brayan", "Jhon", "Franklin", "Wilkin", "Daniel", "Miguel"]
_HISPANIC_FAMILY = ["Rodríguez", "González", "Pérez", "Hernández", "García", "Martínez",
                    "López", "Díaz", "Sánchez", "Ramírez", "Torres", "Rojas", "Mendoza",
                    "Silva", "Gómez", "Reyes", "Castillo", "Morales", "Jiménez", "Romero",
                    "Vargas", "Álvarez", "Ruiz", "Medina", "Guzmán", "Quintero", "Santana",
                    "De la Cruz", "Peña", "Mejía", "Londoño", "Restrepo", "Zapata", "Osorio",
                    "Cárdenas", "Muñoz", "Valencia", "Urdaneta", "Chirinos", "Mena"]
_HISPANIC_GIVEN_PARTS = (
    ["Yu", "Ye", "Jo", "Ma", "Da", "Ke", "Wil", "Yo", "Ar", "El", "Ro", "Fra", "Gle", "Mi",
     "Na", "Yan", "Jen", "Dei", "Ya", "Li", "Ori", "Eu", "Ne", "Dar", "Cris", "Ed", "Ger",
     "Her", "Is", "Lu"],
    ["", "ri", "li", "ne", "sel", "ma", "ki", "na", "ben", "der", "lis", "mar"],
    {"female": ["a", "ia", "is", "ely", "ana", "ira", "eth", "ys", "ency", "ary"],
     "male": ["o", "er", "in", "el", "son", "ardo", "ber", "ys", "ith", "ian"]})
_HISPANIC_FAMILY_PARTS = (
    ["Rod", "Gonz", "Fern", "Mart", "Hern", "Lop", "Per", "Sanch", "Ram", "Alv", "Dom", "Vel",
     "Mend", "Esc", "Bar", "Cal", "Ech", "Iri", "Urd", "Zamb", "Arr", "Olm", "Pac", "Quin",
     "Sal", "Tor", "Var", "Bel", "Cam", "Gal", "Mont", "Carv", "Ben", "Orte", "Pal"],
    ["", "ar", "en", "il", "or", "ab"],
    ["ez", "ano", "ero", "illo", "ales", "eda", "ada", "oza", "iz", "arte", "ena", "ino",
     "ón", "uela", "izábal", "ueta", "aga", "ondo"])
_FRENCH_F = ["Marie", "Nadège", "Jocelyne", "Guerline", "Roseline", "Nathalie", "Islande",
             "Fabienne", "Rose-Andrée", "Marie-Claire", "Mirlande", "Widline"]
_FRENCH_M = ["Jean", "Pierre", "Wilner", "Fritznel", "Dieuseul", "Wisly", "Mackenson",
             "Jameson", "Frantz", "Jean-Baptiste", "Jean-Claude", "Rony", "Josué"]
_FRENCH_FAMILY = ["Joseph", "Pierre", "Jean-Louis", "Baptiste", "Charles", "Louis", "Dorvil",
                  "Saint-Fleur", "Célestin", "Exantus", "Toussaint", "Noël", "Pétion"]
_FRENCH_GIVEN_PARTS = (["Wil", "Fri", "Jo", "Ma", "Ro", "Guer", "Mir", "Wid", "Nad", "Dieu",
                        "Ber", "Lou", "Chr", "Ed", "Ger", "Mac", "Jam", "Fab", "Son", "Lud"],
                       ["", "e", "i", "o", "an"],
                       {"female": ["line", "lande", "ette", "ie", "ène", "ise", "ia"],
                        "male": ["ner", "son", "ly", "nel", "seul", "ens", "ard", "y"]})
_FRENCH_FAMILY_PARTS = (["Dor", "Ex", "Cél", "Mon", "Lafon", "Bel", "Dés", "Fleur", "Charl",
                         "Aug", "Hyp", "Val", "Jul", "Leb", "Nap", "Pol", "Thé", "Vil", "Aris",
                         "Mé"],
                        ["", "i", "an", "el"],
                        ["is", "ilus", "ène", "ant", "ard", "estin", "ier", "us", "elien", "on",
                         "ville", "ias", "eus"])
_DUTCH_F = ["Anouk", "Sanne", "Femke", "Lotte", "Eline", "Iris", "Marloes", "Esther", "Johanna",
            "Wilhelmina", "Cornelia", "Maria", "Elisabeth"]
_DUTCH_M = ["Pieter", "Marco", "Bram", "Jeroen", "Niels", "Thijs", "Ruben", "Joost", "Johannes",
            "Cornelis", "Willem", "Hendrik", "Jacobus", "Gerrit"]
_DUTCH_FAMILY = ["de Vries", "Jansen", "van Dijk", "Bakker", "Visser", "de Boer", "Smit",
                 "Mulder", "Meijer", "de Groot", "Bos", "Vos", "Peters", "Hendriks"]
_DUTCH_GIVEN_PARTS = (["Ger", "Wou", "Jan", "Mar", "Lie", "Ans", "Hen", "Sie", "Ma", "Do",
                       "Be", "Fre", "Tjeer", "Rik", "Ko"],
                      ["", "e", "ri", "ke"],
                      {"female": ["ke", "tje", "ien", "a", "ie", "je"],
                       "male": ["t", "rd", "n", "s", "bert", "jan"]})
_DUTCH_FAMILY_PARTS = (["", "van ", "van der ", "de ", "ter ", "van den "],
                       ["Berg", "Dijk", "Molen", "Bos", "Meer", "Veld", "Horst", "Brink",
                        "Linde", "Wijk", "Hoek", "Beek", "Kamp", "Hout", "Laan", "Zand"],
                       ["", "s", "man", "ink", "en", "stra", "ing", "huis", "er"])
_ANTILLEAN_F = ["Giselle", "Ruthmila", "Kemberly", "Sharella", "Jeaneth", "Shanaira",
                "Jamila", "Anushka", "Shahaira", "Xiomara", "Zuleika", "Ivanna"]
_ANTILLEAN_M = ["Shurendy", "Rudsel", "Jurgen", "Jandino", "Quincy", "Rhoderick", "Ergilio",
                "Dexter", "Glenbert", "Rodney", "Edsel", "Jairo"]
_ANTILLEAN_FAMILY = ["Martina", "Isenia", "Rosaria", "Leito", "Pieternella", "Sulvaran",
                     "Cijntje", "Girigorie", "Croes", "Kock", "Tromp", "Maduro", "Werleman",
                     "Geerman", "Arends", "Lacle", "Vrolijk", "Wever"]
_ANTILLEAN_GIVEN_PARTS = (["Shu", "Ru", "Jur", "Ke", "Sha", "Jean", "Rho", "Er", "Glen",
                           "Ed", "Xio", "Zu", "Gis", "Ju", "Ri", "Ash", "Kim", "De"],
                          ["", "ren", "mi", "ne", "dri", "la"],
                          {"female": ["dy", "ella", "eth", "aira", "ila", "ara", "ette"],
                           "male": ["sel", "dino", "ick", "ilio", "bert", "son", "win"]})
_ANTILLEAN_FAMILY_PARTS = (["Mar", "Is", "Ros", "Lei", "Pie", "Sul", "Cijn", "Giri", "Cro",
                            "Kock", "Trom", "Mad", "Wer", "Geer", "Aren", "Lac", "Vrol",
                            "Wawo", "Sta", "Koei"],
                           ["", "e", "ar", "ter"],
                           ["tina", "enia", "aria", "to", "nella", "varan", "tje", "gorie",
                            "es", "man", "ds", "le", "ijk", "ia", "ma"])
_SURINAMESE_F = ["Sharmila", "Rishma", "Nadira", "Anita", "Wendy", "Ingrid", "Shakira",
                 "Sita", "Kamla", "Saskia"]
_SURINAMESE_M = ["Ravi", "Errol", "Dwight", "Soedesh", "Clifton", "Radjesh", "Romeo",
                 "Ramesh", "Djoemin", "Soerin"]
_SURINAMESE_FAMILY = ["Ramdin", "Mohan", "Pinas", "Sewdien", "Karsters", "Jagesar",
                      "Doekhie", "Ramsaran", "Biharie", "Kartosen", "Sumter", "Wongsodikromo"]
_SURINAMESE_GIVEN_PARTS = (["Ra", "Soe", "Dje", "Sha", "Ris", "Na", "Ka", "Dhi", "Ma",
                            "Pa", "Sa", "Win", "Kri", "Goe"],
                           ["", "dj", "m", "r", "nd"],
                           {"female": ["ita", "ila", "ma", "ini", "wati", "ie"],
                            "male": ["esh", "in", "an", "oe", "dew", "nath"]})
_SURINAMESE_FAMILY_PARTS = (["Ram", "Sew", "Jag", "Bihar", "Doekh", "Wongso", "Karto",
                             "Sastro", "Atmo", "Mohan", "Pin", "Bal", "Soek", "Tjin"],
                            ["", "o", "a", "di"],
                            ["din", "saran", "dien", "esar", "ie", "kromo", "redjo", "sen",
                             "wirjo", "lal", "as"])
_CHINESE_FAMILY = ["Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu",
                   "Zhou", "Xu", "Sun", "Ma", "Zhu", "Hu", "Guo", "He", "Lin", "Gao", "Luo",
                   "Zheng", "Liang", "Xie", "Song", "Tang", "Han", "Feng", "Deng", "Cao",
                   "Peng", "Zeng", "Xiao", "Tian", "Dong", "Pan", "Yuan", "Cai", "Jiang",
                   "Yu", "Du", "Ye", "Cheng", "Wei", "Su", "Lu", "Ding", "Ren", "Shen",
                   "Yao", "Jin", "Qiu", "Qin", "Fu", "Xiong", "Zou", "Kong", "Bai", "Cui"]
_CHINESE_SYLLABLES = ["wei", "mei", "ling", "jian", "xiu", "ying", "hao", "jun", "lei",
                      "fang", "yan", "qiang", "min", "tao", "hui", "xin", "hong", "li", "jie",
                      "yu", "zhi", "guo", "qing", "hua", "ming", "chun", "xia", "dong", "bo",
                      "lan", "feng", "ping", "yong", "jing", "na", "zhen", "xue", "kai",
                      "rui", "shu"]
_FILIPINO_F = ["Mary Grace", "Maricel", "Jenalyn", "Rowena", "Marites", "Lovely", "Kristine",
               "Jocelyn", "Rosalie", "Divina"]
_FILIPINO_M = ["Jhon Rey", "Mark Anthony", "Reynaldo", "Rodel", "Jayson", "Romeo", "Arnel",
               "Joel", "Ramil", "Ronaldo"]
_FILIPINO_FAMILY = ["Santos", "Reyes", "Cruz", "Bautista", "Ocampo", "Garcia", "Mendoza",
                    "Torres", "Flores", "Villanueva", "Dela Cruz", "Aquino", "Ramos"]
_FILIPINO_GIVEN_PARTS = (["Jo", "Ma", "Ro", "Jen", "Mar", "Rey", "Lov", "Kris", "Ar", "Jay",
                          "Ram", "Ro", "Div", "Che"],
                         ["", "a", "i", "el"],
                         {"female": ["lyn", "cel", "ie", "ina", "ites", "wena"],
                          "male": ["el", "son", "nel", "ldo", "mil", "dy"]})
_FILIPINO_FAMILY_PARTS = (["Mag", "Dima", "Ma", "Bu", "Pa", "Lu", "Sa", "Ca", "Ta", "Ba",
                           "Maka", "Da"],
                          ["", "la", "ng", "li", "ba"],
                          ["an", "ang", "ino", "sig", "tuto", "yag", "pagal", "wag", "on"])
_INDIAN_F = ["Priya", "Anjali", "Deepa", "Kavita", "Meena", "Pooja", "Sunita", "Neha",
             "Lakshmi", "Radha"]
_INDIAN_M = ["Rahul", "Sanjay", "Vikram", "Arjun", "Suresh", "Rohit", "Amit", "Rakesh",
             "Mohammed", "Vijay"]
_INDIAN_FAMILY = ["Sharma", "Patel", "Singh", "Kumar", "Gupta", "Reddy", "Iyer", "Nair",
                  "Mehta", "Joshi", "Bose", "Chopra", "Desai", "Rao", "Khan"]
_INDIAN_GIVEN_PARTS = (["Ra", "Pri", "San", "Vi", "Anj", "Su", "Me", "Ka", "Di", "Har",
                        "Shi", "Ash", "Nav", "Gau"],
                       ["", "n", "sh", "ja", "v"],
                       {"female": ["ya", "ita", "ika", "ali", "eeta", "ini"],
                        "male": ["esh", "jay", "kram", "deep", "an", "it"]})
_INDIAN_FAMILY_PARTS = (["Bhat", "Chat", "Desh", "Kul", "Mukh", "Ban", "Srini", "Kri", "Agar",
                         "Ven", "Pra", "Shan"],
                        ["", "a", "i"],
                        ["nagar", "karni", "erjee", "pande", "vasan", "ia", "wal", "kat",
                         "shna", "kar"])

CULTURES = {
    "hispanic": (_HISPANIC_F, _HISPANIC_M, _HISPANIC_FAMILY, _HISPANIC_GIVEN_PARTS,
                 _HISPANIC_FAMILY_PARTS),
    "french": (_FRENCH_F, _FRENCH_M, _FRENCH_FAMILY, _FRENCH_GIVEN_PARTS, _FRENCH_FAMILY_PARTS),
    "dutch": (_DUTCH_F, _DUTCH_M, _DUTCH_FAMILY, _DUTCH_GIVEN_PARTS, _DUTCH_FAMILY_PARTS),
    "antillean": (_ANTILLEAN_F, _ANTILLEAN_M, _ANTILLEAN_FAMILY, _ANTILLEAN_GIVEN_PARTS,
                  _ANTILLEAN_FAMILY_PARTS),
    "surinamese": (_SURINAMESE_F, _SURINAMESE_M, _SURINAMESE_FAMILY, _SURINAMESE_GIVEN_PARTS,
                   _SURINAMESE_FAMILY_PARTS),
    "filipino": (_FILIPINO_F, _FILIPINO_M, _FILIPINO_FAMILY, _FILIPINO_GIVEN_PARTS,
                 _FILIPINO_FAMILY_PARTS),
    "indian": (_INDIAN_F, _INDIAN_M, _INDIAN_FAMILY, _INDIAN_GIVEN_PARTS, _INDIAN_FAMILY_PARTS),
}
CULTURE_OF = {"VE": "hispanic", "CO": "hispanic", "DO": "hispanic", "HT": "french",
              "SR": "surinamese", "NL": "dutch", "CW": "antillean", "AW": "antillean",
              "CN": "chinese", "PH": "filipino", "IN": "indian"}
# Two family names (father's and mother's) in these nationalities' documents.
DOUBLE_FAMILY = {"VE": 0.75, "CO": 0.8, "DO": 0.6, "PH": 0.3}
TWO_GIVEN = {"CN": 0.0, "NL": 0.35, "IN": 0.15}


def _combine(parts: tuple) -> list[str]:
    return ["".join(p).strip().title().replace("'S", "'s") for p in itertools.product(*parts)
            if "".join(p).strip()]


def _zipf_pool(rng: random.Random, head: list[str], made: list[str], flatten: float
               ) -> tuple[list[str], list[float]]:
    """Common names first, then the made ones in a fixed random order, each weighing
    1 / (rank + flatten): a few names are very common, most rare."""
    made = sorted(set(made) - set(head))
    rng.shuffle(made)
    names = list(dict.fromkeys(head + made))
    return names, [1 / (rank + flatten) for rank in range(len(names))]


@dataclass
class NamePools:
    given: dict  # (culture, sex) -> (names, weights)
    family: dict  # culture -> (names, weights)

    def counts(self) -> dict:
        return {"given names": sum(len(n) for n, _w in self.given.values()),
                "family names": sum(len(n) for n, _w in self.family.values())}


def name_pools(seed: int = 11) -> NamePools:
    rng = random.Random(seed)
    given, family = {}, {}
    for culture, (female, male, surnames, given_parts, family_parts) in CULTURES.items():
        starts, middles, ends = given_parts
        for sex, head in (("female", female), ("male", male)):
            made = _combine((starts, middles, ends[sex]))
            given[culture, sex] = _zipf_pool(rng, head, made, 4)
        family[culture] = _zipf_pool(rng, surnames, _combine(family_parts), 4)
    syllables = _CHINESE_SYLLABLES
    made = [a.title() for a in syllables] + [(a + b).title() for a in syllables
                                            for b in syllables if a != b]
    for sex in ("female", "male"):
        given["chinese", sex] = _zipf_pool(rng, [], made, 20)
    family["chinese"] = _zipf_pool(rng, _CHINESE_FAMILY, [], 2)
    return NamePools(given, family)


# --- persons and how partners write them ----------------------------------------------

@dataclass(frozen=True)
class Record:
    """One person as the register knows them, or one mention as a partner wrote it."""

    truth: int  # -1: a stranger, not in the register
    given: tuple[str, ...]
    family: tuple[str, ...]
    sex: str
    born: dt.date | None
    year_only: bool
    nationality: str
    phone: str = ""
    document: str = ""
    kinds: tuple[str, ...] = ()
    family_first: bool = False
    upper: bool = False

    @property
    def given_names(self) -> str:
        text = " ".join(self.given)
        return text.upper() if self.upper else text

    @property
    def family_name(self) -> str:
        text = " ".join(self.family)
        return text.upper() if self.upper else text


def _draw(rng, pool) -> str:
    names, weights = pool
    return rng.choices(names, weights)[0]


def _cumulative(pool):
    return pool[0], list(itertools.accumulate(pool[1]))


class Population:
    """Persons drawn name by name, with households (siblings and partners sharing a family
    name and a phone) and their mentions as partners write them."""

    def __init__(self, seed: int = 1, pools: NamePools | None = None):
        self.rng = random.Random(seed)
        pools = pools or name_pools()
        self.given = {k: _cumulative(v) for k, v in pools.given.items()}
        self.family = {k: _cumulative(v) for k, v in pools.family.items()}
        self.countries = list(NATIONALITIES)
        self.country_weights = list(itertools.accumulate(NATIONALITIES.values()))

    def _pick(self, pool) -> str:
        names, cumulative = pool
        return self.rng.choices(names, cum_weights=cumulative)[0]

    def person(self, truth: int, like: Record | None = None) -> Record:
        rng = self.rng
        country = like.nationality if like else rng.choices(
            self.countries, cum_weights=self.country_weights)[0]
        culture = CULTURE_OF[country]
        sex = rng.choice(["female", "male"])
        given = [self._pick(self.given[culture, sex])]
        if rng.random() < TWO_GIVEN.get(country, 0.55):
            second = self._pick(self.given[culture, sex])
            if second != given[0]:
                given.append(second)
        if like:  # a sibling: the same family names and phone
            family = list(like.family)
        else:
            family = [self._pick(self.family[culture])]
            if rng.random() < DOUBLE_FAMILY.get(country, 0):
                second = self._pick(self.family[culture])
                if second != family[0]:
                    family.append(second)
        born = dt.date(rng.randint(1962, 2008), rng.randint(1, 12), rng.randint(1, 28))
        year_only = rng.random() < 0.08
        if year_only:
            born = dt.date(born.year, 1, 1)
        phone = like.phone if like and like.phone else (
            f"+599 7{rng.randint(0, 99):02d} {rng.randint(0, 9999):04d}"
            if rng.random() < 0.5 else "")
        document = (f"{country}{rng.randint(1000000, 9999999)}" if rng.random() < 0.3 else "")
        return Record(truth, tuple(given), tuple(family), sex, born, year_only, country, phone,
                      document)

    def register(self, size: int) -> list[Record]:
        persons: list[Record] = []
        while len(persons) < size:
            persons.append(self.person(len(persons)))
            # About one in ten has a sibling or partner in the register too.
            if self.rng.random() < 0.1 and len(persons) < size:
                persons.append(self.person(len(persons), like=persons[-1]))
        return persons

    def stranger(self) -> Record:
        """Someone not in the register, written as partners write (fields left out too)."""
        rng = self.rng
        made = self.person(-1)
        return replace(made, kinds=("stranger",), sex=made.sex if rng.random() < 0.7 else "",
                       nationality=made.nationality if rng.random() < 0.85 else "",
                       document=made.document if rng.random() < 0.4 else "")

    def mention(self, person: Record) -> Record:
        """The person as a partner wrote them: one or two kinds of difference."""
        rng = self.rng
        kinds = [rng.choice(KINDS)]
        if rng.random() < 0.35:
            other = rng.choice(KINDS)
            if KIND_GROUP[other] != KIND_GROUP[kinds[0]]:
                kinds.append(other)
        written = person
        applied = []
        for kind in kinds:
            changed = DIFFERENCES[kind](self, written)
            if changed is not None:
                written, _ = changed, applied.append(kind)
        if not applied:
            applied = ["case_accents_order"]
            written = _case_accents_order(self, written)
        # Partners leave out what they do not know; that is not counted as a difference:
        # the sex (three in ten), the nationality (one in seven), a phone the register has
        # (half of them), a document (six in ten).
        sex = person.sex if rng.random() < 0.7 else ""
        nationality = written.nationality if rng.random() < 0.85 else ""
        phone = written.phone if rng.random() < 0.5 or "another_phone" in applied else ""
        document = written.document if rng.random() < 0.4 else ""
        return replace(written, kinds=tuple(applied), sex=sex, nationality=nationality,
                       phone=phone, document=document)


# --- the kinds of difference (issue 17) ------------------------------------------------

def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text)
                   if not unicodedata.combining(c))


def _no_date(pop, r):
    return replace(r, born=None, year_only=False) if r.born else None


def _year_only(pop, r):
    if not r.born or r.year_only:
        return None
    return replace(r, born=dt.date(r.born.year, 1, 1), year_only=True)


def _digit(pop, r):
    if not r.born or r.year_only:
        return None
    text = r.born.strftime("%Y%m%d")
    for _ in range(30):
        i = pop.rng.choice([2, 3, 5, 6, 7])
        changed = text[:i] + str(pop.rng.randint(0, 9)) + text[i + 1:]
        try:
            other = dt.date(int(changed[:4]), int(changed[4:6]), int(changed[6:]))
        except ValueError:
            continue
        if other != r.born and 1940 < other.year < 2015:
            return replace(r, born=other)
    return None


def _year_off(pop, r):
    if not r.born:
        return None
    return replace(r, born=r.born.replace(year=r.born.year + pop.rng.choice((-1, 1))))


def _second_family_out(pop, r):
    return replace(r, family=r.family[:1]) if len(r.family) > 1 else None


def _given_out(pop, r):
    if len(r.given) > 1:
        return replace(r, given=(r.given[pop.rng.randrange(2)],))
    return None


_SOUNDS = [("z", "s"), ("s", "z"), ("v", "b"), ("b", "v"), ("y", "i"), ("i", "y"),
           ("ll", "y"), ("qu", "k"), ("c", "s"), ("j", "y"), ("y", "j"), ("h", ""),
           ("ck", "k"), ("oe", "u"), ("ph", "f"), ("ei", "ij"), ("ij", "ei"), ("gu", "w")]


def _sound_alike(pop, r):
    words = [(i, "given") for i in range(len(r.given))] + [(i, "family")
                                                           for i in range(len(r.family))]
    pop.rng.shuffle(words)
    for i, side in words:
        word = getattr(r, side)[i]
        lower = word.lower()
        options = [(a, b) for a, b in _SOUNDS if a in lower[:]]
        if not options:
            continue
        a, b = pop.rng.choice(options)
        at = lower.index(a)
        new = word[:at] + (b.upper() if at == 0 else b) + word[at + len(a):]
        if new.strip() and new.lower() != lower:
            names = list(getattr(r, side))
            names[i] = new
            return replace(r, **{side: tuple(names)})
    return None


# How one name is written in another script's or another language's Latin letters.
_TRANSLIT = {
    "chinese": [("zh", "ch"), ("x", "hs"), ("q", "ch"), ("ong", "ung"), ("ian", "ien"),
                ("z", "ts"), ("yu", "yue"), ("ui", "uei")],
    "indian": [("sh", "s"), ("v", "w"), ("aa", "a"), ("a", "aa"), ("ee", "i"), ("oo", "u"),
               ("ksh", "x"), ("mm", "m"), ("ph", "f")],
    "surinamese": [("oe", "u"), ("dj", "j"), ("tj", "ch"), ("j", "y"), ("ie", "i"),
                   ("sj", "sh")],
    "french": [("é", "e"), ("è", "e"), ("eau", "o"), ("ou", "u"), ("ph", "f"), ("ch", "sh"),
               ("qu", "k"), ("-", " ")],
    "dutch": [("ij", "y"), ("oe", "u"), ("sch", "sk"), ("ui", "oei"), ("van der", "vd")],
    "antillean": [("ij", "y"), ("c", "k"), ("tje", "chi"), ("oe", "u")],
    "hispanic": [("ñ", "ny"), ("ñ", "n"), ("x", "j"), ("gü", "gu"), ("ch", "sh"),
                 ("y", "ll")],
    "filipino": [("ñ", "ny"), ("c", "k"), ("qu", "k"), ("ll", "ly")],
}


def _transliteration(pop, r):
    rules = _TRANSLIT[CULTURE_OF[r.nationality]]
    names = [(side, i) for side in ("given", "family") for i in range(len(getattr(r, side)))]
    pop.rng.shuffle(names)
    for side, i in names:
        word = getattr(r, side)[i]
        lower = word.lower()
        usable = [(a, b) for a, b in rules if a in lower]
        if not usable:
            continue
        a, b = pop.rng.choice(usable)
        new = lower.replace(a, b, 1).title()
        if new.lower() != lower:
            parts = list(getattr(r, side))
            parts[i] = new
            return replace(r, **{side: tuple(parts)})
    return None


# Short forms as they are spoken and written: nicknames, abbreviations, initials.
NICKNAMES = {"José": ["Chepe", "Pepe"], "Francisco": ["Pancho", "Paco", "Fco."],
             "Guadalupe": ["Lupe"], "Ignacio": ["Nacho"], "Guillermo": ["Memo"],
             "Antonio": ["Toño", "Tony"], "Luis": ["Lucho"], "Alberto": ["Beto"],
             "Roberto": ["Beto", "Bob"], "Enrique": ["Kike"], "Jesús": ["Chucho", "Jhs."],
             "Fernando": ["Nando"], "Alejandro": ["Alex"], "Alejandra": ["Ale"],
             "Daniel": ["Dani"], "Daniela": ["Dani"], "Manuel": ["Manolo"],
             "María": ["Ma.", "Mary"], "Rosa": ["Rosita"], "Josefina": ["Fina"],
             "Teresa": ["Tere"], "Isabel": ["Chabela"], "Valentina": ["Vale"],
             "Gabriela": ["Gaby"], "Johannes": ["Jan", "Hans"], "Cornelis": ["Kees"],
             "Willem": ["Wim"], "Hendrik": ["Henk"], "Jacobus": ["Koos"], "Gerrit": ["Gert"],
             "Johanna": ["Jo", "Anneke"], "Wilhelmina": ["Mien", "Wilma"],
             "Cornelia": ["Corrie"], "Elisabeth": ["Lies", "Bep"], "Mohammed": ["Md."],
             "Lakshmi": ["Laxmi"], "Jean-Baptiste": ["J.-B."], "Marie-Claire": ["M.-Cl."],
             "Mark Anthony": ["Mac-Mac"], "Reynaldo": ["Rey"], "Ronaldo": ["Ronnie"],
             "Jean": ["J."], "Miguel": ["Migue"], "Eduardo": ["Lalo"], "Carlos": ["Charly"],
             "Rafael": ["Rafa"], "Ramón": ["Moncho"]}


def _short_form(pop, r):
    options = [i for i, g in enumerate(r.given) if g in NICKNAMES]
    if options:
        i = pop.rng.choice(options)
        short = pop.rng.choice(NICKNAMES[r.given[i]])
    elif r.given:
        i = pop.rng.randrange(len(r.given))
        short = f"{r.given[i][0]}."
    else:
        return None
    given = list(r.given)
    given[i] = short
    return replace(r, given=tuple(given))


def _another_phone(pop, r):
    return replace(r, phone=f"+599 7{pop.rng.randint(0, 99):02d} "
                            f"{pop.rng.randint(0, 9999):04d}")


def _case_accents_order(pop, r):
    changed = replace(r, given=tuple(strip_accents(g) for g in r.given),
                      family=tuple(strip_accents(f) for f in r.family))
    choice = pop.rng.random()
    if choice < 0.4:
        return replace(changed, upper=True)
    if choice < 0.8 and len(r.family) > 0:
        # Family name written as a given name and the other way round (word order).
        return replace(changed, given=r.family, family=r.given)
    return replace(changed, given=tuple(reversed(changed.given)))


def _typo(pop, r):
    words = [(side, i) for side in ("given", "family") for i in range(len(getattr(r, side)))
             if len(getattr(r, side)[i]) >= 5]
    if not words:
        return None
    side, i = pop.rng.choice(words)
    word = getattr(r, side)[i]
    at = pop.rng.randint(1, len(word) - 2)
    how = pop.rng.choice(["swap", "drop", "double", "replace"])
    if how == "swap":
        new = word[:at] + word[at + 1] + word[at] + word[at + 2:]
    elif how == "drop":
        new = word[:at] + word[at + 1:]
    elif how == "double":
        new = word[:at] + word[at] + word[at:]
    else:
        new = word[:at] + pop.rng.choice("aeioumnrst") + word[at + 1:]
    if new == word:
        return None
    parts = list(getattr(r, side))
    parts[i] = new
    return replace(r, **{side: tuple(parts)})


DIFFERENCES = {
    "no_date": _no_date, "year_only": _year_only, "digit_wrong": _digit, "year_off": _year_off,
    "second_family_out": _second_family_out, "given_out": _given_out,
    "sound_alike": _sound_alike, "transliteration": _transliteration,
    "short_form": _short_form, "another_phone": _another_phone,
    "case_accents_order": _case_accents_order, "typo": _typo,
}
KINDS = list(DIFFERENCES)
KIND_GROUP = {"no_date": "date", "year_only": "date", "digit_wrong": "date",
              "year_off": "date", "second_family_out": "words", "given_out": "words",
              "sound_alike": "spelling", "transliteration": "spelling", "typo": "spelling",
              "short_form": "short", "another_phone": "phone",
              "case_accents_order": "case"}


@dataclass
class Labelled:
    persons: list[Record]
    mentions: list[Record] = field(default_factory=list)


def labelled(size: int, mentions: int, *, strangers: float = 0.25, seed: int = 1
             ) -> Labelled:
    """`size` register persons and `mentions` mentions, a share of them strangers."""
    pop = Population(seed)
    persons = pop.register(size)
    found = Labelled(persons)
    for _ in range(mentions):
        if pop.rng.random() < strangers:
            found.mentions.append(pop.stranger())
        else:
            found.mentions.append(pop.mention(pop.rng.choice(persons)))
    return found
