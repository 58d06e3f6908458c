"""Knowledge-base search benchmark (not a test): 5,000 published articles in PostgreSQL, the
searches an agent makes at intake (a two-character word, a typed sentence, with a category).

    .venv/bin/python bench/bench_kb_search.py --articles 5000 --runs 50

Uses a dedicated database `bench_kb` on the server of DATABASE_URL (default
postgres://postgres@127.0.0.1:5432/), creating and migrating it if missing; the articles (Chinese
text assembled from the domain's phrases, ~600 characters each, indexed through the same
`knowledge.search.article_terms` the service uses) are kept between runs when the count matches.
Measured: `knowledge.selectors.article_search` (ranking + highlights, everything the intake panel
and the API do) per query, median and p95 over --runs after 5 warm-up runs. Target ≤ 100 ms."""
import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bench_sweep import _database_url, _ensure_database, _setup_django  # noqa: E402

PHRASES = [
    "居民生活用电实行阶梯电价", "按年度累计用电量分三档计费", "峰谷分时电价在晚间低谷时段更便宜",
    "电费账单可在网上国网查询",
    "缴费渠道包括营业厅、网上国网、银行代扣", "欠费停电前七天送达停电通知", "缴清电费后两小时内恢复供电",
    "二十二点后缴费的次日十点前复电", "新装用电需提供身份证和房产证明", "居民新装五个工作日内装表接电",
    "低压非居民六个工作日", "高压单电源二十二个工作日", "计划检修停电提前七天公告", "故障停电五分钟内通知客户",
    "停电原因和预计恢复时间可拨打95598查询", "电能表校验五个工作日出具结果", "智能电表远程抄表",
    "家用电器因电压异常损坏可申请理赔", "低电压问题由供电所现场核实",
    "过户需要新旧户主身份证明",
    "增值税发票可在网上国网开具", "预付费电表余额不足会提醒", "光伏并网申请受理后上门勘察",
    "充电桩报装按低压非居民办理",
]


def _prepare(n: int) -> None:
    from django.core.management import call_command
    from django.db import connection

    from accounts.demo import seed_org, seed_users
    from accounts.roles import ensure_roles
    from complaints.seed import seed_categories
    from knowledge.models import Article, ArticleTerm
    from knowledge.search import article_terms

    call_command("migrate", verbosity=0, interactive=False)
    ensure_roles()
    seed_categories()
    units = seed_org()
    seed_users(units)
    if Article.objects.filter(status="published").count() == n:
        return
    print(f"generating {n:,} articles …", flush=True)
    started = time.perf_counter()
    with connection.cursor() as cur:
        cur.execute("TRUNCATE knowledge_articleterm, knowledge_knowledgeanswer, knowledge_historicalarticle, "
                    "knowledge_article_categories, knowledge_article CASCADE")
    rng = random.Random(18)
    owner = units["KF"]
    for start in range(0, n, 500):
        batch = []
        for i in range(start, min(n, start + 500)):
            title = "".join(rng.sample(PHRASES, 2))[:40] + f"({i})"
            body = "。".join(rng.choice(PHRASES) for _ in range(40)) + "。"
            batch.append(Article(title=title, body=body, tags=" ".join(rng.sample(["电价", "复电", "新装", "停电",
                                                                                    "计量", "缴费"], 2)),
                                 owner_unit=owner, status="published", use_count=rng.randint(0, 50)))
        Article.objects.bulk_create(batch)
        ArticleTerm.objects.bulk_create([ArticleTerm(article=a, term=t, weight=w) for a in batch
                                         for t, w in article_terms(a).items()], batch_size=5000)
    with connection.cursor() as cur:
        cur.execute("ANALYZE knowledge_articleterm")
        cur.execute("ANALYZE knowledge_article")
    print(f"generated in {time.perf_counter() - started:.1f} s "
          f"({ArticleTerm.objects.count():,} index rows)", flush=True)


def _measure(runs: int) -> dict:
    from complaints.models import Category
    from knowledge.selectors import article_search

    category = Category.objects.filter(code="YX05").first() or Category.objects.filter(parent__isnull=False).first()
    queries = {"two characters 电价": ("电价", None),
               "typed sentence": ("客户说这个月电费怎么这么高，是不是阶梯电价", None),
               "sentence + category": ("欠费停电了，交了钱多久能来电", category.pk),
               "rare word 光伏": ("光伏", None)}
    out = {}
    for name, (query, category_id) in queries.items():
        for _ in range(5):
            article_search(query, category_id=category_id)
        times = []
        for _ in range(runs):
            started = time.perf_counter()
            hits = article_search(query, category_id=category_id)
            times.append((time.perf_counter() - started) * 1000)
        times.sort()
        out[name] = {"median_ms": round(statistics.median(times), 1),
                     "p95_ms": round(times[int(len(times) * 0.95) - 1], 1), "hits": len(hits)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=50)
    parser.add_argument("--db", default="bench_kb")
    args = parser.parse_args()
    url = _database_url(args.db)
    _ensure_database(url)
    _setup_django(url)
    _prepare(args.articles)
    result = {"articles": args.articles, "runs": args.runs, "target_ms": 100, "searches": _measure(args.runs)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
