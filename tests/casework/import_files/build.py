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


FILES = {
    "partner_ru_cp1251.csv": build_cp1251_csv,
    "partner_messy_ru.xlsx": build_messy_xlsx,
    "partner_en_utf8_bom_errors.csv": build_english_utf8_bom_csv,
    "partner_utf16.txt": build_utf16_tab_txt,
    "partner.ods": build_ods,
}


def main() -> None:
    for name, build in FILES.items():
        (FOLDER / name).write_bytes(build())
        print("wrote", name)


if __name__ == "__main__":
    main()
