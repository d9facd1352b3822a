"""The stylesheets draw no words of their own: a word in a CSS `content` would be English on
every Russian and Kazakh page. Text a stylesheet shows comes from the page (`attr()`), where
the template translates it."""

from __future__ import annotations

import re
from pathlib import Path

STATIC = Path(__file__).resolve().parents[1] / "static"
# content: "…" holding a letter of any script (symbols, digits and punctuation are fine).
WORDS_DRAWN = re.compile(r"""content:\s*(?:[^;{}]*?)(["'])((?:(?!\1).)*[^\W\d_](?:(?!\1).)*)\1""")


def test_no_stylesheet_draws_a_word_of_its_own():
    drawn = [
        f"{path.relative_to(STATIC)}:{number}: {match.group(2)!r}"
        for path in sorted(STATIC.rglob("*.css"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in WORDS_DRAWN.finditer(line)
    ]
    assert not drawn, "Words in CSS content (move them into the page, translated):\n" + "\n".join(
        drawn
    )


def test_the_check_finds_a_word_in_content():
    assert WORDS_DRAWN.search('a::before { content: "Sort by"; }')
    assert WORDS_DRAWN.search("a::before { content: attr(x) 'Сортировать'; }")
    assert not WORDS_DRAWN.search('a::before { content: attr(data-label) ": "; }')
    assert not WORDS_DRAWN.search('a::before { content: "⚠ "; }')
    assert not WORDS_DRAWN.search('a::before { content: counter(step) ". "; }')
