"""Names to identities: persons and places, with the authority files.

The authority is plain data loaded once; resolving is pure.  A person is
found by exact alias (after normalising titles, initials, capitals and
letter spacing), then by fuzzy match for typos ("Peng Dehaui"); a name
found nowhere still gets a stable key and is marked as not identified.

>>> a = Authority.load()
>>> a.person("FILIPPOV", "Stalin").key, a.person("Peng Dehaui").key, a.person("S H T Y K O V").key
('stalin', 'peng-dehuai', 'shtykov')
>>> a.person("Filippov").pseudonym
'Filippov'
>>> a.place("Jemulpo").key == a.place("Incheon").key
True
"""

from __future__ import annotations

import hashlib
import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rapidfuzz import fuzz, process

from .resources import shipped

_TITLES = re.compile(r"(?<!\w)(?:comrades?|cde|comr|com|tov|marshal|general|ambassador|premier|chairman|mr|"
                     r"товарищу|товарищ|тов)(?!\w)\.?", re.I)
_INITIALS = re.compile(r"\b(?:[A-ZА-Я][a-zа-я]?\.\s*)+(?:[A-ZА-Я]\b)?")


_CYRILLIC = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch", "ъ": "", "ы": "y", "ь": "",
    "э": "e", "ю": "yu", "я": "ya"})


def slug(text: str) -> str:
    """A lower-case ASCII key for IRIs: Cyrillic transliterated, and a
    text with no letter or digit left after that keyed by its hash, so
    that two names never share a key by losing their letters.

    >>> slug("Pak Heon-yeong [Pak Hon Yong]"), slug("Товарищу ПЕТРОВУ")
    ('pak-heon-yeong-pak-hon-yong', 'tovarishchu-petrovu')
    >>> slug("毛泽东") != slug("周恩来")
    True
    """
    s = text.lower().translate(_CYRILLIC)
    s = unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode()
    key = re.sub(r"[^a-z0-9]+", "-", s).strip("-")
    if key or not text.strip():
        return key or "x"
    return "x-" + hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def normalise_name(name: str) -> str:
    """Titles, initials, capitals and spacing taken out of a person's name.

    >>> normalise_name("Comrade MAO ZEDONG"), normalise_name("STALIN I.V."), normalise_name("A.Ia. Vyshinsky")
    ('mao zedong', 'stalin', 'vyshinsky')
    """
    s = name.strip()
    if re.fullmatch(r"(?:\w ){2,}\w", s):
        s = s.replace(" ", "")
    s = _TITLES.sub(" ", s)
    s = _INITIALS.sub(" ", s)
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    s = re.sub(r"[^\w\s-]", " ", s.lower()).replace("-", " ")
    return " ".join(s.split())


# as normalise_name leaves them: "й" is "и" once its breve is gone
_RU_ENDINGS = ("ому", "ему", "ого", "его", "ои", "еи", "ии", "ыи", "ым", "им", "ом", "ем", "ою", "ам", "ям",
               "ах", "ях", "у", "ю", "а", "я", "е", "ы", "и", "о", "ь")
_HAS_CYRILLIC = re.compile(r"[а-яё]")


def russian_stem(norm: str) -> str | None:
    """A name normalised (:func:`normalise_name`) without its Russian case endings, word by word, so
    that ``Вышинскому`` (to Vyshinsky), ``Петрова`` and ``Пекина`` meet
    ``Вышинский``, ``Петров`` and ``Пекин``; None for a name with no
    Cyrillic letter.

    >>> stem = lambda name: russian_stem(normalise_name(name))
    >>> stem("ВЫШИНСКОМУ") == stem("Вышинский"), stem("ЧЖОУ ЭНЬЛАЯ") == stem("Чжоу Эньлай"), stem("Пекина")
    (True, True, 'пекин')
    >>> russian_stem("stalin") is None
    True
    """
    if not _HAS_CYRILLIC.search(norm):
        return None
    words = []
    for w in norm.split():
        for ending in _RU_ENDINGS:
            if w.endswith(ending) and len(w) - len(ending) >= 3:
                w = w[: -len(ending)]
                break
        words.append(w)
    return " ".join(words)


