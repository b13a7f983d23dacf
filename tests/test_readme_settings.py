"""The README's settings table lists every setting the code reads, and nothing else."""

import re

from kgservice import allocator
from kgservice.settings import PROJECT_ROOT, Settings

ROW = re.compile(r"^\| `(KGSERVICE_[A-Z_]+)` \|", re.MULTILINE)


def test_the_readme_lists_every_setting() -> None:
    listed = ROW.findall((PROJECT_ROOT / "README.md").read_text())
    read = {f"KGSERVICE_{name.upper()}" for name in Settings.model_fields}
    read |= {"KGSERVICE_SETTINGS_FILE", allocator.SWITCH}  # read before the settings are
    assert sorted(listed) == sorted(read)
