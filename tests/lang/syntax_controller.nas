// `controller` (§3.8): an algorithm with keyword arguments and a seed.
controller {
    algorithm evolution(population = 64, sample = 16)
    seed      7
}
