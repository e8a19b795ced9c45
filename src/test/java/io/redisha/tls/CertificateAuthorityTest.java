package io.redisha.tls;

import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.Extension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CertificateAuthorityTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS = 2;
    private static final int IP = 7;

    @TempDir
    Path tmp;

    @Test
    void aNewCaIsWrittenPrivatelyAndReopenedAsTheSame() throws Exception {
        Path dir = tmp.resolve("state/ca");
        CertificateAuthority created = CertificateAuthority.openOrCreate(dir, "shop");

        assertEquals("rwx------", permissions(dir));
        assertEquals("rw-------", permissions(dir.resolve("ca.key")));
        assertEquals("rw-r--r--", permissions(dir.resolve("ca.crt")));
        try (var files = Files.list(dir)) {
            assertEquals(Set.of("ca.crt", "ca.key"), files.map(p -> p.getFileName().toString()).collect(java.util.stream.Collectors.toSet()),
                    "no temporary file left behind");
        }

        CertificateAuthority reopened = CertificateAuthority.openOrCreate(dir, "shop");
        assertEquals(created.certificate().getSerialNumber(), reopened.certificate().getSerialNumber());
        assertEquals(created.certificatePem(), reopened.certificatePem());
        // the reopened CA signs with the same key
        reopened.issue("n", List.of("n"), List.of(), Duration.ofDays(1)).certificate().verify(created.certificate().getPublicKey());
    }

    @Test
    void aRotatedCaIssuesFromTheNewKeyAndItsFileStillTrustsTheOld() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority old = CertificateAuthority.openOrCreate(dir, "shop");
        Issued fromOld = old.issue("node", List.of("node"), List.of(), Duration.ofDays(1));
        CertificateAuthority made = CertificateAuthority.rotate(dir, "shop");
        List<X509Certificate> file = Pem.readCertificates(dir.resolve("ca.crt"));
        assertEquals(List.of(made.certificate(), old.certificate()), file, "the new CA first, then the old");
        assertNotEquals(old.certificate().getSubjectX500Principal(), made.certificate().getSubjectX500Principal());
        CertificateAuthority reopened = CertificateAuthority.openOrCreate(dir, "shop");
        assertEquals(made.certificate(), reopened.certificate(), "ca.key is the new CA's");
        assertTrue(reopened.signed(reopened.issue("node", List.of("node"), List.of(), Duration.ofDays(1)).certificate()));
        assertFalse(reopened.signed(fromOld.certificate()), "checked with the key, not by names");
        assertTrue(CertificateAuthority.signedBy(fromOld.certificate(), file.get(1)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("ca.key"))));
        assertFalse(Files.exists(dir.resolve(CertificateAuthority.NEXT_KEY_FILE)));
    }

    @Test
    void aRotationStoppedBetweenItsWritesIsFinishedOrForgottenOnTheNextOpen() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority old = CertificateAuthority.openOrCreate(dir, "shop");
        Path next = dir.resolve(CertificateAuthority.NEXT_KEY_FILE);
        String oldKey = Files.readString(dir.resolve("ca.key"));
        CertificateAuthority made = CertificateAuthority.rotate(dir, "shop");
        String newKey = Files.readString(dir.resolve("ca.key"));
        // stopped before ca.crt named the new CA: the new key is dropped, the old CA stands
        Files.writeString(next, newKey);
        Pem.writePublic(dir.resolve("ca.crt"), Pem.certificate(old.certificate()));
        Pem.writePrivate(dir.resolve("ca.key"), oldKey);
        assertEquals(old.certificate(), CertificateAuthority.openOrCreate(dir, "shop").certificate());
        assertFalse(Files.exists(next));
        // stopped after ca.crt named it, before the key moved: the move is finished
        Files.writeString(next, newKey);
        Pem.writePublic(dir.resolve("ca.crt"), Pem.certificate(made.certificate()) + Pem.certificate(old.certificate()));
        assertEquals(made.certificate(), CertificateAuthority.openOrCreate(dir, "shop").certificate());
        assertFalse(Files.exists(next));
    }

    @Test
    void theCaCertificateIsASelfSignedCaOfTenYears() throws Exception {
        X509Certificate ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "shop").certificate();

        assertEquals("CN=redisha shop CA", ca.getSubjectX500Principal().getName());
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "CA:true");
        assertTrue(ca.getCriticalExtensionOIDs().contains(Extension.basicConstraints.getId()));
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "no digitalSignature");
        assertTrue(ca.getExtensionValue(Extension.subjectKeyIdentifier.getId()) != null, "subject key identifier");
        assertEquals("EC", ca.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", ca.getSigAlgName());
        assertClose(Instant.now().plus(Duration.ofDays(3653)), ca.getNotAfter().toInstant());
    }

    @Test
    void aCaWithOneOfItsTwoFilesIsRefusedNamingTheMissingOne() throws Exception {
        Path dir = tmp.resolve("ca");
        CertificateAuthority.openOrCreate(dir, "shop");
        Path key = dir.resolve("ca.key");
        Path cert = dir.resolve("ca.crt");
        byte[] keyBytes = Files.readAllBytes(key);

        Files.delete(key);
        TlsException noKey = assertThrows(TlsException.class, () -> CertificateAuthority.openOrCreate(dir, "shop"));
        assertTrue(noKey.getMessage().startsWith(key + " is missing"), noKey.getMessage());

        Files.write(key, keyBytes);
        Files.delete(cert);
        TlsException noCert = assertThrows(TlsException.class, () -> CertificateAuthority.openOrCreate(dir, "shop"));
        assertTrue(noCert.getMessage().startsWith(cert + " is missing"), noCert.getMessage());
        assertFalse(Files.exists(cert), "nothing created beside a lone key");
    }

    @Test
    void aLeafCarriesExactlyTheNamesAskedOnceEachAndServesBothEnds() throws Exception {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "shop");
        Issued leaf = ca.issue("redis-1", List.of("redis-1", "localhost", "LOCALHOST"),
                List.of("127.0.0.1", "172.30.0.11", "127.0.0.1", "::1", "0:0:0:0:0:0:0:1"), Duration.ofDays(90));
        X509Certificate cert = leaf.certificate();

        cert.verify(ca.certificate().getPublicKey());
        assertEquals("CN=redis-1", cert.getSubjectX500Principal().getName());
        assertEquals(ca.certificate().getSubjectX500Principal(), cert.getIssuerX500Principal());
        assertEquals(Set.of(
                List.of(DNS, "redis-1"), List.of(DNS, "localhost"),
                List.of(IP, "127.0.0.1"), List.of(IP, "172.30.0.11"), List.of(IP, "0:0:0:0:0:0:0:1")),
                new HashSet<>(cert.getSubjectAlternativeNames()));
        assertEquals(5, cert.getSubjectAlternativeNames().size(), "no name twice");
        assertEquals(List.of(SERVER_AUTH, CLIENT_AUTH), cert.getExtendedKeyUsage());
        assertEquals(-1, cert.getBasicConstraints(), "CA:false");
        assertTrue(cert.getKeyUsage()[0], "digitalSignature");
        assertEquals("EC", cert.getPublicKey().getAlgorithm());
        assertEquals("SHA256withECDSA", cert.getSigAlgName());
        assertClose(Instant.now().plus(Duration.ofDays(90)), leaf.notAfter());
        assertClose(Instant.now().minus(Duration.ofMinutes(5)), cert.getNotBefore().toInstant());
        assertArrayEquals(keyIdentifier(ca.certificate()), authorityKeyIdentifier(cert), "AKI is the CA's SKI");
        Pem.checkMatch(cert, Path.of("leaf.crt"), leaf.key(), Path.of("leaf.key"));
    }

    @Test
    void serialsArePositiveRandomAndDiffer() {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "shop");
        Set<BigInteger> serials = new HashSet<>();
        for (int i = 0; i < 20; i++) {
            BigInteger serial = ca.issue("n" + i, List.of(), List.of("127.0.0.1"), Duration.ofDays(1)).serial();
            assertTrue(serial.signum() > 0 && serial.bitLength() <= 128, serial.toString(16));
            serials.add(serial);
        }
        assertEquals(20, serials.size());
        assertFalse(serials.contains(ca.certificate().getSerialNumber()));
    }

    @Test
    void aLeafEndsNoLaterThanItsCa() throws Exception {
        Issued rsa = TestCertificates.rsaCa("short-lived CA");
        Path cert = tmp.resolve("ca.pem");
        Path key = tmp.resolve("ca-key.pem");
        Pem.writePublic(cert, rsa.certificatePem());
        Pem.writePrivate(key, rsa.privateKeyPem());

        Issued leaf = CertificateAuthority.load(cert, key).issue("n", List.of("n"), List.of(), Duration.ofDays(3650));
        assertEquals(rsa.notAfter(), leaf.notAfter());
    }

    @Test
    void badNamesAndValiditiesAreRefusedNamingTheCertificate() {
        CertificateAuthority ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "shop");
        assertEquals("the certificate of redis-1: 'redis-1.local' is not an IP address",
                assertThrows(TlsException.class,
                        () -> ca.issue("redis-1", List.of(), List.of("redis-1.local"), Duration.ofDays(1))).getMessage());
        assertEquals("the certificate of redis-1: 'a b' is not a DNS name",
                assertThrows(TlsException.class,
                        () -> ca.issue("redis-1", List.of("a b"), List.of(), Duration.ofDays(1))).getMessage());
        assertThrows(TlsException.class, () -> ca.issue("redis-1", List.of("x"), List.of(), Duration.ZERO));
        assertThrows(TlsException.class, () -> ca.issue(" ", List.of("x"), List.of(), Duration.ofDays(1)));
    }

    @Test
    void aUsersEcCaLoadsFromPkcs8AndFromSec1() throws Exception {
        Path dir = tmp.resolve("theirs");
        CertificateAuthority original = CertificateAuthority.openOrCreate(dir, "elsewhere");
        Path pkcs8 = dir.resolve("ca.key");
        CertificateAuthority loaded = CertificateAuthority.load(dir.resolve("ca.crt"), pkcs8);
        assertEquals(original.certificate(), loaded.certificate());

        var key = Pem.readPrivateKey(pkcs8);
        Path sec1 = tmp.resolve("ca-sec1.key");
        Files.writeString(sec1, TestCertificates.ecSec1Pem(key, original.certificate().getPublicKey()));
        CertificateAuthority fromSec1 = CertificateAuthority.load(dir.resolve("ca.crt"), sec1);
        fromSec1.issue("n", List.of("n"), List.of(), Duration.ofDays(1)).certificate().verify(original.certificate().getPublicKey());
    }

    @Test
    void aUsersRsaCaInPkcs1SignsWithRsa() throws Exception {
        Issued rsa = TestCertificates.rsaCa("their RSA CA");
        Path cert = tmp.resolve("rsa-ca.crt");
        Path key = tmp.resolve("rsa-ca.key");
        Files.writeString(cert, rsa.certificatePem());
        Files.writeString(key, TestCertificates.rsaPkcs1Pem(rsa.key()));

        Issued leaf = CertificateAuthority.load(cert, key).issue("redis-1", List.of(), List.of("127.0.0.1"), Duration.ofDays(1));
        assertEquals("SHA256withRSA", leaf.certificate().getSigAlgName());
        assertEquals("EC", leaf.key().getAlgorithm());
        leaf.certificate().verify(rsa.certificate().getPublicKey());
        assertEquals(rsa.certificate().getSubjectX500Principal(), leaf.certificate().getIssuerX500Principal());
    }

    @Test
    void aUsersCaWhoseKeyIsAnothersIsRefusedNamingBothFiles() {
        CertificateAuthority.openOrCreate(tmp.resolve("a"), "a");
        CertificateAuthority.openOrCreate(tmp.resolve("b"), "b");
        Path cert = tmp.resolve("a/ca.crt");
        Path key = tmp.resolve("b/ca.key");
        assertEquals("the key in " + key + " does not match the certificate in " + cert,
                assertThrows(TlsException.class, () -> CertificateAuthority.load(cert, key)).getMessage());
    }

    @Test
    void aUsersCaWithAnRsaKeyBesideAnEcCertificateIsRefused() throws Exception {
        CertificateAuthority.openOrCreate(tmp.resolve("a"), "a");
        Path key = tmp.resolve("rsa.key");
        Files.writeString(key, TestCertificates.rsaPkcs1Pem(TestCertificates.rsaCa("x").key()));
        Path cert = tmp.resolve("a/ca.crt");
        assertEquals("the key in " + key + " does not match the certificate in " + cert,
                assertThrows(TlsException.class, () -> CertificateAuthority.load(cert, key)).getMessage());
    }

    @Test
    void aLeafCertificateIsNoCa() {
        Issued leaf = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "shop")
                .issue("redis-1", List.of("redis-1"), List.of(), Duration.ofDays(1));
        Path cert = tmp.resolve("leaf.crt");
        Path key = tmp.resolve("leaf.key");
        Pem.writePublic(cert, leaf.certificatePem());
        Pem.writePrivate(key, leaf.privateKeyPem());
        TlsException e = assertThrows(TlsException.class, () -> CertificateAuthority.load(cert, key));
        assertEquals("the certificate in " + cert + " is not a CA certificate (no basicConstraints CA:true)", e.getMessage());
    }

    @Test
    void twoCasDiffer() {
        assertNotEquals(CertificateAuthority.openOrCreate(tmp.resolve("a"), "x").certificate(),
                CertificateAuthority.openOrCreate(tmp.resolve("b"), "x").certificate());
    }

    static void assertClose(Instant expected, Instant actual) {
        assertTrue(Duration.between(expected, actual).abs().compareTo(Duration.ofMinutes(1)) < 0,
                actual + " is not within a minute of " + expected);
    }

    private static String permissions(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private static byte[] keyIdentifier(X509Certificate cert) {
        byte[] value = cert.getExtensionValue(Extension.subjectKeyIdentifier.getId());
        return ASN1OctetString.getInstance(ASN1OctetString.getInstance(value).getOctets()).getOctets();
    }

    private static byte[] authorityKeyIdentifier(X509Certificate cert) {
        byte[] value = cert.getExtensionValue(Extension.authorityKeyIdentifier.getId());
        return AuthorityKeyIdentifier.getInstance(ASN1OctetString.getInstance(value).getOctets()).getKeyIdentifierOctets();
    }
}
