package io.redisha.tls;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.IPAddress;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The certificate authority that signs a deployment's certificates: one redisha creates and keeps
 * in a directory ({@code ca.crt}, {@code ca.key}), or the user's own.
 */
public final class CertificateAuthority {
    public static final String CERTIFICATE_FILE = "ca.crt";
    public static final String KEY_FILE = "ca.key";
    /** Where a new CA's key waits while {@link #rotate} rewrites {@code ca.crt}. */
    static final String NEXT_KEY_FILE = "ca.key.next";

    static final Duration CA_VALIDITY = Duration.ofDays(3653);
    /** Leaves start a little in the past: a node whose clock runs behind still accepts them. */
    static final Duration CLOCK_SKEW = Duration.ofMinutes(5);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final X509Certificate certificate;
    private final PrivateKey key;
    private final String signatureAlgorithm;

    private CertificateAuthority(X509Certificate certificate, PrivateKey key, String signatureAlgorithm) {
        this.certificate = certificate;
        this.key = key;
        this.signatureAlgorithm = signatureAlgorithm;
    }

    /**
     * The CA kept in {@code dir}: loaded when {@code ca.crt} and {@code ca.key} are there, created
     * when neither is (EC P-256, valid 10 years; the directory 0700, the key 0600, the certificate 0644).
     */
    public static CertificateAuthority openOrCreate(Path dir, String project) {
        Objects.requireNonNull(dir, "dir");
        if (project == null || project.isBlank()) {
            throw new TlsException("a CA needs a project name");
        }
        Path certFile = dir.resolve(CERTIFICATE_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(certFile);
        boolean hasKey = Files.exists(keyFile);
        if (hasCert && hasKey) {
            finishRotation(certFile, keyFile, dir.resolve(NEXT_KEY_FILE));
            return load(certFile, keyFile);
        }
        if (hasCert || hasKey) {
            Path missing = hasCert ? keyFile : certFile;
            throw new TlsException(missing + " is missing beside " + (hasCert ? certFile : keyFile)
                    + "; restore it, or remove both to create a new CA");
        }
        createDirectory(dir);
        CertificateAuthority made = fresh("redisha " + project + " CA");
        Pem.writePrivate(keyFile, Pem.privateKey(made.key));
        try {
            Pem.writePublic(certFile, made.certificatePem());
        } catch (TlsException e) {
            // no lone key left behind: the next attempt starts afresh
            deleteQuietly(keyFile, e);
            throw e;
        }
        return made;
    }

    /**
     * Replaces the CA kept in {@code dir} by a new one, still trusting the old: {@code ca.key} becomes
     * the new CA's key and {@code ca.crt} holds the new CA's certificate first, then every certificate
     * it held before. The new CA's name carries the time, so that no two of the project's CAs share one.
     *
     * @return the new CA
     */
    public static CertificateAuthority rotate(Path dir, String project) {
        Path certFile = dir.resolve(CERTIFICATE_FILE);
        Path keyFile = dir.resolve(KEY_FILE);
        openOrCreate(dir, project);
        List<X509Certificate> trusted = Pem.readCertificates(certFile);
        CertificateAuthority made = fresh("redisha " + project + " CA "
                + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS));
        StringBuilder bundle = new StringBuilder(made.certificatePem());
        trusted.forEach(c -> bundle.append(Pem.certificate(c)));
        // the new key beside the old until ca.crt names the new CA: a run that stops in between leaves
        // either the old CA whole or both files of the new one (openOrCreate finishes the move)
        Path next = dir.resolve(NEXT_KEY_FILE);
        Pem.writePrivate(next, Pem.privateKey(made.key));
        Pem.writePublic(certFile, bundle.toString());
        moveKey(next, keyFile);
        return made;
    }

    /** A rotation that stopped between writing the new key and putting it in place is finished, or forgotten. */
    private static void finishRotation(Path certFile, Path keyFile, Path next) {
        if (!Files.exists(next)) {
            return;
        }
        X509Certificate first = Pem.readCertificates(certFile).get(0);
        try {
            Pem.checkMatch(first, certFile, Pem.readPrivateKey(next), next);
        } catch (TlsException e) {
            // ca.crt was not rewritten: the old CA stands, and the new key was never used
            deleteQuietly(next, e);
            return;
        }
        moveKey(next, keyFile);
    }

