"""Search and planning tasks: a sequence of moves the verifier simulates (mazes, sliding
puzzles, Sokoban, Rush Hour, Hanoi, jugs...), checked for legality, for reaching the goal and,
where the task asks for it, for optimal length proved by exhaustive search at generation."""
