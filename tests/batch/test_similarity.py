"""The similarity report: disguised copies are found, honest variants and the course's own code are not,
student text never crashes it nor escapes its code blocks, and it is the same after a merge of shards."""
import html
import json
import shutil

from autograder.batch import fingerprints, similarity, similarity_report, sources, store
from autograder.batch.outputs import write_class_files
from autograder.commands.merge import merge
from benchmarks.similarity_variants import VARIANTS
from course.student_package import exercise_functions, student_package_files

from .conftest import stage1_report

FUNCTION = "losses.cross_entropy_error"
ORIGINAL = VARIANTS[FUNCTION][0]
# ORIGINAL copied: every name renamed, reformatted and commented, operands of + and * swapped, a line added.
DISGUISED = '''def cross_entropy_error(probs, labels):

    probs = np.array(probs, dtype=float)   # float64
    labels = np.array(labels)
    debug = False
    if probs.ndim == 1:
        probs = probs[np.newaxis, :]; labels = labels[np.newaxis, ...]
    if labels.shape == probs.shape:
        idx = np.argmax(labels,
                        axis=1)
    else:
        idx = labels.reshape(-1)
    loss = 0.0
    for row in range(probs.shape[0]):
        loss -= np.log(1e-7 + probs[row, idx[row]])
    return float(loss / probs.shape[0])
'''


def reference(function):
    """The reference's source text of `function` ("module.qualname"), as the solved release has it."""
    module, _, name = function.partition(".")
    return fingerprints.function_sources(student_package_files(solved=True)[f"{module}.py"], [name])[name]


def one_function(**texts):
    """{student: {FUNCTION: text}}."""
    return {student: {FUNCTION: text} for student, text in texts.items()}


def test_a_renamed_and_reformatted_copy_is_flagged():
    [pair] = similarity.find_pairs(one_function(ann=ORIGINAL, bob=DISGUISED, cat=VARIANTS[FUNCTION][2]))
    assert (pair.function, pair.student_a, pair.student_b, pair.source_a, pair.source_b) == (
        FUNCTION, "ann", "bob", ORIGINAL, DISGUISED)
    assert similarity.THRESHOLD <= pair.score <= 1 and pair.shared >= similarity.MIN_FINGERPRINTS


def test_renaming_reformatting_and_swapping_operands_leave_the_fingerprints_alone():
    renamed = ORIGINAL.replace("total", "acc").replace("labels", "lab").replace("+ 1e-7", "+ 0.5")
    swapped = renamed.replace("y[i, lab[i]] + 0.5", "0.5 + y[i, lab[i]]")
    assert fingerprints.fingerprints(swapped) == fingerprints.fingerprints(ORIGINAL) != frozenset()


def test_honest_implementations_written_differently_are_not_flagged():
    for function, variants in VARIANTS.items():
        texts = {f"student{i}": {function: text} for i, text in enumerate(variants)}
        assert similarity.find_pairs(texts) == [], function


def test_the_stub_and_the_reference_are_common_ground(monkeypatch):
    # Two students who both submit the reference (or leave the stub) are not listed for it: the course gave
    # it to them. Every function, so that none is long enough to escape the common ground.
    stubs = student_package_files()
    texts = {"ref1": {}, "ref2": {}, "stub1": {}, "stub2": {}}
    for module, names in exercise_functions().items():
        stub = fingerprints.function_sources(stubs[f"{module}.py"], names)
        for name in names:
            function = f"{module}.{name}"
            texts["ref1"][function] = texts["ref2"][function] = reference(function)
            texts["stub1"][function] = texts["stub2"][function] = stub[name]
    assert similarity.find_pairs(texts) == []
    # Without the common ground the same two references are a pair.
    monkeypatch.setattr(similarity, "common_ground", lambda function, fingerprint: frozenset())
    assert [pair.student_a for pair in similarity.find_pairs(texts)][:1] == ["ref1"]


