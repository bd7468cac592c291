"""Hostile git entries: nothing a repository holds runs on the host (a marker file every program it names
would create stays absent), the right commit's files are written byte for byte, and a repository that
points elsewhere is refused with one line."""
import os
import subprocess
from datetime import datetime

import pytest

from autograder.batch.checkout import COMMITTER_DATE, PUSH_RECORD, as_of
from autograder.grading.submission import MAX_SUBMISSION_BYTES
from tests.grader.conftest import stage_max

from .conftest import git, grade_all, read_csv, result

DEADLINE = datetime.fromisoformat("2026-03-01T12:00:00+00:00")
BEFORE, AFTER = "2026-02-20T10:00:00+00:00", "2026-03-02T10:00:00+00:00"
STAGE1 = f"{stage_max('stage1'):g}"
GATES = "def AND(x1, x2):\n    return 1  # $Format:%H$\n"


def make_repository(path, files, date=BEFORE):
    """A repository at `path` with `files` ({relative path: text}) committed at `date` -> the commit's sha."""
    for name, text in files.items():
        (path / name).parent.mkdir(parents=True, exist_ok=True)
        (path / name).write_text(text)
    git(path, "init", "-q")
    git(path, "add", "-A")
    git(path, "commit", "-qm", "work", date=date)
    return git(path, "rev-parse", "HEAD")


def arm(repository, marker):
    """Name a program that creates `marker` in every configuration key and hook that could start one."""
    run = f"touch {marker}; cat"
    hooks = repository / ".git" / "evil-hooks"
    hooks.mkdir()
    for hook in ("post-checkout", "pre-commit", "post-merge", "reference-transaction", "pre-auto-gc"):
        (hooks / hook).write_text(f"#!/bin/sh\ntouch {marker}\n")
        (hooks / hook).chmod(0o755)
    settings = {"filter.x.smudge": run, "filter.x.clean": run, "filter.x.process": run, "filter.x.required": "true",
                "diff.x.textconv": run, "core.fsmonitor": run, "core.hooksPath": str(hooks), "core.pager": run,
                "pager.ls-tree": run, "pager.rev-list": run, "core.sshCommand": run, "core.askPass": run,
                "credential.helper": f"!{run}", "core.alternateRefsCommand": run, "gc.auto": "1",
                "core.editor": run, "diff.external": run}
    for key, value in settings.items():
        git(repository, "config", key, value)


@pytest.fixture
def armed(tmp_path):
    """(entry, its commit, the marker path): attributes select the filter, textconv, export-subst and
    export-ignore for the graded module, and the repository's config names a program everywhere."""
    entry, marker = tmp_path / "class" / "alice", tmp_path / "ran-on-the-host"
    entry.mkdir(parents=True)
    commit = make_repository(entry, {
        ".gitattributes": "* filter=x diff=x\ndlscratch/gates.py export-subst export-ignore\n",
        "dlscratch/gates.py": GATES})
    arm(entry, marker)
    return entry, commit, marker


@pytest.mark.parametrize("deadline", [None, DEADLINE])
def test_nothing_the_repository_names_runs_and_the_blob_is_written_as_committed(armed, tmp_path, deadline):
    entry, commit, marker = armed
    path, when = as_of(entry, deadline, tmp_path / "scratch")
    assert not marker.exists()
    assert when.commit == commit and not when.problem
    assert (path / "dlscratch" / "gates.py").read_text() == GATES  # no export-subst, no export-ignore, no filter


def test_a_git_file_pointing_to_another_students_repository_is_refused(tmp_path):
    bob = tmp_path / "class" / "bob"
    bob.mkdir(parents=True)
    make_repository(bob, {"dlscratch/gates.py": GATES})
    alice = tmp_path / "class" / "alice"
    alice.mkdir()
    (alice / ".git").write_text("gitdir: ../bob/.git\n")
    path, when = as_of(alice, DEADLINE, tmp_path / "scratch")
    assert path is None and when.commit is None
    assert when.problem == ".git is a file pointing to another repository (gitdir:); submit the repository itself"


