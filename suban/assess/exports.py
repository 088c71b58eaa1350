"""A Report as an xlsx workbook (openpyxl) and as a PDF (reportlab, Chinese in its built-in CID font
STSong-Light, so no font file is needed)."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from suban.assess.rates import RATES, Figures, percent
from suban.assess.reports import Report
from suban.assess.selectors import RANK_KINDS, MatterCount, RankRow
from suban.spreadsheet import formula_like

CID_FONT = "STSong-Light"
BOTTOM_FILL = PatternFill("solid", fgColor="FDE2E1")


def _append(ws: Any, values: list[Any]) -> None:
    """Text stays text: a unit or matter name starting with "=" must not become a formula in Excel."""
    ws.append(values)
    for cell in ws[ws.max_row]:
        if formula_like(cell.value):
            cell.data_type = "s"


def _rate(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _days(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def figure_rows(f: Figures) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = [
        (_("Requests received"), f.received),
        (_("Assessed"), f.assessed),
        (_("Excluded from assessment"), f.excluded),
    ]
    rows += [(str(label), _rate(getattr(f, key))) for key, label in RATES]
    rows += [
        (_("Supervised completion rate"), _rate(f.supervised_completion_rate)),
        (_("Average handling time (working days)"), _days(f.avg_handling_days)),
        (_("Composite score"), None if f.composite is None else round(f.composite, 2)),
        (_("Ever overdue"), f.overdue),
        (_("Returns"), f.returns),
        (_("Escalations"), f.escalations),
        (_("Supervisions"), f.supervisions),
    ]
    return rows


def ranking_header() -> list[str]:
    return [
        _("Rank"),
        _("Unit"),
        _("Assessed"),
        *(str(label) for _key, label in RATES),
        _("Average handling time (working days)"),
        _("Composite score"),
        _("Bottom two"),
    ]


def ranking_row(row: RankRow) -> list[Any]:
    f = row.figures
    return [
        row.rank,
        row.unit.name,
        f.assessed,
        *(_rate(getattr(f, key)) for key, _label in RATES),
        _days(f.avg_handling_days),
        None if f.composite is None else round(f.composite, 2),
        _("yes") if row.bottom else "",
    ]


def matter_header() -> list[str]:
    return [
        _("Matter"),
        _("Requests"),
        _("Share"),
        _("Previous period"),
        _("Change on the previous period"),
        _("Same period last year"),
        _("Change year on year"),
    ]


def matter_row(m: MatterCount) -> list[Any]:
    return [
        m.matter.full_name or m.matter.name,
        m.received,
        _rate(m.share),
        m.previous,
        _rate(m.change_previous),
        m.year_before,
        _rate(m.change_year),
    ]


def mediation_header() -> list[str]:
    return [
        _("Room"),
        _("Taken in"),
        _("Mediated"),
        _("Success rate"),
        _("Visited"),
        _("Fulfilment rate"),
        _("Average days"),
    ]


def mediation_rows(report: Report) -> list[list[Any]]:
    """The mediation centre's rooms ranked by success rate, and the total last."""
    m = report.mediation
    if m is None:
        return []
    rows = [*m.by_room, m.total]
    return [
        [t.label or _("Total"), t.taken_in, t.mediated, t.success_rate, t.visited, t.fulfilment_rate, t.average_days]
        for t in rows
    ]


