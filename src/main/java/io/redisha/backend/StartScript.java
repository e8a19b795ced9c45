package io.redisha.backend;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The command that starts a protected Redis node: the POSIX sh program {@code start-node.sh} (a
 * resource beside this class; what it does is described at its top), run before the image's
 * entrypoint, which it then execs with the node's command.
 *
 * <p>A task starts on an overlay address that no Sentinel may know: started as a master it would
 * stay one, alone and empty. On a single engine a node keeps its fixed address and its files across
 * a restart (by hand, by the engine, after an out-of-memory kill): the Sentinels then still name it
 * while it waits, see it down and promote a replica, which it then follows.
 *
 * <p>Only names, paths and numbers are passed as arguments (they show in {@code docker inspect});
 * Sentinel's password stays in a file of the node.
 */
public final class StartScript {
    /** The program's {@code $0} in a node's command, which its options follow. */
    public static final String PROGRAM_NAME = "redisha-start";
    /** The option naming the first-start marker. */
    public static final String FIRST_START = "--first-start";

    /** The program, as run by {@code sh -c}. */
    public static final String TEXT = ShellScript.load("start-node.sh");

    private StartScript() {
    }

    /** The names of the Sentinels a starting node asks, a few beyond the count for a scale in progress. */
    public static List<String> sentinelNames(String project, int sentinels) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= sentinels + 2; i++) {
            names.add(Naming.container(project, Service.SENTINEL, i));
        }
        return names;
    }

    /** The start script's {@code --peers}: the master's name, then the prefix of the replicas' names. */
    static String peers(String project) {
        String replica = Naming.container(project, Service.REPLICA, 1);
        return Naming.container(project, Service.MASTER, 1) + " " + replica.substring(0, replica.length() - 1);
    }

    /**
     * {@code sh -c SCRIPT redisha-start OPTIONS... --}: the command to put before the image's
     * entrypoint and the node's command, which the script execs once it is done.
     *
     * @param files        the node's files: the first {@code *.conf} is the one {@code replicaof} is written to
     * @param sentinels    how many Sentinels the project has (a few more are asked, for a scale in progress)
     * @param holdBack     longest wait while the Sentinels name this node's own address; zero for none
     * @param passwordFile file in the node holding Sentinel's password, or null
     * @param firstStart   the first-start marker's path in the node (the script removes it and starts the
     *                     server at once, without asking), or null to ask at every start
     */
    public static List<String> command(String project, Map<String, byte[]> files, int sentinels, String masterName,
                                       Duration holdBack, String passwordFile, String firstStart) {
        return command(project, files, sentinels, masterName, holdBack, passwordFile, null, firstStart);
    }

    /**
     * @param authUser the ACL user the script logs in as (on the Sentinels and the Redis nodes, with the
     *                 password of {@code passwordFile}), or null for the default user
     */
    public static List<String> command(String project, Map<String, byte[]> files, int sentinels, String masterName,
                                       Duration holdBack, String passwordFile, String authUser, String firstStart) {
        List<String> command = new ArrayList<>(List.of("sh", "-c", TEXT, PROGRAM_NAME));
        files.keySet().stream().filter(f -> f.endsWith(".conf")).sorted().findFirst()
                .ifPresent(config -> command.addAll(List.of("--config", config)));
        command.addAll(List.of("--sentinels", String.join(" ", sentinelNames(project, sentinels)),
                "--sentinel-port", Integer.toString(Service.SENTINEL.port()),
                "--master-name", masterName,
                "--hold-back", Long.toString((holdBack.toMillis() + 999) / 1000),
                "--peers", peers(project),
                "--redis-port", Integer.toString(Service.MASTER.port())));
        if (passwordFile != null) {
            command.addAll(List.of("--sentinel-auth", passwordFile));
        }
        if (authUser != null) {
            command.addAll(List.of("--auth-user", authUser));
        }
        if (firstStart != null) {
            command.addAll(List.of(FIRST_START, firstStart));
        }
        command.add("--");
        return command;
    }
}
