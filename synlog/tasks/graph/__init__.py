"""Graph tasks: paths, cycles, colourings, orders, flows, trees and matchings over a graph the
prompt lists. Optimisation answers are checked for validity and for optimal value (computed by
an exact solver at generation); "no such thing" is a real answer where the instance is proved
infeasible."""
