"""Points per stage: the stage table, a pytest plugin that tallies points, and report renderers.

Standard library and pytest only: this package is copied into every student release as `course_points`.
"""
