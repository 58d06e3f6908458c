"""The transparent points model: each factor adds its weight (a business setting) per unit of
what it counts; the sum is the score and thresholds (settings) make the level. Pure: features in,
score out — the live recomputation (risk.features) and the calibration report use the same rule."""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from core.config import setting

from .models import Level

FLAG, COUNT, SHARE = "flag", "count", "share"


@dataclass(frozen=True)
class Factor:
    code: str
    label: object  # lazy string; "%(value)s" is the count or share
    kind: str


FACTORS: tuple[Factor, ...] = (
    Factor("mood_agitated", _("客户情绪激动"), FLAG),
    Factor("mood_demands", _("客户明确要求投诉"), FLAG),
    Factor("repeat", _("重复投诉"), FLAG),
    Factor("escalated", _("越级投诉"), FLAG),
    Factor("chases", _("客户催办 %(value)s 次"), COUNT),
    Factor("unsatisfied", _("回访不满意 %(value)s 次"), COUNT),
    Factor("unreachable", _("回访未联系上 %(value)s 次"), COUNT),
    Factor("clock_warnings", _("时限预警 %(value)s 项"), COUNT),
    Factor("clock_breaches", _("时限超时 %(value)s 项"), COUNT),
    Factor("prior_12398", _("客户12个月内另有12398工单 %(value)s 件"), COUNT),
    Factor("prior_complaints", _("客户12个月内另有投诉 %(value)s 件"), COUNT),
    Factor("sensitive", _("敏感客户"), FLAG),
    Factor("category_share", _("该分类历史越级/12398占比 %(value)s"), SHARE),
    Factor("outage", _("客户所在区域有未结束的停电事件"), FLAG),
)
BY_CODE = {f.code: f for f in FACTORS}


def weight_key(code: str) -> str:
    return f"risk_weight_{code}"


def weights() -> dict[str, float]:
    return {f.code: float(setting(weight_key(f.code))) for f in FACTORS}


def thresholds() -> dict[str, float]:
    return {Level.YELLOW: float(setting("risk_level_yellow")), Level.ORANGE: float(setting("risk_level_orange")),
            Level.RED: float(setting("risk_level_red"))}


def points(factor: Factor, value, weight: float, cap: int) -> int:
    if factor.kind == FLAG:
        return round(weight) if value else 0
    if factor.kind == COUNT:
        return round(weight * min(int(value or 0), cap))
    return round(weight * float(value or 0))


def level_of(score: int, limits: dict[str, float]) -> str:
    for level in (Level.RED, Level.ORANGE, Level.YELLOW):
        if score >= limits[level]:
            return level
    return Level.NONE


class Model:
    """Weights, cap and thresholds read once (a sweep scores 100,000 tickets with one read)."""

    def __init__(self, weights_: dict[str, float] | None = None):
        self.weights = weights_ if weights_ is not None else weights()
        self.cap = int(setting("risk_count_cap"))
        self.limits = thresholds()
        self.sensitive_n = int(setting("sensitive_complaints_n"))

    def score(self, features: dict) -> tuple[int, str, list[dict]]:
        """(score, level, factors) — factors that gave points, largest first."""
        factors = []
        for factor in FACTORS:
            value = features.get(factor.code)
            got = points(factor, value, self.weights.get(factor.code, 0.0), self.cap)
            if got:
                factors.append({"code": factor.code, "points": got,
                                "value": round(value, 2) if factor.kind == SHARE else int(value)})
        factors.sort(key=lambda f: -f["points"])
        total = max(0, sum(f["points"] for f in factors))
        return total, level_of(total, self.limits), factors


def factor_label(item: dict) -> str:
    """The "why" of one stored factor, in the request's language."""
    factor = BY_CODE.get(item["code"])
    if factor is None:
        return item["code"]
    value = item.get("value")
    if factor.kind == SHARE:
        value = f"{float(value or 0):.0%}"
    return str(factor.label) % {"value": value} if "%(value)s" in str(factor.label) else str(factor.label)


def explain(factors: list[dict]) -> list[dict]:
    """The API / page shape: [{"code", "label", "points"}]."""
    return [{"code": f["code"], "label": factor_label(f), "points": f["points"]} for f in factors]
