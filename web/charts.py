"""Charts as SVG drawn on the server by pygal, shown as images whose numbers are also in a table beside them.

Why pygal: it draws plain SVG in pure Python with no browser, no JavaScript and no native libraries (matplotlib
would bring numpy and a font stack for a few bars), it is maintained (3.1, 2026) and its charts carry titles and
labels as text. Its optional tooltip script is switched off: our pages run no script, and the numbers are in the
tables. Each SVG is inlined as a data: address, so a page is one request and the policy needs no inline style."""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import pygal
from pygal.style import Style

# High-contrast colours that stay apart for the common colour-blindnesses (Okabe & Ito).
STYLE = Style(
    background="white",
    plot_background="white",
    foreground="#1a1a1a",
    foreground_strong="#1a1a1a",
    foreground_subtle="#555555",
    colors=("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"),
    font_family="system-ui, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=13,
    title_font_size=15,
)
OPTIONS = {
    "style": STYLE,
    "js": [],  # no tooltip script: the pages run none
    "disable_xml_declaration": True,
    "width": 640,
    "height": 320,
    "explicit_size": False,
    "print_values": False,
    "legend_at_bottom": True,
    "truncate_legend": -1,
    "show_y_guides": True,
}
# pygal always writes a small config script; an image never runs it, and we do not ship what we do not run.
_SCRIPT = re.compile(r"<script\b.*?</script>", re.DOTALL)


def _address(chart: pygal.graph.graph.Graph) -> str:
    svg = _SCRIPT.sub("", chart.render(is_unicode=True))
    return "data:image/svg+xml;charset=utf-8," + quote(svg, safe=" /:=,;.-_'()")  # '#' would end the address


def bars(title: str, labels: Sequence[Any], series: Sequence[tuple[str, Sequence[Any]]]) -> str:
    """A bar chart, one group per label and one bar per series; returns the image's data: address."""
    return _drawn("bar", title, _frozen(labels, series))


def lines(title: str, labels: Sequence[Any], series: Sequence[tuple[str, Sequence[Any]]]) -> str:
    """A line chart over time (the labels are the slices); returns the image's data: address."""
    return _drawn("line", title, _frozen(labels, series))


Frozen = tuple[tuple[str, ...], tuple[tuple[str, tuple[Any, ...]], ...]]


def _frozen(labels: Sequence[Any], series: Sequence[tuple[str, Sequence[Any]]]) -> Frozen:
    return tuple(str(label) for label in labels), tuple((name, tuple(values)) for name, values in series)


@functools.lru_cache(maxsize=512)
def _drawn(kind: str, title: str, data: Frozen) -> str:
    """Drawing a chart takes tens of milliseconds of CPU; the same figures make the same picture, so it is kept."""
    labels, series = data
    if kind == "line":
        chart = pygal.Line(title=title, x_label_rotation=0, show_minor_x_labels=True, **OPTIONS)
    else:
        chart = pygal.Bar(title=title, **OPTIONS)
    chart.x_labels = list(labels)
    for name, values in series:
        chart.add(name, list(values))
    return _address(chart)
