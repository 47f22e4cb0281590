"""Numbers on charts as the reader's language writes them: matplotlib's plain number axes
get the decimal comma ("0,5", "1 234") before a figure is saved; axes of names (bars by
service, by variant) keep their labels."""

from __future__ import annotations

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, ScalarFormatter

from api.render.numbers import number


def decimal_commas(figure: Figure) -> Figure:
    """`figure` with every numeric axis written in the current language (returned)."""
    for ax in figure.axes:
        for axis in (ax.xaxis, ax.yaxis):
            if isinstance(axis.get_major_formatter(), ScalarFormatter):
                axis.set_major_formatter(FuncFormatter(lambda value, _: number(value, 2)))
    return figure