def _sheet(wb: Workbook, title: str, header: list[str], rows: list[list[Any]], percent_cols: set[int]) -> Any:
    ws = wb.create_sheet(title[:31])
    ws.append(header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for values in rows:
        _append(ws, values)
    for col in percent_cols:
        for (cell,) in ws.iter_rows(min_row=2, min_col=col, max_col=col):
            cell.number_format = "0.00%"
    for index, _h in enumerate(header, start=1):
        ws.column_dimensions[get_column_letter(index)].width = 14 if index > 1 else 28
    return ws


def report_xlsx(report: Report) -> bytes:
    wb = Workbook()
    summary = wb.active
    summary.title = _("Summary")[:31]
    _append(summary, [report.title])
    summary["A1"].font = Font(bold=True, size=14)
    summary.append([_("Period"), f"{report.span.start} – {report.span.end}"])
    summary.append([_("Generated"), timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    summary.append([])
    summary.append([_("Figure"), _("This period"), _("Previous period"), _("Same period last year")])
    for (label, now), (_l1, before), (_l2, last_year) in zip(
        figure_rows(report.figures), figure_rows(report.previous), figure_rows(report.year_before), strict=True
    ):
        summary.append([label, now, before, last_year])
    summary.column_dimensions["A"].width = 36
    for col in "BCD":
        summary.column_dimensions[col].width = 16
    rate_cols = set(range(4, 4 + len(RATES)))
    for kind, rows in report.rankings.items():
        ws = _sheet(wb, str(RANK_KINDS[kind]), ranking_header(), [ranking_row(r) for r in rows], rate_cols)
        for index, row in enumerate(rows, start=2):
            if row.bottom:
                for cell in ws[index]:
                    cell.fill = BOTTOM_FILL
    if report.matters:
        _sheet(wb, _("High-frequency matters"), matter_header(), [matter_row(m) for m in report.matters], {3, 5, 7})
    if report.top_matters:
        _sheet(wb, _("Matter categories"), matter_header(), [matter_row(m) for m in report.top_matters], {3, 5, 7})
    if report.mediation is not None:
        _sheet(wb, _("Mediation centre"), mediation_header(), mediation_rows(report), {4, 6})
    if report.hotspots is not None:
        _sheet(
            wb,
            _("Hotspots"),
            [_("Hotspot"), _("Place"), _("Requests"), _("Reporters"), _("Heat")],
            [[h.title, h.place, h.size, h.reporters, round(h.score, 2)] for h in report.hotspots],
            set(),
        )
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def report_pdf(report: Report) -> bytes:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    title = ParagraphStyle("title", fontName=CID_FONT, fontSize=16, leading=22, spaceAfter=6)
    heading = ParagraphStyle("heading", fontName=CID_FONT, fontSize=12, leading=18, spaceBefore=8, spaceAfter=4)
    body = ParagraphStyle("body", fontName=CID_FONT, fontSize=9, leading=13)

    def table(rows: list[list[Any]], bottom_rows: set[int] | None = None) -> Table:
        # (a value is text, never reportlab's markup: a name with "<" or "&" prints as typed)
        cells = [[Paragraph("" if v is None else escape(str(v)), body) for v in row] for row in rows]
        t = Table(cells, repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eef1f4")),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ]
        for index in bottom_rows or set():
            style.append(("BACKGROUND", (0, index), (-1, index), colors.HexColor("#fde2e1")))
        t.setStyle(TableStyle(style))
        return t

    def pct_row(values: list[Any], pct_cols: set[int]) -> list[Any]:
        return [percent(v) if i in pct_cols and isinstance(v, float) else v for i, v in enumerate(values)]

    story: list[Any] = [
        Paragraph(report.title, title),
        Paragraph(
            f"{_('Period')}: {report.span.start} – {report.span.end} · {_('Generated')}: "
            f"{timezone.localtime():%Y-%m-%d %H:%M}",
            body,
        ),
        Spacer(1, 4 * mm),
        Paragraph(_("Figures"), heading),
    ]
    rate_labels = {str(label) for _key, label in RATES} | {_("Supervised completion rate")}
    rows: list[list[Any]] = [[_("Figure"), _("This period"), _("Previous period"), _("Same period last year")]]
    for (label, now), (_l1, before), (_l2, last) in zip(
        figure_rows(report.figures), figure_rows(report.previous), figure_rows(report.year_before), strict=True
    ):
        if label in rate_labels:
            rows.append([label, *(percent(v) for v in (now, before, last))])
        else:
            rows.append([label, now, before, last])
    story.append(table(rows))
    rate_cols = set(range(3, 3 + len(RATES)))
    for kind, ranked in report.rankings.items():
        story.append(Paragraph(f"{RANK_KINDS[kind]} · {_('Ranking')}", heading))
        rows = [ranking_header()] + [pct_row(ranking_row(r), rate_cols) for r in ranked]
        story.append(table(rows, {i for i, r in enumerate(ranked, start=1) if r.bottom}))
    if report.matters:
        story.append(Paragraph(_("High-frequency matters"), heading))
        story.append(table([matter_header()] + [pct_row(matter_row(m), {2, 4, 6}) for m in report.matters]))
    if report.mediation is not None:
        story.append(Paragraph(_("Mediation centre"), heading))
        story.append(table([mediation_header()] + [pct_row(r, {3, 5}) for r in mediation_rows(report)]))
    if report.kind == "monthly":
        story.append(Paragraph(_("Hotspots"), heading))
        if report.hotspots is None:
            story.append(Paragraph(_("Hotspots are not available on this installation."), body))
        elif not report.hotspots:
            story.append(Paragraph(_("No hotspot in this period."), body))
        else:
            story.append(
                table(
                    [[_("Hotspot"), _("Place"), _("Requests"), _("Reporters")]]
                    + [[h.title, h.place, h.size, h.reporters] for h in report.hotspots]
                )
            )
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=landscape(A4), leftMargin=12 * mm, rightMargin=12 * mm, topMargin=12 * mm, bottomMargin=12 * mm
    )
    doc.title = report.title
    doc.build(story)
    return out.getvalue()
