#!/usr/bin/env python3
"""make_poles_pl.py — writes poles_pl.csv: the Poles of Memorial's Moscow list
(moscow_shot_1937_1941.csv, the rows whose BIO says "поляк" or "полька"),
their names spelled as a Polish list would spell them, for the linkage test:
imported beside the Memorial list, each row must link to its own Russian row
and to nothing else.

The Polish spelling is written here, independently of kartoteka's name
engine: the surname by the Polish transcription of Russian (NAMES.md, the
last column of the romanisation table: ш sz, ч cz, щ szcz, ж ż, х ch, ц c,
й j, я ja/ia, ю ju/iu, е e/ie, ы y, в w, л ł/l, -ский -ski, -цкий -cki,
-ая/-ская -a/-ska), the given name by the Polish form of the usual
Russified names (Иосиф Józef, Станислав Stanisław, Ян Jan ...), and the
father "s. Jana" from the patronymic (Янович → Jan → "s. Jana"). The year of
birth from "род. 1884". `truth` is the Memorial row's line in its file.

Run from this directory: python3 make_poles_pl.py
"""
import csv
import re

GIVEN = {
    "Станислав": ("Stanisław", "Stanisława"), "Иван": ("Jan", "Jana"),
    "Иосиф": ("Józef", "Józefa"), "Казимир": ("Kazimierz", "Kazimierza"),
    "Ян": ("Jan", "Jana"), "Антон": ("Antoni", "Antoniego"),
    "Александр": ("Aleksander", "Aleksandra"), "Владислав": ("Władysław", "Władysława"),
    "Франц": ("Franciszek", "Franciszka"), "Бронислав": ("Bronisław", "Bronisława"),
    "Владимир": ("Włodzimierz", "Włodzimierza"), "Феликс": ("Feliks", "Feliksa"),
    "Эдуард": ("Edward", "Edwarda"), "Петр": ("Piotr", "Piotra"),
    "Константин": ("Konstanty", "Konstantego"), "Стефан": ("Stefan", "Stefana"),
    "Николай": ("Mikołaj", "Mikołaja"), "Вацлав": ("Wacław", "Wacława"),
    "Сигизмунд": ("Zygmunt", "Zygmunta"), "Евгений": ("Eugeniusz", "Eugeniusza"),
    "Витольд": ("Witold", "Witolda"), "Мечислав": ("Mieczysław", "Mieczysława"),
    "Леон": ("Leon", "Leona"), "Павел": ("Paweł", "Pawła"), "Степан": ("Stefan", "Stefana"),
    "Роман": ("Roman", "Romana"), "Виктор": ("Wiktor", "Wiktora"),
    "Болеслав": ("Bolesław", "Bolesława"), "Генрих": ("Henryk", "Henryka"),
    "Андрей": ("Andrzej", "Andrzeja"), "Викентий": ("Wincenty", "Wincentego"),
    "Адольф": ("Adolf", "Adolfa"), "Эдмунд": ("Edmund", "Edmunda"),
    "Игнатий": ("Ignacy", "Ignacego"), "Георгий": ("Jerzy", "Jerzego"),
    "Вячеслав": ("Wiesław", "Wiesława"), "Тадеуш": ("Tadeusz", "Tadeusza"),
    "Адам": ("Adam", "Adama"), "Людвиг": ("Ludwik", "Ludwika"),
    "Михаил": ("Michał", "Michała"), "Юлиан": ("Julian", "Juliana"),
    "Яков": ("Jakub", "Jakuba"), "Карл": ("Karol", "Karola"),
    "Томаш": ("Tomasz", "Tomasza"), "Юзеф": ("Józef", "Józefa"),
    "Марьян": ("Marian", "Mariana"), "Мариан": ("Marian", "Mariana"),
    "Богдан": ("Bogdan", "Bogdana"), "Ромуальд": ("Romuald", "Romualda"),
    "Франциск": ("Franciszek", "Franciszka"), "Валентин": ("Walenty", "Walentego"),
    "Леонард": ("Leonard", "Leonarda"), "Эдвард": ("Edward", "Edwarda"),
    "Чеслав": ("Czesław", "Czesława"), "Збигнев": ("Zbigniew", "Zbigniewa"),
    "Зигмунд": ("Zygmunt", "Zygmunta"), "Генрик": ("Henryk", "Henryka"),
    "Войцех": ("Wojciech", "Wojciecha"), "Людвик": ("Ludwik", "Ludwika"),
    "Матвей": ("Maciej", "Macieja"), "Григорий": ("Grzegorz", "Grzegorza"),
    "Вильгельм": ("Wilhelm", "Wilhelma"), "Максимилиан": ("Maksymilian", "Maksymiliana"),
    "Янина": ("Janina", None), "Ядвига": ("Jadwiga", None), "Мария": ("Maria", None),
    "Елена": ("Helena", None), "Фелиция": ("Felicja", None), "Анна": ("Anna", None),
}

