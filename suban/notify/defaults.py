"""The default texts of the messages (Chinese: they go to people in China, whatever the admin's language).
The data migration seeds the templates from these; an admin edits them there. They are also what goes out
when an edited template fails to render. Variables: see suban.notify.templates.VARIABLES."""

from __future__ import annotations

DUE = '{{ due|date:"n月j日 H:i" }}'

DEFAULT_TEMPLATES: dict[str, dict[str, str]] = {
    "login_code": {
        "channel": "sms",
        "subject": "",
        "body": "您的登录验证码为 {{ code }}，{{ minutes }}分钟内有效。"
        "请勿将验证码告诉他人；如非本人操作，请忽略本短信。",
    },
    "case_accepted": {
        "channel": "sms",
        "subject": "诉求已受理",
        "body": "您反映的诉求（编号 {{ number }}）已受理，我们将尽快交有关单位办理。可在H5“我的诉求”中查看办理进展。",
    },
    "case_replied": {
        "channel": "sms",
        "subject": "诉求已答复",
        "body": "您反映的诉求（编号 {{ number }}）已有答复，请登录H5“我的诉求”查看答复内容，并对办理结果进行评价。",
    },
    "case_closed": {
        "channel": "sms",
        "subject": "诉求已办结",
        "body": "您反映的诉求（编号 {{ number }}）已办结。感谢您的反映与支持！",
    },
    "case_declined": {
        "channel": "sms",
        "subject": "诉求未予受理",
        "body": "您反映的诉求（编号 {{ number }}）经审核不予受理。原因：{{ reason }}。如有疑问，可拨打12345咨询。",
    },
    "staff_new_case": {
        "channel": "email",
        "subject": "新工单 {{ number }}",
        "body": "{{ unit }}收到新工单 {{ number }}：{{ title|truncatechars:30 }}。"
        "{% if due %}请在" + DUE + "前办理并答复。{% endif %}请登录工作台签收办理。",
    },
    "staff_deadline_yellow": {
        "channel": "email",
        "subject": "工单 {{ number }} 即将到期",
        "body": "工单 {{ number }}（{{ title|truncatechars:30 }}）距办理时限仅剩1个工作日"
        "{% if due %}（" + DUE + "）{% endif %}，请抓紧办理。",
    },
    "staff_overdue": {
        "channel": "email",
        "subject": "工单 {{ number }} 已超期",
        "body": "工单 {{ number }}（{{ title|truncatechars:30 }}）已超过办理时限"
        "{% if due %}（" + DUE + "）{% endif %}，已自动督办，请立即办理。",
    },
    "login_attack": {
        "channel": "email",
        "subject": "账号 {{ username }} 疑似遭受密码猜测",
        "body": "账号 {{ username }} 在{{ minutes }}分钟内登录失败{{ failures }}次，来自{{ addresses }}个不同地址，"
        "疑似有人猜测其密码。该账号现只能从曾成功登录过的地址登录，其他地址的登录一律拒绝，"
        "直至连续{{ minutes }}分钟无新的尝试。请登录管理后台“登录告警”查看处理。",
    },
    "dispute_accepted": {
        "channel": "sms",
        "subject": "纠纷已受理调解",
        "body": "您的纠纷（编号 {{ number }}）已受理调解，调解员将与您联系"
        '{% if due %}，调解期限至{{ due|date:"n月j日" }}{% endif %}。可在H5“我的调解”中查看进展。',
    },
    "dispute_session": {
        "channel": "sms",
        "subject": "调解安排",
        "body": "您的纠纷（编号 {{ number }}）定于" + DUE + "在{{ unit }}调解，请准时参加。",
    },
    "dispute_result": {
        "channel": "sms",
        "subject": "调解结果",
        "body": "您的纠纷（编号 {{ number }}）调解结果：{{ reason }}。可在H5“我的调解”中查看。",
    },
    "staff_new_dispute": {
        "channel": "email",
        "subject": "新调解任务 {{ number }}",
        "body": "{{ unit }}：纠纷 {{ number }}（{{ title|truncatechars:30 }}）已指派给您"
        "{% if due %}，请在" + DUE + "前调解结案{% endif %}。请登录工作台“矛盾调解”办理。",
    },
    "staff_dispute_due": {
        "channel": "email",
        "subject": "纠纷 {{ number }} 调解期限提醒",
        "body": "纠纷 {{ number }}（{{ title|truncatechars:30 }}）{{ reason }}"
        "{% if due %}（期限 " + DUE + "）{% endif %}，请抓紧调解。",
    },
    "staff_risk_alert": {
        "channel": "email",
        "subject": "{{ reason }}矛盾风险：{{ title|truncatechars:20 }}",
        "body": "{{ unit }}发现{{ reason }}矛盾纠纷风险{% if number %}（纠纷 {{ number }}）{% endif %}："
        "{{ title|truncatechars:60 }}。可能激化，请立即关注处置。",
    },
    "staff_articles_expiring": {
        "channel": "email",
        "subject": "知识库：{{ reason }}条知识即将到期",
        "body": '{{ unit }}有{{ reason }}条知识{% if due %}将于{{ due|date:"n月j日" }}起陆续{% endif %}到期或已过期，'
        "到期后群众将查不到，请登录工作台“知识库—即将到期”修订或下架。",
    },
    "staff_articles_to_review": {
        "channel": "email",
        "subject": "知识库：{{ reason }}条知识待审核",
        "body": "知识库有{{ reason }}条知识等待审核发布，请登录工作台“知识库—待审核”处理。",
    },
}
