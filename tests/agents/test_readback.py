"""Reading an agent's answer back from the file it edited."""

from __future__ import annotations

from asebench.agents.readback import AgentTask, read_back
from asebench.code.task import MaskedTask, mask_file
from asebench.dataset.schema import Instance, LocalSource, Location

ORIGINAL = """\
import os


def home(user):
    return os.path.join("/home", user)


def main():
    print(home("ann"))
"""


def _task() -> MaskedTask:
    instance = Instance(id="t", cwe="CWE-22", severity="high", language="python",
                        source=LocalSource(path="p"),
                        locations=[Location(file="app.py", start=4, end=5)])
    return MaskedTask(instance, [mask_file("app.py", ORIGINAL, {1: (4, 5)}, "python")])


def _edited(task: MaskedTask, region: str) -> str:
    return task.files[0].text.replace("# <MASKED REGION 1>", region)


def test_the_region_is_what_replaced_the_marker() -> None:
    task = _task()
    region = 'def home(user):\n    return os.path.join("/home", os.path.basename(user))'
    read = read_back(task, {"app.py": _edited(task, region)})
    assert read.failure is None
    assert read.regions == {1: region}
    span = read.insertions["app.py"].spans[1]
    lines = _edited(task, region).split("\n")
    assert "\n".join(lines[span.start - 1:span.end]) == region


def test_an_edit_elsewhere_in_the_file_stays_outside_the_region() -> None:
    task = _task()
    region = "def home(user):\n    return '/home/' + user"
    edited = "import sys\n" + _edited(task, region)
    read = read_back(task, {"app.py": edited})
    assert read.regions == {1: region}
    assert read.insertions["app.py"].text == edited  # the judge sees the agent's whole file


def test_a_marker_left_in_place_is_an_answer_failure() -> None:
    task = _task()
    read = read_back(task, {"app.py": task.files[0].text + "\n# a note\n"})
    assert read.failure == "the agent never wrote region 1: its marker line is still in app.py"
    assert AgentTask(task.instance, task.files, read=read).fit("").failure == read.failure


def test_a_deleted_file_or_an_empty_region_is_an_answer_failure() -> None:
    task = _task()
    assert "deleted app.py" in (read_back(task, {"app.py": None}).failure or "")
    emptied = task.files[0].text.replace("# <MASKED REGION 1>\n", "")
    assert "wrote nothing in its place" in (read_back(task, {"app.py": emptied}).failure or "")
