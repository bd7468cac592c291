"""The verbs of `python -m autograder`, one thin module each, named after its verb: `add_arguments(parser)`
and `run(args) -> exit code`, calling the library code of the other packages."""
