#!/usr/bin/env python3
"""Synthetic Wilson Center archive pages for benchmarks.

Generates plain-text pages in the shapes described in TELEGRAM-FORMATS.md
(page frame, title line, header block, body, signature, embedded telegrams,
editorial summary, metadata tail; compact and blank-line layouts), all text
invented from templates, deterministically from a seed.

What matters most is that pages cite each other: the generator keeps a bounded
window of recent telegrams and makes most pages cite one to three of them in
the shapes of section 4 (``your telegram of June 4``, ``your no. 4676``,
``To my [telegram] No. 2967 (vkh. No. 20757)``, ``your telegrams of January
31`` ...), always consistent with direction: "your" is a telegram sent by the
current addressee to the current author, "my" one sent by the current author.
``generate_with_truth`` also yields, for each page, the file names it really
cites, so a linker can be scored.

Date citations are unique within their (sender, recipient) pair: when the
addressee sent the author several telegrams that day, the page cites by number,
by date and time, or all of them at once (``your telegrams of ...``). A date
without a year is only written when the cited telegram is less than ~10 months
older than the citing one.

Numbering: every sender has its own outgoing-number sequence (the number after
the signature, ``No. 297/sh``), unique per sender; every receiving city has
its own registry sequence (the ``CIPHERED TELEGRAM No. 16052`` of the header,
quoted as ``vkh. No.`` by the sender). Skipped outgoing numbers stand for
telegrams that are not in the collection; some pages cite those (dangling
citations, listed apart in the truth).

Standard library only.  Usage::

    python benchmarks/generate.py COUNT OUTDIR [--seed N] [--truth FILE.jsonl]
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import random
import sys
import time
from collections import deque
from collections.abc import Iterator
from datetime import date, timedelta

__all__ = ["generate", "generate_with_truth"]

# How far back citations can reach: the whole window, and per (sender, recipient) pair.
WINDOW = 600
PAIR_WINDOW = 64

FIRST_DAY = date(1949, 1, 1)
LAST_DAY = date(1953, 12, 31)

MONTHS = ("", "January", "February", "March", "April", "May", "June", "July",
          "August", "September", "October", "November", "December")
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")
NBSP = "\u00a0"


# --------------------------------------------------------------------------
# dates and times in the shapes of section 6


def _mdy(d: date) -> str:  # June 5, 1951
    return f"{MONTHS[d.month]} {d.day}, {d.year}"


def _dmy(d: date) -> str:  # 5 June 1951
    return f"{d.day} {MONTHS[d.month]} {d.year}"


def _md(d: date) -> str:  # June 5
    return f"{MONTHS[d.month]} {d.day}"


def _dm(d: date) -> str:  # 5 June
    return f"{d.day} {MONTHS[d.month]}"


def _dot4(d: date) -> str:  # 29.1.1951
    return f"{d.day}.{d.month}.{d.year}"


def _dot2(d: date) -> str:  # 13.6.51
    return f"{d.day}.{d.month}.{d.year % 100:02d}"


def _roman4(d: date) -> str:  # 14.V.1950
    return f"{d.day}.{ROMAN[d.month]}.{d.year}"


def _roman2(d: date) -> str:  # 13.XI.51
    return f"{d.day}.{ROMAN[d.month]}.{d.year % 100:02d}"


def _slashdash(d: date) -> str:  # 13/5-50
    return f"{d.day}/{d.month}-{d.year % 100:02d}"


def _us(d: date) -> str:  # 10/14/50 (month first)
    return f"{d.month}/{d.day}/{d.year % 100:02d}"


def _dotmonth(d: date) -> str:  # 13.June.1951
    return f"{d.day}.{MONTHS[d.month]}.{d.year}"


def _hm(minute: int) -> str:  # 19:55
    return f"{minute // 60:02d}:{minute % 60:02d}"


def _ampm(minute: int) -> str:  # 4:10 am
    h, m = divmod(minute, 60)
    return f"{(h - 1) % 12 + 1}:{m:02d} {'am' if h < 12 else 'pm'}"


# Yearless shapes: only used when the cited date lies less than ~10 months back,
# so "take the citing telegram's year, on or before its date" resolves them right.
_CITE_DATE_YEARLESS = (_md, _dm, _md, _dm)
_CITE_DATE_FULL = (_dmy, _dot2, _dot2, _dot4, _mdy, _roman2, _slashdash)
_BODY_DATE_SHAPES = (_dm, _dm, _md, _dot2, _roman2, _slashdash, _dmy, _roman4)


# --------------------------------------------------------------------------
# the cast


class _Person:
    __slots__ = (
        "caps",
        "city",
        "hdr",
        "key",
        "mentions",
        "rank",
        "salute",
        "short",
        "sigs",
        "suffix",
        "tail",
        "titles",
        "years",
    )

    def __init__(self, key, short, titles, hdr, caps, salute, sigs, mentions,
                 tail, city, years, suffix="", rank="leader"):
        self.key, self.short, self.titles, self.hdr = key, short, titles, hdr
        self.caps, self.salute, self.sigs, self.mentions = caps, salute, sigs, mentions
        self.tail, self.city, self.years, self.suffix, self.rank = tail, city, years, suffix, rank


_CAST = {p.key: p for p in (
    _Person("STALIN", "Stalin",
            ("Filippov [Stalin]",) * 10 + ("Feng Xi (Stalin)", "Fyn Si [Stalin]", "I.V. Stalin",
                                            "Filipov [Stalin]", "Flilippov [Stalin]"),
            ("FILIPPOV [Stalin]", "FILIPPOV [Stalin]", "FILIPPOV", "FYN SI [Stalin]"),
            "FILIPPOV", ("Comrade FILIPPOV!", "Cde. Filippov!", "Comrade STALIN!"),
            ("FILIPPOV [Stalin]",) * 6 + ("FILIPPOV", "FYN SI [Stalin]", "STALIN I.V."),
            ("Comrade FILIPPOV", "Comrade Filippov", "Comrade Stalin", "Iosif Vissarionovich",
             "Instantsiya [Stalin]", "STALIN I.V."),
            "Stalin, Joseph, 1879-1953", "MOSCOW", (1949, 1953), "/sh", "chief"),
    _Person("MAO", "Mao Zedong", ("Mao Zedong",) * 12 + ("Mao Dong", "Mao Tse-tung"),
            ("MAO ZEDONG",), "MAO ZEDONG", ("Comrade MAO ZEDONG!", "Cde. Mao Zedong!"),
            ("MAO ZEDONG",),
            ("Comrade MAO ZEDONG", "Comrade Mao Zedong", "MAO ZEDONG", "Chairman Mao Zedong"),
            "Mao, Zedong, 1893-1976", "BEIJING", (1949, 1953)),
    _Person("ZHOU", "Zhou Enlai", ("Zhou Enlai",) * 8 + ("Chou En-lai",),
            ("ZHOU ENLAI",), "ZHOU ENLAI", ("Comrade ZHOU ENLAI!", "Cde. Zhou Enlai!"),
            ("ZHOU ENLAI",),
            ("Comrade ZHOU ENLAI", "Comrade Zhou Enlai", "ZHOU ENLAI", "Premier Zhou Enlai"),
            "Zhou, Enlai, 1898-1976", "BEIJING", (1949, 1953)),
    _Person("KIM", "Kim Il Sung", ("Kim Il Sung",) * 8 + ("Kim Il-sung",),
            ("KIM IL SUNG",), "KIM IL SUNG", ("Comrade KIM IL SUNG!", "Cde. Kim Il Sung!"),
            ("KIM IL SUNG", "KIM IL SUNG"),
            ("Comrade KIM IL SUNG", "Comrade Kim Il Sung", "KIM IL SUNG", "KIM IR SEN [Kim Il Sung]"),
            "Kim, Il Sung, 1912-1994", "PYONGYANG", (1949, 1953)),
    _Person("GAO", "Gao Gang", ("Gao Gang",), ("GAO GANG",), "GAO GANG",
            ("Comrade GAO GANG!",), ("GAO GANG",),
            ("Comrade GAO GANG", "Comrade Gao Gang", "GAO GANG"),
            "Gao, Gang, 1905-1954", "MUKDEN", (1949, 1953)),
    _Person("PENG", "Peng Dehuai", ("Peng Dehuai",), ("PENG DEHUAI",), "PENG DEHUAI",
            ("Comrade PENG DEHUAI!",), ("PENG DEHUAI",),
            ("Comrade PENG DEHUAI", "Comrade Peng Dehuai", "PENG DEHUAI", "Comrade Peng Dehaui"),
            "Peng, Dehuai, 1898-1974", "KOREA", (1950, 1953)),
    _Person("VYSH", "Vyshinsky", ("Vyshinsky",) * 6 + ("A.Ia. Vyshinsky",),
            ("VYSHINSKY",), "VYSHINSKY", ("Comrade VYSHINSKY!",),
            ("VYSHINSKY", "A. VYSHINSKY"),
            ("Comrade VYSHINSKY", "A.Ia. Vyshinsky", "Comrade Vyshinsky"),
            "Vyshinsky, Andrey Yanuaryevich, 1883-1954", "MOSCOW", (1949, 1953), "", "minister"),
    _Person("ROSH", "Roshchin", ("Roshchin",), ("ROSHCHIN",), "ROSHCHIN",
            ("Comrade ROSHCHIN!",), ("ROSHCHIN", "ROSHCHIN", "R O S H C H I N"),
            ("Comrade ROSHCHIN", "Ambassador Roshchin", "Comrade Roshchin"),
            "Roshchin, N. V. (Nikolai Vasilevich), 1901-1960", "BEIJING", (1949, 1952), "", "envoy"),
    _Person("SHTY", "Shtykov", ("Shtykov",) * 6 + ("Shtytkov",), ("SHTYKOV",), "SHTYKOV",
            ("Comrade SHTYKOV!",), ("SHTYKOV", "S H T Y K O V", "T. SHTYKOV"),
            ("Comrade SHTYKOV", "Ambassador Shtykov", "T.F. Shtykov"),
            "Shtykov, Terentii Fomich, 1907-1964", "PYONGYANG", (1949, 1950), "", "envoy"),
    _Person("RAZU", "Razuvaev", ("Razuvaev",), ("RAZUVAEV",), "RAZUVAEV",
            ("Comrade RAZUVAEV!",), ("RAZUVAEV",),
            ("Comrade RAZUVAEV", "General Razuvaev", "Comrade Razuvaev"),
            "Razuvaev, V. N. (Vladimir Nikolaevich), 1900-1980", "PYONGYANG", (1951, 1953),
            "/III", "envoy"),
    _Person("KRAS", "Krasovsky", ("Krasovsky",), ("KRASOVSKY",), "KRASOVSKY",
            ("Comrade KRASOVSKY!",), ("KRASOVSKY",),
            ("Comrade KRASOVSKY", "Comrade Krasovsky"),
            "Krasovsky, S. A. (Stepan Akimovich), 1897-1983", "BEIJING", (1950, 1951), "", "envoy"),
    _Person("ZAKH", "Zakharov", ("Zakharov",), ("ZAKHAROV",), "ZAKHAROV",
            ("Comrade ZAKHAROV!",), ("ZAKHAROV",),
            ("Comrade ZAKHAROV", "General Zakharov", "Comrade Zakharov"),
            "Zakharov, M. V. (Matvei Vasilevich), 1898-1972", "BEIJING", (1950, 1952), "", "envoy"),
    _Person("KOVA", "Kovalev", ("Kovalev",), ("KOVALEV",), "KOVALEV",
            ("Comrade KOVALEV!",), ("KOVALEV",),
            ("Comrade KOVALEV", "Comrade Kovalev"),
            "Kovalev, I. V. (Ivan Vladimirovich), 1901-1993", "BEIJING", (1949, 1950), "", "envoy"),
)}

# People only mentioned in texts (never authors of pages).
_EXTRA_MENTIONS = (
    "PAK HEON-YEONG [Pak Hon Yong]", "Comrade Pak Heon-yeong", "Comrade LI KENONG",
    "Marshal Vasilevsky", "Comrade SHTEMENKO", "Comrade Molotov", "Comrade GROMYKO",
    "NIE RONGZHEN", "Comrade Nie Rongzhen", "HONG XUEZHI", "Comrade Kuznetsov",
    "Comrade PENG DEHUAI", "Comrade Peng Dehuai", "PENG DEHUAI", "Comrade Gao Gang",
)
_MENTION_POOL = tuple(m for p in _CAST.values() for m in p.mentions) + _EXTRA_MENTIONS * 2

# Top-level channels: author, addressee, possible intermediaries (channels), weight.
_CHANNELS = (
    ("STALIN", "MAO", ("KRAS", "ROSH", "ZAKH", "KOVA"), 10),
    ("MAO", "STALIN", (), 10),
    ("STALIN", "ZHOU", ("ROSH", "ZAKH", "KRAS"), 3),
    ("ZHOU", "STALIN", (), 3),
    ("STALIN", "KIM", ("SHTY", "RAZU"), 5),
    ("KIM", "STALIN", (), 4),
    ("STALIN", "GAO", ("KOVA",), 1),
    ("GAO", "STALIN", (), 1),
    ("VYSH", "ROSH", (), 3), ("ROSH", "VYSH", (), 3),
    ("ROSH", "STALIN", (), 2), ("STALIN", "ROSH", (), 1),
    ("VYSH", "SHTY", (), 2), ("SHTY", "VYSH", (), 2),
    ("SHTY", "STALIN", (), 2), ("STALIN", "SHTY", (), 1),
    ("VYSH", "RAZU", (), 1), ("RAZU", "VYSH", (), 1),
    ("RAZU", "STALIN", (), 2), ("STALIN", "RAZU", (), 1),
    ("ZAKH", "STALIN", (), 2), ("STALIN", "ZAKH", (), 1),
    ("KOVA", "STALIN", (), 1), ("STALIN", "KOVA", (), 1),
    ("KRAS", "STALIN", (), 1), ("STALIN", "KRAS", (), 1),
)


def _channels_by_year():
    """year -> (list of (a, b, intermediaries), cumulative weights, {(a, b): intermediaries})."""
    out = {}
    for year in range(FIRST_DAY.year, LAST_DAY.year + 1):
        chans, cum, pairs, total = [], [], {}, 0
        for a, b, via, w in _CHANNELS:
            ya, yb = _CAST[a].years, _CAST[b].years
            if not (ya[0] <= year <= ya[1] and yb[0] <= year <= yb[1]):
                continue
            via = tuple(v for v in via if _CAST[v].years[0] <= year <= _CAST[v].years[1])
            total += w
            chans.append((a, b, via))
            cum.append(total)
            pairs[(a, b)] = via
        out[year] = (chans, cum, pairs)
    return out


_YEAR_CHANNELS = _channels_by_year()

# Leaders whose telegrams envoys relay (embedded and registered, so they can be cited).
_RELAYED = {"ROSH": ("MAO", "ZHOU"), "KRAS": ("MAO",), "ZAKH": ("MAO", "ZHOU"),
            "KOVA": ("MAO", "GAO"), "SHTY": ("KIM",), "RAZU": ("KIM",)}
# Leaders who forward their own telegram to a field commander (embedded, not registered).
_CONVEYED = {"MAO": ("PENG",), "ZHOU": ("PENG",), "KIM": ("PENG",)}

_CITY_FORMS = {"BEIJING": ("BEIJING", "BEIJING", "PEKING"), "PYONGYANG": ("PYONGYANG",),
               "MUKDEN": ("MUKDEN", "SHENYANG"), "MOSCOW": ("MOSCOW",), "KOREA": ("KOREA",)}
_CITY_TITLE = {"BEIJING": ("Beijing", "Peking"), "PYONGYANG": ("Pyongyang",),
               "MUKDEN": ("Mukden", "Shenyang"), "MOSCOW": ("Moscow",)}

# --------------------------------------------------------------------------
# text material

_PLACES = (
    "Seoul", "Incheon [Jemulpo]", "Jemulpo", "Chemulpo", "Jinnampo [Nampo]", "Chinnampo",
    "Pyongyang", "Wonsan", "Kaesong", "Suwon", "Wonju", "Daejeon", "Andong", "Yeongju",
    "Chuncheon", "Hamhung", "Sinuiju", "Antung [Andong]", "Antung", "Mukden", "Port Arthur",
    "Dalny [Dalian]", "Busan", "Cheorwon", "Kimhwa", "Pyonggang", "Hoeryong", "Kanggye",
    "Manpojin", "Sariwon", "Haeju", "Chongjin",
)
_RIVERS = ("Han", "Imjin", "Naktong", "Yalu", "Taedong", "Chongchon", "Pukhan")
_TALKS = ("Kaesong", "Panmunjom", "Kaesong", "Panmunjeom [Panmunjom]")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth")
_NUM_WORDS = ("two", "three", "four", "five", "six", "two to three", "three to four", "four to five")
_ARMY_GROUPS = ("the 13th army group", "the ninth army group", "the 19th army group",
                "the 3rd army group", "the 9th army group", "the thirteenth army group")
_OWN_UNITS = ("two divisions", "three divisions", "the 38th army", "the 39th army", "the 42nd army",
              "the 64th army", "the 1st corps of the Korean People's Army",
              "three divisions of the Korean People's Army", "two anti-aircraft artillery regiments",
              "a tank regiment", "four artillery divisions", "the railway troops",
              "the volunteer units")
_AIR_UNITS = ("the 151st fighter air division", "two air divisions", "the 64th fighter air corps",
              "the 3rd air division", "four fighter air regiments", "the 324th fighter air division")
_ENEMY = ("American and puppet [South Korean] troops", "the Anglo-American troops",
          "the enemy", "the puppet troops", "the American troops", "the Lisynmanovites [Syngman Rhee troops]",
          "the American and British troops")
_ENEMY_UNITS = ("up to two American divisions", "the 1st Marine Division",
                "three puppet [South Korean] divisions", "the 24th American division",
                "a British brigade", "the 2nd American infantry division", "two Turkish battalions")
_QUANTITIES = ("500 trucks", "200 MiG-15 aircraft", "10,000 tons of aviation fuel",
               "120 anti-tank guns", "the artillery for six divisions", "ammunition for 30 days of fighting",
               "1,500 automobiles", "40 locomotives", "300 anti-aircraft guns",
               "rifles and machine guns for ten divisions", "radio stations for the army staffs",
               "medicines and surgical instruments")
_CLERKS = ("Kazakov", "Ivanova", "Shuvalov", "Gorbunova", "Petrov", "Zueva")

# Themes: topic phrases (what a telegram is "about") and the sentences of its body.
_TOPICS = {
    "ops": ("the preparation of the fourth operation", "the fifth operation",
            "the defence of the Han River line", "the situation at the front",
            "the defensive lines in the rear", "partisan operations in the enemy's rear",
            "coastal defence against enemy landings", "the redeployment of the ninth army group"),
    "arms": ("deliveries of artillery", "additional deliveries of arms", "the military credit",
             "trucks and fuel for the front", "the equipment of sixty divisions",
             "the shipment of ammunition"),
    "air": ("the preparation of pilot cadres", "the air defence of Andong",
            "the construction of airfields in North Korea", "the transfer of air divisions",
            "the cover of the Yalu crossings"),
    "talks": ("the armistice negotiations", "the exchange of prisoners of war",
              "the demarcation line", "the proposal for a ceasefire", "the draft answer to Ridgway"),
    "politics": ("rightist moods among the troops", "the land reform",
                 "the Chinese Changchun Railway", "the Soviet specialists",
                 "the visit of a delegation to Moscow", "the publication of the statement"),
}
_THEMES = tuple(_TOPICS)

_SENTENCES = {
    "ops": (
        "At the present time {EN} are trying to attack the regions adjacent to {PL} and {PL2}.",
        "Our troops must immediately begin preparation for the {OPN} operation, with the goal of destroying {KILL} enemy troops and occupying the area to the north of the {PL}-{PL2} line.",
        "The operation will last {DAYS} days, after which the troops must again make a two to three months long preparation.",
        "{AG} must in the near future be redeployed to the region of {PL} for rest and reformation.",
        "It is necessary to hold {PL} and the fortification before the bridge on the south bank of the {RIV} River, and to draw out the main enemy forces to the {PL2} region.",
        "After the beginning of the operation the main forces must break through the enemy's line of defence in the region of {PL} and make attacks in the direction of {PL2}.",
        "The withdrawal of our troops for {KM} km to the north would be disadvantageous for us, since the enemy precisely wishes this.",
        "{P} reports that the defensive positions near {PL} have been occupied by {U} and that three defensive lines are being created in the rear.",
        "The troops of the first echelon must make the breakthrough, and the troops of the second echelon must continue the pursuit of the enemy to a determined border.",
        "Troops of each echelon must have a five day dry ration, since supply during the offensive will be difficult.",
        "In the night of {DT} the enemy landed a force of up to {NW} battalions in the region of {PL}, supported by naval artillery.",
        "According to the data of {P}, in {DAYS} days of fighting {U} destroyed {KILL} enemy soldiers and officers.",
        "The enemy has concentrated {EU} in the region of {PL} and apparently intends to land a force in the rear of our troops.",
        "It is risky to conduct maneuvers if there are no strong defensive fortifications in the rear, to which the main forces could be quickly withdrawn.",
        "We consider it necessary to strengthen the operations of partisan detachments in the enemy's rear, in particular in the region of {PL}.",
        "The defence of the coast in the region of {PL} and {PL2} has been entrusted to {AG}.",
        "By {DT} {U} will complete its concentration in the region of {PL}.",
        "The front now runs along the line {PL} - {PL2} - {PL3}.",
        "At {TM} our units began the offensive on the western portion of the front.",
        "The {OPN} operation ended on {DT}; {EN} suffered heavy losses, but our losses are also considerable.",
        "{AG} must participate in military operations on the eastern portion of the front at the time of the {OPN} operation.",
        "With a strike in the direction of {PL}-{PL2} it will be possible to destroy {EU} and four to five divisions of South Korean troops.",
        "{EU} went over to the offensive in the sector {PL}-{PL2} on {DT}, but the attack was stopped by {U}.",
        "Our reserves, {AG}, are concentrated to the north of {PL} and can enter the battle within {DAYS} days.",
        "The crossings over the {RIV} River are covered by {U}, but the ice has not yet become strong.",
        "The losses of {U} in the last battles amount to about {N2} percent of its personnel.",
        "The enemy's attempts to break through to {PL} have been repulsed with heavy losses for him.",
    ),
    "arms": (
        "We could make for you additional deliveries of arms in this year, thus increasing the volume of military credit for {YEAR}.",
        "The Soviet government agrees to deliver {QTY} before {DT}.",
        "There are no new applications from you. Why is this? How is this explained?",
        "The first trains with {QTY} will cross the border at {PL} no later than {DT}.",
        "Your application for {QTY} has been examined and will be satisfied in full.",
        "{P} has been instructed to agree on the schedule of deliveries with {P2}.",
        "The shortage of trucks and fuel does not allow us to supply the troops at the front regularly, and the ammunition of {U} will last only {NW} days.",
        "We ask you to send {QTY} as soon as possible, since the troops are experiencing great difficulties.",
        "Payment for these deliveries may be made on the terms of the credit agreement, in the course of {NW} years.",
        "The equipment for {NW} divisions can be shipped in the third quarter, and the remainder at the beginning of next year.",
        "The Poles have retracted their orders, and we therefore could make additional deliveries of {QTY} for you.",
        "Comrade Zhou Enlai welcomed this report and said that new applications would be sent soon.",
        "The unloading of the trains at {PL} is going slowly, because enemy aviation bombs the station every night.",
        "The second echelon of deliveries, {QTY}, is being loaded at {PL} and will be sent by {DT}.",
        "The question of the prices of these deliveries can be settled later by the ministries of foreign trade.",
        "A part of the trucks received have been transferred to {U}, and the remainder is held in reserve at {PL}.",
        "We ask you to speed up the dispatch of the specialists for the repair of the equipment at {PL}.",
    ),
    "air": (
        "{AIR} will be transferred to the region of {PL} to cover the crossings on the Yalu River.",
        "The construction of airfields in the region of {PL} must be completed by {DT}.",
        "The preparation of pilot cadres is proceeding slowly; at present only {NW} regiments are ready for combat operations.",
        "Our pilots shot down {N2} enemy aircraft in the region of {PL} on {DT}.",
        "It is necessary to strengthen the anti-aircraft defence of the bridges at {PL} and {PL2}.",
        "Soviet instructors will remain with the Chinese air divisions until {DT}.",
        "Enemy aviation bombs the railway between {PL} and {PL2} day and night, and the repair of the bridges takes {DAYS} days.",
        "We consider it possible to send {AIR} to {PL}, under the condition that the airfields are covered by anti-aircraft artillery.",
        "The Korean pilots trained at {PL} will be ready for independent operations by {DT}.",
        "In the air battle of {DT} near {PL} {AIR} lost {NW} aircraft.",
        "The radar stations at {PL} and {PL2} must be put into operation before the beginning of the night flights.",
        "The transfer of the aircraft to the Chinese side should be carried out after the training of the crews.",
        "{P} asks that the airfield at {PL} be covered by fighter aviation from {TM}.",
    ),
    "talks": (
        "The enemy delegation at {TK} insists that the demarcation line pass to the north of {PL}.",
        "We consider it advantageous to drag out the negotiations, while holding firmly to our proposals on the exchange of prisoners of war.",
        "The Americans are trying to use the question of prisoners of war to delay the conclusion of an armistice.",
        "{P} proposes to answer the enemy's proposal on {DT} at the plenary session in {TK}.",
        "The draft of the answer is attached; we ask for your opinion.",
        "It is possible that after the {OPN} operation the enemy will conduct peace negotiations with us regarding a resolution of the Korean question.",
        "The position of the British government on this question differs somewhat from the American one.",
        "In our opinion it is not advantageous to agree to a temporary ceasefire without the withdrawal of foreign troops from Korea.",
        "The negotiations at {TK} were interrupted on {DT} and have not been resumed.",
        "The enemy at present is calculating to force us to cease military operations and begin peace negotiations from a disadvantageous position, which we can in no case allow.",
        "At the session of {DT} the enemy again demanded the voluntary repatriation of prisoners, which we rejected.",
        "The liaison officers of the two sides will meet in {TK} on {DT} to agree on the agenda.",
        "We intend to propose that the line of demarcation be established along the 38th parallel.",
        "{P} believes that the enemy will not break off the negotiations in the coming weeks.",
        "The Americans have violated the neutral zone around {TK} several times, and we have lodged a protest.",
    ),
    "politics": (
        "Among the troops there have appeared \"rightist moods\", which are explained by the repeated local maneuvers with advance and withdrawal.",
        "It will not be possible to crush these unhealthy moods unless a serious blow is carried out against the enemy with the defeat of {NW} enemy divisions.",
        "The Central Committee discussed this question on {DT} and adopted a decision, the text of which will be sent separately.",
        "{P} considers that the land reform in the liberated districts must be completed before the spring sowing.",
        "The Soviet specialists working at {PL} have been given all the necessary conditions.",
        "{P} will arrive in Moscow on {DT} and will report in detail.",
        "The joint administration of the Chinese Changchun Railway is functioning normally.",
        "The press in {PL} has published the statement in full, and it has been received well.",
        "This question must be settled by agreement between the Korean and Chinese comrades.",
        "{P} expressed the wish to meet with {P2} to discuss this question.",
        "The work of the Soviet advisers in {PL} is highly valued by the Chinese comrades.",
        "The mood of the population in the liberated districts near {PL} is good.",
        "{P} asked to convey his gratitude to the Soviet government for the help.",
        "The question of the Chinese Changchun Railway was discussed with {P} on {DT}.",
    ),
    "general": (
        "I ask you to communicate your opinion.",
        "We agree with your considerations.",
        "I consider this correct.",
        "This is absolutely necessary.",
        "Please inform us of your decision as soon as possible.",
        "Details will be communicated additionally.",
        "I ask you to explain this to a meeting of the high command.",
        "In my opinion this is advantageous in all respects.",
        "We have a very great difficulty in this regard.",
        "I fear that this situation can undermine the spirit of the Chinese-Korean troops.",
        "All measures have been taken to keep this matter secret.",
        "We will inform you of the results.",
        "{P} shares this opinion.",
        "This was reported to {P} on {DT}.",
        "In my telegram I wrote mainly about {TOPIC}.",
        "I communicated to you two months ago that this question had been decided.",
        "Transporting troops is also inadequate.",
        "Moreover this would give you the possibility of undertaking wider and more successful maneuvers.",
        "We would like to know your opinion on this question.",
        "I consider it necessary to warn you about this in advance.",
        "This has been agreed with {P}.",
        "The decision will be taken after the return of {P} from {PL}.",
        "If you do not object, we will proceed in this way.",
        "Please treat this information as strictly secret.",
    ),
}
# A page draws its sentences, without repeats, from its theme, a second theme and the general ones.
_THEME_POOLS = {(t, u): _SENTENCES[t] + (_SENTENCES[u] if u != t else ()) + _SENTENCES["general"]
                for t in _THEMES for u in _THEMES}

_YOUR_OPENINGS = (
    "I received {C}.", "I received {C}, and also the two directives of {P}.",
    "In reply to {C}, I inform you of the following.", "I have familiarized myself with {C}.",
    "Concerning {C}, I report the following.", "{Cc} has been received.", "I answer {C}.",
    "With regard to {C}, we consider it necessary to say the following.",
    "{Cc} has been reported to the leadership.",
)
_YOUR_LATER = (
    "As for {C}, I agree with it.", "{Cc} has also been received.",
    "I have also familiarized myself with {C}.", "Regarding {C}, the answer will follow.",
)
_MY_FORMS = (
    "In addition to my No. {N}.", "In addition to my No. {N}, I report the following.",
    "To my [telegram] No. {N} (vkh. No. {V}).", "I confirm my telegram No. {N}.",
    "Supplementing our telegram No. {N}, I report the following.",
    "As I already reported in my telegram of {D}, the situation has not changed.",
    "In my telegram of {D} I already informed you about {TOPIC}.",
)
_THIRD_FORMS = (
    "Telegram of Comrade {X} of {D} (No. {N}) has been received.",
    "According to the telegram of Comrade {X} of {D} (No. {N}), the situation in the region of {PL} remains tense.",
    "I send you for information the telegram of Comrade {X} of {D} (No. {N}).",
)
_CLOSINGS = ("Confirm receipt.", "Telegraph the fulfillment.", "Two copies printed. No. 2 to file.",
             "###", "Telegraph the execution.", "Confirm receipt. Telegraph the fulfillment.")
_SUMMARIES = (
    "Telegram from {A} to {B} on {TOPIC}.",
    "{A} informs {B} about {TOPIC} and asks for a quick answer.",
    "{A} writes to {B} regarding {TOPIC}, with details on the situation in {PL}.",
    "A report from {A} to {B} concerning {TOPIC}.",
    "{A} gives {B} his views on {TOPIC} and on the military situation near {PL}.",
)
_RIGHTS = (
    ("The History and Public Policy Program welcomes reuse of Digital Archive materials for research and "
    "educational purposes. Some documents may be subject to copyright, which is retained by the rights "
    "holders in accordance with US and international copyright laws. When possible, rights holders have "
    "been contacted for permission to reproduce their materials."),
    ("To enquire about this document's rights status or request permission for commercial use, please "
    "contact the History and Public Policy Program at HAPP@wilsoncenter.org."),
)
_SOURCES = (
    ("APRF, f. 45, op. 1, d. {a}, ll. {b}-{c}.", "Archive of the President of the Russian Federation (APRF)"),
    ("APRF, f. 3, op. 65, d. {a}, ll. {b}-{c}.", "Archive of the President of the Russian Federation (APRF)"),
    ("AVPRF, f. 059a, op. 5a, d. {a}, p. 11, ll. {b}-{c}.", "Foreign Policy Archive of the Russian Federation (AVP RF)"),
    ("RGASPI, f. 558, op. 11, d. {a}, ll. {b}-{c}.", "Russian State Archive of Social and Political History (RGASPI)"),
    ("TsAMO, f. 5, op. 918795, d. {a}, ll. {b}-{c}.", "Central Archives of the Russian Ministry of Defense (TsAMO)"),
)
_CYRILLIC = (
    "Товарищу {R}.",
    "Ваше сообщение получил. Согласен с Вашими соображениями.",
    "Подробности сообщу дополнительно.",
    "Прошу подтвердить получение.",
    "Обстановка на фронте остается напряженной.",
)
_CYR_NAMES = {"STALIN": "ФИЛИППОВУ", "MAO": "МАО ЦЗЭ-ДУНУ", "ZHOU": "ЧЖОУ ЭНЬ-ЛАЮ",
              "KIM": "КИМ ИР СЕНУ", "GAO": "ГАО ГАНУ", "VYSH": "ВЫШИНСКОМУ", "ROSH": "РОЩИНУ",
              "SHTY": "ШТЫКОВУ", "RAZU": "РАЗУВАЕВУ", "KRAS": "КРАСОВСКОМУ", "ZAKH": "ЗАХАРОВУ",
              "KOVA": "КОВАЛЕВУ"}


# --------------------------------------------------------------------------
# state


class _Rec:
    """One telegram that later pages may cite."""
    __slots__ = ("addressee", "author", "cipher", "day", "embedded", "file", "minute", "out", "topic")

    def __init__(self, file, day, minute, author, addressee, out, cipher, topic, embedded):
        self.file, self.day, self.minute = file, day, minute
        self.author, self.addressee, self.out = author, addressee, out
        self.cipher, self.topic, self.embedded = cipher, topic, embedded


def _pick(r: random.Random, seq):
    """random.choice, about twice as fast (the generator's hot path)."""
    return seq[int(r.random() * len(seq))]


class _Slots(dict):
    """format_map mapping that invents each slot value when the template asks for it."""
    __slots__ = ("g",)

    def __missing__(self, key):
        return _SLOT_FUNCS[key](self.g)


def _body_date(g) -> str:
    return _pick(g.rng, _BODY_DATE_SHAPES)(g.day + timedelta(days=g.rng.randint(-20, 30)))


def _time_phrase(g) -> str:
    r = g.rng
    k = r.randrange(4)
    if k == 0:
        return f"{r.randint(0, 23):02d}:{_pick(r, (0, 15, 30, 45)):02d} Beijing time"
    if k == 1:
        return f"{r.randint(5, 23):02d}{_pick(r, (0, 12, 30, 45)):02d} hours"
    if k == 2:
        return f"{r.randint(1, 11)}:{_pick(r, (0, 30)):02d} am"
    return f"{r.randint(13, 21)}:30 p.m."


def _kill(g) -> str:
    a = _pick(g.rng, (5, 10, 10, 20, 20, 30))
    return f"{a * 1000:,} to {(a + _pick(g.rng, (10, 10, 20))) * 1000:,}"


def _days(g) -> str:
    a = g.rng.randint(3, 12)
    return f"{a}-{a + g.rng.randint(2, 5)}"


_SLOT_FUNCS = {
    "P": lambda g: _pick(g.rng, _MENTION_POOL),
    "P2": lambda g: _pick(g.rng, _MENTION_POOL),
    "PL": lambda g: _pick(g.rng, _PLACES),
    "PL2": lambda g: _pick(g.rng, _PLACES),
    "PL3": lambda g: _pick(g.rng, _PLACES),
    "RIV": lambda g: _pick(g.rng, _RIVERS),
    "TK": lambda g: _pick(g.rng, _TALKS),
    "EN": lambda g: _pick(g.rng, _ENEMY),
    "EU": lambda g: _pick(g.rng, _ENEMY_UNITS),
    "U": lambda g: _pick(g.rng, _OWN_UNITS),
    "AG": lambda g: _pick(g.rng, _ARMY_GROUPS),
    "AIR": lambda g: _pick(g.rng, _AIR_UNITS),
    "QTY": lambda g: _pick(g.rng, _QUANTITIES),
    "OPN": lambda g: _pick(g.rng, _ORDINALS),
    "NW": lambda g: _pick(g.rng, _NUM_WORDS),
    "N2": lambda g: str(g.rng.randint(3, 40)),
    "KM": lambda g: f"{_pick(g.rng, (10, 15, 20))}-{_pick(g.rng, (30, 40, 50))}",
    "KILL": _kill,
    "DAYS": _days,
    "DT": _body_date,
    "TM": _time_phrase,
    "YEAR": lambda g: str(g.day.year),
    "TOPIC": lambda g: g.topic,
}


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


class _Generator:
    def __init__(self, count: int, seed: int):
        self.rng = random.Random(seed)
        self.count = count
        total = (LAST_DAY - FIRST_DAY).days
        # Spread the pages over 1949-1953; a small run covers a shorter stretch
        # (two days a telegram) from late 1950, so that it still has reply chains.
        self.span = min(total, max(60, 2 * count))
        self.start = FIRST_DAY + timedelta(days=int((total - self.span) * 0.4))
        self.window: deque[_Rec] = deque(maxlen=WINDOW)
        self.pairs: dict[tuple[str, str], deque[_Rec]] = {}
        # (sender, recipient, day) -> telegrams so far, over the whole run (it stays small:
        # pairs x days), so date citations are checked for namesakes outside the window too
        self.per_day: dict[tuple[str, str, date], int] = {}
        r = self.rng
        self.out_no = {k: r.randint(100, 3000) for k in _CAST}
        self.skipped = {k: deque(maxlen=16) for k in _CAST}
        self.registry = {c: r.randint(1000, 20000) for c in _CITY_FORMS}
        self.record_id = 110000 + r.randint(0, 5000)
        self.slots = _Slots()
        self.slots.g = self
        # per-page context used by the slot functions
        self.day = self.start
        self.topic = ""

    # -- numbering -----------------------------------------------------------

    def next_out(self, who: str) -> int:
        r = self.rng
        n = self.out_no[who]
        if r.random() < 0.25:  # numbers of telegrams that are not in the collection
            for _ in range(r.randint(1, 4)):
                self.skipped[who].append(n)
                n += 1
        self.out_no[who] = n + 1
        return n

    def next_registry(self, city: str, width: int = 1) -> int:
        n = self.registry[city] + self.rng.randint(1, 9)
        self.registry[city] = n + width - 1
        return n

    # -- text ----------------------------------------------------------------

    def fill(self, template: str) -> str:
        return template.format_map(self.slots)

    def paragraph(self, deck: list, pool: tuple, budget: int) -> str:
        """Sentences drawn at random from `deck` (refilled from `pool` when empty) up to `budget` chars."""
        rnd = self.rng.random
        slots = self.slots
        parts, size = [], 0
        while size < budget or len(parts) < 2:
            if not deck:
                deck.extend(pool)
            j = int(rnd() * len(deck))  # draw without repeats: swap the pick to the end, pop it
            deck[j], deck[-1] = deck[-1], deck[j]
            s = deck.pop().format_map(slots)
            if s[0].islower():
                s = s[0].upper() + s[1:]
            parts.append(s)
            size += len(s) + 1
            if len(parts) >= 7:
                break
        return " ".join(parts)

    # -- citations ------------------------------------------------------------

    def _date_text(self, d: date) -> str:
        r = self.rng
        if (self.day - d).days < 300 and r.random() < 0.6:
            return _pick(r, _CITE_DATE_YEARLESS)(d)
        return _pick(r, _CITE_DATE_FULL)(d)

    def _num_text(self, rec: _Rec) -> str:
        if _CAST[rec.author].suffix and self.rng.random() < 0.4:
            return f"{rec.out}{_CAST[rec.author].suffix}"
        return str(rec.out)

    def cite_your(self, rec: _Rec, a: str, b: str, cited: list) -> tuple[str, str, list]:
        """Phrase citing a telegram sent by the addressee b to the author a.

        Returns (kind, phrase, records cited)."""
        r = self.rng
        pair = self.pairs.get((b, a), ())
        same_day = [x for x in pair if x.day == rec.day]
        n_day = self.per_day[(b, a, rec.day)]
        earlier_day = rec.day < self.day  # later pages never take an earlier date, so no new namesakes
        if n_day == 1 and earlier_day:
            k = r.random()
            if k < 0.1 and sum(1 for x in pair if x.topic == rec.topic) == 1:
                return "your-topic", f"your telegram about {rec.topic}", [rec]
            if k < 0.62:
                dt = self._date_text(rec.day)
                if _CAST[a].rank == "envoy" and _CAST[b].rank in ("chief", "minister") and r.random() < 0.3:
                    word = _pick(r, ("directive dated", "order of", "instruction of"))
                    return "your-date", f"your {word} {dt}", [rec]
                if r.random() < 0.12 and (a, b, rec.day) not in self.per_day:
                    dm = _dm(rec.day) if (self.day - rec.day).days < 300 else _dmy(rec.day)
                    return "your-date", f"the {dm} telegram", [rec]
                return "your-date", f"your telegram of {dt}", [rec]
        elif 2 <= n_day <= 3 and n_day == len(same_day) and earlier_day and len(cited) + n_day <= 4 \
                and r.random() < 0.4:
            new = [x for x in same_day if x not in cited]
            if len(new) == len(same_day):
                return "your-plural", f"your telegrams of {self._date_text(rec.day)}", same_day
        elif n_day > 1 and n_day == len(same_day) and r.random() < 0.3 and \
                sum(1 for x in same_day if x.minute == rec.minute) == 1:
            return "your-date-time", f"your telegram of {self._date_text(rec.day)}, {_hm(rec.minute)}", [rec]
        n = self._num_text(rec)
        k = r.random()
        if k < 0.45:
            return "your-number", f"your telegram No. {n}", [rec]
        if k < 0.75:
            return "your-number", f"your no. {n}", [rec]
        return "your-number", f"your telegram No. {n} of {self._date_text(rec.day)}", [rec]

    def cite_my(self, rec: _Rec) -> tuple[str, str]:
        r = self.rng
        while True:
            t = _pick(r, _MY_FORMS)
            if "{V}" in t and rec.cipher is None:
                continue
            if "{D}" in t and (rec.day >= self.day
                               or self.per_day[(rec.author, rec.addressee, rec.day)] != 1):
                continue
            break
        return "my", t.format(N=self._num_text(rec), V=rec.cipher, D=self._date_text(rec.day), TOPIC=rec.topic)

    def cite_third(self, rec: _Rec) -> str:
        t = _pick(self.rng, _THIRD_FORMS)
        return t.format(X=_CAST[rec.author].caps, D=self._date_text(rec.day), N=self._num_text(rec),
                        PL=_pick(self.rng, _PLACES))

    def pick_recent(self, pool, exclude) -> _Rec | None:
        if not pool:
            return None
        r = self.rng
        for _ in range(4):
            x = pool[len(pool) - 1 - int(r.random() ** 2 * len(pool))]
            if x not in exclude:
                return x
        return None

    # -- one page -------------------------------------------------------------

    def page(self, i: int) -> tuple[str, str, dict]:
        r = self.rng
        fn = f"syn_{i + 1:06d}.txt"
        t = self.span * (i + r.random() * 0.9) / self.count
        day_no = int(t)
        minute = int((t - day_no) * 1440)
        day = self.start + timedelta(days=day_no)
        self.day = day
        chans, cum, pairs = _YEAR_CHANNELS[day.year]

        # channel: most pages answer a recent telegram
        primary = None
        if self.window and r.random() < 0.7:
            for _ in range(3):
                x = self.pick_recent(self.window, ())
                if (x.addressee, x.author) in pairs and x.day <= day:
                    primary = x
                    break
        if primary is not None:
            a, b = primary.addressee, primary.author
            via = pairs[(a, b)]
        else:
            a, b, via = r.choices(chans, cum_weights=cum)[0]
        A, B = _CAST[a], _CAST[b]
        inter = _pick(r, via) if via and r.random() < 0.8 else None
        theme = _pick(r, _THEMES)
        topic = _pick(r, _TOPICS[theme])
        if primary is not None and r.random() < 0.5:
            topic = primary.topic
        self.topic = topic

        kind = "telegram"
        k = r.random()
        if k < 0.04:
            kind = "letter"
        elif k < 0.06:
            kind = "note"
        elif k < 0.08 and a == "STALIN":
            kind = "decision"

        # citations ------------------------------------------------------------
        cited: list[_Rec] = []
        citations: list[dict] = []
        first_sentence = None
        later: list[str] = []
        if primary is None and r.random() < 0.4:
            primary = self.pick_recent(self.pairs.get((b, a), ()), ())
        if primary is not None:
            ck, phrase, recs = self.cite_your(primary, a, b, cited)
            cited.extend(recs)
            citations.append({"kind": ck, "text": phrase, "files": [x.file for x in recs]})
            tmpl = _pick(r, _YOUR_OPENINGS)
            first_sentence = self.fill(tmpl.replace("{Cc}", _cap(phrase)).replace("{C}", phrase))
        if r.random() < 0.35:
            rec = self.pick_recent(self.pairs.get((a, b), ()), cited)
            if rec is not None and len(cited) < 3:
                ck, sent = self.cite_my(rec)
                cited.append(rec)
                citations.append({"kind": ck, "text": sent, "files": [rec.file]})
                later.append(sent)
        if r.random() < 0.2 and len(cited) < 3:
            rec = self.pick_recent(self.pairs.get((b, a), ()), cited)
            if rec is not None:
                ck, phrase, recs = self.cite_your(rec, a, b, cited)
                if not any(x in cited for x in recs):
                    cited.extend(recs)
                    tmpl = _pick(r, _YOUR_LATER)
                    sent = self.fill(tmpl.replace("{Cc}", _cap(phrase)).replace("{C}", phrase))
                    citations.append({"kind": ck, "text": phrase, "files": [x.file for x in recs]})
                    later.append(sent)
        if r.random() < 0.12 and len(cited) < 3 and self.window:
            rec = self.window[r.randrange(len(self.window))]
            if rec.author not in (a, b) and rec not in cited:
                sent = self.cite_third(rec)
                cited.append(rec)
                citations.append({"kind": "third", "text": sent, "files": [rec.file]})
                later.append(sent)
        dangling = []
        if r.random() < 0.12:
            if self.skipped[b] and r.random() < 0.7:
                n = self.skipped[b][r.randrange(len(self.skipped[b]))]
                phrase = f"your telegram No. {n}"
            else:  # before the first generated page: surely not in the collection
                old = self.start - timedelta(days=r.randint(1, 90))
                phrase = f"your telegram of {_pick(r, _CITE_DATE_FULL)(old)}"
            dangling.append({"kind": "your", "text": phrase})
            later.append(f"{_cap(phrase)} has not been received in full; we ask you to repeat it.")

        compact = r.random() < 0.5
        q_open, q_close = ("\u201c", "\u201d") if (not compact or r.random() < 0.3) else ('"', '"')

        # embedded telegram -------------------------------------------------------
        embedded_info = []
        emb_block = None
        emb_intro = None
        title_suffix = ""
        reg_embedded = None
        if kind == "telegram" and r.random() < 0.12:
            if a in _RELAYED and b in ("STALIN", "VYSH"):
                src = _pick(r, _RELAYED[a])
                if _CAST[src].years[0] <= day.year <= _CAST[src].years[1]:
                    e_day, e_min = day, r.randint(0, minute)  # same day: see earlier_day in cite_your
                    e_out = self.next_out(src)
                    to_whom = "you" if b == "STALIN" else "Comrade FILIPPOV"
                    emb_intro = f"I received the following telegram addressed to {to_whom} from {_CAST[src].caps}."
                    emb_block = self.embedded(src, "STALIN", e_day, e_min, e_out, q_open, q_close, False)
                    title_suffix = _pick(r, (", transmitting a message from ", ", containing a message from ",
                                             " with message from ")) + _CAST[src].short
                    reg_embedded = _Rec(fn, e_day, e_min, src, "STALIN", e_out, None,
                                        _pick(r, _TOPICS[theme]), True)
                    embedded_info.append({"author": src, "addressee": "STALIN", "date": e_day.isoformat(),
                                          "outgoing_number": str(e_out), "registered": True})
            elif a in _CONVEYED and b == "STALIN":
                dst = _pick(r, _CONVEYED[a])
                if _CAST[dst].years[0] <= day.year:
                    e_day = day - timedelta(days=r.randint(0, 2))
                    e_min = r.randint(0, 1439)
                    e_out = self.next_out(a)
                    emb_intro = (f"I send you my telegram of {_dmy(e_day)}, addressed to Comrade {_CAST[dst].caps}. "
                                 "I ask you to familiarize yourself with it and communicate your opinion:")
                    emb_block = self.embedded(a, dst, e_day, e_min, e_out, q_open, q_close, True)
                    title_suffix = f", {_pick(r, ('conveying', 'transmitting'))} {_dmy(e_day)} telegram from {A.short} to {_CAST[dst].short}"
                    embedded_info.append({"author": a, "addressee": dst, "date": e_day.isoformat(),
                                          "outgoing_number": str(e_out), "registered": False})

        # numbers (after the embedded telegram, which is older) ---------------------
        out = self.next_out(a)
        out_text = f"{out}{A.suffix}"
        recv_city = B.city if B.city in self.registry else "MOSCOW"
        width = 3 if r.random() < 0.03 else 1
        cipher = self.next_registry(recv_city, width) if kind in ("telegram", "decision") else None
        title_no = cipher
        if cipher is not None and r.random() < 0.05:
            title_no = cipher + _pick(r, (-10, -1, 1, 100))  # the title disagrees with the header

        # title -------------------------------------------------------------------
        at = _pick(r, A.titles)
        bt = _pick(r, B.titles)
        if title_suffix and embedded_info and not embedded_info[0]["registered"]:
            title = f"Telegram from {at} to {'I.V. Stalin' if b == 'STALIN' and r.random() < 0.5 else bt}{title_suffix}"
        elif kind == "letter":
            title = f"Letter, {at} to Cde. {bt}"
        elif kind == "note":
            title = f"{_pick(r, ('Note', 'Hand-delivered note'))}, {at} to Cde. {bt}"
        elif kind == "decision":
            title = f"Politburo decision with approved message from {at} to {bt}"
        else:
            k = r.random()
            if inter is not None:
                it = _CAST[inter].short
                if k < 0.45:
                    title = f"Ciphered Telegram No. {title_no}, {at} to {it}, for Cde. {bt}"
                elif k < 0.7 and b == "ZHOU":
                    title = f"Ciphered telegram, {at} to {bt} or Mao Zedong (via {it})"
                elif k < 0.8:
                    title = f"Ciphered telegram, {at} to {bt} via {it}"
                else:
                    title = f"Ciphered telegram, {at} to {bt} (via {it})"
            elif k < 0.35:
                title = f"Ciphered Telegram No. {title_no}, {at} to Cde. {bt}"
            elif k < 0.55:
                title = f"Ciphered telegram, {at} to Cde. {bt}"
            elif k < 0.75 and A.city in _CITY_TITLE and A.city != "MOSCOW":
                title = f"Ciphered Telegram No. {title_no} from {_pick(r, _CITY_TITLE[A.city])}, {at} to {bt}"
            elif k < 0.9:
                nos = f"Nos. {title_no}-{title_no + 2}" if width == 3 else f"No. {title_no}"
                title = f"Cable {nos}, {at} to Cde. {bt}"
            else:
                title = f"Ciphered telegram, {at} to Cde. {bt}"
            title += title_suffix

        # header block -------------------------------------------------------------
        hdr: list[str] = []
        moscow_side = A.city == "MOSCOW" or B.city == "MOSCOW"
        if kind == "decision":
            hdr.append(f"Extract from protocol No. {r.randint(70, 95)} of the Politburo session of {_dmy(day)}")
            hdr.append(_pick(r, ("Strictly Secret", "Top Secret")))
        elif kind == "telegram":
            if moscow_side and r.random() < 0.35:
                if a == "VYSH" or b == "VYSH":
                    hdr.append(_pick(r, ("MFA USSR", "MFA USSR\nTenth Department")))
                else:
                    hdr.append("SECOND MAIN ADMINISTRATION OF THE GENERAL STAFF OF THE SOVIET ARMY")
            if r.random() < 0.4:
                hdr.append(_pick(r, ("Top Secret", "Strictly Secret", "Top Secret\nMaking copies is prohibited",
                                     "SPECIAL", f"Special no. {r.randint(100, 900)}")))
            if cipher is not None and r.random() < 0.8:
                suf = "/sh" if r.random() < 0.15 else ""
                hdr.append(_pick(r, ("CIPHERED TELEGRAM No. ", "CIPHERED TELEGRAM No. ", "Ciphered Telegram # "))
                           + f"{cipher}{suf}")
            if A.city == "MOSCOW" and r.random() < 0.15:
                hdr.append(f"Issuing No. {out}")
            if B.city == "MOSCOW" and r.random() < 0.4:
                hdr.append(_pick(r, ("Copies: Stalin (2)", "Copies: Stalin (2), Molotov",
                                     "Copies: Stalin (2), Molotov, Beria",
                                     ("Distribution list - 11 copies: Stalin - 2, Molotov-1, Beria-1, Malenkov-1, "
                                      "Mikoyan-1, Kaganovich-1, Bulganin-1, Vyshinsky-1, Gromyko-1, Zorin-1"))))
            origin = None
            if A.city != "MOSCOW" and r.random() < 0.7:
                cf = _pick(r, _CITY_FORMS[A.city])
                origin = _pick(r, (f"From {cf}", f"FROM: {cf}", cf, "From Correspondent 20" if r.random() < 0.1 else cf))
            elif A.city == "MOSCOW" and B.city != "MOSCOW" and r.random() < 0.6:
                cf = _pick(r, _CITY_FORMS[B.city])
                origin = cf if r.random() < 0.7 else f"Destination: {cf} To Whom: SovAmbassador"
            trans = self.transmission(day, minute, B.city == "MOSCOW") if r.random() < 0.6 else None
            if origin and trans and r.random() < 0.4:
                # "From BEIJING Received 18 hours 40 minutes" / "29.1.1951", wrapped as in the archive
                if trans.startswith("Received ") and " hours " in trans:
                    head, _, dpart = trans.rpartition(" ")
                    hdr.append(f"{origin} {head}\n{dpart}")
                else:
                    hdr.append(f"{origin} {trans}")
            else:
                if origin:
                    hdr.append(origin)
                if trans:
                    hdr.append(trans)
            if r.random() < 0.08:
                hdr.append(f"{_pick(r, ('Deciphered', 'Typed'))} by {_pick(r, _CLERKS)} on {_dot4(day)} {_hm((minute + 200) % 1440)}")
            if r.random() < 0.25:
                hdr.append(_pick(r, ("EXTREMELY URGENT", "Extremely Urgent", "TOP PRIORITY",
                                     'Series "G" T', "EXTREMELY URGENT T", "T")))
            if len(hdr) > 2 and r.random() < 0.15:
                r.shuffle(hdr)
        else:
            if r.random() < 0.5:
                hdr.append(_pick(r, ("Top Secret", "Strictly Secret", "Secret")))
        transmit_line = None
        if inter is not None and kind != "letter":
            k = r.random()
            if k < 0.55:
                hdr.append(f"TO {_CAST[inter].caps}\nFOR Comrade {B.caps}")
            elif k < 0.75:
                hdr.append(f"TO {_CAST[inter].caps}")
                transmit_line = f"Transmit the following answer to {B.caps}." if primary else \
                    f"To transmit to Comrade {B.caps}."
            else:
                hdr.append(f"To transmit to Comrade {B.caps}")
        elif r.random() < 0.75:
            hdr.append(_pick(r, (f"To Comrade {_pick(r, B.hdr)}", f"To {_pick(r, B.hdr)}",
                                 f"To{NBSP}Comrade {_pick(r, B.hdr)}" if not compact else f"To Comrade {B.caps}")))

        # body --------------------------------------------------------------------
        body: list[str] = []
        if kind == "decision":
            body.append(f"Approve the draft answer of Comrade FILIPPOV to Comrade {B.caps} (attached).")
        if transmit_line:
            body.append(transmit_line)
        if r.random() < 0.3:
            body.append(_pick(r, B.salute))
        n_par = r.randint(3, 8)
        if emb_block is not None:
            n_par = max(1, n_par - 4)
        budget = r.randint(2000, 5000) if emb_block is None else r.randint(600, 1500)
        per = budget // n_par
        pool = _THEME_POOLS[(theme, _pick(r, _THEMES))]
        deck: list = []
        numbered = r.random() < 0.2
        paras = []
        for j in range(n_par):
            p = self.paragraph(deck, pool, per)
            if j == 0 and first_sentence:
                p = f"{first_sentence} {p}"
            paras.append(p)
        footnote = None
        if r.random() < 0.05:
            j = r.randrange(len(paras))
            paras[j] += " x/"
            footnote = f"x/ {_pick(r, ('Andong here is the Korean city, not the Chinese border city.', 'So in the text.', 'Name given as in the original.'))}"
        # citations other than the opening go at the start of later paragraphs
        for sent in later:
            j = r.randrange(1, len(paras)) if len(paras) > 1 else 0
            if j == 0 and first_sentence:
                paras[0] = f"{paras[0]} {sent}"
            else:
                paras[j] = f"{sent} {paras[j]}"
        if numbered:
            paras = [f"{j + 1}. {p}" for j, p in enumerate(paras)]
        body.extend(paras)
        if emb_block is not None:
            body.append(emb_intro)
            body.extend(emb_block)
            if r.random() < 0.5:
                body.append(self.paragraph(deck, pool, 300))
        if footnote:
            body.append(footnote)

        # signature ----------------------------------------------------------------
        sig = _pick(r, A.sigs)
        num = _pick(r, ("No. ", "No. ", "No. ", "Nº ", "No.", "# ")) + out_text
        ds = _pick(r, (_dmy(day), _dmy(day), _dot2(day), f"{_dmy(day)} {_hm(minute)}", _dot4(day)))
        k = r.random()
        if k < 0.6:
            sig_lines = [sig, num, ds]
        elif k < 0.8:
            sig_lines = [num, f"{ds} {sig}"]
        else:
            sig_lines = [f"{sig} {ds}", num]
        if r.random() < 0.3:
            sig_lines.append(_pick(r, _CLOSINGS))
        if B.city == "MOSCOW" and r.random() < 0.08:
            sig_lines.append("1. Comr. Stalin\n2. Comr. Molotov\n3. Comr. Malenkov")

        cyr = None
        if r.random() < 0.02:
            cyr = " ".join([_CYRILLIC[0].format(R=_CYR_NAMES[b])] + r.sample(_CYRILLIC[1:], 2))

        # editorial summary ---------------------------------------------------------
        summary = self.fill(_pick(r, _SUMMARIES).replace("{A}", A.short).replace("{B}", B.short))
        summary_cites = None
        if primary is not None and citations[0]["kind"] in ("your-date", "your-number", "your-topic") and r.random() < 0.25:
            summary += f" The cable contains {A.short}'s response to {B.short}'s {_dm(primary.day)} telegram."
            summary_cites = primary.file
        if embedded_info:
            summary = f"A forward to {B.short} of a message sent earlier. " + summary

        # metadata tail ---------------------------------------------------------------
        self.record_id += r.randint(1, 3)
        tail = self.tail(A, B, kind, cyr is not None) if r.random() > 0.04 else []

        # assemble ---------------------------------------------------------------------
        blocks = []
        if r.random() < 0.5:
            blocks.append("Skip to content")
        blocks.append(_mdy(day))
        blocks.append(title)
        if r.random() < 0.08:
            blocks.append(_pick(r, ("This document was made possible with support from the Leon Levy Foundation",
                                    "This document was made possible with support from the MacArthur Foundation")))
        blocks.extend(hdr)
        blocks.extend(body)
        blocks.append("\n".join(sig_lines))
        if cyr:
            blocks.append(cyr)
            blocks.append(_CAST[a].caps)
        if not compact:
            blocks.append(NBSP)
        blocks.append(summary)
        blocks.extend(tail)
        text = ("\n" if compact else "\n\n").join(blocks)

        # remember ------------------------------------------------------------------------
        rec = _Rec(fn, day, minute, a, b, out, cipher, topic, False)
        self.remember(rec)
        if reg_embedded is not None:
            self.remember(reg_embedded)

        files = []
        for c in citations:
            for f in c["files"]:
                if f not in files:
                    files.append(f)
        truth = {
            "file": fn, "record_id": self.record_id if tail else None, "type": kind,
            "author": a, "addressee": b, "intermediary": inter, "date": day.isoformat(),
            "time": _hm(minute), "number": cipher, "title_number": title_no if kind == "telegram" else None,
            "outgoing_number": out_text, "topic": topic, "layout": "compact" if compact else "blank",
            "cites": files, "citations": citations, "dangling": dangling,
            "summary_reply_to": summary_cites, "embedded": embedded_info,
        }
        return fn, text, truth

    def remember(self, rec: _Rec) -> None:
        self.window.append(rec)
        key = (rec.author, rec.addressee)
        q = self.pairs.get(key)
        if q is None:
            q = self.pairs[key] = deque(maxlen=PAIR_WINDOW)
        q.append(rec)
        k = (rec.author, rec.addressee, rec.day)
        self.per_day[k] = self.per_day.get(k, 0) + 1

    def transmission(self, day: date, minute: int, to_moscow: bool) -> str:
        r = self.rng
        arrive = minute + r.randint(20, 600)
        rday = day + timedelta(days=arrive // 1440)
        rmin = arrive % 1440
        k = r.randrange(7)
        if k == 4 and not to_moscow:
            k = 5
        if k == 0:
            return f"Received {rmin // 60} hours {rmin % 60} minutes {_dot4(rday)}"
        if k == 1:
            return f"Received {_hm(rmin)} {_dotmonth(rday)}"
        if k == 2:
            return f"Received on {_ampm(rmin)}, {_dmy(rday)}"
        if k == 3:
            return f"Sent on {_ampm(minute)}, {_dmy(day)}\nReceived on {_ampm(rmin)}, {_dmy(rday)}"
        if k == 4:
            h, m = divmod(minute, 60)
            rh, rm = divmod(rmin, 60)
            return (f"Sent by wire on {_us(day)} at {(h - 1) % 12 + 1}:{m:02d} {'a.m.' if h < 12 else 'p.m.'}\n"
                    f"Received in Moscow on {_us(rday)} at {(rh - 1) % 12 + 1}:{rm:02d} {'a.m.' if rh < 12 else 'p.m.'}")
        if k == 5:
            return f"Sent {_dot2(day)} {_hm(minute)} Received {rday.day}.{rday.month} {_hm(rmin)}"
        return f"Received {_hm(rmin)} {_roman2(rday)}"

    def embedded(self, src: str, dst: str, e_day: date, emin: int, e_out: int, q_open: str, q_close: str,
                 cite_outside: bool) -> list[str]:
        """A telegram quoted whole: salutation, numbered points, its own signature, number and date.

        With cite_outside, its first point cites a telegram of `dst` to `src`; only for pairs
        that never appear as pages, so that this citation surely points outside the collection."""
        r = self.rng
        S, D = _CAST[src], _CAST[dst]
        saved = self.day
        self.day = e_day
        paras = [f"{q_open}{_pick(r, D.salute)}"]
        points = r.randint(3, 5)
        pool = _THEME_POOLS[(_pick(r, ("ops", "ops", "air", "talks")), "ops")]
        deck: list = []
        for j in range(points):
            text = self.paragraph(deck, pool, r.randint(150, 350))
            if j == 0 and cite_outside and r.random() < 0.5:
                # cites a telegram that is not in the collection (the field commander's)
                text = f"I received your telegram of {_dmy(e_day - timedelta(days=1))}, 24:00. {text}"
            paras.append(f"{j + 1}. {text}")
        k = r.random()
        if k < 0.4:
            paras.append(f"{S.caps}, {_dmy(e_day)}\n{_hm(emin)}.{q_close}\nNo. {e_out}.")
        elif k < 0.7:
            paras.append(f"{S.caps} {_dot2(e_day)}{q_close}")
            paras[-1] += f"\nNo. {e_out}"
        else:
            paras.append(f"No. {e_out}\n{_dmy(e_day)}\n{S.caps}{q_close}")
        self.day = saved
        return paras

    def tail(self, A: _Person, B: _Person, kind: str, cyrillic: bool) -> list[str]:
        r = self.rng
        out = []
        same_line = r.random() < 0.3

        def add(label, value):
            if value is None:
                out.append(label)
            elif same_line and "\n" not in value:
                out.append(f"{label}: {value}" if not label.endswith(":") else f"{label} {value}")
            else:
                out.append(f"{label}\n{value}")

        empty = r.random() < 0.25  # tail with labels but no values, as in the first seed
        add("Author(s):", None if empty else A.tail)
        if r.random() < 0.7:
            add("Associated People & Organizations", None if empty else f"{B.tail}\n{_CAST['PENG'].tail}")
        if r.random() < 0.7:
            add("Associated Places", None if empty else _pick(r, ("China\nKorea (North)", "Russia (Federation)\nChina",
                                                                  "Korea (North)\nKorea (South)", "Beijing (China)")))
        if r.random() < 0.4:
            add("Associated Topics", None if empty else "Korean War, 1950-1953")
        out.append("Document Information")
        src, archive = _pick(r, _SOURCES)
        b = r.randint(1, 200)
        add("Source", None if empty else src.format(a=r.randint(300, 350), b=b, c=b + r.randint(1, 3)))
        if r.random() < 0.6:
            add("Original Archive", None if empty else archive)
        out.append("Rights")
        out.extend(_RIGHTS)
        if not empty:
            add("Original Uploaded Date", f"20{r.randint(11, 20)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}")
            add("Type", {"telegram": "Telegram", "letter": "Letter", "note": "Note",
                         "decision": "Telegram"}[kind])
            add("Language", "Russian" if cyrillic or r.random() < 0.8 else "Chinese")
            if r.random() < 0.95:
                add("Record ID", str(self.record_id))
        return out


# --------------------------------------------------------------------------
# public API


def generate_with_truth(count: int, seed: int = 1) -> Iterator[tuple[str, str, dict]]:
    """Yield (file_name, page_text, truth) for `count` synthetic pages, lazily.

    truth["cites"] lists the file names this page really cites (in order of first
    citation); truth["citations"] gives each citation's kind (your-date, your-date-time,
    your-number, your-plural, your-topic, my, third), its text as on the page (the first
    letter may be capitalised there) and the files it cites; truth["dangling"] lists
    citations of telegrams that are not in the collection; truth["embedded"] lists the
    quoted telegrams ("registered" ones can be cited by later pages, which then cite
    this page's file). Also: author, addressee, intermediary (cast keys such as
    "STALIN", "MAO"), date, time, number (header registry number), title_number,
    outgoing_number, type, topic, layout, record_id.
    """
    if count < 0:
        raise ValueError("count must be >= 0")
    g = _Generator(max(count, 1), seed)
    for i in range(count):
        yield g.page(i)


def generate(count: int, seed: int = 1) -> Iterator[tuple[str, str]]:
    """Yield (file_name, page_text) for `count` synthetic pages, lazily."""
    for fn, text, _ in generate_with_truth(count, seed):
        yield fn, text


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="Write synthetic archive telegram pages for benchmarks.")
    ap.add_argument("count", type=int, help="number of pages")
    ap.add_argument("outdir", help="directory to write syn_NNNNNN.txt files into (created)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--truth", metavar="FILE", help="also write the truth dicts as JSON lines to FILE")
    args = ap.parse_args(argv)
    if args.count < 0:
        ap.error("count must be >= 0")
    os.makedirs(args.outdir, exist_ok=True)
    t0 = time.perf_counter()
    n = size = 0
    with contextlib.ExitStack() as stack:
        tf = stack.enter_context(open(args.truth, "w", encoding="utf-8")) if args.truth else None
        for fn, text, truth in generate_with_truth(args.count, args.seed):
            with open(os.path.join(args.outdir, fn), "w", encoding="utf-8") as f:
                f.write(text)
            if tf is not None:
                tf.write(json.dumps(truth, ensure_ascii=False) + "\n")
            n += 1
            size += len(text)
    dt = time.perf_counter() - t0
    print(f"wrote {n} pages ({size / 1e6:.1f} M characters) to {args.outdir} in {dt:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
