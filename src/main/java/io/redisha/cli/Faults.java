package io.redisha.cli;

import io.redisha.backend.Backend;
import io.redisha.backend.FaultKind;
import io.redisha.backend.docker.SingleEngineBackend;
import io.redisha.backend.swarm.SwarmBackend;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The values of {@code --fault}: the faults some backend declares, for completion and parsing; the
 * backend the topology chooses then says whether it can inject the one asked for ({@link #resolve}).
 */
final class Faults implements Iterable<String>, ITypeConverter<String> {
    private static Set<String> names() {
        Set<String> names = new LinkedHashSet<>();
        Stream.of(SingleEngineBackend.FAULTS, SwarmBackend.FAULTS).flatMap(List::stream).forEach(f -> names.add(f.name()));
        return names;
    }

    @Override
    public Iterator<String> iterator() {
        return names().iterator();
    }

    /** One fault, or a comma-separated list of them to cycle over the rounds. */
    @Override
    public String convert(String value) {
        for (String name : split(value)) {
            if (!names().contains(name)) {
                throw new TypeConversionException("expected one of " + List.copyOf(names())
                        + " (or a comma-separated list of them) but was '" + name + "'");
            }
        }
        return value;
    }

    static List<String> split(String value) {
        return List.of(value.split(",", -1)).stream().map(String::strip).toList();
    }

    /** The backend's faults of those names, in order; its first (default) fault when none was asked for. */
    static List<FaultKind> resolveAll(String names, Backend backend) {
        return names == null ? List.of(resolve(null, backend))
                : split(names).stream().map(n -> resolve(n, backend)).toList();
    }

    /** The backend's fault of that name; its first (default) fault when none was asked for. */
    static FaultKind resolve(String name, Backend backend) {
        List<FaultKind> declared = backend.faults();
        if (name == null) {
            return declared.get(0);
        }
        return declared.stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new UserException(ExitCodes.USAGE, "--fault " + name + " is not supported on "
                        + backend.describe() + "; choose one of " + declared.stream().map(FaultKind::name).toList()));
    }
}
