"""The options that decide how submissions are graded, as one object: `grade` reads them from its command
line, `grade-all` too, and sends them to its jobs as JSON, so a batch grades exactly as `grade` does.
"""
from dataclasses import asdict, dataclass, field, fields

from course.language import LANGUAGE_ENV, LANGUAGES, current_language
from course.stages import stage_argument
from course.usage import argument_type

from ..sandbox.isolation import DEFAULT_TIERS, parse_tiers, probe
from ..sandbox.launcher import Limits
from .session import Settings


@dataclass(frozen=True)
class GradeOptions:
    """`stage`: the stage names graded (a tuple; None: every stage); `timeout`: seconds per call for every
    stage (None: each stage's own); `function_budget`, `grade_budget`: seconds (grading.session.Settings);
    `memory_mb`, `cpu_seconds`: one worker's limits; `isolation`: the accepted tiers, strongest first;
    `language`: the language of the feedback (course.language.LANGUAGES; default DLSCRATCH_LANG, else en),
    which moves no score but is part of a stored result's key, so a class graded again in another language
    is graded again, not reused."""

    stage: tuple | None = None
    timeout: float | None = None
    function_budget: float = Settings.function_budget
    grade_budget: float = Settings.grade_budget
    memory_mb: int = Limits.memory_bytes >> 20
    cpu_seconds: int = Limits.cpu_seconds
    isolation: tuple = DEFAULT_TIERS
    language: str = field(default_factory=current_language)

    @classmethod
    def from_args(cls, args):
        """The options add_arguments added, as `args` (an argparse.Namespace) has them."""
        return cls.from_json({option.name: getattr(args, option.name) for option in fields(cls)})

    @classmethod
    def from_json(cls, data):
        """The options of to_json's `data` (a dict in JSON's types)."""
        stage, isolation = data["stage"], data["isolation"]
        return cls(**{**data, "stage": None if stage is None else tuple(stage), "isolation": tuple(isolation)})

    def to_json(self):
        """{option: value} in JSON's types (lists for tuples): what a job receives and a stored result's key
        is compared with."""
        return {name: list(value) if isinstance(value, tuple) else value for name, value in asdict(self).items()}

    def settings(self):
        """grading.session.Settings of these options, the isolation tier probed on this machine."""
        limits = Limits(memory_bytes=self.memory_mb << 20, cpu_seconds=self.cpu_seconds)
        return Settings(isolation=probe(self.isolation), limits=limits, call_timeout=self.timeout,
                        function_budget=self.function_budget, grade_budget=self.grade_budget)


def _stage(text):
    return stage_argument(text).name


def add_arguments(parser):
    """GradeOptions' command-line options, with its defaults (shared by grade and grade-all)."""
    defaults = GradeOptions()
    parser.add_argument("--stage", action="append", type=_stage, metavar="NAME",
                        help="grade only this stage, by name or number (stage2 or 2; repeatable; default: every stage)")
    parser.add_argument("--timeout", type=float, metavar="S",
                        help="seconds per call, for every stage (default: each stage's own, 3 s unless its "
                             "row in course/stages.py says otherwise)")
    parser.add_argument("--function-budget", type=float, default=defaults.function_budget, metavar="S",
                        help="seconds all calls of one function may take before its remaining calls fail "
                             f"(default {defaults.function_budget:g})")
    parser.add_argument("--grade-budget", type=float, default=defaults.grade_budget, metavar="S",
                        help="seconds all calls of one grade may take before its remaining calls fail "
                             f"(default {defaults.grade_budget:g})")
    parser.add_argument("--memory-mb", type=int, default=defaults.memory_mb, metavar="MB",
                        help=f"worker memory limit (default {defaults.memory_mb})")
    parser.add_argument("--cpu-seconds", type=int, default=defaults.cpu_seconds, metavar="S",
                        help=f"CPU time one worker may use (default {defaults.cpu_seconds}); a worker past half of "
                             "it is replaced before the next test")
    parser.add_argument("--isolation", type=argument_type(parse_tiers), default=defaults.isolation, metavar="TIERS",
                        help="the isolation tiers a grade accepts, strongest first is used: sandbox (bubblewrap), "
                             "uid (containers: a worker uid, Landlock), rlimits (limits only, for debugging); "
                             "comma-separated (default: sandbox). Where none runs, nothing is scored: exit 3")
    parser.add_argument("--lang", dest="language", choices=LANGUAGES, default=defaults.language,
                        help="the language of the feedback and the report; points never depend on it "
                             f"(default {defaults.language}: {LANGUAGE_ENV}, else en)")