    private static void moveKey(Path from, Path to) {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (java.io.IOException e) {
            throw new TlsException("cannot move " + from + " to " + to + ": " + Pem.oneLine(e), e);
        }
    }

    /** A new self-signed EC P-256 CA valid 10 years, held in memory only. */
    private static CertificateAuthority fresh(String commonName) {
        KeyPair pair = ecKeyPair();
        X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(now.plus(CA_VALIDITY)), name, pair.getPublic());
        JcaX509ExtensionUtils utils = extensionUtils();
        extension(builder, Extension.basicConstraints, true, new BasicConstraints(true));
        extension(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        extension(builder, Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
        X509Certificate certificate = sign(builder, "SHA256withECDSA", pair.getPrivate());
        return new CertificateAuthority(certificate, pair.getPrivate(), "SHA256withECDSA");
    }

    /** Whether this CA signed the certificate (checked with its key, not by names). */
    public boolean signed(X509Certificate issued) {
        return signedBy(issued, certificate);
    }

    /** Whether {@code issuer}'s key signed {@code issued}. */
    public static boolean signedBy(X509Certificate issued, X509Certificate issuer) {
        try {
            issued.verify(issuer.getPublicKey());
            return true;
        } catch (java.security.GeneralSecurityException e) {
            return false;
        }
    }

    /** The user's own CA: PEM certificate (the first in the file) and its unencrypted key. */
    public static CertificateAuthority load(Path certFile, Path keyFile) {
        X509Certificate certificate = Pem.readCertificates(certFile).get(0);
        PrivateKey key = Pem.readPrivateKey(keyFile);
        if (certificate.getBasicConstraints() < 0) {
            throw new TlsException("the certificate in " + certFile + " is not a CA certificate (no basicConstraints CA:true)");
        }
        boolean[] usage = certificate.getKeyUsage();
        if (usage != null && (usage.length <= 5 || !usage[5])) {
            throw new TlsException("the CA certificate in " + certFile + " may not sign certificates (its keyUsage lacks keyCertSign)");
        }
        if (certificate.getNotAfter().toInstant().isBefore(Instant.now())) {
            throw new TlsException("the CA certificate in " + certFile + " expired on " + certificate.getNotAfter().toInstant());
        }
        String algorithm = Pem.signatureAlgorithm(key, keyFile);
        Pem.checkMatch(certificate, certFile, key, keyFile);
        return new CertificateAuthority(certificate, key, algorithm);
    }

    public X509Certificate certificate() {
        return certificate;
    }

    public String certificatePem() {
        return Pem.certificate(certificate);
    }

    /**
     * A new EC P-256 certificate signed by this CA, for both ends of a TLS connection (serverAuth and
     * clientAuth: Redis nodes connect to each other with the certificate they serve). Its names are
     * every DNS name and IP address given, once each; it is valid from five minutes ago for
     * {@code validity}, and never beyond the CA itself.
     */
    public Issued issue(String commonName, List<String> dnsNames, List<String> ipAddresses, Duration validity) {
        if (commonName == null || commonName.isBlank()) {
            throw new TlsException("a certificate needs a common name");
        }
        if (validity == null || validity.isNegative() || validity.isZero()) {
            throw new TlsException("the validity of " + commonName + "'s certificate must be positive, not " + validity);
        }
        GeneralName[] names = subjectAlternativeNames(commonName, dnsNames, ipAddresses);
        Instant now = Instant.now();
        Instant notAfter = now.plus(validity);
        Instant caNotAfter = certificate.getNotAfter().toInstant();
        if (notAfter.isAfter(caNotAfter)) {
            notAfter = caNotAfter;
        }
        if (!notAfter.isAfter(now)) {
            throw new TlsException("the CA certificate " + certificate.getSubjectX500Principal().getName()
                    + " expired on " + caNotAfter);
        }
        KeyPair pair = ecKeyPair();
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, commonName).build();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serial(),
                Date.from(now.minus(CLOCK_SKEW)), Date.from(notAfter), subject, pair.getPublic());
        JcaX509ExtensionUtils utils = extensionUtils();
        extension(builder, Extension.basicConstraints, true, new BasicConstraints(false));
        // keyEncipherment belongs to RSA leaf keys; these are EC, which sign only
        extension(builder, Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
        extension(builder, Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(new KeyPurposeId[] {KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}));
        extension(builder, Extension.subjectKeyIdentifier, false, utils.createSubjectKeyIdentifier(pair.getPublic()));
        extension(builder, Extension.authorityKeyIdentifier, false, authorityKeyIdentifier(utils));
        if (names.length > 0) {
            extension(builder, Extension.subjectAlternativeName, false, new GeneralNames(names));
        }
        return new Issued(sign(builder, signatureAlgorithm, key), pair.getPrivate());
    }

