"""The PDF's column widths, worked out from the tables' text (assessment/build/report_tables)."""

from __future__ import annotations

import re

from assessment.build.report_tables import size_columns


def widths(html: str) -> list[float]:
    return [float(w) for w in re.findall(r'<col style="width: ([\d.]+)%">', html)]


def test_every_table_gets_a_width_for_each_column_and_they_add_up():
    table = (
        "<table><thead><tr><th>条款</th><th>问题</th><th>完成期限</th></tr></thead><tbody>\n"
        f"<tr><td>7.1.2</td><td>{'组织是否规定了以什么方式对顾客体验的设计进行评估' * 4}</td>"
        "<td>2027-01-31</td></tr>\n</tbody></table>"
    )
    sized = size_columns(f"<p>before</p>{table}<p>between</p>{table}")
    assert sized.count("<colgroup>") == 2
    first = widths(sized)[:3]
    assert abs(sum(first) - 100) < 0.5
    clause, question, due = first
    assert question > clause  # the long text takes the room
    assert question > due
    # A date stays on one line even in an admonition (167 mm): it is 15.4 mm wide in Noto Sans
    # CJK at 8.5pt, and the cell's padding and rule take 3 mm.
    assert due / 100 * 167 >= 15.4 + 3


def test_a_long_word_and_a_line_break_are_measured_as_they_break():
    table = (
        "<table><tbody><tr><td>a b c</td><td>7.1.2-evaluation-mechanism</td></tr>\n"
        "<tr><td>x<br>y</td><td>z</td></tr></tbody></table>"
    )
    short, slug = widths(size_columns(table))
    assert slug > short
    assert size_columns("<table></table>") == "<table></table>"
