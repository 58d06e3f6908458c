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


class Model:
    """Weights, cap and thresholds read once (a sweep scores 100,000 tickets with one read)."""

    def __init__(self, weights_: dict[str, float] | None = None):
        self.weights = weights_ if weights_ is not None else weights()
        self.cap = int(setting("risk_count_cap"))
        self.limits = thresholds()
        self.sensitive_n = int(setting("sensitive_complaints_n"))
        # (code, kind, weight) of the factors that can give points: the sweep's inner loop.
        self._live = [(f.code, f.kind, self.weights.get(f.code, 0.0)) for f in FACTORS
                      if self.weights.get(f.code, 0.0)]
        self._levels = [(self.limits[level], level) for level in (Level.RED, Level.ORANGE, Level.YELLOW)]

    def score(self, features: dict) -> tuple[int, str, list[dict]]:
        """(score, level, factors) — factors that gave points, largest first (`points` inlined)."""
        factors = []
        for code, kind, weight in self._live:
            value = features.get(code)
            if not value:
                continue
            if kind == FLAG:
                factors.append({"code": code, "points": round(weight), "value": int(value)})
            elif kind == COUNT:
                factors.append({"code": code, "points": round(weight * min(int(value), self.cap)),
                                "value": int(value)})
            else:
                factors.append({"code": code, "points": round(weight * float(value)), "value": round(value, 2)})
        factors = [f for f in factors if f["points"]]
        if len(factors) > 1:
            factors.sort(key=_minus_points)
        total = max(0, sum(f["points"] for f in factors))
        for limit, level in self._levels:
            if total >= limit:
                return total, level, factors
        return total, Level.NONE, factors


def _minus_points(item: dict) -> int:
    return -item["points"]


def factor_label(item: dict, labels: dict[str, str] | None = None) -> str:
    """The "why" of one stored factor, in the request's language (`labels`: code → translated
    label, for callers that label many)."""
    factor = BY_CODE.get(item["code"])
    if factor is None:
        return item["code"]
    label = labels[factor.code] if labels else str(factor.label)
    value = item.get("value")
    if factor.kind == SHARE:
        value = f"{float(value or 0):.0%}"
    return label % {"value": value} if "%(value)s" in label else label


def explain(factors: list[dict]) -> list[dict]:
    """The API / page shape: [{"code", "label", "points"}]."""
    return [{"code": f["code"], "label": factor_label(f), "points": f["points"]} for f in factors]