@pytest.mark.parametrize("plant, reason", [
    ("objects/info/alternates", "the repository borrows objects from another repository (objects/info/alternates); "
                                "submit a self-contained clone"),
    ("commondir", "the repository shares its data with another repository (commondir); submit a self-contained clone"),
    ("refs/heads/elsewhere", "`.git/refs/heads/elsewhere` is a symbolic link; submit a self-contained clone"),
])
def test_a_repository_reaching_outside_itself_is_refused(tmp_path, plant, reason):
    bob, alice = tmp_path / "class" / "bob", tmp_path / "class" / "alice"
    bob.mkdir(parents=True)
    alice.mkdir()
    make_repository(bob, {"dlscratch/gates.py": GATES})
    make_repository(alice, {"dlscratch/gates.py": "# alice's own\n"})
    target = alice / ".git" / plant
    if plant.startswith("refs/"):
        target.symlink_to(bob / ".git" / "refs" / "heads" / "master")
    else:
        target.write_text(str(bob / ".git" / ("objects" if "alternates" in plant else "")) + "\n")
    path, when = as_of(alice, DEADLINE, tmp_path / "scratch")
    assert (path, when.problem) == (None, reason)


def test_links_and_submodules_are_not_written_and_the_source_says_so(tmp_path):
    entry = tmp_path / "class" / "alice"
    (entry / "dlscratch").mkdir(parents=True)
    (entry / "dlscratch" / "gates.py").symlink_to("/etc/passwd")
    (entry / "@all`<b>\n# x").symlink_to("/etc/passwd")  # a name meant to mention, mark up and break lines
    make_repository(entry, {"dlscratch/layers.py": "x = 1\n"})
    sub = git(entry, "rev-parse", "HEAD")
    git(entry, "update-index", "--add", "--cacheinfo", f"160000,{sub},vendor")
    git(entry, "commit", "-qm", "submodule", date=BEFORE)
    path, when = as_of(entry, DEADLINE, tmp_path / "scratch")
    assert sorted(p.relative_to(path).as_posix() for p in path.rglob("*")) == ["dlscratch", "dlscratch/layers.py"]
    assert when.source.endswith("; not written: `@all'<b>\\n# x` (a symbolic link), `dlscratch/gates.py` "
                                "(a symbolic link), `vendor` (a submodule)")


def test_the_size_limit_holds_before_any_blob_is_read(tmp_path):
    entry = tmp_path / "class" / "alice"
    entry.mkdir(parents=True)
    with open(entry / "weights.bin", "wb") as big:
        big.truncate(MAX_SUBMISSION_BYTES + 1)
    commit = make_repository(entry, {"dlscratch/gates.py": GATES})
    path, when = as_of(entry, DEADLINE, tmp_path / "scratch")
    assert path is None and when.problem.startswith(f"commit {commit[:12]} holds more than")
    assert not (tmp_path / "scratch" / "as-of").exists()


def test_committer_dates_are_marked_as_the_students_and_a_snapshot_wins_over_them(tmp_path):
    # A commit pushed after the deadline but backdated: the committer date picks it, the push record does not.
    entry = tmp_path / "class" / "alice"
    entry.mkdir(parents=True)
    on_time = make_repository(entry, {"dlscratch/gates.py": "# on time\n"})
    (entry / "dlscratch" / "gates.py").write_text("# late, backdated\n")
    git(entry, "commit", "-qam", "late", date=BEFORE)
    backdated = git(entry, "rev-parse", "HEAD")
    _, when = as_of(entry, DEADLINE, tmp_path / "by-date")
    assert (when.commit, when.deadline_source) == (backdated, COMMITTER_DATE)
    path, when = as_of(entry, DEADLINE, tmp_path / "by-push", {"sha": on_time, "recorded_at": "2026-03-01T11:58:00Z"})
    assert (when.commit, when.later_commits, when.deadline_source) == (on_time, True, PUSH_RECORD)
    assert (path / "dlscratch" / "gates.py").read_text() == "# on time\n"
    path, when = as_of(entry, DEADLINE, tmp_path / "nothing", {"sha": "", "recorded_at": "2026-03-01T12:00:00Z"})
    assert (when.commit, sorted(path.iterdir())) == (None, [])


def test_git_never_sees_the_graders_own_configuration(tmp_path, monkeypatch):
    # A global config of the grading account (HOME) is not read either: the same commit whatever it says.
    entry = tmp_path / "class" / "alice"
    entry.mkdir(parents=True)
    commit = make_repository(entry, {".gitattributes": "* filter=x\n", "dlscratch/gates.py": GATES})
    home = tmp_path / "home"
    home.mkdir()
    (home / ".gitconfig").write_text(f"[filter \"x\"]\n\tsmudge = touch {tmp_path / 'ran'}; cat\n"
                                     f"[core]\n\tfsmonitor = touch {tmp_path / 'ran'}; cat\n")
    monkeypatch.setenv("HOME", str(home))
    os.remove(entry / "dlscratch" / "gates.py")  # graded from the commit, not the working copy
    path, when = as_of(entry, DEADLINE, tmp_path / "scratch")
    assert (when.commit, (path / "dlscratch" / "gates.py").read_text()) == (commit, GATES)
    assert not (tmp_path / "ran").exists()


