"""The mediation agreement (人民调解协议书) as a PDF, made from the dispute's parties and terms: reportlab with
its built-in CID font STSong-Light for Chinese, as the assessment's reports (no font file to ship). Every
value a person typed is escaped: reportlab's Paragraph reads markup."""

from __future__ import annotations

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import translation

from suban.mediation.models import AgreementKind, Dispute, Side

CID_FONT = "STSong-Light"


def _lines(text: str) -> str:
    return "<br/>".join(escape(line) for line in text.splitlines())


def agreement_pdf(dispute: Dispute, *, show_numbers: bool = False) -> bytes:
    """The agreement of an agreed dispute. Party identity numbers are masked unless `show_numbers` (the
    dispute's mediators print the copy the parties sign)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    if CID_FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(UnicodeCIDFont(CID_FONT))
    title = ParagraphStyle("title", fontName=CID_FONT, fontSize=20, leading=28, alignment=1, spaceAfter=4)
    number = ParagraphStyle("number", fontName=CID_FONT, fontSize=10, leading=14, alignment=2)
    heading = ParagraphStyle("heading", fontName=CID_FONT, fontSize=12, leading=18, spaceBefore=10, spaceAfter=4)
    body = ParagraphStyle("body", fontName=CID_FONT, fontSize=11, leading=18)

    with translation.override("zh-hans"):
        story: list[Any] = [
            Paragraph("人民调解协议书" if dispute.agreement == AgreementKind.WRITTEN else "口头调解协议记录", title),
            Paragraph(f"编号：{escape(dispute.number)}", number),
            Spacer(1, 4 * mm),
        ]
        for side, label in ((Side.APPLICANT, "申请人"), (Side.RESPONDENT, "被申请人")):
            for party in dispute.parties.filter(side=side):
                parts = [f"{label}：{escape(party.name)}"]
                if party.id_number_encrypted:
                    shown = party.id_number if show_numbers else party.masked_id_number
                    parts.append(f"证件号码：{escape(shown)}")
                if party.address:
                    parts.append(f"住址：{escape(party.address)}")
                story.append(Paragraph("　".join(parts), body))
        story += [
            Paragraph("纠纷主要事实、争议事项", heading),
            Paragraph(_lines(dispute.facts or dispute.summary), body),
            Paragraph("经调解，自愿达成如下协议", heading),
            Paragraph(_lines(dispute.terms), body),
        ]
        if dispute.agreement == AgreementKind.WRITTEN:  # (the court confirms written agreements only)
            story += [
                Paragraph("履行方式、时限", heading),
                Paragraph(
                    "按上述协议内容履行。本协议经双方当事人签名（盖章）、人民调解员签名并加盖人民调解委员会印章后生效，"
                    "具有法律约束力，当事人应当按照约定履行。双方当事人可自本协议生效之日起三十日内共同向人民法院申请司法确认。",
                    body,
                ),
            ]
        else:
            story.append(
                Paragraph(
                    "以上为当事人当场达成的口头调解协议，由人民调解员记录在案（《中华人民共和国人民调解法》第三十条）。",
                    body,
                )
            )
        story.append(Spacer(1, 10 * mm))
        written = dispute.agreement == AgreementKind.WRITTEN
        # The parties sign a written agreement; an oral one is recorded by the mediator.
        signers = (
            [[f"{'申请人' if p.side == Side.APPLICANT else '被申请人'}（签名）：", ""] for p in dispute.parties.all()]
            if written
            else []
        )
        lead = next((a.mediator for a in dispute.assignments.all() if a.lead), None)
        signers.append(
            ["人民调解员（签名）：" if written else "记录人：", escape(str(lead)) if lead is not None else ""]
        )
        room = dispute.room.name if dispute.room is not None else ""
        signers.append(["调解组织（盖章）：" if written else "调解组织：", escape(room)])
        signed = dispute.signed_on.strftime("%Y年%m月%d日") if dispute.signed_on else ""
        signers.append(["签订日期：" if written else "达成日期：", signed])
        table = Table([[Paragraph(a, body), Paragraph(b, body)] for a, b in signers], colWidths=[60 * mm, 100 * mm])
        table.setStyle(TableStyle([("LINEBELOW", (1, 0), (1, -1), 0.4, colors.grey)]))
        story.append(table)
    out = BytesIO()
    doc = SimpleDocTemplate(
        out, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=20 * mm, bottomMargin=20 * mm
    )
    doc.title = (
        f"{'人民调解协议书' if dispute.agreement == AgreementKind.WRITTEN else '口头调解协议记录'} {dispute.number}"
    )
    doc.build(story)
    return out.getvalue()
