package io.redisha.it.apps;

import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.Jedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application that does not survive a failover (for failover-test --while): it asks Sentinel for
 * the master once, then keeps a direct connection to that address whatever happens, reconnecting to
 * it after errors. When the round is over (its input closes) it reads its acknowledged writes back
 * from the same address and exits 1 when any is missing: the old master accepted them after it
 * thawed and dropped them when Sentinel made it a replica.
 */
public final class CarelessApp {
    private CarelessApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        AppEnv env = AppEnv.read();
        AtomicBoolean over = AppEnv.roundOver();
        HostAndPort master;
        try (Jedis sentinel = new Jedis(env.sentinels.iterator().next(), env.sentinelConfig())) {
            List<String> named = sentinel.sentinelGetMasterAddrByName(env.masterName);
            master = new HostAndPort(named.get(0), Integer.parseInt(named.get(1)));
        }
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> acknowledged = new ArrayList<>();
        int failed = 0;
        AppEnv.say("careless: writing to " + master + " directly, whatever Sentinel says later");
        Jedis jedis = null;
        for (int n = 0; !over.get(); n++) {
            String key = "app:careless:" + run + ":" + n;
            try {
                if (jedis == null) {
                    jedis = new Jedis(master, env.redisConfig(1000));
                }
                if ("OK".equals(jedis.set(key, "v" + n, SetParams.setParams().ex(3600)))) {
                    acknowledged.add(key);
                }
            } catch (JedisException e) {
                // reconnect to the same address: this application never asks Sentinel again
                failed++;
                if (jedis != null) {
                    jedis.close();
                    jedis = null;
                }
                Thread.sleep(100);
            }
            Thread.sleep(20);
        }
        if (jedis != null) {
            jedis.close();
        }
        int lost = 0;
        try (Jedis check = new Jedis(master, env.redisConfig(2000))) {
            for (String key : acknowledged) {
                if (check.get(key) == null) {
                    lost++;
                }
            }
        }
        AppEnv.say("careless: round over; " + acknowledged.size() + " writes acknowledged, " + failed
                + " failed; read back " + (acknowledged.size() - lost) + ", LOST " + lost);
        System.exit(lost == 0 ? 0 : 1);
    }
}
