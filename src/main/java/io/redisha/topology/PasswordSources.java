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
 * @param redisUser    with {@code auth.users}: the user an application logs in to Redis as (the first
 *                     application user, else redisha's own), whose password the Redis source names; else null
 * @param sentinelUser with {@code auth.users}: the discovery user, whose password the Sentinel source names
 */
public record PasswordSources(String redisEnv, Path redisFile, String sentinelEnv, Path sentinelFile, String redisUser,
                              String sentinelUser) {

    public PasswordSources(String redisEnv, Path redisFile, String sentinelEnv, Path sentinelFile) {
        this(redisEnv, redisFile, sentinelEnv, sentinelFile, null, null);
    }

    public static PasswordSources none() {
        return new PasswordSources(null, null, null, null);
    }

    public static PasswordSources of(LoadedTopology loaded) {
        Auth auth = loaded.topology().auth();
        Path base = loaded.file() == null ? null : loaded.file().toAbsolutePath().getParent();
        if (auth.hasUsers()) {
            User app = auth.users().values().stream().filter(u -> !Users.isComponent(u.name())).findFirst()
                    .orElse(auth.users().get(Users.ADMIN));
            User discovery = auth.users().get(Users.DISCOVERY);
            return new PasswordSources(app.passwordEnv(), absolute(base, app.passwordFile()), discovery.passwordEnv(),
                    absolute(base, discovery.passwordFile()), app.name(), discovery.name());
        }
        return new PasswordSources(auth.passwordEnv(), absolute(base, auth.passwordFile()), auth.sentinelPasswordEnv(),
                absolute(base, auth.sentinelPasswordFile()));
    }

    private static Path absolute(Path base, String file) {
        Path path = file == null ? null : Passwords.resolve(base, file);
        return path == null ? null : path.toAbsolutePath().normalize();
    }
}
