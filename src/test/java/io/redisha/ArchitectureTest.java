package io.redisha;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.GeneralCodingRules.ACCESS_STANDARD_STREAMS;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** The shape of the code (docs/architecture.md), checked on the compiled classes. */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importMainClasses() {
        // the compiled main classes only: scanning the whole class path for the package is slow
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPath(Path.of(System.getProperty("redisha.classes", "target/classes")));
    }

    @Test
    void packagesDependOneWay() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("cli").definedBy("io.redisha.cli..")
                .layer("report").definedBy("io.redisha.report..")
                .layer("failover").definedBy("io.redisha.failover..")
                .layer("cluster").definedBy("io.redisha.cluster..")
                .layer("sentinel").definedBy("io.redisha.sentinel..")
                .layer("topology").definedBy("io.redisha.topology..")
                .layer("backend").definedBy("io.redisha.backend..")
                .layer("wait").definedBy("io.redisha.wait..")
                .layer("tls").definedBy("io.redisha.tls..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("failover").mayOnlyBeAccessedByLayers("cli", "report")
                .whereLayer("cluster").mayOnlyBeAccessedByLayers("cli", "report", "failover")
                .whereLayer("sentinel").mayOnlyBeAccessedByLayers("cli", "failover", "cluster")
                .whereLayer("topology").mayOnlyBeAccessedByLayers("cli", "failover", "cluster", "sentinel")
                .whereLayer("backend").mayOnlyBeAccessedByLayers("cli", "report", "failover", "cluster", "sentinel")
                .whereLayer("tls").mayOnlyBeAccessedByLayers("cli", "report", "failover", "cluster", "sentinel")
                .check(classes);
    }

    @Test
    void theCertificatesPackageDependsOnNoOtherRedishaPackage() {
        noClasses().that().resideInAPackage("io.redisha.tls..")
                .should().dependOnClassesThat(resideInAPackage("io.redisha..").and(resideOutsideOfPackage("io.redisha.tls..")))
                .because("the packages above use it, and it uses none of them")
                .check(classes);
    }

    @Test
    void noCyclesBetweenPackages() {
        slices().matching("io.redisha.(**)").should().beFreeOfCycles().check(classes);
    }

    @Test
    void noCyclesBetweenTheClassesOfTheOrchestratorAndTheFailoverTest() {
        for (String pkg : List.of("io.redisha.cluster", "io.redisha.failover", "io.redisha.backend")) {
            assertEquals(List.of(), classCycles(pkg), "classes of " + pkg + " that depend on each other");
        }
    }

    @Test
    void dockerJavaOnlyInsideTheEngineBackends() {
        noClasses().that().resideOutsideOfPackages("io.redisha.backend.docker..", "io.redisha.backend.swarm..")
                .should().dependOnClassesThat().resideInAPackage("com.github.dockerjava..")
                .because("the orchestrator talks to engines through io.redisha.backend.Backend only")
                .check(classes);
    }

    @Test
    void theBackendSeamNamesNoEngineAndNoRedisClient() {
        noClasses().that().resideInAPackage("io.redisha.backend")
                .should().dependOnClassesThat().resideInAnyPackage("io.redisha.backend.docker..", "redis.clients..",
                        "com.github.dockerjava..")
                .check(classes);
    }

    @Test
    void nothingBelowTheCliPrintsToTheTerminal() {
        noClasses().that().resideOutsideOfPackage("io.redisha.cli..").should(ACCESS_STANDARD_STREAMS)
                .because("user output goes through the command's writer, diagnostics through SLF4J")
                .check(classes);
    }

    @Test
    void picocliOnlyInTheCli() {
        noClasses().that().resideOutsideOfPackage("io.redisha.cli..")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .check(classes);
    }

    /**
     * Strongly connected groups of more than one top-level class within one package (a nested
     * class counts as its outer class), as "A -> B -> A" strings.
     */
    private static List<String> classCycles(String pkg) {
        Map<String, Set<String>> edges = new HashMap<>();
        for (JavaClass c : classes) {
            if (!c.getPackageName().equals(pkg)) {
                continue;
            }
            String from = topLevel(c);
            Set<String> to = edges.computeIfAbsent(from, k -> new TreeSet<>());
            for (Dependency d : c.getDirectDependenciesFromSelf()) {
                JavaClass target = d.getTargetClass().getBaseComponentType();
                if (target.getPackageName().equals(pkg) && !topLevel(target).equals(from)) {
                    to.add(topLevel(target));
                }
            }
        }
        List<String> cycles = new ArrayList<>();
        for (String start : new TreeSet<>(edges.keySet())) {
            // a path from a neighbour back to start is a cycle through start; report each group once
            for (String next : edges.get(start)) {
                List<String> path = path(edges, next, start);
                if (path != null && start.compareTo(path.stream().min(String::compareTo).orElse(start)) <= 0) {
                    cycles.add(start + " -> " + String.join(" -> ", path));
                }
            }
        }
        return cycles;
    }

    private static List<String> path(Map<String, Set<String>> edges, String from, String to) {
        Deque<List<String>> queue = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        queue.add(List.of(from));
        while (!queue.isEmpty()) {
            List<String> p = queue.poll();
            String last = p.get(p.size() - 1);
            if (last.equals(to)) {
                return p;
            }
            if (seen.add(last)) {
                for (String n : edges.getOrDefault(last, Set.of())) {
                    List<String> longer = new ArrayList<>(p);
                    longer.add(n);
                    queue.add(longer);
                }
            }
        }
        return null;
    }

    private static String topLevel(JavaClass c) {
        JavaClass outer = c;
        while (outer.getEnclosingClass().isPresent()) {
            outer = outer.getEnclosingClass().get();
        }
        return outer.getSimpleName();
    }
}
