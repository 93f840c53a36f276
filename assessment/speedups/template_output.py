"""How our templates print a value: `finalize(value)` alone, not `escape(finalize(value))`.

With autoescape on, Jinja wraps every `{{ }}` in markupsafe's escape after finalize. Our
finalize (textsafe.escape_text) already returns Markup for every value, and escape of Markup
only copies it: two more objects and five attribute checks per printed value, about a tenth
of the render stage. This code generator leaves the wrapper out where the output is
autoescaped and a finalize is set, as Jinja's own NativeCodeGenerator overrides the same two
hooks; anywhere else (a template without finalize, an `{% autoescape %}` block) it writes
what Jinja writes. tests/test_template_output.py checks the compiled code and that pages are
the same as with Jinja's generator.

Checked against Jinja2 3.1.6. Used only while the two hooks' source in CodeGenerator is the
one checked; otherwise the pages are compiled by Jinja's own CodeGenerator.
"""

from __future__ import annotations

from jinja2 import nodes
from jinja2.compiler import CodeGenerator, Frame

from assessment.speedups import source_digest

# source_digest of CodeGenerator's _output_child_pre and _output_child_post when checked.
CHECKED = "4e98817497d40176cfddb3b4e93174a9d46fe696af35e806ca96d32923953ce2"


class FinalizedOutput(CodeGenerator):
    """For environments whose finalize returns Markup for every value."""

    @staticmethod
    def _finalize_alone(frame: Frame, finalize: CodeGenerator._FinalizeInfo) -> bool:
        return (
            finalize.src is not None and frame.eval_ctx.autoescape and not frame.eval_ctx.volatile
        )

    def _output_child_pre(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._finalize_alone(frame, finalize):
            self.write(str(finalize.src))
        else:
            super()._output_child_pre(node, frame, finalize)

    def _output_child_post(
        self, node: nodes.Expr, frame: Frame, finalize: CodeGenerator._FinalizeInfo
    ) -> None:
        if self._finalize_alone(frame, finalize):
            self.write(")")
        else:
            super()._output_child_post(node, frame, finalize)


def generator() -> type[CodeGenerator]:
    """FinalizedOutput where Jinja's hooks are the ones it was checked against, else Jinja's."""
    hooks = (CodeGenerator._output_child_pre, CodeGenerator._output_child_post)
    return FinalizedOutput if source_digest(*hooks) == CHECKED else CodeGenerator
