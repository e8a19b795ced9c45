package io.redisha.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "down", description = "Remove the project's containers and network; nothing else on the engine is touched.")
public class DownCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;
    @Mixin
    ProjectOptions project;
    @Mixin
    LoggingMixin logging;
    @Option(names = "--images", description = "Also remove the project's Sentinel image.")
    boolean images;

    @Override
    public Integer call() {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (Session session = Session.openExclusive(project, err, "down")) {
            int removed = session.cluster.down(images);
            out.printf("removed %d containers of project %s%n", removed, session.loaded.topology().project());
            out.flush();
            return ExitCodes.OK;
        }
    }
}
