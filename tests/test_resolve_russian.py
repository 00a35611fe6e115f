"""Russian names: case endings, and keys that keep two unknown names apart."""

from __future__ import annotations

import pytest

from cable_kg.convert import convert_text
from cable_kg.resolve import slug

PAGE = """May 15, 1950
Ciphered telegram, Roshchin to Cde. Filippov [Stalin]
ШИФРТЕЛЕГРАММА № 8243
Из ПЕКИНА
ВНЕ ОЧЕРЕДИ
Товарищу ФИЛИППОВУ
Товарищу ПЕТРОВУ
Товарищу ИВАНОВУ
Сегодня МАО ЦЗЭДУН принял меня. Товарищу ВЫШИНСКОМУ сообщено.
РОЩИН
№ 1114
15.V.50
"""


@pytest.mark.parametrize("written, key", [
    ("Товарищу ВЫШИНСКОМУ", "vyshinsky"), ("ЧЖОУ ЭНЬЛАЯ", "zhou-enlai"), ("Мао Цзэдуну", "mao-zedong"),
    ("Ким Ир Сену", "kim-il-sung"), ("Ковалеву", "kovalev"), ("Захарова", "zakharov"), ("Берии", "beria"),
])
def test_a_russian_name_in_any_case_finds_its_person(authority, written, key):
    who = authority.person(written)
    assert (who.key, who.identified) == (key, True)


def test_the_pseudonym_in_the_dative_is_still_a_pseudonym(authority):
    who = authority.person("ФИЛИППОВУ")
    assert (who.key, who.pseudonym) == ("stalin", "Филиппову")


@pytest.mark.parametrize("written, key", [("ПЕКИНА", "beijing"), ("Москве", "moscow"), ("Пхеньяна", "pyongyang")])
def test_a_russian_place_in_any_case_finds_its_place(authority, written, key):
    assert authority.place(written).key == key


def test_unknown_russian_names_keep_apart_and_meet_across_cases(authority):
    petrov, ivanov = authority.person("ПЕТРОВУ"), authority.person("ИВАНОВУ")
    assert not petrov.identified and not ivanov.identified
    assert petrov.key != ivanov.key  # both were "x" when Cyrillic letters were dropped
    assert authority.person("Петров").key == petrov.key


def test_names_in_other_scripts_get_distinct_keys():
    assert slug("毛泽东") != slug("周恩来")
    assert slug("Товарищу ПЕТРОВУ") == "tovarishchu-petrovu"


def test_two_unknown_russian_addressees_stay_two(authority):
    t = convert_text("ru.txt", PAGE, authority).telegram
    keys = [authority.person(a.name, a.bracket).key for a in t.addressees]
    assert keys == ["stalin", "petrov", "ivanov"]
    assert authority.place(t.origin.value).key == "beijing"
