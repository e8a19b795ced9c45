package io.redisha.backend;

import io.redisha.backend.Service;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The part of a Redis node's start script (POSIX sh, before the image's entrypoint) that keeps a
 * restarted node from coming back as a master its replicas would copy.
 *
 * <p>A task starts on an overlay address that no Sentinel may know: started as a master it would
 * stay one, alone and empty. So it asks the Sentinels (by their service names on the overlay) for
 * the current master, believing the one with the highest config epoch, and, when that is another
 * node, follows it. When they still name this task's
 * own address (the task came back on the same address before Sentinel promoted a replica), it
 * waits for the promotion, at most the hold-back, then starts as it is.
 *
 * <p>On a single engine a node keeps its fixed address and its files across a restart (by hand,
 * by the engine, after an out-of-memory kill): the Sentinels then still name it while it waits,
 * see it down and promote a replica, which it then follows. Its configuration file persists too,
 * so following replaces any {@code replicaof} line already there (from an earlier start or a
 * Sentinel's CONFIG REWRITE) rather than adding another.
 */
public final class StartScript {
    private StartScript() {
    }

    /** The names of the Sentinels a starting node asks, a few beyond the count for a scale in progress. */
    public static List<String> sentinelNames(String project, int sentinels) {
        List<String> names = new java.util.ArrayList<>();
        for (int i = 1; i <= sentinels + 2; i++) {
            names.add(Naming.container(project, Service.SENTINEL, i));
        }
        return names;
    }

    /**
     * @param files        the node's files: the first {@code *.conf} is the one {@code replicaof} is added to
     * @param sentinels    service names of the Sentinels to ask, in order
     * @param holdBack     longest wait while the Sentinels name this task's own address; zero for none
     * @param passwordFile file in the task holding Sentinel's password, or null; it reaches redis-cli
     *                     through REDISCLI_AUTH on its command only (never the server's environment)
     */
    public static String followSentinels(Map<String, byte[]> files, List<String> sentinels, String masterName,
                                  Duration holdBack, String passwordFile) {
        return followSentinels(files, sentinels, masterName, holdBack, passwordFile, null);
    }

    /**
     * As {@link #followSentinels(Map, List, String, Duration, String)}; when the file {@code firstStart}
     * exists the script removes it and starts the server at once, without asking: it is put into a node
     * created with a new deployment (nothing to protect yet, and its own Sentinels, starting beside it,
     * would name it master), so only the node's first start skips the question. A node that cannot
     * remove it asks, as every later start does.
     *
     * @param firstStart the marker's path in the node, or null to ask at every start
     */
    public static String followSentinels(Map<String, byte[]> files, List<String> sentinels, String masterName,
                                         Duration holdBack, String passwordFile, String firstStart) {
        String config = files.keySet().stream().filter(f -> f.endsWith(".conf")).sorted().findFirst().orElse(null);
        if (config == null) {
            return "";
        }
        long hold = (holdBack.toMillis() + 999) / 1000;
        String auth = passwordFile == null ? "" : "REDISCLI_AUTH=\"$auth\" ";
        return "cli=$(command -v redis-cli || command -v valkey-cli || true)\n"
                // a Sentinel on a host cut off the network would hold a connect for minutes
                + "limit=$(command -v timeout >/dev/null && echo 'timeout 3' || true)\n"
                + (passwordFile == null ? "" : "auth=$(cat " + passwordFile + " 2>/dev/null || true)\n")
                // Every Sentinel is asked; the one with the highest config epoch has the latest view (a
                // Sentinel restarted with the task, on the same host, may still name the old master).
                // An answer is an address, a port and an epoch; anything else (an error) is none.
                + "ask() { best=-1; answer=; for s in " + String.join(" ", sentinels) + "; do set -- $(" + auth
                + "$limit \"$cli\" -h \"$s\" -p " + Service.SENTINEL.port() + " --raw SENTINEL master " + masterName
                + " 2>/dev/null | awk 'NR % 2 == 1 { k = $0; next } k == \"ip\" { ip = $0 } k == \"port\" { p = $0 }"
                + " k == \"config-epoch\" { e = $0 } END { if (ip != \"\" && p ~ /^[0-9]+$/ && e ~ /^[0-9]+$/) print ip, p, e }');"
                + " if [ -n \"${3:-}\" ] && [ \"$3\" -gt \"$best\" ]; then best=$3; answer=\"$1 $2\"; fi; done;"
                + " echo \"$answer\"; }\n"
                + "mine() { for ip in $(awk '/32 host/ { print f } { f = $2 }' /proc/net/fib_trie); do"
                + " [ \"$ip\" = \"$1\" ] && return 0; done; return 1; }\n"
                // a function: its set -- leaves the script's own arguments (the command to exec) alone
                + "follow() {\n"
                + "  set -- $(ask); since=$(date +%s); told=\n"
                + "  while [ -n \"${1:-}\" ] && mine \"$1\" && [ $(($(date +%s) - since)) -lt " + hold + " ]; do\n"
                + "    if [ -z \"$told\" ]; then told=yes; echo \"redisha: the Sentinels still name this node ($1) as the"
                + " master; waiting up to " + hold + " s for them to promote a replica before starting\" >&2; fi\n"
                + "    sleep 1; set -- $(ask)\n"
                + "  done\n"
                + "  if [ -n \"${1:-}\" ] && ! mine \"$1\"; then\n"
                + "    grep -v -i -E '^[[:space:]]*(replicaof|slaveof)[[:space:]]' " + config + " > " + config
                + ".redisha-tmp || true\n"
                + "    echo \"replicaof $1 $2\" >> " + config + ".redisha-tmp; cat " + config + ".redisha-tmp > " + config
                + "; rm -f " + config + ".redisha-tmp\n"
                + "    echo \"redisha: following the master the Sentinels name, $1:$2\" >&2\n  fi\n"
                + "}\n"
                + (firstStart == null ? "" : "if rm " + firstStart + " 2>/dev/null; then cli=; fi\n")
                + "if [ -n \"$cli\" ]; then follow; fi\n"
                + "unset auth\n";
    }
}
