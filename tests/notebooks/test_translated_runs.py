"""The translated notebooks of the first stages grade as the English ones do: under nbgrader their solved and
released submissions get the English points, and the solved one runs top to bottom drawing the English plots."""
import nbformat
import pytest

from autograder.jupyter.roundtrip import RELEASED, SOLVED

from .helpers import TRANSLATED_RUNS, TRANSLATIONS, plot_outputs

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("stage", TRANSLATED_RUNS, ids=lambda stage: stage.name)
def test_nbgrader_gives_a_translation_the_english_points(course, translated_courses, stage, language):
    english, translated = course[1][stage.name], translated_courses[language][1][stage.name]
    for student in (SOLVED, RELEASED):
        assert (translated[student].score, translated[student].max_score) == \
               (english[student].score, english[student].max_score), student
    assert translated[SOLVED].score == translated[SOLVED].max_score > translated[RELEASED].score == 0


@pytest.mark.parametrize("language", TRANSLATIONS)
@pytest.mark.parametrize("stage", TRANSLATED_RUNS, ids=lambda stage: stage.name)
def test_a_solved_translation_runs_and_draws_the_english_plots(course, translated_courses, stage, language):
    english, translated = (nbformat.read(outcomes[stage.name][SOLVED].autograded, as_version=4)
                           for outcomes in (course[1], translated_courses[language][1]))
    errors = [output for cell in translated.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors, errors[:1]
    assert all(cell.get("execution_count") for cell in translated.cells if cell.cell_type == "code")
    drawn = [(index, len(images)) for index, images in plot_outputs(translated)]
    assert drawn and drawn == [(index, len(images)) for index, images in plot_outputs(english)]
