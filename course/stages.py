"""The course's stages: the one table every stage-dependent place reads (see "Adding a stage" in
autograder/README.md). A stage has a marker name, a title, a student-facing folder, the modules a student
fills in, the support modules it ships as given (course code, never edited by students, graded with the
course's own copy) and its grading settings."""
import argparse
from dataclasses import dataclass

from .language import N_, _


@dataclass(frozen=True)
class Stage:
    """One graded stage: `name` is the pytest marker, the grader's --stage value, the rubric's section and
    the hidden suite's name (autograder/hidden/test_<name>.py); `title` is English (a message: shown through
    `_()`, kept English in JSON); `folder` names the public tests
    (assignments/<folder>/) and the teaching notebook (teaching/<folder>.py); `summary` is the stage's row
    in the top-level README. `call_timeout` is the deadline of one call to student code, in seconds (the
    grader's --timeout overrides it for every stage). `named_with_module` lists modules whose functions
    feedback names with their module ("backprop_by_hand.forward"), their bare names being another
    module's too (neuralnet.forward)."""

    name: str
    title: str
    folder: str
    modules: tuple
    summary: str
    support: tuple = ()
    call_timeout: float = 3.0
    named_with_module: tuple = ()

    @property
    def number(self):
        return int(self.name.removeprefix("stage"))


STAGES = (
    Stage("stage1", N_("Perceptron logic gates"), "stage1_perceptron", ("gates",),
          "perceptron logic gates: `AND`, `NAND`, `OR`, `XOR`"),
    Stage("stage2", N_("Neural network forward pass"), "stage2_neuralnet", ("activations", "neuralnet"),
          "`step_function`, `sigmoid`, `relu`, `identity_function`, `softmax`; 3-layer `forward`, `predict`, "
          "`accuracy`"),
    Stage("stage3", N_("Learning: losses and numerical gradients"), "stage3_learning",
          ("losses", "entropy", "gradients", "numerical_net"),
          "`mean_squared_error`, `cross_entropy_error`; `entropy`, `cross_entropy`, `kl_divergence`; "
          "`numerical_diff`, `numerical_gradient`, `gradient_descent`, `TwoLayerNet`"),
    Stage("stage4", N_("Backpropagation"), "stage4_backprop",
          ("simple_layers", "graph_gates", "backprop_by_hand", "layers", "networks", "gradient_check", "training"),
          "`MulLayer`, `AddLayer`, `MaxGate`, `CopyGate`, `sigmoid_circuit`; the 2-2-2 network by hand "
          "(`forward`, `backprop_step`); `Relu`, `Sigmoid`, `Affine`, `SoftmaxWithLoss`, layered `TwoLayerNet`, "
          "`gradient_check`, `minibatch_sgd`", named_with_module=("backprop_by_hand",)),
    Stage("stage5", N_("Optimizers"), "stage5_optimizers", ("optimizers",),
          "`SGD`, `Momentum`, `AdaGrad`, `RMSprop`, `Adam`"),
    Stage("stage6", N_("Training deep networks"), "stage6_deep_training",
          ("weight_init", "normalization", "dropout", "multi_layer_net"),
          "weight initialisation (`init_scale`: 0.01, Xavier, He), `BatchNormalization`, `Dropout`, weight decay, "
          "`MultiLayerNet` of any depth", support=("experiments",)),
    Stage("stage7", N_("Convolutional networks"), "stage7_cnn", ("conv_layers", "simple_conv_net"),
          "`col2im` (the backward of the given `im2col`), `Convolution`, `Pooling`, `SimpleConvNet`",
          support=("conv_util", "conv_experiments")),
)

# Course code every stage may use (training script, plots, helpers): released as-is, never graded, and
# graded submissions get the course's own copies.
SHARED_MODULES = ("__init__", "memory", "plots", "progress", "train", "compare_optimizers")

STAGE_BY_NAME = {stage.name: stage for stage in STAGES}


def stage_argument(text):
    """A stage as a command line names it, "stage2" or "2" -> Stage; argparse.ArgumentTypeError otherwise
    (the `type` of every --stage or STAGE argument, so all commands take the same spellings)."""
    name = f"stage{text}" if text.isdigit() else text
    if name not in STAGE_BY_NAME:
        raise argparse.ArgumentTypeError(_("unknown stage {stage} (choose from {stages})").format(
            stage=repr(text), stages=", ".join(STAGE_BY_NAME)))
    return STAGE_BY_NAME[name]


def stage_of_module(module):
    """The Stage whose exercises live in `module` (a bare module name such as "layers"), or None."""
    return next((stage for stage in STAGES if module in stage.modules), None)


def stage_of_support(module):
    """The Stage that ships `module` as given support code, or None."""
    return next((stage for stage in STAGES if module in stage.support), None)


def stage_of_path(path):
    """The Stage whose folder is one of the parts of `path` (a pathlib.Path), or None."""
    return next((stage for stage in STAGES if stage.folder in path.parts), None)


def exercise_modules():
    """Every module a student fills in, over all stages (the modules a submission's copy is graded of)."""
    return {module for stage in STAGES for module in stage.modules}


def function_label(module, qualname):
    """How feedback names a function or method of exercise module `module` (a bare name): its qualified
    name ("softmax", "Affine.backward"), prefixed with the module where the stage table says so
    ("backprop_by_hand.forward")."""
    stage = stage_of_module(module)
    return f"{module}.{qualname}" if stage and module in stage.named_with_module else qualname
