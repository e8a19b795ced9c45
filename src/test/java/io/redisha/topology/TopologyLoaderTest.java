package io.redisha.topology;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TopologyLoaderTest {

    private static final Path FIXTURES = Path.of("src/test/resources/topology");

    @ParameterizedTest(name = "{0}: {1} (line {2}) {3}")
    @CsvSource(delimiter = '|', nullValues = "null", textBlock = """
        quorum-above-count.yml  | sentinels.quorum            | 4    | 4 is more than the 3 sentinels
        unknown-key.yml         | sentinels.qourum            | 5    | unknown key; did you mean "quorum"?
        unknown-synonym.yml     | slaves                      | 2    | unknown key; did you mean "replicas"?
        wrong-type.yml          | sentinels.quorum            | 3    | expected an integer, got boolean true
        float-number.yml        | master.min-replicas-max-lag | 2    | expected an integer, got float 2.5
        string-number.yml       | sentinels.count             | 2    | expected an integer, got string "3"
        section-wrong-type.yml  | master                      | 1    | expected a mapping, got integer 5
        negative-replicas.yml   | replicas.count              | 1    | must be 0 or more, got -1
        zero-sentinels.yml      | sentinels.count             | 2    | must be at least 1, got 0
        quorum-zero.yml         | sentinels.quorum            | 2    | must be at least 1, got 0
        bad-master-name.yml     | sentinels.master-name       | 2    | "my master" is not a valid master name
        bad-image.yml           | image                       | 1    | "Redis:7" is not a valid Docker image reference
        bad-project.yml         | project                     | 1    | "My_Project" is not a valid project name
        bad-bind.yml            | bind                        | 1    | "localhost" is not an IPv4 address
        duplicate-port.yml      | replicas.host-ports[1]      | 5    | port 6379 is already used by master.host-port
        port-out-of-range.yml   | master.host-port            | 2    | 70000 is not a port number (1 to 65535)
        host-ports-too-long.yml | replicas.host-ports         | 3    | 2 host ports for 1 replica
        integer-too-large.yml   | replicas.count              | 1    | integer 99999999999 is out of range
        duplicate-key.yml       | replicas                    | 3    | duplicate key (first defined at line 1)
        merge-key.yml           | replicas.<<                 | 4    | merge keys (<<) are not supported
        local-tag.yml           | image                       | 2    | unsupported YAML tag !local-tag
        syntax-error.yml        | ''                          | 4    | YAML syntax error at line 4, column 17: mapping values are not allowed here
        two-documents.yml       | ''                          | 2    | expected a single document in the stream
        not-a-mapping.yml       | ''                          | 1    | the top level must be a mapping of keys such as replicas: and sentinels:, got a list
        java-tag.yml            | ''                          | 1    | unsupported YAML tag !!javax.script.ScriptEngineManager at line 1, column 1
        java-tag-on-value.yml   | ''                          | 2    | unsupported YAML tag !!java.io.File at line 2, column 8
        alias-bomb.yml          | ''                          | null | more than 10 aliases to lists or mappings
        too-deep.yml            | ''                          | null | nested more than 20 levels deep
        top-level-too-many-keys.yml | ''                      | 1    | the top level has 201 keys, over the limit of 200 for a mapping, at line 1
        too-many-keys.yml       | sentinels                   | 2    | has 201 keys, over the limit of 200 for a mapping
        too-many-entries.yml    | replicas.host-ports         | 2    | has 201 entries, over the limit of 200 for a list
        string-too-long.yml     | image                       | 2    | is 4097 characters long, over the limit of 4096 for a string
        persistence-unknown.yml | persistence                 | 1    | "snapshot" is not one of off, rdb, aof
        persistence-uppercase.yml | persistence               | 1    | "RDB" is not one of off, rdb, aof; did you mean "rdb"?
        persistence-on.yml      | persistence                 | 2    | expected off, rdb or aof, got boolean on: write rdb (snapshots) or aof (append-only file)
        persistence-list.yml    | persistence                 | 1    | expected off, rdb or aof, got a list
        memory-malformed.yml    | resources.memory            | 2    | "256 megs" is not a size: write a number of bytes or a number with k, m or g (powers of 1024), e.g. 256m or 1g
        memory-too-small.yml    | resources.memory            | 2    | 8 MiB is below the minimum of 16 MiB
        memory-too-large.yml    | resources.memory            | 2    | "99999999999g" is too large
        maxmemory-too-small.yml | resources.maxmemory         | 2    | 512 KiB is below the minimum of 1 MiB
        maxmemory-negative.yml  | resources.maxmemory         | 2    | -1 bytes is below the minimum of 1 MiB
        maxmemory-float.yml     | resources.maxmemory         | 2    | expected a size such as 256m, 1g or a number of bytes, got float 1.5
        policy-typo.yml         | resources.maxmemory-policy  | 2    | "allkeys_lru" is not a Redis maxmemory policy; did you mean "allkeys-lru"?
        policy-unknown.yml      | resources.maxmemory-policy  | 2    | "lru" is not a Redis maxmemory policy; expected one of: noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random, volatile-ttl
        resources-not-a-mapping.yml | resources               | 1    | expected a mapping, got string "512m"
        resources-unknown-key.yml | resources.memroy          | 2    | unknown key; did you mean "memory"?
        priority-too-high.yml   | replicas.priorities[1]      | 3    | 1001 is not a replica priority (0 to 1000; 0 = never promoted)
        priority-negative.yml   | replicas.priorities[0]      | 3    | -1 is not a replica priority (0 to 1000; 0 = never promoted)
        priority-not-an-integer.yml | replicas.priorities[0]  | 2    | expected an integer, got string "high"
        priorities-too-long.yml | replicas.priorities         | 3    | 2 priorities for 1 replica: entry i is the priority of replica i+1, so the list can be at most as long as the count
        priorities-not-a-list.yml | replicas.priorities       | 2    | expected a list of priorities, got integer 100
        auth-unknown-key.yml    | auth.password-enx           | 2    | unknown key; did you mean "password-env"?
        auth-inline-password.yml | auth.password              | 3    | do not write the password in the topology; use auth.password-env or auth.password-file
        auth-inline-sentinel-password.yml | auth.sentinel-password | 2 | do not write the password in the topology; use auth.sentinel-password-env or auth.sentinel-password-file
        inline-requirepass.yml  | requirepass                 | 2    | do not write the password in the topology; use auth.password-env or auth.password-file
        inline-sentinels-password.yml | sentinels.password    | 3    | do not write the password in the topology; use auth.sentinel-password-env or auth.sentinel-password-file
        auth-scalar.yml         | auth                        | 1    | expected a mapping, got a string: do not write the password in the topology; use auth.password-env or auth.password-file
        auth-list.yml           | auth                        | 1    | expected a mapping, got a list
        auth-both-sources.yml   | auth.password-file          | 3    | both auth.password-env and auth.password-file are set; keep one
        auth-sentinel-both-sources.yml | auth.sentinel-password-file | 3 | both auth.sentinel-password-env and auth.sentinel-password-file are set; keep one
        auth-env-not-a-name.yml | auth.password-env           | 2    | is not an environment variable name (letters, digits and _, not starting with a digit); it names the variable that holds the password, not the password itself
        auth-env-empty-name.yml | auth.password-env           | 2    | must not be empty
        auth-env-integer.yml    | auth.password-env           | 2    | expected the name of an environment variable, got an integer
        auth-file-list.yml      | auth.sentinel-password-file | 2    | expected a file path, got a list
        auth-file-empty-name.yml | auth.password-file         | 2    | must not be empty
        auth-file-missing.yml   | auth.password-file          | 3    | bad/../secrets/missing.pass does not exist
        auth-file-empty.yml     | auth.sentinel-password-file | 2    | bad/../secrets/empty.pass is empty
        auth-file-directory.yml | auth.password-file          | 2    | bad/../secrets is a directory
        auth-file-two-lines.yml | auth.password-file          | 2    | bad/../secrets/two-lines.pass contains a newline or NUL character (only one newline, at the very end, is allowed)
        auth-file-nul.yml       | auth.password-file          | 2    | bad/../secrets/nul.pass contains a newline or NUL character
        auth-file-too-large.yml | auth.password-file          | 2    | bad/../secrets/large.pass is larger than 4 KiB, the limit for a password file
        auth-file-not-utf8.yml  | auth.password-file          | 2    | bad/../secrets/latin1.pass is not UTF-8 text
        tls-auth-clients-word.yml | tls.auth-clients          | 3    | expected no, optional or yes, got string "sometimes"
        tls-cert-without-key.yml | tls.cert-file              | 3    | needs tls.key-file: give the certificate of the nodes and its key together
        tls-ca-cert-alone.yml   | tls.ca-cert-file            | 3    | needs tls.ca-key-file (redisha issues the node certificates) or tls.cert-file and tls.key-file
        tls-ca-key-alone.yml    | tls.ca-key-file             | 3    | needs tls.ca-cert-file: give the CA's certificate and its key together
        tls-renew-not-below-validity.yml | tls.renew-within-days | 3 | 30 is out of range: 1 to 29 days
        tls-validity-too-short.yml | tls.validity-days        | 2    | 1 is out of range: 2 to 3650 days
        tls-enabled-not-a-boolean.yml | tls.enabled           | 2    | expected true or false
        tls-unknown-key.yml     | tls.enabeld                 | 2    | unknown key; did you mean "enabled"?
        """)
    void badFixtureReportsItsOneProblemWithPathAndLine(String fixture, String path, Integer line, String fragment) {
        Path file = FIXTURES.resolve("bad").resolve(fixture);

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file));

        assertEquals(1, e.problems().size(), e::getMessage);
        Problem problem = e.problems().get(0);
        assertEquals(path, problem.path());
        assertEquals(line, problem.line());
        assertTrue(problem.message().contains(fragment), () -> "message was: " + problem.message());
        assertEquals(file.toString(), e.source());
        assertEquals(file + ": " + problem, e.getMessage());
        // every password-like value in the fixtures and their secrets/ files contains "hunter2"
        assertFalse(e.getMessage().contains("hunter2"), e::getMessage);
    }

    @Test
    void everyBadFixtureIsCoveredByTheParameterizedTest() throws IOException {
        String source = Files.readString(Path.of("src/test/java/io/redisha/topology/TopologyLoaderTest.java"));
        try (var files = Files.list(FIXTURES.resolve("bad"))) {
            files.map(f -> f.getFileName().toString())
                    .forEach(name -> assertTrue(source.contains(name + " "), name + " has no expectation"));
        }
    }

    @Test
    void reportsEveryProblemOfAFileSortedByLine() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.load(FIXTURES.resolve("several-problems.yml")));

        assertEquals(List.of("project", "replicas.count", "sentinels.quorum", "sentinels.master-name", "sentinels.colour"),
                e.problems().stream().map(Problem::path).toList());
        assertEquals(List.of(1, 4, 7, 8, 9), e.problems().stream().map(Problem::line).toList());
        String prefix = FIXTURES.resolve("several-problems.yml") + ": ";
        assertEquals(String.join("\n",
                        prefix + "project (line 1): \"Bad Project\" is not a valid project name: use 1 to 40 characters"
                                + " from a-z 0-9 _ . - starting with a letter or digit",
                        prefix + "replicas.count (line 4): must be 0 or more, got -1",
                        prefix + "sentinels.quorum (line 7): 4 is more than the 3 sentinels",
                        prefix + "sentinels.master-name (line 8): \"my master\" is not a valid master name: use letters,"
                                + " digits and . - _ only",
                        prefix + "sentinels.colour (line 9): unknown key; expected one of: count, quorum, master-name,"
                                + " down-after-milliseconds, failover-timeout, parallel-syncs, host-ports"),
                e.getMessage());
    }

    @Test
    void swarmEnginesNameEachHostsOwnDockerHost() throws Exception {
        Topology t = TopologyLoader.parse("platform: swarm\nswarm:\n  engines:\n    lab-host-1: unix:///run/lab/1.sock\n"
                + "    lab-host-2: tcp://10.0.0.2:2375\n", "t.yml").topology();
        assertEquals(java.util.Map.of("lab-host-1", "unix:///run/lab/1.sock", "lab-host-2", "tcp://10.0.0.2:2375"),
                t.platform().engines());
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "platform: swarm\nswarm:\n  engines:\n    lab-host-1: /run/lab/1.sock\n    lab-host-2: [x]\n", "t.yml"));
        assertEquals(List.of(
                new Problem("swarm.engines.lab-host-1", 4, "\"/run/lab/1.sock\" is not a Docker host (unix:///PATH or"
                        + " tcp://HOST:PORT, as DOCKER_HOST)"),
                new Problem("swarm.engines.lab-host-2", 5, "expected a Docker host such as unix:///run/docker.sock, got a list")),
                e.problems());
    }

    @Test
    void aValueOfTheWrongTypeIsNotAlsoReportedAsOutOfRange() throws Exception {
        // count "x" falls back to the default 3 internally; quorum 4 > 3 would be about a value never written
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse("sentinels:\n  count: x\n  quorum: 4\n", "t.yml"));

        assertEquals(List.of(new Problem("sentinels.count", 2, "expected an integer, got string \"x\"")), e.problems());
    }

    @Test
    void aBadHostPortEntryDoesNotShiftTheOthersOntoWrongPaths() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "master: {host-port: 7000}\nreplicas:\n  host-ports: [x, 7000]\n", "t.yml"));

        assertEquals(List.of(new Problem("replicas.host-ports[0]", 3, "expected an integer, got string \"x\"")),
                e.problems());
    }

    @Test
    void tlsSectionReadsRedisWordsForClientCertificates() throws Exception {
        Tls off = TopologyLoader.parse("", "t.yml").topology().tls();
        assertFalse(off.enabled());
        assertEquals(Tls.AuthClients.YES, off.authClients(), "mutual TLS by default, as Redis");
        assertEquals("tls", off.dir());
        // YAML 1.1 reads bare no and yes as booleans: they still mean Redis' words
        for (var e : java.util.Map.of("no", Tls.AuthClients.NO, "yes", Tls.AuthClients.YES, "optional",
                Tls.AuthClients.OPTIONAL, "\"no\"", Tls.AuthClients.NO).entrySet()) {
            Tls tls = TopologyLoader.parse("tls:\n  enabled: true\n  auth-clients: " + e.getKey() + "\n", "t.yml").topology().tls();
            assertTrue(tls.enabled());
            assertEquals(e.getValue(), tls.authClients(), e.getKey());
        }
        Tls own = TopologyLoader.parse("tls:\n  enabled: true\n  ca-cert-file: ca.crt\n  ca-key-file: ca.key\n"
                + "  validity-days: 90\n  renew-within-days: 10\n  dir: certs\n", "t.yml").topology().tls();
        assertTrue(own.ownCa());
        assertFalse(own.ownCertificate());
        assertEquals(90, own.validityDays());
        assertEquals(10, own.renewWithinDays());
        assertEquals("certs", own.dir());
    }

    @Test
    void emptyFileAndEmptyMappingGiveTheDefaults() throws Exception {
        for (String name : List.of("empty.yml", "empty-mapping.yml")) {
            LoadedTopology loaded = TopologyLoader.load(FIXTURES.resolve("good").resolve(name));
            assertEquals(Topology.defaults(), loaded.topology(), name);
            assertEquals(List.of(), loaded.warnings(), name);
            assertEquals(FIXTURES.resolve("good").resolve(name), loaded.file());
        }
        assertEquals(Topology.defaults(), TopologyLoader.parse("# only a comment\n", "t.yml").topology());
        assertNull(TopologyLoader.parse("", "t.yml").file());
    }

    @Test
    void minimalFileChangesOnlyWhatItNames() throws Exception {
        Topology topology = TopologyLoader.load(FIXTURES.resolve("good/minimal.yml")).topology();

        Topology d = Topology.defaults();
        assertEquals(new Topology("shop", d.image(), d.bind(), d.master(), d.replicas(), d.sentinels()), topology);
    }

    @Test
    void fullFileSetsEveryKey() throws Exception {
        Topology topology = TopologyLoader.load(FIXTURES.resolve("good/full.yml")).topology();

        assertEquals(new Topology("shop-cache", "registry.example.com:5000/team/redis:7.2-alpine", "127.0.0.2",
                new Master(6379, 1, 5),
                new Replicas(3, List.of(6380, 6381), List.of(10, 0)),
                new Sentinels(5, 3, "shop.cache-1", 3000, 10000, 2, List.of(26379, 26380)),
                new Auth("REDISHA_PASSWORD", null, null, "../secrets/sentinel.pass"),
                Persistence.AOF,
                new Resources(1024L * 1024 * 1024, 768L * 1024 * 1024, "allkeys-lru")), topology);
        assertEquals(6381, topology.replicas().hostPort(2));
        assertEquals(10, topology.replicas().priority(1));
        assertEquals(0, topology.replicas().priority(2));
        assertEquals(Replicas.DEFAULT_PRIORITY, topology.replicas().priority(3));
        assertNull(topology.replicas().hostPort(3));
        assertEquals(26379, topology.sentinels().hostPort(1));
        assertNull(topology.sentinels().hostPort(5));
    }

    @Test
    void bareIntegersAreShorthandForCounts() throws Exception {
        Topology topology = TopologyLoader.load(FIXTURES.resolve("good/shorthand.yml")).topology();

        assertEquals(new Replicas(4, List.of()), topology.replicas());
        assertEquals(5, topology.sentinels().count());
        assertEquals(Sentinels.DEFAULT_QUORUM, topology.sentinels().quorum());
    }

    @Test
    void nullValuesMeanTheDefault() throws Exception {
        Topology topology = TopologyLoader.parse(
                "project: ~\nmaster:\n  host-port: ~\nreplicas:\nsentinels:\n  host-ports: ~\n", "t.yml").topology();

        assertEquals(Topology.defaults(), topology);
    }

    @Test
    void yamlIntegerNotationsAreIntegers() throws Exception {
        Topology topology = TopologyLoader.parse("replicas: 0x3\nsentinels:\n  down-after-milliseconds: 5_000\n",
                "t.yml").topology();

        assertEquals(3, topology.replicas().count());
        assertEquals(5000, topology.sentinels().downAfterMillis());
    }

    @Test
    void unknownKeysSuggestTheNearestKnownOne() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "master:\n  host_port: 6379\nsentinel: 3\nreplicas:\n  masterName: x\n", "t.yml"));

        assertEquals(List.of(
                        new Problem("master.host_port", 2, "unknown key; did you mean \"host-port\"?"),
                        new Problem("sentinel", 3, "unknown key; did you mean \"sentinels\"?"),
                        new Problem("replicas.masterName", 5, "unknown key; expected one of: count, host-ports, priorities")),
                e.problems());
    }

    @Test
    void aFixedPortUsedTwiceNamesBothPaths() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "replicas:\n  host-ports: [7001]\nsentinels:\n  host-ports:\n    - 7002\n    - 7001\n", "t.yml"));

        assertEquals(List.of(new Problem("sentinels.host-ports[1]", 6,
                "port 7001 is already used by replicas.host-ports[0]")), e.problems());
    }

    @Test
    void quorumAboveCountIsReportedAtTheCountWhenQuorumIsTheDefault() {
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse("project: x\nsentinels: 1\n", "t.yml"));

        assertEquals(List.of(new Problem("sentinels.quorum", 2, "2 is more than the 1 sentinel")), e.problems());
    }

    @Test
    void warnsAboutRiskyButValidTopologies() throws Exception {
        LoadedTopology loaded = TopologyLoader.parse(
                "bind: 0.0.0.0\nreplicas: 0\nsentinels:\n  count: 2\n  quorum: 1\n", "t.yml");

        assertEquals(List.of(
                "sentinels.count: 2 Sentinels cannot survive losing one: a failover needs a majority of Sentinels;"
                        + " use at least 3",
                "sentinels.count: an even number of Sentinels (2) tolerates no more failures than 1; prefer an odd number",
                "sentinels.quorum: 1 is below a majority of the 2 Sentinels (2): a minority can declare the master down",
                "replicas.count: 0 replicas: nothing can be promoted when the master fails",
                "bind: 0.0.0.0 publishes Redis beyond this host without a password (auth.password-env or"
                        + " auth.password-file)",
                "bind: 0.0.0.0 publishes Sentinel beyond this host without a password (auth.sentinel-password-env or"
                        + " auth.sentinel-password-file)"), loaded.warnings());
    }

    @Test
    void aPublicBindWithPasswordsIsNotWarnedAbout() throws Exception {
        LoadedTopology redisOnly = TopologyLoader.parse(
                "bind: 10.0.0.5\nauth:\n  password-env: REDISHA_PASSWORD\n", "t.yml");
        LoadedTopology both = TopologyLoader.parse(
                "bind: 10.0.0.5\nauth:\n  password-env: A\n  sentinel-password-env: B\n", "t.yml");

        assertEquals(List.of("bind: 10.0.0.5 publishes Sentinel beyond this host without a password"
                + " (auth.sentinel-password-env or auth.sentinel-password-file)"), redisOnly.warnings());
        assertEquals(List.of(), both.warnings());
        assertEquals(List.of(), TopologyLoader.parse("bind: 127.0.0.2\n", "t.yml").warnings());
    }

    @Test
    void restartProtectionIsOnByDefaultAndOffIsWarnedAbout() throws Exception {
        assertTrue(TopologyLoader.parse("", "t.yml").topology().master().restartProtection());
        LoadedTopology off = TopologyLoader.parse("master:\n  restart-protection: off\n", "t.yml");
        assertFalse(off.topology().master().restartProtection());
        assertEquals(List.of("master.restart-protection: off is unsafe: a master restarted before Sentinel notices"
                + " comes back with only what it had on disk, and its replicas copy it (docs/running-safely.md,"
                + " \"Restart before detection\")"), off.warnings());
        TopologyException e = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse("master:\n  restart-protection: maybe\n", "t.yml"));
        assertEquals(List.of(new Problem("master.restart-protection", 2, "expected true or false, got string \"maybe\"")),
                e.problems());
    }

    @Test
    void warnsWhenMaxmemoryIsAboveTheContainerLimit() throws Exception {
        LoadedTopology loaded = TopologyLoader.parse(
                "resources:\n  memory: 256m\n  maxmemory: 512m\n", "t.yml");

        assertEquals(List.of("resources.maxmemory: 512 MiB is larger than the container memory limit 256 MiB;"
                + " the kernel will kill Redis before it evicts"), loaded.warnings());
        assertEquals(List.of(), TopologyLoader.parse("resources:\n  memory: 256m\n  maxmemory: 256m\n", "t.yml")
                .warnings());
        assertEquals(List.of(), TopologyLoader.parse("resources:\n  maxmemory: 4g\n", "t.yml").warnings());
    }

    @Test
    void warnsWhenNoReplicaCanBePromoted() throws Exception {
        LoadedTopology loaded = TopologyLoader.parse("replicas:\n  count: 2\n  priorities: [0, 0]\n", "t.yml");

        assertEquals(List.of("replicas.priorities: every replica has priority 0: no replica can be promoted"),
                loaded.warnings());
        // a replica without an entry has priority 100
        assertEquals(List.of(), TopologyLoader.parse("replicas:\n  count: 2\n  priorities: [0]\n", "t.yml")
                .warnings());
    }

    @Test
    void persistenceOffMayBeWrittenAsTheBooleanYamlMakesOfIt() throws Exception {
        for (String off : List.of("off", "Off", "OFF", "\"off\"", "false", "no", "~")) {
            assertEquals(Persistence.OFF, TopologyLoader.parse("persistence: " + off + "\n", "t.yml").topology()
                    .persistence(), off);
        }
        assertEquals(Persistence.RDB, TopologyLoader.parse("persistence: rdb\n", "t.yml").topology().persistence());
        assertEquals(Persistence.AOF, TopologyLoader.parse("persistence: aof\n", "t.yml").topology().persistence());
        for (String on : List.of("true", "yes", "on")) {
            TopologyException e = assertThrows(TopologyException.class,
                    () -> TopologyLoader.parse("persistence: " + on + "\n", "t.yml"), on);
            assertEquals(List.of(new Problem("persistence", 1, "expected off, rdb or aof, got boolean " + on
                    + ": write rdb (snapshots) or aof (append-only file)")), e.problems());
        }
        assertEquals("aof", Persistence.AOF.yamlName());
    }

    @Test
    void sizesAreBytesOrPowersOf1024() throws Exception {
        Resources resources = TopologyLoader.parse(
                "resources:\n  memory: 1073741824\n  maxmemory: 512M\n", "t.yml").topology().resources();

        assertEquals(new Resources(1L << 30, 512L << 20, "noeviction"), resources);
        assertEquals(Resources.defaults(), new Resources(null, null, null));
    }

    @Test
    void secretsNeverEnterTheRecordsOrTheirToString() throws Exception {
        LoadedTopology loaded = TopologyLoader.load(FIXTURES.resolve("good/auth-files.yml"));

        assertEquals(new Auth(null, "../secrets/redis.pass", null, "../secrets/sentinel.pass"), loaded.topology().auth());
        assertFalse(loaded.toString().contains("secret-in-file"), loaded::toString);
        assertTrue(loaded.topology().auth().redisAuth());
        assertTrue(loaded.topology().auth().sentinelAuth());
        assertFalse(Auth.none().redisAuth());
        assertFalse(Auth.none().sentinelAuth());
    }

    @Test
    void aPasswordFileOthersCanReadIsWarnedAbout(@TempDir Path dir) throws Exception {
        Path secret = dir.resolve("redis.pass");
        Files.writeString(secret, "s3cret\n");
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, "auth:\n  password-file: redis.pass\n");

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-r--r--"));
        assertEquals(List.of("auth.password-file: password file " + secret + " can be read or changed by other users"
                + " of this machine (mode rw-r--r--); chmod 600 it"), TopologyLoader.load(file).warnings());

        Files.setPosixFilePermissions(secret, PosixFilePermissions.fromString("rw-------"));
        assertEquals(List.of(), TopologyLoader.load(file).warnings());
    }

    @Test
    void everyPasswordFileProblemIsReportedAtLoadWithItsLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("topology.yml");
        Files.writeString(file, "project: shop\nauth:\n  password-file: nope.pass\n  sentinel-password-file: .\n");

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file));

        assertEquals(List.of(
                new Problem("auth.password-file", 3, "password file " + dir.resolve("nope.pass") + " does not exist"),
                new Problem("auth.sentinel-password-file", 4, "password file " + dir.resolve(".") + " is a directory")),
                e.problems());
    }

    @Test
    void passwordFilesAreNotCheckedForTextParsedInMemory() throws Exception {
        // no file, no directory to resolve against: TopologyLoader.secrets reads them when asked
        Topology topology = TopologyLoader.parse("auth:\n  password-file: nope.pass\n", "t.yml").topology();

        assertEquals("nope.pass", topology.auth().passwordFile());
    }

    @Test
    void inlinePasswordsAreRefusedWithoutRepeatingThem() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "masterauth: hunter2\nauth:\n  password: hunter2\n  password-env: 12345\nsentinels:\n  requirepass: x\n",
                "t.yml"));

        assertEquals(List.of(
                new Problem("masterauth", 1, "do not write the password in the topology; use auth.password-env or"
                        + " auth.password-file"),
                new Problem("auth.password", 3, "do not write the password in the topology; use auth.password-env or"
                        + " auth.password-file"),
                new Problem("auth.password-env", 4, "expected the name of an environment variable, got an integer"),
                new Problem("sentinels.requirepass", 6, "do not write the password in the topology; use"
                        + " auth.sentinel-password-env or auth.sentinel-password-file")), e.problems());
        assertFalse(e.getMessage().contains("hunter2") || e.getMessage().contains("12345"), e::getMessage);
    }

    @Test
    void limitProblemsStopAfterTwenty() {
        StringBuilder yaml = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            yaml.append("k").append(i).append(": \"").append("x".repeat(4097)).append("\"\n");
        }

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(yaml.toString(), "t.yml"));

        assertEquals(20, e.problems().size());
        assertEquals(new Problem("k0", 1, "is 4097 characters long, over the limit of 4096 for a string"),
                e.problems().get(0));
    }

    @Test
    void aLongKeyIsReportedWithoutRepeatingIt() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "master:\n  ? \"" + "k".repeat(5000) + "\"\n  : 1\n", "t.yml"));

        assertEquals(List.of(new Problem("master", 2, "has a key of 5000 characters, over the limit of 4096 for a"
                + " string")), e.problems());
    }

    @Test
    void anAliasedValueIsReportedOnce() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "project: &s \"" + "x".repeat(4097) + "\"\nimage: [*s, *s, *s]\n", "t.yml"));

        assertEquals(List.of(new Problem("project", 1, "is 4097 characters long, over the limit of 4096 for a string")),
                e.problems());
    }

    @Test
    void controlCharactersInKeysAndValuesAreEscapedInMessages() {
        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.parse(
                "\"\\e[31mred\": 1\nproject: \"a\\u202eb\"\n", "t.yml"));

        assertEquals(List.of("\"\\u001b[31mred\"", "project"), e.problems().stream().map(Problem::path).toList());
        assertTrue(e.problems().get(1).message().startsWith("\"a\\u202eb\" is not a valid project name"),
                () -> e.problems().get(1).message());
        assertTrue(e.getMessage().codePoints().noneMatch(c -> c == 0x1b || c == 0x202e), e::getMessage);
    }

    @Test
    void warnsWhenQuorumIsBelowAMajority() {
        Topology five = Topology.defaults().withSentinelCount(5);

        assertEquals(List.of("sentinels.quorum: 2 is below a majority of the 5 Sentinels (3): a minority can"
                + " declare the master down"), TopologyLoader.warnings(five));
        assertEquals(List.of(), TopologyLoader.warnings(Topology.defaults()));
    }

    @Test
    void warnsWhenTheMasterCanNeverAcceptAWrite() {
        Topology topology = new Topology("p", "redis:7", "127.0.0.1", new Master(null, 3, 10),
                Replicas.defaults(), Sentinels.defaults());

        assertEquals(List.of("master.min-replicas-to-write: 3 is more than the 2 replicas: the master will refuse"
                + " every write"), TopologyLoader.warnings(topology));
    }

    @Test
    void validateChecksTopologiesBuiltInCode() {
        assertEquals(List.of(), TopologyLoader.validate(Topology.defaults()));

        Topology scaled = Topology.defaults().withSentinelCount(1).withReplicaCount(-1);

        assertEquals(List.of(
                new Problem("replicas.count", null, "must be 0 or more, got -1"),
                new Problem("sentinels.quorum", null, "2 is more than the 1 sentinel")), TopologyLoader.validate(scaled));
    }

    @Test
    void withCountsCopyAndKeepEverythingElse() {
        Auth auth = new Auth("A", null, null, "s.pass");
        Resources resources = new Resources(1L << 30, 1L << 29, "allkeys-lfu");
        Topology original = new Topology("p", "redis:7", "127.0.0.1", Master.defaults(),
                new Replicas(2, List.of(7001), List.of(5)), new Sentinels(3, 2, "m", 1000, 2000, 1, List.of(7100)),
                auth, Persistence.RDB, resources);

        Topology scaled = original.withReplicaCount(4).withSentinelCount(5);

        assertEquals(new Replicas(4, List.of(7001), List.of(5)), scaled.replicas());
        assertEquals(new Sentinels(5, 2, "m", 1000, 2000, 1, List.of(7100)), scaled.sentinels());
        assertEquals(auth, scaled.auth());
        assertEquals(Persistence.RDB, scaled.persistence());
        assertEquals(resources, scaled.resources());
        assertEquals(2, original.replicas().count());
    }

    @Test
    void theSixPartConstructorAndTheTwoPartReplicasKeepTheDefaults() {
        Topology topology = new Topology("p", "redis:7", "127.0.0.1", Master.defaults(),
                new Replicas(3, List.of(7001)), Sentinels.defaults());

        assertEquals(Auth.none(), topology.auth());
        assertEquals(Persistence.OFF, topology.persistence());
        assertEquals(Resources.defaults(), topology.resources());
        assertEquals(List.of(), topology.replicas().priorities());
        assertEquals(100, topology.replicas().priority(3));
        assertEquals(List.of(), TopologyLoader.validate(topology));
    }

    @Test
    void validateChecksTheNewSectionsOfTopologiesBuiltInCode() {
        Topology topology = new Topology("p", "redis:7", "127.0.0.1", Master.defaults(),
                new Replicas(1, List.of(), List.of(2000, 0)), Sentinels.defaults(),
                new Auth("1BAD", "x.pass", "S", "s.pass"), Persistence.OFF, new Resources(1L, 0L, "lfu"));

        assertEquals(List.of(
                new Problem("replicas.priorities[0]", null, "2000 is not a replica priority (0 to 1000; 0 = never promoted)"),
                new Problem("replicas.priorities", null, "2 priorities for 1 replica: entry i is the priority of replica"
                        + " i+1, so the list can be at most as long as the count"),
                new Problem("auth.password-file", null, "both auth.password-env and auth.password-file are set; keep one"),
                new Problem("auth.password-env", null, "is not an environment variable name (letters, digits and _, not"
                        + " starting with a digit); it names the variable that holds the password, not the password itself"),
                new Problem("auth.sentinel-password-file", null, "both auth.sentinel-password-env and"
                        + " auth.sentinel-password-file are set; keep one"),
                new Problem("resources.memory", null, "1 byte is below the minimum of 16 MiB"),
                new Problem("resources.maxmemory", null, "0 bytes is below the minimum of 1 MiB"),
                new Problem("resources.maxmemory-policy", null, "\"lfu\" is not a Redis maxmemory policy; expected one of:"
                        + " noeviction, allkeys-lru, allkeys-lfu, allkeys-random, volatile-lru, volatile-lfu, volatile-random,"
                        + " volatile-ttl")), TopologyLoader.validate(topology));
    }

    @Test
    void hostPortListsAreImmutableCopies() {
        List<Integer> ports = new java.util.ArrayList<>(List.of(7001));
        Replicas replicas = new Replicas(1, ports);
        ports.add(7002);

        assertEquals(List.of(7001), replicas.hostPorts());
        assertThrows(UnsupportedOperationException.class, () -> replicas.hostPorts().add(1));
        assertThrows(IllegalArgumentException.class, () -> replicas.hostPort(0));
    }

    @Test
    void imageReferencesFollowDockerGrammar() {
        for (String ok : List.of("redis", "redis:7", "redis:7.2.4-alpine", "library/redis:latest",
                "localhost:5000/redis", "registry.example.com/a/b_c/d--e:1", "redis@sha256:" + "a".repeat(64),
                "redis:7@sha256:" + "0".repeat(64))) {
            assertTrue(TopologyRules.isImageReference(ok), ok);
        }
        for (String bad : List.of("", "Redis", "redis:", ":7", "redis:7:8", "redis/", "-redis", "redis:-7",
                "redis@sha256:abc", "re dis")) {
            assertTrue(!TopologyRules.isImageReference(bad), bad);
        }
    }

    @Test
    void refusesAFileOverOneMebibyteWithoutParsingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yml");
        // a syntax error on line 1: reporting it would mean the file was parsed
        Files.writeString(file, "sentinels: count: 3\n# " + "x".repeat(1024 * 1024) + "\n");

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file));

        assertEquals(1, e.problems().size());
        assertEquals(file + ": the file is " + Files.size(file)
                + " bytes, over the 1 MiB limit for a topology file; not parsed", e.getMessage());
        TopologyException inMemory = assertThrows(TopologyException.class,
                () -> TopologyLoader.parse(Files.readString(file), "huge.yml"));
        assertTrue(inMemory.getMessage().contains("over the 1 MiB limit"), inMemory::getMessage);
    }

    @Test
    void aMissingFileIsNamedInTheError(@TempDir Path dir) {
        Path file = dir.resolve("nope.yml");

        TopologyException e = assertThrows(TopologyException.class, () -> TopologyLoader.load(file));

        assertEquals(file + ": file not found", e.getMessage());
    }

    @Test
    void aDirectoryOrNonUtf8FileIsRefused(@TempDir Path dir) throws IOException {
        assertEquals(dir + ": is a directory, not a topology file",
                assertThrows(TopologyException.class, () -> TopologyLoader.load(dir)).getMessage());

        Path latin1 = dir.resolve("latin1.yml");
        Files.write(latin1, "project: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
        assertEquals(latin1 + ": the file is not UTF-8 text",
                assertThrows(TopologyException.class, () -> TopologyLoader.load(latin1)).getMessage());
    }

    @Test
    void aByteOrderMarkIsAccepted() throws Exception {
        assertEquals("shop", TopologyLoader.parse("\uFEFFproject: shop\n", "t.yml").topology().project());
    }

    @Test
    void theDefaultTopologyFileHasEveryKeyAndTheDefaultValues() throws Exception {
        Path file = Path.of("topology.yml");

        LoadedTopology loaded = TopologyLoader.load(file);

        assertEquals(Topology.defaults(), loaded.topology());
        assertEquals(List.of(), loaded.warnings());
        String text = Files.readString(file);
        for (String key : List.of("project:", "image:", "bind:", "master:", "host-port:", "min-replicas-to-write:",
                "min-replicas-max-lag:", "replicas:", "count:", "host-ports:", "priorities:", "sentinels:", "quorum:",
                "master-name:", "down-after-milliseconds:", "failover-timeout:", "parallel-syncs:", "auth:", "password-env:",
                "password-file:", "sentinel-password-env:", "sentinel-password-file:", "persistence:", "resources:",
                "memory:", "maxmemory:", "maxmemory-policy:")) {
            assertTrue(text.contains("\n" + key) || text.contains("  " + key), key);
        }
    }

    @Test
    void problemsPrintPathLineAndMessage() {
        assertEquals("sentinels.quorum (line 7): 4 is more than the 3 sentinels",
                new Problem("sentinels.quorum", 7, "4 is more than the 3 sentinels").toString());
        assertEquals("sentinels.quorum: 4 is more than the 3 sentinels",
                new Problem("sentinels.quorum", null, "4 is more than the 3 sentinels").toString());
        assertEquals("file not found", new Problem("", null, "file not found").toString());
    }
}
