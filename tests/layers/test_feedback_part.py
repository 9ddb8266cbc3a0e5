"""layers.feedback.Part and spans: one step of a longer job on the whole job's bar."""

from __future__ import annotations

import pytest

from layers.feedback import Part, RecordingFeedback, spans


def test_a_part_maps_its_progress_into_its_span_and_never_goes_back():
    whole = RecordingFeedback()
    step = Part(whole, 0.2, 0.6, "laag schrijven")
    step.progress(0.0)
    step.progress(0.5, "de helft")
    step.progress(0.25)  # a step that restarts its count does not move the bar back
    step.progress(2.0)
    assert whole.steps == [(0.2, "laag schrijven"), (pytest.approx(0.4), "de helft"), (pytest.approx(0.4), "laag schrijven"),
                           (0.6, "laag schrijven")]


def test_a_part_passes_cancel_and_messages_of_the_whole_job():
    whole = RecordingFeedback(cancel_after=1)
    step = Part(Part(whole, 0.0, 0.5), 0.5, 1.0)
    assert not step.is_cancelled()
    step.progress(0.0)
    assert whole.steps == [(0.25, "")] and step.is_cancelled()
    step.message("let op")
    assert whole.messages == ["let op"]
    Part(None, 0.0, 1.0).progress(0.5)  # without a feedback: nothing to tell


def test_spans_cut_0_to_1_by_weight():
    assert spans([1, 3]) == [(0.0, 0.25), (0.25, 1.0)]
    assert spans([2, 0, 2]) == [(0.0, 0.5), (0.5, 0.5), (0.5, 1.0)]
    assert spans([0, 0]) == [(0.0, 0.0), (0.0, 0.0)]
