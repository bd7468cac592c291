"""Notebooks per stage, generated from the teaching sources in teaching/ and the code in solutions/.

Two renderings of one teaching source (a jupytext percent script, teaching/<stage folder>.py, or its
translation in teaching/<language>/):
- the nbgrader *source* notebook (answers between ### BEGIN/END SOLUTION, ### BEGIN HIDDEN TESTS cells),
  written only into the ignored course directory build/nbgrader/ (`python -m autograder nbgrader`);
- the *student* notebook of the repository release (assignments/notebooks/ and notebooks-<language>/,
  committed, in sync by test): exercise cells import the student's own dlscratch modules, hidden tests are
  dropped.
`export` reads submitted notebooks back into a student package.
"""
