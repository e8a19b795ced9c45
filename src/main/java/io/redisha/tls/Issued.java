package io.redisha.tls;

import java.math.BigInteger;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Objects;

/** A certificate and its private key. Its {@link #toString()} never shows the key. */
public record Issued(X509Certificate certificate, PrivateKey key) {
    public Issued {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(key, "key");
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /** The key as PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}): write it with {@link Pem#writePrivate}. */
    public String privateKeyPem() {
        return Pem.privateKey(key);
    }

    public Instant notAfter() {
        return certificate.getNotAfter().toInstant();
    }

    public BigInteger serial() {
        return certificate.getSerialNumber();
    }

    @Override
    public String toString() {
        return "Issued[subject=" + certificate.getSubjectX500Principal().getName() + ", serial="
                + serial().toString(16) + ", notAfter=" + notAfter() + ", key=" + key.getAlgorithm() + " (hidden)]";
    }
}
