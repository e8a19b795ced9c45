package io.redisha.topology;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AclRulesTest {
    @Test
    void theDefaultRulesAllowWhatTheirComponentNeeds() {
        assertNull(AclRules.missingCommand(Users.defaultRules(Users.SENTINEL), AclRules.SENTINEL_NEEDS));
        assertNull(AclRules.missingCommand(Users.defaultRules(Users.REPLICATION), AclRules.REPLICATION_NEEDS));
        assertTrue(AclRules.allowsChannel(Users.defaultRules(Users.SENTINEL), Users.HELLO_CHANNEL));
    }

    @Test
    void rulesApplyLeftToRightWithCategoriesAndSubcommands() {
        assertTrue(AclRules.allows("+@all", "config|rewrite"));
        assertFalse(AclRules.allows("+@all -@admin", "slaveof"));
        assertTrue(AclRules.allows("+@all -@admin +slaveof", "slaveof"));
        assertTrue(AclRules.allows("-@all +config", "config|rewrite"));
        assertFalse(AclRules.allows("+config -config|rewrite", "config|rewrite"));
        assertTrue(AclRules.allows("-@all +@pubsub", "publish"));
        assertFalse(AclRules.allows("+@all reset", "ping"));
        assertFalse(AclRules.allows("+@all -@dangerous", "info"));
        assertEquals("info", AclRules.missingCommand("+@all -@dangerous", List.of("ping", "info")));
    }

    @Test
    void channelsFollowPatternsAndResets() {
        assertTrue(AclRules.allowsChannel("&__sentinel__:*", Users.HELLO_CHANNEL));
        assertFalse(AclRules.allowsChannel("allchannels resetchannels", Users.HELLO_CHANNEL));
        assertFalse(AclRules.allowsChannel("&app:*", Users.HELLO_CHANNEL));
        assertTrue(AclRules.glob("a[bc]?", "acx"));
    }

    @Test
    void valkeyNineSentinelsAlsoNeedFailover() {
        assertTrue(AclRules.needs(Users.SENTINEL, "valkey", 9).contains("failover"));
        assertFalse(AclRules.needs(Users.SENTINEL, "redis", 8).contains("failover"));
    }
}
