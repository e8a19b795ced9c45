package io.redisha.tls;

import io.redisha.tls.TlsTestServer.ClientAuth;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real TLS handshakes on 127.0.0.1 against a Java TLS server: no Redis, no Docker. */
@Timeout(60)
class ClientTlsTest {
    private static final String HOST = "127.0.0.1";
    private static final int TIMEOUT = 5_000;

    @TempDir
    Path tmp;

    private CertificateAuthority ca;
    private Issued node;

    @BeforeEach
    void issue() {
        ca = CertificateAuthority.openOrCreate(tmp.resolve("ca"), "tls");
        node = ca.issue("redis-1", List.of("redis-1", "localhost"), List.of(HOST), Duration.ofDays(1));
    }

    @Test
    void aClientTrustingTheCaGetsTheCertificateServed() throws Exception {
        try (TlsTestServer server = new TlsTestServer(node)) {
            X509Certificate served = ClientTls.of(List.of(ca.certificate()), null).served(HOST, server.port(), TIMEOUT);
            assertEquals(node.serial(), served.getSerialNumber());
            assertEquals(node.certificate(), served);
        }
    }

    @Test
    void aClientTrustingAnotherCaIsRefusedTheHandshake() throws Exception {
        CertificateAuthority other = CertificateAuthority.openOrCreate(tmp.resolve("other"), "other");
        try (TlsTestServer server = new TlsTestServer(node)) {
            TlsException e = assertThrows(TlsException.class,
                    () -> ClientTls.of(List.of(other.certificate()), null).served(HOST, server.port(), TIMEOUT));
            assertEquals("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: the certificate served is not issued by a CA this client trusts", e.getMessage());
            assertEquals(0, server.handshakes());
        }
    }

    @Test
    void aCertificateForAnotherNameFailsTheNameCheck() throws Exception {
        Issued elsewhere = ca.issue("other.example", List.of("other.example"), List.of(), Duration.ofDays(1));
        try (TlsTestServer server = new TlsTestServer(elsewhere)) {
            TlsException e = assertThrows(TlsException.class,
                    () -> ClientTls.of(List.of(ca.certificate()), null).served(HOST, server.port(), TIMEOUT));
            // the JDK's own words, as in "No subject alternative names matching IP address 127.0.0.1 found"
            String reason = e.getMessage().substring(("TLS handshake with 127.0.0.1:" + server.port() + " failed: ").length());
            assertTrue(reason.contains("subject alternative names") && reason.contains("127.0.0.1"), e.getMessage());
        }
    }

    @Test
    void anExpiredCertificateIsRefusedSayingSo() throws Exception {
        Issued theirCa = TestCertificates.rsaCa("their CA");
        try (TlsTestServer server = new TlsTestServer(TestCertificates.expiredLeaf(theirCa))) {
            TlsException e = assertThrows(TlsException.class,
                    () -> ClientTls.of(List.of(theirCa.certificate()), null).served(HOST, server.port(), TIMEOUT));
            assertTrue(e.getMessage().startsWith("TLS handshake with 127.0.0.1:" + server.port()
                    + " failed: the certificate served has expired"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    @Test
    void theParametersCheckTheNameAndAreACopy() {
        ClientTls tls = ClientTls.of(List.of(ca.certificate()), null);
        assertEquals("HTTPS", tls.parameters().getEndpointIdentificationAlgorithm());
        tls.parameters().setEndpointIdentificationAlgorithm(null);
        assertEquals("HTTPS", tls.parameters().getEndpointIdentificationAlgorithm());
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aServerRequiringClientCertificatesAcceptsOneFromItsCa(String protocol) throws Exception {
        Issued client = ca.issue("redisha", List.of(), List.of(), Duration.ofDays(1));
        try (TlsTestServer server = new TlsTestServer(node, ca.certificate(), ClientAuth.NEED, protocol)) {
            X509Certificate served = ClientTls.of(List.of(ca.certificate()), client).served(HOST, server.port(), TIMEOUT);
            assertEquals(node.serial(), served.getSerialNumber());
            awaitHandshakes(server, 1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"TLSv1.3", "TLSv1.2"})
    void aServerRequiringClientCertificatesRefusesAClientWithout(String protocol) throws Exception {
        try (TlsTestServer server = new TlsTestServer(node, ca.certificate(), ClientAuth.NEED, protocol)) {
            TlsException e = assertThrows(TlsException.class,
                    () -> ClientTls.of(List.of(ca.certificate()), null).served(HOST, server.port(), TIMEOUT));
            assertTrue(e.getMessage().contains("127.0.0.1:" + server.port()), e.getMessage());
            assertEquals(0, server.handshakes());
        }
    }

    @Test
    void aServerRequiringClientCertificatesRefusesOneFromAnotherCa() throws Exception {
        Issued stranger = CertificateAuthority.openOrCreate(tmp.resolve("other"), "other")
                .issue("redisha", List.of(), List.of(), Duration.ofDays(1));
        try (TlsTestServer server = new TlsTestServer(node, ca.certificate(), ClientAuth.NEED, "TLSv1.3")) {
            assertThrows(TlsException.class,
                    () -> ClientTls.of(List.of(ca.certificate()), stranger).served(HOST, server.port(), TIMEOUT));
            assertEquals(0, server.handshakes());
        }
    }

    @Test
    void aServerTakingClientCertificatesOptionallyAcceptsAClientWithout() throws Exception {
        try (TlsTestServer server = new TlsTestServer(node, ca.certificate(), ClientAuth.WANT, "TLSv1.3")) {
            X509Certificate served = ClientTls.of(List.of(ca.certificate()), null).served(HOST, server.port(), TIMEOUT);
            assertEquals(node.serial(), served.getSerialNumber());
            awaitHandshakes(server, 1);
        }
    }

    @Test
    void noServerIsAnIoFailureNotATlsOne() throws Exception {
        int port;
        try (ServerSocket free = new ServerSocket(0, 1, java.net.InetAddress.getByAddress(new byte[] {127, 0, 0, 1}))) {
            port = free.getLocalPort();
        }
        int closed = port;
        ClientTls tls = ClientTls.of(List.of(ca.certificate()), null);
        assertThrows(IOException.class, () -> tls.served(HOST, closed, TIMEOUT));
    }

    @Test
    void noTrustedCertificateIsRefused() {
        assertThrows(TlsException.class, () -> ClientTls.of(List.of(), null));
    }

    private static void awaitHandshakes(TlsTestServer server, int expected) throws InterruptedException {
        // the server counts after its side of the handshake, which may end just after the client's
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (server.handshakes() < expected && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(expected, server.handshakes());
    }
}
