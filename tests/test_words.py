"""The platform's words in zh-hans: one term for the request (诉求, product.md: 诉求解决平台) wherever the
English says "case"; 工单 stays for the hotline's work orders that the exchange imports."""

from __future__ import annotations

import re

from django.utils import translation


def test_a_case_is_called_诉求_not_工单():
    catalog = translation.trans_real.translation("zh-hans")._catalog
    mixed = {
        str(msgid): str(text)
        for msgid, text in catalog.items()
        if isinstance(msgid, str)
        and re.search(r"\bcases?\b", msgid, re.I)
        and not re.search(r"order", msgid, re.I)
        and "工单" in str(text)
    }
    assert mixed == {}