@pytest.mark.slow
def test_grade_all_grades_an_armed_repository_and_scores_a_refused_one_zero(tmp_path, solved_package, manifest_file):
    root, marker = tmp_path / "class", tmp_path / "ran-on-the-host"
    alice = root / "alice"
    alice.mkdir(parents=True)
    make_repository(alice, {".gitattributes": "* filter=x diff=x export-ignore\n",
                            **{f"dlscratch/{path.name}": path.read_text() for path in solved_package.glob("*.py")}})
    arm(alice, marker)
    (root / "mallory").mkdir()
    (root / "mallory" / ".git").write_text("gitdir: ../alice/.git\n")
    completed = grade_all(root, "--output", tmp_path / "out", "--deadline", DEADLINE.isoformat(), "--stage", "1",
                          "--manifest", manifest_file, "--jobs", 1)
    assert completed.returncode == 0, completed.stderr[-3000:]
    assert not marker.exists()
    rows = {row["student"]: row for row in read_csv(tmp_path / "out" / "grades.csv")}
    assert (rows["alice"]["stage1"], rows["mallory"]["stage1"], rows["mallory"]["status"]) == (STAGE1, "0", "graded")
    outputs = {test["output"] for test in result(tmp_path / "out", "mallory")["tests"]}
    assert outputs == {".git is a file pointing to another repository (gitdir:); submit the repository itself"}


def test_a_missing_object_is_not_fetched_through_the_repositorys_remote(tmp_path):
    # A partial clone's promisor remote with its own upload-pack program: plain git runs it to fetch.
    entry, marker = tmp_path / "class" / "alice", tmp_path / "ran-on-the-host"
    entry.mkdir(parents=True)
    commit = make_repository(entry, {"dlscratch/gates.py": GATES})
    blob = git(entry, "rev-parse", "HEAD:dlscratch/gates.py")
    (entry / ".git" / "objects" / blob[:2] / blob[2:]).unlink()
    for key, value in {"core.repositoryformatversion": "1", "extensions.partialClone": "origin",
                       "remote.origin.promisor": "true", "remote.origin.url": str(entry),
                       "remote.origin.uploadpack": f"touch {marker}; git-upload-pack"}.items():
        git(entry, "config", key, value)
    path, when = as_of(entry, DEADLINE, tmp_path / "scratch")
    assert not marker.exists()
    assert (path, when.problem) == (
        None, f"commit {commit[:12]}: `dlscratch/gates.py` is missing from the repository (object {blob[:12]})")


def crafted_commit(entry, tree_lines):
    """HEAD of a new repository at `entry` -> a commit of a tree git itself would never write: `tree_lines`
    are mktree's input ("MODE TYPE {blob}\tNAME", {blob} a blob of "hi"; "{tree}" a tree holding it as x)."""
    git(entry, "init", "-q")
    blob = subprocess.run(["git", "-C", str(entry), "hash-object", "-w", "--stdin"], input="hi\n", text=True,
                          capture_output=True, check=True).stdout.strip()
    inner = subprocess.run(["git", "-C", str(entry), "mktree"], input=f"100644 blob {blob}\tx\n", text=True,
                           capture_output=True, check=True).stdout.strip()
    lines = "".join(line.format(blob=blob, tree=inner) + "\n" for line in tree_lines)
    tree = subprocess.run(["git", "-C", str(entry), "mktree"], input=lines, text=True, capture_output=True,
                          check=True).stdout.strip()
    commit = git(entry, "commit-tree", tree, "-m", "crafted", date=BEFORE)
    git(entry, "update-ref", "HEAD", commit)
    return commit


@pytest.mark.parametrize("tree_lines, reason", [
    (["100644 blob {blob}\t.."], " holds a path that cannot be written: `..`"),
    (["040000 tree {tree}\t.git"], " holds a path that cannot be written: `.git/x`"),
    (["040000 tree {tree}\t.GIT"], " holds a path that cannot be written: `.GIT/x`"),
    (["100644 blob {blob}\tx", "040000 tree {tree}\tx"], ": `x/x` could not be written (File exists)"),
])
def test_a_tree_git_would_never_write_is_refused(tmp_path, tree_lines, reason):
    entry = tmp_path / "class" / "alice"
    entry.mkdir(parents=True)
    commit = crafted_commit(entry, tree_lines)
    path, when = as_of(entry, DEADLINE, tmp_path / "scratch")
    assert (path, when.commit, when.problem) == (None, commit, f"commit {commit[:12]}{reason}")
    assert not (tmp_path / "x").exists() and not (tmp_path / "class" / "x").exists()
