"""CSV cells a person opens in a spreadsheet: text that a spreadsheet would run as a formula is neutralised.

Roster fields and student names are anyone's text; a cell starting with `=`, `+`, `-` or `@` (or their
full-width forms, which some spreadsheets read alike), a tab or a line break is a formula or DDE call to
Excel, LibreOffice and Google Sheets. As OWASP's CSV-injection advice says, such a cell gets a leading `'`,
which spreadsheets show as text. A number stays a number: `-2.5` is a score, not a formula.
"""
import csv
import io
import re

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
NUMBER = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def safe_cell(value):
    """One CSV cell as text: numbers as they are, text that would start a formula with a `'` before it."""
    text = "" if value is None else str(value)
    if text.startswith(FORMULA_STARTS) and not NUMBER.fullmatch(text):
        return "'" + text
    return text


def plain_cell(text):
    """safe_cell undone, for a CSV the grader reads back (a cell that was text starting with `'` and a
    formula character reads as that formula's text: no name or sha the grader writes starts so)."""
    return text[1:] if text.startswith("'") and safe_cell(text[1:]) == text else text


def csv_text(rows):
    """The CSV of `rows` (lists of cells), every cell through safe_cell: what every CSV a person may open
    is written with."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([safe_cell(cell) for cell in row] for row in rows)
    return buffer.getvalue()
