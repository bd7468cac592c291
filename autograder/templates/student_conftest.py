# The points plugin: a stage marker per folder (`pytest -m stage3`) and a points table after every run.
pytest_plugins = ["course_points.plugin"]
