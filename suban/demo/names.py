"""Made-up Chinese full names, drawn deterministically (common Qingdao surnames, ordinary given names)."""

from __future__ import annotations

import random

SURNAMES = "王李张刘孙于杨赵徐姜高曲宋林周郭崔薛隋苏吕邵韩董梁胡袁纪官"
GIVEN = "建国志强海明晓丽静涛军红伟芳娜磊洋勇艳杰婷鹏辉敏超华玲文斌燕峰丹宁春雪梅立新振宇凯琳欣怡俊浩嘉慧"


class NameMaker:
    """Hands out distinct names; the same seed gives the same names in the same order."""

    def __init__(self, seed: int, taken: set[str] | None = None) -> None:
        self._rng = random.Random(seed)
        self._taken = set(taken or ())

    def __call__(self) -> str:
        while True:
            length = 1 if self._rng.random() < 0.2 else 2
            name = self._rng.choice(SURNAMES) + "".join(self._rng.choice(GIVEN) for _ in range(length))
            if name not in self._taken:
                self._taken.add(name)
                return name
