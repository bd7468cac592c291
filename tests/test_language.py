"""The course in more than one language: the catalogues (complete, placeholders kept, up to date), the
language a process speaks (DLSCRATCH_LANG over the release's), stubs recognised in every language, the
catalogue a release ships, and `release --lang`."""
import re
import string

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from autograder.release import catalogue as catalogues
from autograder.release.write import released_language, ships
from course import language
from course.names import stub_function, stub_message
from course.paths import REPO_ROOT
from course.usage import UsageError
from course_feedback.code_error import not_implemented_line

from .conftest import release_in


def _fields(text):
    """The named placeholders of `text`, each once: a translation may say a name twice."""
    return sorted({field for _text, field, _spec, _conversion in string.Formatter().parse(text) if field is not None})


def catalogue_problems(catalogue):
    """One line per entry of `catalogue` that is untranslated, fuzzy, or whose named placeholders differ from
    its msgid's."""
    problems = []
    for message in catalogue:
        if not message.id:
            continue
        if not message.string or message.fuzzy:
            problems.append(f"{message.id!r}: {'fuzzy' if message.fuzzy else 'not translated'}")
        elif _fields(message.string) != _fields(message.id):
            problems.append(f"{message.id!r}: placeholders {_fields(message.string)}, expected {_fields(message.id)}")
    return problems


@pytest.mark.parametrize("lang", catalogues.translated_languages())
def test_every_message_has_a_translation_with_the_same_placeholders(lang):
    with open(catalogues.po_path(lang), "rb") as handle:
        catalogue = read_po(handle, locale=lang)
    assert len(catalogue) > 100
    assert catalogue_problems(catalogue) == []


def test_a_translation_that_drops_or_renames_a_placeholder_is_found():
    catalogue = Catalog(locale="zh")
    catalogue.add("{what}: wrong shape {shape}", "{what}：形状错误")
    catalogue.add("{what}: wrong values", "{function}：数值错误")
    catalogue.add("wrong value", "")
    catalogue.add("wrong output", "输出错误", flags=["fuzzy"])
    catalogue.add("wrong result", "结果错误")
    assert [problem.split(":")[0] for problem in catalogue_problems(catalogue)] == [
        "'{what}", "'{what}", "'wrong value'", "'wrong output'"]


def test_the_catalogues_are_up_to_date_with_the_sources():
    # `python -m autograder stubs` rewrites them; its --check (and tests/test_stubs.py) fail while they differ.
    assert catalogues.stale_catalogue_files() == []


def test_a_catalogue_holds_no_date_and_no_babel_version():
    text = catalogues.po_path("zh").read_text(encoding="utf-8")
    assert "Generated-By" not in text and "Babel" not in text
    assert catalogues.mo_bytes(catalogues.updated_catalogue("zh")) == catalogues.mo_path("zh").read_bytes()


def test_a_new_message_is_added_and_translations_are_kept(monkeypatch, tmp_path):
    po = tmp_path / "dlscratch.po"
    old = Catalog(locale="zh")
    old.add("wrong values", "数值错误")
    old.add("a message nothing uses any more", "没有人用的消息")
    with open(po, "wb") as handle:
        write_po(handle, old)
    monkeypatch.setattr(catalogues, "po_path", lambda _lang: po)
    updated = catalogues.updated_catalogue("zh")
    assert updated["wrong values"].string == "数值错误"
    assert not updated["{function} is not implemented yet"].string
    assert "a message nothing uses any more" not in catalogues.po_text(updated)


def test_dlscratch_lang_overrides_the_release_language(monkeypatch, tmp_path, capsys):
    release_file = tmp_path / "release_language"
    release_file.write_text("zh\n")
    monkeypatch.setattr(language, "RELEASE_LANGUAGE_FILE", release_file)
    monkeypatch.delenv(language.LANGUAGE_ENV, raising=False)
    assert language.current_language() == "zh"
    assert not_implemented_line("softmax", "") == "softmax 尚未实现"
    monkeypatch.setenv(language.LANGUAGE_ENV, "en")
    assert language.current_language() == "en"
    assert not_implemented_line("softmax", "") == "softmax is not implemented yet"
    monkeypatch.setenv(language.LANGUAGE_ENV, "klingon")
    assert language.current_language() == "zh"
    assert capsys.readouterr().err == "DLSCRATCH_LANG=klingon: not one of en, zh; using zh\n"


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_a_stub_is_recognised_in_every_language(lang, monkeypatch):
    message = stub_message(4, "Affine.backward", lang)
    assert stub_function(message) == "Affine.backward"
    monkeypatch.setenv(language.LANGUAGE_ENV, "en")
    assert not_implemented_line("TwoLayerNet.gradient", message) == "Affine.backward is not implemented yet"
    assert stub_function("Stage 4: something else") is None


def test_the_chinese_stub_message():
    assert stub_message(4, "Affine.backward", "zh") == "第 4 阶段：请实现 Affine.backward"
    assert stub_message(4, "Affine.backward", "en") == "Stage 4: implement Affine.backward"


def test_only_shipped_code_s_messages_ship(monkeypatch, tmp_path):
    assert ships("course_feedback/checks.py") and ships("assignments/stage2_neuralnet/test_activations.py")
    assert ships("course/names.py") and ships("autograder/templates/student_check.py")
    assert not ships("autograder/hidden/test_stage2.py") and not ships("autograder/grading/plugin.py")
    assert not ships("course/rubric.py") and not ships("assignments/dlscratch_other/x.py")
    po = tmp_path / "dlscratch.po"
    planted = Catalog(locale="zh")
    planted.add("{function}: wrong values", "{function}：数值错误", locations=[("course_feedback/checks.py", None)])
    planted.add("the hidden input was {x}", "隐藏输入是 {x}", locations=[("autograder/hidden/test_stage2.py", None)])
    with open(po, "wb") as handle:
        write_po(handle, planted)
    monkeypatch.setattr(catalogues, "po_path", lambda _lang: po)
    assert [message.id for message in catalogues.shipped_catalogue("zh", ships) if message.id] == [
        "{function}: wrong values"]


