"""Every template is used somewhere: dead templates hide dead features."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Found by Django itself rather than named in code.
IMPLICIT = {"404.html", "403.html", "500.html", "base.html"}


def test_no_unused_templates():
    templates = {
        str(p.relative_to(d)): p
        for d in ROOT.glob("atout/*/templates")
        for p in d.rglob("*")
        if p.is_file()
    }
    sources = "\n".join(
        p.read_text(encoding="utf-8")
        for p in [*ROOT.glob("atout/**/*.py"), *ROOT.glob("atout/**/templates/**/*.*")]
    )
    unused = [
        name
        for name in templates
        if name not in IMPLICIT and not re.search(re.escape(name), sources)
    ]
    assert unused == []
