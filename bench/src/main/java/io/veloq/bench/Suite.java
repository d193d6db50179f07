package io.veloq.bench;

import java.util.List;
import java.util.function.Supplier;

/**
 * A set of scenarios run by {@code bench/run <name>}.
 *
 * @param name        the command-line name, e.g. {@code core}
 * @param description one line for the usage text and the report header
 * @param scenarios   run in this order
 * @param environment called once before the run: one line for the report header saying what the
 *                    Veloq side runs on (e.g. its driver), or "" when there is nothing to add
 */
public record Suite(String name, String description, List<Scenario> scenarios, Supplier<String> environment) {

    public Suite {
        scenarios = List.copyOf(scenarios);
    }
}