def test_text_that_does_not_parse_is_absent_and_never_a_crash(tmp_path):
    package = tmp_path / "repo" / "dlscratch"
    package.mkdir(parents=True)
    (package / "losses.py").write_text("def cross_entropy_error(y, t):\n    return (\n")
    (package / "activations.py").write_text("import numpy as np\n\ndef relu(x):\n    return np.maximum(0, x)\n")
    (package / "gates.py").write_bytes(b"def AND(x1, x2):\n    return '\xff'\n")  # not UTF-8
    (package / "entropy.py").write_text("x = " + "(" * 400 + "1" + ")" * 400 + "\n")
    (package / "gradients.py").write_text("def numerical_diff(f, x):\n    return " + "-" * 100_000 + "1\n")
    found = sources.collect(tmp_path / "repo", tmp_path / "scratch")
    assert sorted(found) == ["activations.relu", "gates.AND"]
    # Parses, but is deeper than a walk of the tree may recurse: no fingerprints, no crash.
    nested = "def f(x):\n    return " + "x + " * 900 + "x\n"
    assert fingerprints.fingerprints(nested) == frozenset()
    texts = one_function(ann=ORIGINAL, bob="def cross_entropy_error(y, t):\n    return (\n", cat=nested)
    assert similarity.find_pairs(texts) == []


def test_student_names_and_sources_render_as_text(tmp_path):
    hostile = "eve|<img src=x>[a](x)"
    source = DISGUISED.replace("debug = False", 'debug = """\n````\n# not a heading\n"""')
    report = similarity_report.render(similarity.find_pairs(one_function(ann=ORIGINAL, **{hostile: source})),
                                      ["ann", hostile])
    assert "<img" not in report and "[a](" not in report
    assert r"## losses.cross\_entropy\_error: ann and eve\|&lt;img src=x&gt;\[a\](x)" in report
    assert f"`````python\n{source.rstrip()}\n`````" in report  # the fence is longer than the source's ````
    assert "never a score" in report


def _class_folder(output, students):
    """An output folder of `students` {name: (score, {function: text})}: results and stored sources."""
    for student, (score, held) in students.items():
        store.save(output, student, stage1_report(score), {"key": {}, "source": "", "duration": 1.0})
        sources.save(output, student, held)
    return output


def test_merged_shards_give_the_one_run_report_and_no_score_changes(tmp_path):
    students = {"ann": (10, {FUNCTION: ORIGINAL}), "bob": (0, {FUNCTION: DISGUISED}),
                "cat": (10, {FUNCTION: VARIANTS[FUNCTION][1]})}
    one = _class_folder(tmp_path / "one", students)
    write_class_files(one, {}, "hw")
    shard1 = _class_folder(tmp_path / "shard1", {"ann": students["ann"]})
    shard2 = _class_folder(tmp_path / "shard2", {name: students[name] for name in ("bob", "cat")})
    merge([shard1, shard2], tmp_path / "merged")
    write_class_files(tmp_path / "merged", {}, "hw")
    for name in ("similarity.md", "grades.csv", "report/index.html"):
        assert (tmp_path / "merged" / name).read_bytes() == (one / name).read_bytes(), name
    assert "1 pairs of functions listed, over 3 submissions." in (one / "similarity.md").read_text()
    # The class page shows the pair, its two functions side by side.
    page = (one / "report" / "index.html").read_text()
    similar = page[page.index("<h2>Similar code</h2>"):]
    assert f"<code>{FUNCTION}</code>: ann and bob" in similar
    assert similar.count("<pre>") == 2 and html.escape(ORIGINAL.strip()) in similar
    # The same class without any stored sources: the same grades.csv, byte for byte.
    shutil.rmtree(one / sources.SOURCES)
    grades = (one / "grades.csv").read_bytes()
    write_class_files(one, {}, "hw")
    assert (one / "grades.csv").read_bytes() == grades
    assert "0 pairs of functions listed" in (one / "similarity.md").read_text()


def test_grade_all_stores_each_submissions_exercise_functions(class_run):
    # The class of tests/batch/conftest.py: "good" is the reference, "partial" the stubs with gates solved,
    # "hostile" exits in gates.py (no function of it), "empty" has nothing.
    stored = {path.stem: json.loads(path.read_text()) for path in (class_run / sources.SOURCES).glob("*.json")}
    assert sorted(stored) == sorted(path.stem for path in (class_run / store.RESULTS).glob("*.json"))
    every = similarity.class_functions()
    assert sorted(stored["good"]) == sorted(every) and stored["empty"] == {}
    assert stored["good"][FUNCTION] == reference(FUNCTION)
    assert stored["partial"]["gates.AND"] == reference("gates.AND")
    assert sorted(stored["hostile"]) == sorted(name for name in every if not name.startswith("gates."))
    assert "0 pairs of functions listed, over 8 submissions." in (class_run / "similarity.md").read_text()
