package io.redisha.cli;

import io.redisha.backend.docker.EngineProbe;
import io.redisha.cluster.Doctor;
import io.redisha.report.DoctorReport;
import io.redisha.topology.LoadedTopology;
import io.redisha.topology.Secrets;
import io.redisha.topology.TopologyException;
import io.redisha.topology.TopologyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "doctor", mixinStandardHelpOptions = true,
        description = "Check, in order, what redisha needs: Java, the Docker engine (socket, permission, API version), "
                + "the image (on the engine, its server and version, TLS support), the fixed host ports, the topology "
                + "file (as up checks it) and, on Swarm, the hosts. Each failure says what to do and has its own exit "
                + "code (the first failure's is returned). Changes nothing.")
public class DoctorCommand implements Callable<Integer> {
    /** Each failure's exit code. */
    static final Map<Doctor.Failure, Integer> EXIT_CODES = Map.ofEntries(
            Map.entry(Doctor.Failure.JAVA, ExitCodes.DOCTOR_JAVA),
            Map.entry(Doctor.Failure.ENGINE_SOCKET_MISSING, ExitCodes.DOCTOR_SOCKET_MISSING),
            Map.entry(Doctor.Failure.ENGINE_SOCKET_DENIED, ExitCodes.DOCTOR_SOCKET_DENIED),
            Map.entry(Doctor.Failure.ENGINE_UNREACHABLE, ExitCodes.DOCTOR_ENGINE_UNREACHABLE),
            Map.entry(Doctor.Failure.ENGINE_API, ExitCodes.DOCTOR_ENGINE_API),
            Map.entry(Doctor.Failure.IMAGE_MISSING, ExitCodes.DOCTOR_IMAGE_MISSING),
            Map.entry(Doctor.Failure.IMAGE_NO_SERVER, ExitCodes.DOCTOR_IMAGE_NO_SERVER),
            Map.entry(Doctor.Failure.IMAGE_NO_TLS, ExitCodes.DOCTOR_IMAGE_NO_TLS),
            Map.entry(Doctor.Failure.PORT_TAKEN, ExitCodes.DOCTOR_PORT_TAKEN),
            Map.entry(Doctor.Failure.TOPOLOGY, ExitCodes.DOCTOR_TOPOLOGY),
            Map.entry(Doctor.Failure.SWARM, ExitCodes.DOCTOR_SWARM));

    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    OutputOption output;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--tls", description = "Fail when the image's server cannot serve TLS.")
    boolean tls;

    @Override
    public Integer call() {
        Doctor.TopologyResult topology = topology();
        List<Doctor.Check> checks = Doctor.run(new Doctor.Inputs(Runtime.version(), EngineProbe::probe, () -> topology,
                t -> Session.connect(t, secrets), tls));
        int code = Doctor.firstFailure(checks).map(EXIT_CODES::get).orElse(ExitCodes.OK);
        var out = spec.commandLine().getOut();
        out.print(output.json() ? DoctorReport.json(checks, code) : DoctorReport.text(checks));
        out.flush();
        return code;
    }

    private Secrets secrets;

    /** The topology as up reads it: the file, its validation, the passwords it names. */
    private Doctor.TopologyResult topology() {
        try {
            LoadedTopology loaded = project.load();
            secrets = TopologyLoader.secrets(loaded, System.getenv());
            return new Doctor.TopologyResult(loaded, null);
        } catch (UserException | TopologyException e) {
            return new Doctor.TopologyResult(null, e.getMessage());
        }
    }
}
