"""The one masking of personal numbers and addresses typed into free text (suban.crypto.mask_in_text), which
every public output uses: Open311, the city platform's deliveries, the H5's requests of others."""

import pytest

from suban.crypto import mask_in_text


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("电话13800000001", "电话138****0001"),
        ("电话138-0000-0001或138 0000 0001", "电话138****0001或138****0001"),
        ("身份证370212199001011234", "身份证370212********1234"),
        ("身份证37021219900101123X。", "身份证370212********123X。"),
        ("邮箱zhang.san@qq.com联系", "邮箱z***@qq.com联系"),
        ("mail: Li_Wei+12345@mail.example.gov.cn.", "mail: L***@mail.example.gov.cn."),
        ("QQ邮箱123456789@qq.com", "QQ邮箱1***@qq.com"),
        ("路灯不亮", "路灯不亮"),
        ("订单号 20260209000001 不是电话", "订单号 20260209000001 不是电话"),
        ("", ""),
    ],
)
def test_it_masks_what_points_at_a_person(text, shown):
    assert mask_in_text(text) == shown
