package io.redisha.it.apps;

import redis.clients.jedis.Jedis;
import redis.clients.jedis.JedisSentinelPool;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.params.SetParams;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * An application that survives a failover (for failover-test --while): it follows Sentinel
 * (JedisSentinelPool moves to the new master on +switch-master), counts a write as done only when
 * the master acknowledged it and a replica has it (WAIT 1), retries after any failure, and when the
 * round is over (its input closes) reads every acknowledged write back through Sentinel. Exit 0 when
 * none was lost.
 */
public final class CarefulApp {
    private CarefulApp() {
    }

    public static void main(String[] args) throws InterruptedException {
        AppEnv env = AppEnv.read();
        AtomicBoolean over = AppEnv.roundOver();
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> acknowledged = new ArrayList<>();
        int failed = 0;
        int unreplicated = 0;
        try (JedisSentinelPool pool = new JedisSentinelPool(env.masterName, env.sentinels, env.redisConfig(1000),
                env.sentinelConfig())) {
            AppEnv.say("careful: writing through Sentinel, master " + pool.getCurrentHostMaster());
            for (int n = 0; !over.get(); n++) {
                String key = "app:careful:" + run + ":" + n;
                try (Jedis jedis = pool.getResource()) {
                    jedis.set(key, "v" + n, SetParams.setParams().ex(3600));
                    // acknowledged by the master and held by a replica: a promoted replica has it
                    if (jedis.waitReplicas(1, 1000) >= 1) {
                        acknowledged.add(key);
                    } else {
                        unreplicated++;
                    }
                } catch (JedisException e) {
                    failed++;
                    Thread.sleep(100);
                }
                Thread.sleep(20);
            }
            AppEnv.say("careful: round over; " + acknowledged.size() + " writes acknowledged and replicated, "
                    + failed + " failed, " + unreplicated + " not replicated in time; master now "
                    + pool.getCurrentHostMaster());
            int lost = 0;
            try (Jedis jedis = pool.getResource()) {
                for (String key : acknowledged) {
                    if (jedis.get(key) == null) {
                        lost++;
                    }
                    jedis.del(key);
                }
            }
            AppEnv.say("careful: read back " + (acknowledged.size() - lost) + ", lost " + lost);
            System.exit(lost == 0 && !acknowledged.isEmpty() ? 0 : 1);
        }
    }
}
