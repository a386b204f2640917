"""What ships with the program as files: the bundled catalogue and the training scenarios.

Found by path from here (the package is installed as files and the catalogue is read by
path everywhere), so nothing heavier than pathlib loads to find them.
"""

from __future__ import annotations

from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent
BUNDLED_CATALOGUE = DATA_DIR / "catalogue.json"
