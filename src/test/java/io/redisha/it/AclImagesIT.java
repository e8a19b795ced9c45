package io.redisha.it;

import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The minimal users on the other servers redisha runs: a master killed is failed over, and it rejoins. */
@Timeout(value = 4, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
@ExtendWith(ProgressOnTimeout.class)
class AclImagesIT {
    @RegisterExtension
    final Deployment deployments = Deployment.none();

    @ParameterizedTest
    @ValueSource(strings = {"redis:8", "valkey/valkey:8"})
    void aKilledMasterIsFailedOverWithTheMinimalUsers(String image) throws Exception {
        Cli cli = deployments.create("it-acl-images", "image: " + image + "\n" + AclUsersIT.USERS);
        for (String user : List.of("redisha", "replication", "sentinel", "sentinel-peer", "discovery", "app")) {
            Files.writeString(cli.topology().resolveSibling(user + ".pass"), AclUsersIT.password(user, "1") + "\n");
        }
        Cli.Result up = cli.run("up");
        assertEquals(0, up.exitCode(), up::toString);
        Cli.Result test = cli.run("failover-test", "--fault", "kill", "--rounds", "1");
        assertEquals(0, test.exitCode(), test::toString);
        assertTrue(test.out().contains("RESULT: PASS (1 round"), test::toString);
    }
}
