"""nbconvert preprocessor: execute a notebook and keep outputs that arrive after the kernel says idle.

Deno's Jupyter kernel (2.9) sometimes publishes a cell's `status: idle` on IOPub before the
cell's last `stream` (console.log) or `execute_result` message. Interactive front ends show such
late messages anyway, but nbclient (which `jupyter nbconvert --execute` uses) stops reading a
cell's output at `idle`, so a headless run would drop them at random and the committed outputs
would change from run to run. This subclass of nbconvert's ExecutePreprocessor keeps reading
the cell's IOPub messages after `idle` until none has arrived for `late_output_wait` seconds.

Used by notebooks/run.mjs:
  jupyter nbconvert --to notebook \
    --NotebookExporter.preprocessors=late_output.LateOutputExecutePreprocessor ...
with this folder on PYTHONPATH.
"""
import asyncio
import queue

from nbclient.exceptions import CellExecutionComplete
from nbconvert.preprocessors import ExecutePreprocessor
from traitlets import Float


class LateOutputExecutePreprocessor(ExecutePreprocessor):
    late_output_wait = Float(
        0.3,
        help="Seconds of quiet on IOPub, after a cell's idle status, before its output is taken as complete.",
    ).tag(config=True)

    def __init__(self, **kw):
        super().__init__(**kw)
        self.enabled = True

    async def _async_poll_output_msg(self, parent_msg_id, cell, cell_index):
        assert self.kc is not None
        while True:
            msg = await self._get_iopub(timeout=None)
            if msg["parent_header"].get("msg_id") != parent_msg_id:
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                break
        # The kernel said idle: collect what it publishes late for this cell.
        while True:
            msg = await self._get_iopub(timeout=self.late_output_wait)
            if msg is None:
                return
            if msg["parent_header"].get("msg_id") != parent_msg_id or msg["msg_type"] == "status":
                continue
            try:
                self.process_message(msg, cell, cell_index)
            except CellExecutionComplete:
                pass

    async def _get_iopub(self, timeout):
        try:
            result = self.kc.iopub_channel.get_msg(timeout=timeout)
            if asyncio.iscoroutine(result):
                result = await result
            return result
        except (queue.Empty, asyncio.TimeoutError, TimeoutError):
            return None