CONS = set("бвгджзйклмнпрстфхцчшщ")
VOWELS = set("аеёиоуыэюя")
ONE = {"а": "a", "б": "b", "в": "w", "г": "g", "д": "d", "з": "z", "и": "i", "й": "j",
       "к": "k", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
       "у": "u", "ф": "f", "х": "ch", "ц": "c", "ч": "cz", "ш": "sz", "щ": "szcz",
       "ж": "ż", "ы": "y", "э": "e", "ъ": ""}
SOFT = {"е": "ie", "ё": "io", "ю": "iu", "я": "ia"}
HARD = {"е": "je", "ё": "jo", "ю": "ju", "я": "ja"}


def transcribe(word):
    """A Russian word in the Polish transcription."""
    w = word.lower()
    for ru, pl in (("ский", "ski"), ("цкий", "cki"), ("ская", "ska"), ("цкая", "cka"),
                   ("ий", "i"), ("ый", "y")):
        if w.endswith(ru):
            return cap(transcribe_core(w[: -len(ru)]) + pl)
    return cap(transcribe_core(w))


def transcribe_core(w):
    out = []
    for i, c in enumerate(w):
        prev = w[i - 1] if i else ""
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c in SOFT:
            if prev in CONS and prev not in "жшчщц":
                out.append(SOFT[c] if prev != "л" else SOFT[c][1:])
            elif prev in "жшчщц":
                out.append(SOFT[c][1:])
            else:
                out.append(HARD[c])
        elif c == "л":
            out.append("l" if nxt in ("е", "ё", "ю", "я", "и", "ь") else "ł")
        elif c == "ь":
            if prev == "л":
                continue
            out.append("i" if nxt in VOWELS else "")
        elif c == "и" and prev in "жшц":
            out.append("y")
        elif c == "-":
            out.append("-")
        else:
            out.append(ONE.get(c, c))
    return "".join(out)


def cap(s):
    return "-".join(p[:1].upper() + p[1:] for p in s.split("-"))


def father_of(patronymic):
    """The father's Polish genitive from a patronymic, or ''."""
    m = re.match(r"(.+?)(ович|евич|ьевич|ич|овна|евна|ична)$", patronymic)
    if not m:
        return ""
    stem = m.group(1)
    for ru, (pl, gen) in GIVEN.items():
        if gen and (ru == stem or ru.rstrip("йь") == stem.rstrip("йь") or ru[:-1] == stem):
            return "s. " + gen
    return ""


def main():
    rows = list(csv.reader(open("moscow_shot_1937_1941.csv", encoding="utf-8")))
    with open("poles_pl.csv", "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["record_id", "surname", "given_names", "father_name", "birth_year",
                    "truth"])
        k = 0
        for line, row in enumerate(rows[1:], start=2):
            name, bio = row[2], row[3]
            if not re.search(r"\bпол(як|ька)\b", bio):
                continue
            parts = name.split()
            if len(parts) < 2:
                continue
            given = GIVEN.get(parts[1], (transcribe(parts[1]), None))[0]
            father = father_of(parts[2]) if len(parts) > 2 else ""
            year = re.search(r"род\. (\d{4})", bio)
            k += 1
            w.writerow([f"pl-{k}", transcribe(parts[0]), given, father,
                        year.group(1) if year else "", line])


main()
