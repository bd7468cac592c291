"""Every student notebook runs top to bottom on the solved release (nbclient) and draws its plots."""
import io
import os
from pathlib import Path

import pytest

from course.stages import STAGES

from .helpers import plot_outputs

pytestmark = pytest.mark.slow
# Set NOTEBOOK_PLOTS_DIR to keep the drawn plots as PNG files, to look at them.
PLOTS_DIR = os.environ.get("NOTEBOOK_PLOTS_DIR")


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_notebook_runs_without_errors(executed_notebooks, stage):
    notebook = executed_notebooks[stage.name]
    errors = [output for cell in notebook.cells for output in cell.get("outputs", [])
              if output.get("output_type") == "error"]
    assert not errors, errors[:1]
    assert all(cell.get("execution_count") for cell in notebook.cells if cell.cell_type == "code")


@pytest.mark.parametrize("stage", STAGES, ids=lambda stage: stage.name)
def test_every_plot_cell_draws_one_real_image(executed_notebooks, stage):
    import matplotlib.image

    plots = plot_outputs(executed_notebooks[stage.name])
    assert plots, f"{stage.name} has plots"
    for index, images in plots:
        assert len(images) == 1, f"cell {index} drew {len(images)} images"
        pixels = matplotlib.image.imread(io.BytesIO(images[0]), format="png")
        assert pixels.shape[0] > 200 and pixels.shape[1] > 300
        assert pixels[..., :3].std() > 0.05, f"cell {index}: a blank image"
        if PLOTS_DIR:
            Path(PLOTS_DIR).mkdir(parents=True, exist_ok=True)
            (Path(PLOTS_DIR) / f"{stage.folder}_cell{index:02d}.png").write_bytes(images[0])


def test_training_reaches_a_useful_accuracy(executed_notebooks):
    printed = "".join(output.get("text", "") for cell in executed_notebooks["stage4"].cells
                      for output in cell.get("outputs", []))
    line = next(line for line in printed.splitlines() if line.startswith("after 20 epochs"))
    assert float(line.rsplit(" ", 1)[1]) > 0.85, line
