package io.redisha.backend;

/**
 * A run of IPv4 addresses on the deployment's network that the backend hands only to nodes asking for
 * one of them by {@link NodeSpec#address()}: a node's address is then known before it starts, and it
 * keeps it when it is stopped, restarted or reconnected.
 *
 * @param first the first address, dotted ("172.19.0.2")
 * @param size  how many consecutive addresses, from {@code first}
 */
public record AddressRange(String first, int size) {

    public AddressRange {
        toInt(first);
        if (size < 1) {
            throw new IllegalArgumentException("an address range holds at least one address: " + size);
        }
    }

    /** The address at {@code offset} from the first. */
    public String address(int offset) {
        if (offset < 0 || offset >= size) {
            throw new IndexOutOfBoundsException("offset " + offset + " outside " + this);
        }
        return toDotted(toInt(first) + offset);
    }

    /** The dotted IPv4 address as an unsigned 32-bit number in an int. */
    public static int toInt(String dotted) {
        String[] parts = dotted.split("\\.");
        if (parts.length != 4) {
            throw new IllegalArgumentException("not an IPv4 address: " + dotted);
        }
        int value = 0;
        for (String part : parts) {
            int octet = Integer.parseInt(part);
            if (octet < 0 || octet > 255) {
                throw new IllegalArgumentException("not an IPv4 address: " + dotted);
            }
            value = value << 8 | octet;
        }
        return value;
    }

    public static String toDotted(int value) {
        return (value >>> 24) + "." + (value >>> 16 & 0xff) + "." + (value >>> 8 & 0xff) + "." + (value & 0xff);
    }

    @Override
    public String toString() {
        return first + " + " + size;
    }
}
