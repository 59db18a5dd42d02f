"""The settings a report shows for a run: an agent's limits only when an agent ran."""

from asebench.report.run_info import run_settings

ARGS = {"dataset": "builtin", "cycles": 1, "context": "bm25", "agent": None,
        "agent_messages": 60, "agent_tokens": 400000, "agent_time": 1200}


def test_a_plain_model_run_lists_no_agent_limits() -> None:
    assert run_settings(ARGS, "asebench") == {"cycles": 1, "context": "bm25", "agent": None,
                                              "scoring": "asebench"}


def test_an_agent_run_keeps_its_limits() -> None:
    settings = run_settings({**ARGS, "agent": "react"}, "asebench")
    assert settings["agent_messages"] == 60 and settings["agent"] == "react"
    assert "dataset" not in settings
