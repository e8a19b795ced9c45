package io.redisha.topology;

import java.nio.file.Path;

/**
 * Where the deployment's passwords can be found, for an application: the environment variable names
 * and the absolute paths of the files the topology names, never the passwords themselves.
 *
 * @param redisEnv     {@code auth.password-env}, or null
 * @param redisFile    {@code auth.password-file} resolved as redisha reads it, or null
 * @param sentinelEnv  {@code auth.sentinel-password-env}, or null
 * @param sentinelFile {@code auth.sentinel-password-file} resolved as redisha reads it, or null
 */
public record PasswordSources(String redisEnv, Path redisFile, String sentinelEnv, Path sentinelFile) {

    public static PasswordSources none() {
        return new PasswordSources(null, null, null, null);
    }

    public static PasswordSources of(LoadedTopology loaded) {
        Auth auth = loaded.topology().auth();
        Path base = loaded.file() == null ? null : loaded.file().toAbsolutePath().getParent();
        return new PasswordSources(auth.passwordEnv(), absolute(base, auth.passwordFile()), auth.sentinelPasswordEnv(),
                absolute(base, auth.sentinelPasswordFile()));
    }

    private static Path absolute(Path base, String file) {
        Path path = file == null ? null : Passwords.resolve(base, file);
        return path == null ? null : path.toAbsolutePath().normalize();
    }
}
