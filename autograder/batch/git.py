"""Git on a student's repository, hardened once for every caller: nothing from the entry runs on the host.

Only plumbing that applies no filter, attribute, textconv or hook is used (rev-parse, rev-list, ls-tree,
cat-file --batch), with the repository named explicitly (GIT_DIR: no discovery, no safe.directory needed),
a clean environment (no system or global config, an empty HOME, no replace refs or grafts, no network),
and command-line overrides for the keys that could run a program. A repository that points outside itself
(a `.git` file, alternates, commondir, a symbolic link) is refused before git ever reads it.
"""
import os
import subprocess
import tempfile
from pathlib import Path

GIT_TIMEOUT = 120
MAX_GIT_DIR_ENTRIES = 200_000
# Configuration given on the command line wins over the repository's own; each of these could start a
# program or reach the network in some command, so none is left to the repository even where unused.
OVERRIDES = ("core.hooksPath=/dev/null", "core.fsmonitor=false", "core.pager=cat", "core.sshCommand=false",
             "core.useReplaceRefs=false", "core.attributesFile=/dev/null", "protocol.allow=never",
             "credential.helper=", "diff.external=false")
# Files through which a repository would read objects or refs from elsewhere.
REFUSED = {"objects/info/alternates": "borrows objects from another repository (objects/info/alternates)",
           "objects/info/http-alternates": "borrows objects from another repository (objects/info/http-alternates)",
           "commondir": "shares its data with another repository (commondir)"}


class Refused(Exception):
    """The repository cannot be graded, by its own doing; one line for the report (the student's, scored 0)."""


class GitUnavailable(Exception):
    """git itself could not be run on this machine; one line (the grader's fault: a grader-error)."""


def is_git_repository(path):
    """Whether `path` is a folder with a `.git` entry of any kind (folder, file or link: the last two are refused)."""
    return Path(path).is_dir() and os.path.lexists(Path(path) / ".git")


def shown(raw):
    """A path of the student's (bytes or str) as the feedback shows it: escaped, at most 100 characters, in
    a code span (no markdown, HTML or @mention of the student's making reaches a report or a commit comment)."""
    text = repr(os.fsdecode(raw))[1:-1].replace("`", "'")
    return f"`{text[:100]}`"


def refusal(entry):
    """Why the repository in `entry` must not be read (a sentence), or "" when it is self-contained."""
    git_dir = Path(entry) / ".git"
    if git_dir.is_symlink():
        return ".git is a symbolic link; submit the repository itself"
    if not git_dir.is_dir():
        return ".git is a file pointing to another repository (gitdir:); submit the repository itself"
    for name, reason in REFUSED.items():
        if os.path.lexists(git_dir / name):
            return f"the repository {reason}; submit a self-contained clone"
    seen = 0
    for folder, folders, files in os.walk(git_dir):
        for name in folders + files:
            seen += 1
            if seen > MAX_GIT_DIR_ENTRIES:
                return f".git holds more than {MAX_GIT_DIR_ENTRIES} files; submit a packed clone"
            if os.path.islink(os.path.join(folder, name)):
                where = Path(folder, name).relative_to(git_dir).as_posix()
                return f"{shown(f'.git/{where}')} is a symbolic link; submit a self-contained clone"
    return ""


class Repository:
    """The git directory of a checked entry, read with hardened plumbing. Use as a context manager: it owns
    the empty HOME git runs with."""

    def __init__(self, entry):
        problem = refusal(entry)
        if problem:
            raise Refused(problem)
        self.git_dir = (Path(entry) / ".git").resolve()
        self.home = None

    def __enter__(self):
        self.home = tempfile.TemporaryDirectory(prefix="dlscratch-git-home-")
        return self

    def __exit__(self, *exc):
        self.home.cleanup()

    def environment(self):
        """The whole environment git runs with: nothing of the grader's or the student's configuration."""
        home = self.home.name
        return {"PATH": os.environ.get("PATH", os.defpath), "HOME": home, "XDG_CONFIG_HOME": home,
                "LC_ALL": "C", "GIT_DIR": str(self.git_dir), "GIT_CONFIG_NOSYSTEM": "1",
                "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ATTR_NOSYSTEM": "1", "GIT_NO_REPLACE_OBJECTS": "1",
                "GIT_GRAFT_FILE": os.devnull, "GIT_TERMINAL_PROMPT": "0", "GIT_NO_LAZY_FETCH": "1",
                "GIT_OPTIONAL_LOCKS": "0", "GIT_PAGER": "cat"}

    def command(self, *args):
        """The argv of `git ARGS` with the overrides."""
        overrides = [part for setting in OVERRIDES for part in ("-c", setting)]
        return ["git", *overrides, *args]

    def run(self, *args):
        """stdout (bytes) of `git ARGS`. Refused when git fails on the repository; GitUnavailable when git
        cannot be run at all."""
        try:
            result = subprocess.run(self.command(*args), capture_output=True, timeout=GIT_TIMEOUT,
                                    stdin=subprocess.DEVNULL, env=self.environment(), cwd=self.home.name)
        except subprocess.TimeoutExpired:
            raise Refused(f"git {args[0]} took more than {GIT_TIMEOUT} s on the repository") from None
        except OSError as error:
            raise GitUnavailable(f"git could not be run: {error}") from None
        if result.returncode != 0:
            raise Refused(f"git {args[0]} failed on the repository: {last_line(result.stderr)}")
        return result.stdout

    def popen(self, *args):
        """A running `git ARGS` with pipes on stdin and stdout (stderr discarded)."""
        try:
            return subprocess.Popen(self.command(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                    stderr=subprocess.DEVNULL, env=self.environment(), cwd=self.home.name)
        except OSError as error:
            raise GitUnavailable(f"git could not be run: {error}") from None

    def commit_of(self, revision):
        """The full sha of the commit `revision` names, or None when there is none."""
        try:
            found = self.run("rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}")
        except Refused:
            return None
        return found.decode().strip()


def last_line(stderr):
    """git's last line of error output, for a one-line reason."""
    return (stderr.decode(errors="replace").strip().splitlines() or ["no output"])[-1]
