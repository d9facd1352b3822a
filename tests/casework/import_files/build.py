"""Writes the realistic partner files of this folder (run it again after changing them):
`.venv/bin/python -m tests.casework.import_files.build`. Their expected outcomes are in
expected.json; tests/casework/importing/test_files.py checks each, and that no file in the
folder goes unchecked."""

from __future__ import annotations

import datetime
import io
from pathlib import Path

FOLDER = Path(__file__).resolve().parent

RU_HEADERS = [
    "№",
    "ФИО",
    "Дата рождения",
    "Статья",
    "Дата задержания",
    "Статус",
    "Мера пресечения",
    "Приговор",
    "Место содержания",
    "Регион",
    "Примечание",
]


def build_cp1251_csv() -> bytes:
    """What Russian Excel on Windows writes: cp1251, semicolons, a title row, blank rows,
    trailing spaces, mixed date forms, the seed person in Cyrillic, one person twice."""
    lines = [
        "Список политзаключенных на 01.03.2024;;;;;;;;;;",
        ";".join(RU_HEADERS),
        "1;Жумагулов Алмат ;1985;ст. 174 ч.1 УК РК;12.03.2021;в СИЗО ;;;СИЗО-1 Алматы;Алматы;",
        ";;;;;;;;;;",
        '2; Иванова  Мария Петровна;05/06/1990;ст.405;2022-01-15;осуждена;;7 лет;ИК-6;Алматы;=HYPERLINK("http://x")',
        "3;Серикбаев Нурлан;1978 г.р.;Art. 174(1), 405(2);44561;освобожден;;;;Шымкент;досрочно",
        '4;Иванова Мария Петровна;05/06/1990;ст.405;2022-01-15;осуждена;;7 лет;ИК-6;Алматы;=HYPERLINK("http://x")',
        "5;Ахметова Гульнара;;ст. 405 ч.2;01.02.2023;;под домашним арестом;;;Астана;",
        ";;;;;;;;;;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def build_messy_xlsx() -> bytes:
    """A hand-made Russian workbook: Excel date cells, a serial number typed as a number,
    the seed person in Cyrillic with a patronymic, a near-miss Latin spelling, a formula."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Лист1"
    sheet.append(["Политзаключенные Казахстана (партнер)"])
    sheet.append(
        [
            "ФИО",
            "Год рождения",
            "Статья",
            "Дата задержания",
            "Статус",
            "Приговор",
            "Регион",
            "Примечание ",
        ]
    )
    sheet.append(
        [
            "Жумагулов Алмат Серикович",
            1985,
            "ст. 174 ч.1 УК РК, ст.405",
            datetime.date(2021, 3, 12),
            "осужден",
            "5 лет",
            "Алматы",
            "проверено",
        ]
    )
    sheet.append(
        [
            "Кенжебаев Ерлан",
            1990,
            "ст.405 ч.2",
            datetime.date(2023, 5, 4),
            "в СИЗО",
            "",
            "Астана",
            "",
        ]
    )
    sheet.append([None])
    sheet.append(
        [
            "  Абдрахманова  Сауле ",
            "12.11.1969",
            "Art. 174(1)",
            45000,
            "в эмиграции",
            "",
            "Уральск",
            "=1+1",
        ]
    )
    sheet.append(["Tokayeva Dana", "", "", "", "unknown", "", "", ""])
    sheet.append(["Токаева Дана", 1993, "ст.405", datetime.date(2023, 10, 10), "", "", "", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_english_utf8_bom_csv() -> bytes:
    """English headers, UTF-8 with a byte-order mark (Excel's "CSV UTF-8"), commas; two rows
    carry mistakes the preview must name: an unknown status word and an impossible date."""
    text = (
        "Full name,Date of birth,Charges,Detained on,Status,Notes\r\n"
        "Nurlan Serikbayev,1978,Art. 174(1),2021-12-30,released,\r\n"
        "Dana Tokayeva,1992-02-29,Art. 405,31.02.2022,in pre-trial detention,\r\n"
        "Marat Kaliyev,1980,ст.405,15/07/2022,под наблюдением,\r\n"
    )
    return text.encode("utf-8-sig")


def build_utf16_tab_txt() -> bytes:
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated."""
    text = "ФИО\tСтатус\tСтатья\r\nОмаров Ержан\tв эмиграции\tст. 179 ч.2\r\n"
    return text.encode("utf-16")


def build_ods() -> bytes:
    import tablib

    data = tablib.Dataset(headers=["Full name", "Year of birth", "Status", "Article"])
    data.append(["Asel Nurpeisova", 1995, "house arrest", "Art. 274"])
    data.append(["Бекзат Мусин", 1988, "осужден", "ст.405"])
    return data.export("ods")


def build_statuses_cp1251_csv() -> bytes:
    """A hand-kept Russian list: abbreviated and combined headers ("Ф.И.О.", "г.р.",
    "Статья / обвинение", "Текущее положение", "Где содержится"), statuses as people write
    them (parole, wanted, exile and wanted, a suspended sentence, a fine, a pardon, a
    colony-settlement, a psychiatric hospital), placeholder cells, one detention place in
    three spellings, and dates known to the year or month only, or written out."""
    lines = [
        "№ п/п;Ф.И.О.;г.р.;Статья / обвинение;Дата задержания;Текущее положение;Где содержится;Примечание",
        "1;Абдрахманов Ерлан Маратович;1 сентября 1988;ст. 174 ч.1 УК РК;2018;освобожден по УДО;ИК-158/2;",
        "2;Сагынова Айгерим;сент. 1990;ст.405 ч.2;март 2019;освобождена по УДО;ИК 158/2;—",
        "3;Тлеуов Даулет;1985;ст. 174;12.05.2020;эмигрировал, в розыске;-;нет",
        "4;Жаксыбеков Нурлан;1979 г.р.;ч.2 ст.405 УК РК;05.01.2022;объявлен в розыск;n/a;",
        "5;Бекмухамбетова Салтанат;1992;—;2021;условный срок;неизвестно;",
        "6;Омарбеков Руслан;1983;ст. 274;15.07.2021;штраф;—;",
        "7;Искакова Гульмира;1975;ст.174;2017;помилована;учреждение ИК-158/2;",
        "8;Кудайбергенов Асет;1990;ст. 405 ч.1;10.10.2022;в колонии-поселении;ИК-158/2;",
        "9;Рахимова Жанар;1968;ст. 174;2020;в психиатрической больнице;нет;",
    ]
    return ("\r\n".join(lines) + "\r\n").encode("cp1251")


def build_kazakh_headers_xlsx() -> bytes:
    """Kazakh headers ("Аты-жөні", "Туған күні", "Мәртебесі" …), Kazakh status words and
    long-form Kazakh dates, and a region written three ways."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        ["Аты-жөні", "Туған күні", "Бабы", "Ұсталған күні", "Мәртебесі", "Ұстау орны", "Өңір"]
    )
    sheet.append(
        [
            "Нұрланов Бауыржан",
            "1 қыркүйек 1988",
            "174-бап",
            "12 наурыз 2021",
            "қамауда",
            "ТИ-1",
            "г. Уральск",
        ]
    )
    sheet.append(
        [
            "Серікова Әйгерім",
            "1991",
            "405-бап 2-бөлігі",
            "2020 жылғы 3 мамыр",
            "сотталды",
            "ТИ 1",
            "Уральск",
        ]
    )
    sheet.append(["Қайратұлы Дәурен", "1984", "174-бап", "2019", "босатылды", "—", "Uralsk"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def build_unknown_words_xlsx() -> bytes:
    """The messy Russian sheet of issue 13: a status word nothing knows ("под наблюдением",
    three rows), a column the app has no field for ("Контакты родственников"), and one row
    with an impossible date, all in an otherwise good file."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Список политзаключенных (партнер), обновлено вручную"])
    sheet.append(
        [
            "№",
            "ФИО",
            "Дата рожд.",
            "Статья",
            "Текущее положение",
            "Где содержится",
            "Контакты родственников",
        ]
    )
    rows = [
        ["Ермеков Данияр", 1987, "ст. 174 ч.1", "под наблюдением", "—", "сестра"],
        ["Есенова Мадина", 1993, "ст.405", "освобождена по УДО", "ИК-158/2", "мать"],
        ["Калиев Бахыт", 1981, "ст. 405 ч.2", "под наблюдением", "СИЗО-1 Алматы", "брат"],
        ["Мухамедиев Арман", "31.02.1985", "ст. 174", "в СИЗО", "СИЗО-1 Алматы", "жена"],
        ["Уразова Асель", 1996, "ст. 274", "Под наблюдением", "-", "отец"],
        ["Шарипов Тимур", 1975, "ст. 174 ч.2", "эмигрировал, в розыске", "нет", ""],
    ]
    for number, row in enumerate(rows, start=1):
        sheet.append([number, *row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


FILES = {
    "partner_ru_cp1251.csv": build_cp1251_csv,
    "partner_messy_ru.xlsx": build_messy_xlsx,
    "partner_en_utf8_bom_errors.csv": build_english_utf8_bom_csv,
    "partner_utf16.txt": build_utf16_tab_txt,
    "partner.ods": build_ods,
    "partner_statuses_ru_cp1251.csv": build_statuses_cp1251_csv,
    "partner_kazakh_headers.xlsx": build_kazakh_headers_xlsx,
    "partner_unknown_words.xlsx": build_unknown_words_xlsx,
}


def main() -> None:
    for name, build in FILES.items():
        (FOLDER / name).write_bytes(build())
        print("wrote", name)


if __name__ == "__main__":
    main()
