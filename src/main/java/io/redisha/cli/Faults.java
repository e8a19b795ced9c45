package io.redisha.cli;

import io.redisha.backend.FaultKind;
import io.redisha.backend.docker.SingleEngineBackend;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.Iterator;
import java.util.List;

/** The values of {@code --fault}: exactly the faults the backend declares, for completion and for parsing. */
final class Faults implements Iterable<String>, ITypeConverter<FaultKind> {
    private static List<FaultKind> declared() {
        return SingleEngineBackend.FAULTS;
    }

    @Override
    public Iterator<String> iterator() {
        return declared().stream().map(FaultKind::name).iterator();
    }

    @Override
    public FaultKind convert(String value) {
        return declared().stream().filter(f -> f.name().equals(value)).findFirst()
                .orElseThrow(() -> new TypeConversionException("expected one of "
                        + declared().stream().map(FaultKind::name).toList() + " but was '" + value + "'"));
    }
}
