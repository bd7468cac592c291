"""The course's definition, the lowest layer: the stage table, the rubric and where the hidden suites live,
what a student package holds and how its files are named. Release, grading, batch and notebooks import it;
it ships in every student release, whose points plugin reads the stage table."""
