"""Runs axe-core against the page open in the browser and explains any WCAG 2.2 A/AA violation."""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
_axe = Axe()


def wcag_violations(page) -> list[str]:
    results = _axe.run(
        page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}
    )
    problems = []
    for violation in results.response["violations"]:
        targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        problems.append(
            f"{page.url}: {violation['id']} ({violation['impact']}): {violation['help']} at {targets}"
        )
    return problems