def _shipped_ids(release_dir, lang):
    from babel.messages.mofile import read_mo
    with open(release_dir / "course" / "locale" / lang / "LC_MESSAGES" / "dlscratch.mo", "rb") as handle:
        return {message.id for message in read_mo(handle) if message.id}


@pytest.mark.slow
def test_an_english_release_ships_the_catalogues_of_its_code(stub_release):
    assert (stub_release / "course" / "release_language").read_text() == "en\n"
    assert (stub_release / "course" / "language.py").is_file()
    with open(catalogues.po_path("zh"), "rb") as handle:
        expected = {message.id for message in read_po(handle)
                    if message.id and any(ships(path) for path, _line in message.locations)}
    assert _shipped_ids(stub_release, "zh") == expected


def test_a_release_in_a_language_without_notebooks_refuses_in_one_line(tmp_path, monkeypatch):
    # A checkout where `stubs` has not rendered a new language's notebooks yet.
    from autograder.release import write
    from autograder.release.write import release
    monkeypatch.setattr(write, "student_notebooks_dir", lambda lang: REPO_ROOT / "assignments" / f"notebooks-{lang}-absent")
    with pytest.raises(UsageError) as refused:
        release(tmp_path / "repo", language="zh")
    assert str(refused.value).startswith("release --lang zh: assignments/notebooks-zh-absent/ does not exist yet")
    assert "\n" not in str(refused.value) and not (tmp_path / "repo").exists()


@pytest.mark.slow
def test_update_keeps_the_release_language_unless_told(tmp_path):
    dest = tmp_path / "repo"
    release_in("zh", dest)
    assert released_language(dest) == "zh"
    assert "第 1 阶段：请实现 AND" in (dest / "dlscratch" / "gates.py").read_text(encoding="utf-8")
    release_in(None, dest, update=True)
    assert released_language(dest) == "zh"
    release_in("en", dest, update=True)
    assert released_language(dest) == "en"
    assert "Stage 1: implement AND" in (dest / "dlscratch" / "gates.py").read_text(encoding="utf-8")


def test_the_two_readme_templates_have_the_same_placeholders_and_sections():
    from autograder.release.write import student_readme_template
    texts = {lang: student_readme_template(lang).read_text(encoding="utf-8") for lang in language.LANGUAGES}

    def shape(text):
        lines = text.splitlines()
        return (tuple(sorted(set(re.findall(r"\{\{(\w+)\}\}", text)))), sum(line.startswith("## ") for line in lines),
                sum(line.startswith("```") for line in lines))

    assert len({shape(text) for text in texts.values()}) == 1, {lang: shape(text) for lang, text in texts.items()}
    assert REPO_ROOT / "autograder" / "templates" / "student_README.md" == student_readme_template("en")


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_the_line_that_explains_a_loss_is_found_in_every_language(lang, monkeypatch):
    # A report is read back (the class page's reasons) whatever language wrote it.
    from course_feedback.failure import CARRIED_FORWARD, HINT_LINE, LIKELY_CAUSE
    from course_points.verdict import Verdict
    monkeypatch.setenv(language.LANGUAGE_ENV, lang)
    hint = language._(HINT_LINE).format(hint="axis=-1")
    cause = language._(LIKELY_CAUSE).format(function="softmax", problem="wrong values")
    carried = language._(CARRIED_FORWARD).format(functions="softmax", kept="75%")
    verdict = Verdict("test_predict", "stage2", 1.0, feedback=f"predict: wrong values\n{hint}\n{cause}")
    assert verdict.reason == f"predict: wrong values ({cause})"
    verdict = Verdict("test_predict", "stage2", 1.0, feedback=f"predict: wrong values\n{hint}\n{cause}\n{carried}")
    assert verdict.reason.endswith(f"({carried})")


@pytest.mark.parametrize("lang", language.LANGUAGES)
def test_where_the_workers_exception_was_raised_is_worded_in_the_grades_language(lang, monkeypatch):
    # The sandboxed worker says "activations.py:41 in softmax" whatever the language; the grade rewords it
    # as the public tests word their own traceback.
    from autograder.grading.errors import StudentCodeError
    from course_feedback.code_error import where_line
    monkeypatch.setenv(language.LANGUAGE_ENV, lang)
    reply = {"type": "ValueError", "message": "bad shapes", "where": "activations.py:41 in softmax"}
    summary = StudentCodeError.from_reply(reply, "softmax").summary
    assert where_line("activations.py", 41, "softmax") in summary
    assert ("activations.py:41 in softmax" in summary) == (lang == "en")
    odd = StudentCodeError.from_reply({**reply, "where": "no place at all"}, "softmax").summary
    assert "no place at all" in odd


def test_a_hint_given_as_a_message_constant_is_worded_in_the_current_language(monkeypatch):
    from course_feedback.diagnoses import SOFTMAX_AXIS_HINT
    from course_feedback.failure import GradingFailure
    monkeypatch.setenv(language.LANGUAGE_ENV, "zh")
    assert GradingFailure("softmax: wrong values", hint=SOFTMAX_AXIS_HINT).hint == language._(SOFTMAX_AXIS_HINT)
    assert language._(SOFTMAX_AXIS_HINT) != SOFTMAX_AXIS_HINT
    assert GradingFailure("x", hint="a hint of its own").hint == "a hint of its own"
