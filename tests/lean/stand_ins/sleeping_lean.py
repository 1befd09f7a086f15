"""A stand-in for lean that never answers (for the timeout test)."""

import time

time.sleep(60)
