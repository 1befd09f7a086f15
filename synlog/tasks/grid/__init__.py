"""Grid puzzles: fill a board so that every rule holds (sudoku, KenKen, Nurikabe, ...).

Each generator proves its instance has exactly one solution with python-sat (a clause that
blocks the gold must make the encoding unsatisfiable); the board helpers and SAT encodings
they share are in ``synlog.tasks.common`` (``boards``, ``grids``, ``satenc``).
"""
