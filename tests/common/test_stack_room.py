"""A call with room on the frame stack runs as before, and the frames under it stop
mapping fresh memory each time they cross a chunk's end (common/stack_room.py)."""

from __future__ import annotations

import resource
import threading

from common.stack_room import ROOM_IN_SLOTS, with_room_on_the_stack


def _descend(depth: int) -> int:
    return 0 if depth == 0 else _descend(depth - 1) + 1


def _descend_often() -> int:
    # 400 frames are more than one 16 KiB chunk holds: each descent crosses a chunk's end.
    return sum(_descend(400) for _ in range(300))


def _minor_faults_in_a_new_thread(work) -> tuple[int, int]:
    """The page faults of work() in a thread of its own (whose frame stack starts empty),
    and its result."""
    found: dict[str, int] = {}

    def run() -> None:
        before = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt
        found["result"] = work()
        found["faults"] = resource.getrusage(resource.RUSAGE_THREAD).ru_minflt - before

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    return found["faults"], found["result"]


def test_it_returns_what_the_function_returns_with_its_arguments():
    def joined(first, *rest, separator="-"):
        return separator.join([first, *rest])

    roomy = with_room_on_the_stack(joined)

    assert roomy("a", "b", separator="+") == "a+b"
    assert roomy.__name__ == "joined"
    assert roomy.__code__.co_stacksize >= ROOM_IN_SLOTS


def test_the_frames_under_it_stop_mapping_fresh_memory_at_each_chunks_end():
    faults_without, result_without = _minor_faults_in_a_new_thread(_descend_often)
    faults_with, result_with = _minor_faults_in_a_new_thread(with_room_on_the_stack(_descend_often))

    assert result_with == result_without == 400 * 300
    # Without room: at least a fresh page for each of the 300 descents.
    assert faults_without >= 300
    assert faults_with * 10 < faults_without


def test_the_web_servers_application_runs_with_room():
    from config.wsgi import application

    assert application.__code__.co_stacksize >= ROOM_IN_SLOTS
