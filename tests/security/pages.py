"""Concrete URLs for the catalogued routes, built from sample objects, for the crawling tests."""
from django.urls import reverse

from .catalog import CATALOG, project_patterns


def route_kwargs(route: str, sample: dict) -> dict:
    kwargs = {}
    for part in route.split("<")[1:]:
        name = part.split(">")[0].split(":")[-1]
        kwargs[name] = sample[name]
    return kwargs


def urls_for(kinds=("page",), methods="GET", sample=None, names=None):
    """[(name, url)] for every catalogued route of these kinds answering `methods`."""
    out = []
    for route, name in project_patterns():
        entry = CATALOG.get(name)
        if entry is None or entry.kind not in kinds or methods not in entry.methods:
            continue
        if names is not None and name not in names:
            continue
        try:
            kwargs = route_kwargs(route, sample or {})
        except KeyError:
            continue
        out.append((name, reverse(name, kwargs=kwargs)))
    return out
