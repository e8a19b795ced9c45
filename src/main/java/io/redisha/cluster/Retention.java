package io.redisha.cluster;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Keeps the newest backups of a project in a directory and deletes the older ones: only files redisha
 * wrote for that project (a manifest that says so, beside the file it names), never anything else.
 */
final class Retention {
    private Retention() {
    }

    /** A backup redisha wrote: its file, its manifest and when it was taken. */
    record Kept(Path file, Path manifest, String time) {
    }

    /** The project's backups in the directory, newest first. */
    static List<Kept> backups(Path dir, String project) throws IOException {
        List<Kept> found = new ArrayList<>();
        try (DirectoryStream<Path> manifests = Files.newDirectoryStream(dir, "*.rdb.json")) {
            for (Path manifestFile : manifests) {
                String name = manifestFile.getFileName().toString();
                Path file = manifestFile.resolveSibling(name.substring(0, name.length() - ".json".length()));
                Optional<BackupManifest> manifest;
                try {
                    manifest = BackupManifest.read(file);
                } catch (BackupException e) {
                    continue; // not a manifest redisha can read: not one of its files
                }
                manifest.filter(m -> BackupManifest.WRITER.equals(m.writer()) && project.equals(m.project())
                                && file.getFileName().toString().equals(m.file()) && m.time() != null)
                        .filter(m -> Files.isRegularFile(file))
                        .ifPresent(m -> found.add(new Kept(file, manifestFile, m.time())));
            }
        }
        found.sort(Comparator.comparing(Kept::time).thenComparing(k -> k.file().getFileName().toString()).reversed());
        return found;
    }

    /** Deletes all but the {@code keep} newest backups of the project; returns the deleted files. */
    static List<Path> apply(Path dir, String project, int keep) throws IOException {
        List<Kept> all = backups(dir, project);
        List<Path> removed = new ArrayList<>();
        for (Kept old : all.subList(Math.min(keep, all.size()), all.size())) {
            Files.deleteIfExists(old.file());
            Files.deleteIfExists(old.manifest());
            removed.add(old.file());
        }
        return removed;
    }
}