    @Override
    public String toString() {
        return "CertificateAuthority[" + certificate.getSubjectX500Principal().getName() + ", serial="
                + certificate.getSerialNumber().toString(16) + "]";
    }

    private static GeneralName[] subjectAlternativeNames(String commonName, List<String> dnsNames, List<String> ipAddresses) {
        Map<String, GeneralName> dns = new LinkedHashMap<>();
        for (String name : dnsNames == null ? List.<String>of() : dnsNames) {
            if (name == null || name.isBlank() || name.strip().contains(" ")) {
                throw new TlsException("the certificate of " + commonName + ": '" + name + "' is not a DNS name");
            }
            dns.putIfAbsent(name.strip().toLowerCase(Locale.ROOT), new GeneralName(GeneralName.dNSName, name.strip()));
        }
        // equal addresses written differently (::1, 0:0:0:0:0:0:0:1) encode alike, and a set keeps one
        Set<GeneralName> ips = new LinkedHashSet<>();
        for (String address : ipAddresses == null ? List.<String>of() : ipAddresses) {
            if (address == null || !IPAddress.isValid(address.strip())) {
                throw new TlsException("the certificate of " + commonName + ": '" + address + "' is not an IP address");
            }
            ips.add(new GeneralName(GeneralName.iPAddress, address.strip()));
        }
        Set<GeneralName> all = new LinkedHashSet<>(dns.values());
        all.addAll(ips);
        return all.toArray(new GeneralName[0]);
    }

    private ASN1Encodable authorityKeyIdentifier(JcaX509ExtensionUtils utils) {
        // the CA's own identifier when it states one: a user's CA may compute it otherwise than SHA-1
        byte[] ski = certificate.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        if (ski != null) {
            byte[] keyId = ASN1OctetString.getInstance(ASN1OctetString.getInstance(ski).getOctets()).getOctets();
            return new AuthorityKeyIdentifier(keyId);
        }
        PublicKey publicKey = certificate.getPublicKey();
        return utils.createAuthorityKeyIdentifier(publicKey);
    }

    private static void createDirectory(Path dir) {
        if (Files.isDirectory(dir)) {
            return;
        }
        try {
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } else {
                Files.createDirectories(dir);
            }
        } catch (IOException e) {
            throw new TlsException("cannot create the CA directory " + dir + ": " + Pem.oneLine(e), e);
        }
    }

    private static void deleteQuietly(Path file, Exception failure) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            failure.addSuppressed(e);
        }
    }

    private static KeyPair ecKeyPair() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
            return generator.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new TlsException("this Java cannot create EC P-256 keys: " + Pem.oneLine(e), e);
        }
    }

    /** A random positive 128-bit serial number, as the CA/Browser rules ask (at least 64 random bits). */
    private static BigInteger serial() {
        BigInteger serial;
        do {
            serial = new BigInteger(128, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    private static JcaX509ExtensionUtils extensionUtils() {
        try {
            return new JcaX509ExtensionUtils();
        } catch (GeneralSecurityException e) {
            throw new TlsException("this Java has no SHA-1 for key identifiers: " + Pem.oneLine(e), e);
        }
    }

    private static void extension(X509v3CertificateBuilder builder, ASN1ObjectIdentifier oid, boolean critical,
                                  ASN1Encodable value) {
        try {
            builder.addExtension(oid, critical, value);
        } catch (CertIOException e) {
            throw new TlsException("cannot encode the extension " + oid + ": " + Pem.oneLine(e), e);
        }
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, String algorithm, PrivateKey key) {
        try {
            ContentSigner signer = new JcaContentSignerBuilder(algorithm).build(key);
            return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
        } catch (OperatorCreationException | GeneralSecurityException e) {
            throw new TlsException("cannot sign a certificate with " + algorithm + ": " + Pem.oneLine(e), e);
        }
    }
}