@dataclass(frozen=True)
class PersonIdentity:
    key: str
    name: str
    identified: bool = True
    pseudonym: str | None = None  # the cover name used, when one was
    wikidata: str | None = None


@dataclass(frozen=True)
class PlaceIdentity:
    key: str
    name: str
    kind: str = "city"
    identified: bool = True
    geonames: int | None = None
    lat: float | None = None
    lon: float | None = None


@dataclass
class Authority:
    persons: dict[str, dict] = field(default_factory=dict)
    places: dict[str, dict] = field(default_factory=dict)
    _person_index: dict[str, tuple[str, bool]] = field(default_factory=dict)  # alias -> (key, is pseudonym)
    _place_index: dict[str, str] = field(default_factory=dict)
    # Russian names without their case endings (russian_stem) -> as the indexes above
    _ru_person_index: dict[str, tuple[str, bool]] = field(default_factory=dict)
    _ru_place_index: dict[str, str] = field(default_factory=dict)
    _role_index: dict[str, list[tuple[int, int, str, str | None]]] = field(default_factory=dict)
    _person_cache: dict[tuple, PersonIdentity] = field(default_factory=dict)
    _place_cache: dict[str, PlaceIdentity] = field(default_factory=dict)
    _catalogued: dict[tuple[str, str], PersonIdentity | PlaceIdentity | None] = field(default_factory=dict)

    @classmethod
    def load(cls, folder: Path | None = None) -> Authority:
        return _load(str(folder or shipped("authority")))

    def _index(self) -> None:
        pseudonyms_ru = {"филиппов", "фын си", "инстанция"}
        for key, p in self.persons.items():
            for alias in [p["name"], *p.get("aliases", []), *p.get("cyrillic", [])]:
                norm = normalise_name(alias)
                self._person_index.setdefault(norm, (key, norm in pseudonyms_ru))
                if stem := russian_stem(norm):
                    self._ru_person_index.setdefault(stem, (key, norm in pseudonyms_ru))
            for ps in p.get("pseudonyms", []):
                self._person_index[normalise_name(ps["name"])] = (key, True)
            for role in p.get("roles", []):
                for phrase in role.get("phrases", []):
                    self._role_index.setdefault(_role_key(phrase), []).append(
                        (role.get("from", 0), role.get("to", 9999), key, role.get("at")))
        for key, pl in self.places.items():
            for alias in [pl["name"], *pl.get("alternates", []), *pl.get("cyrillic", [])]:
                norm = normalise_name(alias)
                self._place_index.setdefault(norm, key)
                if stem := russian_stem(norm):
                    self._ru_place_index.setdefault(stem, key)

    def person(self, name: str, bracket: str | None = None, year: int | None = None,
               at: str | None = None) -> PersonIdentity:
        """The identity of a name as written, and of its bracketed resolution.

        An office ("the Ambassador of the USSR in the PRC") is the person who
        held it in ``year`` (at the place keyed ``at``, where that matters),
        when the authority file says who did.
        """
        cache_key = (name, bracket, year, at)
        if (hit := self._person_cache.get(cache_key)) is not None:
            return hit
        who = self._person(name, bracket, year, at)
        if len(self._person_cache) < 100_000:
            self._person_cache[cache_key] = who
        return who

    def _person(self, name: str, bracket: str | None, year: int | None, at: str | None) -> PersonIdentity:
        norm = normalise_name(name)
        found = self._lookup_person(norm)
        if found is None and (holder := self.role_holder(name, year, at)):
            found = (holder, False)
        if bracket:
            by_bracket = self._lookup_person(normalise_name(bracket))
            if by_bracket is not None:
                pseudonym = None if found and found[0] == by_bracket[0] and not found[1] else _display(name)
                p = self.persons[by_bracket[0]]
                return PersonIdentity(by_bracket[0], p["name"], True, pseudonym, p.get("wikidata"))
        if found is None:  # keyed as found in any case: "ПЕТРОВУ" and "Петров" are one person
            return PersonIdentity(slug(russian_stem(norm) or norm or name), _display(name), identified=False)
        key, is_pseudonym = found
        p = self.persons[key]
        return PersonIdentity(key, p["name"], True, _display(name) if is_pseudonym else None, p.get("wikidata"))

    def person_by_key(self, key: str) -> PersonIdentity:
        p = self.persons[key]
        return PersonIdentity(key, p["name"], True, None, p.get("wikidata"))

    def place_by_key(self, key: str) -> PlaceIdentity:
        pl = self.places[key]
        return PlaceIdentity(key, pl["name"], pl.get("kind", "city"), True, pl.get("geonames"),
                             pl.get("lat"), pl.get("lon"))

    def role_holder(self, phrase: str, year: int | None = None, at: str | None = None) -> str | None:
        """The key of whoever held the office ``phrase`` names in ``year``
        at the place ``at``; None unless exactly one did.

        >>> a = Authority.load()
        >>> a.role_holder("SovAmbassador", 1950, "beijing"), a.role_holder("SovAmbassador", 1950)
        ('roshchin', None)
        """
        holders = self._role_index.get(_role_key(phrase), [])
        if year is not None:
            holders = [h for h in holders if h[0] <= year <= h[1]]
        if at is not None and len({h[2] for h in holders}) > 1:
            holders = [h for h in holders if h[3] in (None, at)]
        keys = {h[2] for h in holders}
        return keys.pop() if len(keys) == 1 else None

    def known_person(self, name: str) -> PersonIdentity | None:
        found = self._lookup_person(normalise_name(name))
        return self.person(name) if found else None

    def _lookup_person(self, norm: str) -> tuple[str, bool] | None:
        if not norm:
            return None
        hit = self._person_index.get(norm)
        if hit:
            return hit
        if (stem := russian_stem(norm)) and (hit := self._ru_person_index.get(stem)):
            return hit
        if len(norm) >= 6:
            best = process.extractOne(norm, self._person_index.keys(), scorer=fuzz.ratio, score_cutoff=86)
            if best:
                return self._person_index[best[0]]
        return None

    def place(self, name: str) -> PlaceIdentity:
        if (hit := self._place_cache.get(name)) is not None:
            return hit
        where = self._place(name)
        if len(self._place_cache) < 100_000:
            self._place_cache[name] = where
        return where

    def _place(self, name: str) -> PlaceIdentity:
        norm = normalise_name(name)
        key = self._place_index.get(norm)
        if key is None and (stem := russian_stem(norm)):
            key = self._ru_place_index.get(stem)
        if key is None and len(norm) >= 6:
            best = process.extractOne(norm, self._place_index.keys(), scorer=fuzz.ratio, score_cutoff=90)
            key = self._place_index[best[0]] if best else None
        if key is None:
            return PlaceIdentity(slug(russian_stem(norm) or norm or name), _display(name), identified=False)
        pl = self.places[key]
        return PlaceIdentity(key, pl["name"], pl.get("kind", "city"), True, pl.get("geonames"),
                             pl.get("lat"), pl.get("lon"))

    def known_place(self, name: str) -> PlaceIdentity | None:
        return self.place(name) if normalise_name(name) in self._place_index else None

    def catalogued_person(self, entry: str) -> PersonIdentity | None:
        """The person an archive catalogue entry names, if this authority
        knows them: ``Last, First`` turned around, then as written without
        the comma (family name first), then the family name alone when the
        given names agree with the canonical name's.  Life dates and a
        parenthesised full name are left out.

        >>> a = Authority.load()
        >>> [a.catalogued_person(e).key for e in ("Stalin, I. V. (Iosif Vissarionovich), 1879-1953",
        ...                                        "Mao, Zedong, 1893-1976", "Vyshinsky, Andrey Yanuarevich")]
        ['stalin', 'mao-zedong', 'vyshinsky']
        >>> a.catalogued_person("Kim, Chaek, 1903-1951") is None  # "Kim" alone finds Kim Il Sung
        True
        """
        if ("person", entry) not in self._catalogued:
            self._catalogued[("person", entry)] = self._catalogued_person(entry)
        return self._catalogued[("person", entry)]  # type: ignore[return-value]

    def _catalogued_person(self, entry: str) -> PersonIdentity | None:
        name = _PAREN.sub("", _LIFE_DATES.sub("", entry)).strip(" ,")
        if "," not in name:
            return self.known_person(name) if name else None
        family, given = (x.strip() for x in name.split(",", 1))
        for form in (f"{given} {family}", f"{family} {given}"):
            if who := self.known_person(form):
                return who
        who = self.known_person(family) if family and given else None
        return who if who and _given_names_agree(family, given, who.name) else None

    def catalogued_place(self, entry: str) -> PlaceIdentity | None:
        """The place an archive catalogue entry names, if this authority
        knows it: as written, with its qualifier in front, or without it.

        >>> Authority.load().catalogued_place("Korea (North)").key
        'north-korea'
        """
        if ("place", entry) not in self._catalogued:
            m = re.fullmatch(r"(.+?)\s*\((.+)\)", entry.strip())
            forms = [entry.strip(), f"{m.group(2)} {m.group(1)}", m.group(1)] if m else [entry.strip()]
            self._catalogued[("place", entry)] = next(filter(None, map(self.known_place, forms)), None)
        return self._catalogued[("place", entry)]  # type: ignore[return-value]

    def place_names(self) -> list[str]:
        """Every name and alternate of every place, for matchers."""
        return [n for pl in self.places.values() for n in [pl["name"], *pl.get("alternates", [])]]

    def person_names(self) -> list[str]:
        return [n for p in self.persons.values()
                for n in [p["name"], *p.get("aliases", []), *(x["name"] for x in p.get("pseudonyms", []))]]


