# nbgrader's configuration for this course (read when nbgrader runs from the repository root).
# The course directory is generated and ignored by git: `python -m autograder nbgrader` writes the source
# notebooks (answers, hidden tests) into build/nbgrader/source/, and nbgrader's gradebook.db, release/,
# submitted/, autograded/ and feedback/ land beside them, never in this repository's tracked files.
import os

c = get_config()  # noqa: F821 - provided by nbgrader when it loads this file
c.CourseDirectory.root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "build", "nbgrader")
c.CourseDirectory.source_directory = "source"
# Stage 4 trains a network on the digits in one cell; give slow machines room.
c.Execute.timeout = 120
# nbgrader's gradebook, under SQLAlchemy 2, warns "Object of type <SubmittedAssignment> not in session, add
# operation along ... will not proceed" three times per autograde (nbgrader/api.py adds those objects to the
# session itself right after; scores and feedback are unaffected): silenced here so real warnings stand out.
import warnings  # noqa: E402 - kept beside the one filter it serves

warnings.filterwarnings("ignore", message=r"Object of type <Submitted\w+> not in session", module=r"nbgrader\.api")
