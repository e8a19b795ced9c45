package io.redisha.topology;

/**
 * One ACL user of {@code auth.users}: where its password is (never the password) and its rules.
 *
 * @param name         the user's name on the servers (the key under {@code auth.users})
 * @param passwordEnv  variable holding its password, or null
 * @param passwordFile file holding it, relative to the topology file's directory, or null
 * @param rules        its ACL rules as written ({@code ~app:* +@all -@dangerous}); null for the
 *                     default of a component user ({@link Users#defaultRules(String)})
 */
public record User(String name, String passwordEnv, String passwordFile, String rules) {

    /** The rules in force: those written, else the component's minimal ones. */
    public String effectiveRules() {
        return rules != null ? rules : Users.defaultRules(name);
    }
}
