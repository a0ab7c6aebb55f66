"""jupyter_kernel_test 0.7.0 against the installed ConvLens kernelspec, every sample set."""
from __future__ import annotations

import os

import jupyter_kernel_test as jkt

KERNEL_NAME = os.environ.get("CONVLENS_KERNEL_NAME", "convlens")


class ConvLensKernelTests(jkt.KernelTests):
    kernel_name = KERNEL_NAME
    language_name = "convlens"
    file_extension = ".cvl"

    code_hello_world = 'print("hello, world")'
    code_stderr = 'warn("careful")'

    completion_samples = [{"text": "pri", "matches": {"print"}}]

    complete_code_samples = ["x = 1", "print(1)"]
    incomplete_code_samples = ["x = [1,", 'print("a",']
    invalid_code_samples = ["x = )", "1 +* 2"]

    code_page_something = "classify?"
    code_generate_error = "undefined_name"

    # The history search below is a glob over whole cells (as IPython's), so
    # "1?2*" needs a cell like "1+2"; "1 + 2" alone would not match it.
    code_execute_result = [
        {"code": "1 + 2", "result": "3"},
        {"code": "1+2", "result": "3"},
    ]
    code_display_data = [{"code": 'show(image("chelsea"))', "mime": "image/png"}]

    code_history_pattern = "1?2*"
    supported_history_operations = ("tail", "range", "search")

    code_inspect_sample = "print"
    code_clear_output = "clear_output()"


class ConvLensIopubWelcomeTests(jkt.IopubWelcomeTests):
    kernel_name = KERNEL_NAME
    support_iopub_welcome = True
