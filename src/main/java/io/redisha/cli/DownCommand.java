package io.redisha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "down", mixinStandardHelpOptions = true,
        description = "Remove the project's containers and network; nothing else on the engine is touched.")
public class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--images", description = "Also remove the project's Sentinel image.")
    boolean images;
    @Option(names = "--volumes", description = "Also remove the project's data volumes (persistent data is lost).")
    boolean volumes;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.openExclusive(project, err, "down")) {
            var result = session.cluster.down(images, volumes);
            out.printf("removed %d containers of project %s%n", result.containers(), session.loaded.topology().project());
            if (result.volumesRemoved() > 0) {
                out.printf("removed %d data volumes%n", result.volumesRemoved());
            }
            if (!result.volumesKept().isEmpty()) {
                out.printf("kept %d data volumes (%s); down --volumes removes them%n", result.volumesKept().size(),
                        String.join(", ", result.volumesKept()));
            }
            out.flush();
            return ExitCodes.OK;
        }
    }
}
