"""The course's stages: marker name, title, student-facing folder and the modules a student fills in."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Stage:
    """One graded stage: `name` is the pytest marker and the grader's --stage value."""

    name: str
    title: str
    folder: str
    modules: tuple

    @property
    def number(self):
        return int(self.name.removeprefix("stage"))


STAGES = (
    Stage("stage1", "Perceptron logic gates", "stage1_perceptron", ("gates",)),
    Stage("stage2", "Neural network forward pass", "stage2_neuralnet", ("activations", "neuralnet")),
    Stage("stage3", "Learning: losses and numerical gradients", "stage3_learning",
          ("losses", "gradients", "numerical_net")),
    Stage("stage4", "Backpropagation", "stage4_backprop",
          ("simple_layers", "layers", "networks", "gradient_check", "training")),
    Stage("stage5", "Optimizers", "stage5_optimizers", ("optimizers",)),
)

STAGE_BY_NAME = {stage.name: stage for stage in STAGES}


def stage_of_module(module):
    """The Stage whose exercises live in `module` (a bare module name such as "layers"), or None."""
    return next((stage for stage in STAGES if module in stage.modules), None)


def stage_of_path(path):
    """The Stage whose folder is one of the parts of `path` (a pathlib.Path), or None."""
    return next((stage for stage in STAGES if stage.folder in path.parts), None)
