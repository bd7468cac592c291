"""The course's instructor tools: releases, stub generation, the isolated autograder and batch grading.

The course's definition (stage table, rubric, file names, paths) is the package `course`; the feedback
engine and the points plugin the students' tests use are `course_feedback` and `course_points`.
"""