_LIFE_DATES = re.compile(r",?\s*(?:approximately\s+)?\d{3,4}\s*-\s*(?:\d{3,4})?\s*$")
_PAREN = re.compile(r"\s*\([^)]*\)")


def _given_names_agree(family: str, given: str, canonical: str) -> bool:
    """Whether a catalogue name ``family, given`` may be the person whose
    canonical name is ``canonical``: in Western order the first initials
    agree, family name first the given names share a word.

    >>> _given_names_agree("Vyshinsky", "Andrey Yanuarevich", "Andrey Vyshinsky")
    True
    >>> _given_names_agree("Kim", "Il Sung", "Kim Il Sung"), _given_names_agree("Kim", "Chaek", "Kim Il Sung")
    (True, False)
    """
    words = [w.lower() for w in re.split(r"[\s.]+", given) if w]
    names = [n.lower() for n in canonical.split()]
    if not words or len(names) < 2:
        return False
    if names[-1] == family.lower():
        return words[0][0] == names[0][0]
    if names[0] == family.lower():
        return any(w in names[1:] for w in words)
    return False


def _role_key(phrase: str) -> str:
    """``the Soviet Ambassador`` and ``Soviet ambassador`` are one office."""
    words = re.sub(r"[^\w\s]", " ", phrase.lower()).split()
    return " ".join(w for w in words if w not in ("the", "comrade", "cde"))


def _display(name: str) -> str:
    """``MAO ZEDONG`` -> ``Mao Zedong``; mixed case is kept."""
    name = " ".join(name.split())
    if re.fullmatch(r"(?:\w ){2,}\w", name):
        name = name.replace(" ", "")
    return name.title() if name.isupper() else name


@lru_cache(maxsize=4)
def _load(folder: str) -> Authority:
    path = Path(folder)
    with open(path / "persons.toml", "rb") as f:
        persons = {p["key"]: p for p in tomllib.load(f)["person"]}
    with open(path / "places.toml", "rb") as f:
        places = {p["key"]: p for p in tomllib.load(f)["place"]}
    a = Authority(persons, places)
    a._index()
    return a
