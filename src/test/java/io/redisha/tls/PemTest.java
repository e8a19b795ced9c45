package io.redisha.tls;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.EncryptedPrivateKeyInfo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.interfaces.ECPrivateKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PemTest {
    @TempDir
    Path tmp;

    private CertificateAuthority ca;
    private Issued leaf;

    @BeforeEach
    void issue() {
        ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "pem");
        leaf = ca.issue("redis-1", List.of("redis-1"), List.of("127.0.0.1"), Duration.ofDays(1));
    }

    @Test
    void aCertificateAndItsPkcs8KeyAreWrittenAndReadBack() throws Exception {
        Path cert = tmp.resolve("redis-1.crt");
        Path key = tmp.resolve("redis-1.key");
        Pem.writePublic(cert, leaf.certificatePem());
        Pem.writePrivate(key, leaf.privateKeyPem());

        assertTrue(Files.readString(cert).startsWith("-----BEGIN CERTIFICATE-----\n"));
        assertTrue(Files.readString(key).startsWith("-----BEGIN PRIVATE KEY-----\n"));
        assertTrue(Files.readAllLines(cert).stream().allMatch(line -> line.length() <= 64));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        assertEquals("rw-r--r--", PosixFilePermissions.toString(Files.getPosixFilePermissions(cert)));
        assertEquals(leaf, Pem.load(cert, key));
    }

    @Test
    void aPrivateFileReplacedKeepsItsPermissionsAndTakesTheNewContent() throws Exception {
        Path key = tmp.resolve("k");
        Pem.writePrivate(key, "one");
        Pem.writePrivate(key, "two");
        assertEquals("two", Files.readString(key));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        try (var files = Files.list(tmp)) {
            assertEquals(0, files.filter(p -> p.getFileName().toString().endsWith(".tmp")).count());
        }
    }

    @Test
    void aChainIsReadInItsOrder() {
        Path chain = tmp.resolve("chain.pem");
        Pem.writePublic(chain, leaf.certificatePem() + ca.certificatePem());
        assertEquals(List.of(leaf.certificate(), ca.certificate()), Pem.readCertificates(chain));
    }

    @Test
    void aKeyAfterEcParametersIsFound() throws Exception {
        Path key = tmp.resolve("sec1.key");
        Files.writeString(key, TestCertificates.ecSec1Pem(leaf.key(), leaf.certificate().getPublicKey()));
        assertEquals(((ECPrivateKey) leaf.key()).getS(), ((ECPrivateKey) Pem.readPrivateKey(key)).getS());
    }

    @Test
    void aCertificateWithAnotherKeyIsRefusedNamingBothFiles() {
        Issued other = ca.issue("redis-2", List.of("redis-2"), List.of(), Duration.ofDays(1));
        Path cert = tmp.resolve("redis-1.crt");
        Path key = tmp.resolve("redis-2.key");
        Pem.writePublic(cert, leaf.certificatePem());
        Pem.writePrivate(key, other.privateKeyPem());
        assertEquals("the key in " + key + " does not match the certificate in " + cert,
                assertThrows(TlsException.class, () -> Pem.load(cert, key)).getMessage());
    }

    @Test
    void anEncryptedPkcs8KeyIsRefusedNamingTheFile() throws Exception {
        Path key = tmp.resolve("encrypted.key");
        byte[] encrypted = new EncryptedPrivateKeyInfo("PBEWithSHA1AndDESede", new byte[48]).getEncoded();
        Files.writeString(key, TestCertificates.pem("ENCRYPTED PRIVATE KEY", encrypted));
        assertEquals("the private key in " + key + " is encrypted; give it unencrypted (chmod 600)",
                assertThrows(TlsException.class, () -> Pem.readPrivateKey(key)).getMessage());
    }

    @Test
    void anOpensslLegacyEncryptedKeyIsRefusedNamingTheFile() throws Exception {
        Path key = tmp.resolve("legacy.key");
        Files.writeString(key, "-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\n"
                + "DEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\n"
                + Base64.getEncoder().encodeToString(new byte[64]) + "\n-----END RSA PRIVATE KEY-----\n");
        assertEquals("the private key in " + key + " is encrypted; give it unencrypted (chmod 600)",
                assertThrows(TlsException.class, () -> Pem.readPrivateKey(key)).getMessage());
    }

    @Test
    void whatIsNoPemIsRefusedNamingTheFile() throws Exception {
        Path text = tmp.resolve("notes.txt");
        Files.writeString(text, "these are not the certificates you are looking for\n");
        assertEquals(text + " is not a PEM file", assertThrows(TlsException.class, () -> Pem.readCertificates(text)).getMessage());
        assertEquals(text + " is not a PEM file", assertThrows(TlsException.class, () -> Pem.readPrivateKey(text)).getMessage());

        Path der = tmp.resolve("ca.der");
        Files.write(der, ca.certificate().getEncoded());
        assertEquals(der + " is not a PEM file", assertThrows(TlsException.class, () -> Pem.readCertificates(der)).getMessage());

        Path damaged = tmp.resolve("damaged.crt");
        Files.writeString(damaged, "-----BEGIN CERTIFICATE-----\n!!!not base64!!!\n-----END CERTIFICATE-----\n");
        String message = assertThrows(TlsException.class, () -> Pem.readCertificates(damaged)).getMessage();
        assertTrue(message.startsWith(damaged + " is not a PEM file"), message);
        assertFalse(message.contains("\n"), message);
    }

    @Test
    void aFileWithoutTheExpectedObjectSaysWhatIsMissing() {
        Path keyOnly = tmp.resolve("key-only.pem");
        Pem.writePrivate(keyOnly, leaf.privateKeyPem());
        assertEquals("no certificate in " + keyOnly, assertThrows(TlsException.class, () -> Pem.readCertificates(keyOnly)).getMessage());

        Path certOnly = tmp.resolve("cert-only.pem");
        Pem.writePublic(certOnly, leaf.certificatePem());
        assertEquals("no private key in " + certOnly, assertThrows(TlsException.class, () -> Pem.readPrivateKey(certOnly)).getMessage());

        Path absent = tmp.resolve("absent.pem");
        assertEquals(absent + " does not exist", assertThrows(TlsException.class, () -> Pem.readCertificates(absent)).getMessage());
    }

    @Test
    void anIssuedCertificateShowsNoKeyMaterial() {
        String shown = leaf.toString();
        String encodedKey = Base64.getEncoder().encodeToString(leaf.key().getEncoded());
        String scalar = ((ECPrivateKey) leaf.key()).getS().toString(16);

        assertFalse(shown.contains(encodedKey.substring(0, 40)), shown);
        assertFalse(shown.contains(encodedKey.substring(encodedKey.length() - 40)), shown);
        assertFalse(shown.contains(scalar), shown);
        assertFalse(shown.contains(((ECPrivateKey) leaf.key()).getS().toString()), shown);
        assertFalse(shown.contains("PRIVATE KEY"), shown);
        assertTrue(shown.contains("CN=redis-1") && shown.contains(leaf.serial().toString(16)), shown);
    }
}
