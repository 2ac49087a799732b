"""``python -m kiosk.nlu.speed MODEL_DIR QUERIES.txt``: load time, latency, peak RSS as JSON."""

import json
import sys
from pathlib import Path

from kiosk.nlu.clinc import measure_speed

print(json.dumps(measure_speed(Path(sys.argv[1]), Path(sys.argv[2]))))
