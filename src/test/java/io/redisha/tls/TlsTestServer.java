package io.redisha.tls;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TLS server on 127.0.0.1 serving one certificate, for handshakes without Redis. It counts the
 * handshakes it completed: a client it refused is not counted.
 */
final class TlsTestServer implements AutoCloseable {
    enum ClientAuth { NONE, WANT, NEED }

    private final SSLServerSocket socket;
    private final AtomicInteger handshakes = new AtomicInteger();
    private final Thread acceptor;

    TlsTestServer(Issued served, X509Certificate clientCa, ClientAuth clientAuth, String protocol) throws Exception {
        char[] password = "test-only".toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", served.key(), password, new Certificate[] {served.certificate()});
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManager[] trustManagers = null;
        if (clientCa != null) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            trust.load(null, null);
            trust.setCertificateEntry("client-ca", clientCa);
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            trustManagers = factory.getTrustManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers, null);
        socket = (SSLServerSocket) context.getServerSocketFactory()
                .createServerSocket(0, 10, InetAddress.getByAddress(new byte[] {127, 0, 0, 1}));
        socket.setEnabledProtocols(new String[] {protocol});
        socket.setNeedClientAuth(clientAuth == ClientAuth.NEED);
        if (clientAuth == ClientAuth.WANT) {
            socket.setWantClientAuth(true);
        }
        acceptor = new Thread(this::acceptAll, "tls-test-server");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    TlsTestServer(Issued served) throws Exception {
        this(served, null, ClientAuth.NONE, "TLSv1.3");
    }

    int port() {
        return socket.getLocalPort();
    }

    int handshakes() {
        return handshakes.get();
    }

    private void acceptAll() {
        while (!socket.isClosed()) {
            try {
                Socket client = socket.accept();
                Thread handler = new Thread(() -> serve((SSLSocket) client), "tls-test-connection");
                handler.setDaemon(true);
                handler.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SSLSocket client) {
        try (client) {
            client.setSoTimeout(10_000);
            client.startHandshake();
            handshakes.incrementAndGet();
            InputStream in = client.getInputStream();
            while (in.read() >= 0) {
                // hold the connection until the client closes it, as a Redis server waits for a command
            }
        } catch (IOException refusedOrClosed) {
            // a refused client is what some tests expect; the client reports it
        }
    }

    @Override
    public void close() throws Exception {
        socket.close();
        acceptor.join(5_000);
    }
}
