package io.veloq.bench;

import io.veloq.bench.core.CoreSuite;
import io.veloq.bench.io.IoSuite;
import java.util.List;
import java.util.Optional;

/** Every suite {@code bench/run} knows, by command-line name. */
public final class Suites {

    private Suites() {
    }

    public static List<Suite> all() {
        return List.of(CoreSuite.suite(), IoSuite.suite());
    }

    public static Optional<Suite> byName(String name) {
        return all().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
