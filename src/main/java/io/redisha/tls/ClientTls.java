package io.redisha.tls;

import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.X509KeyManager;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.CertPathBuilderException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What redisha's own clients need to connect with TLS: the CAs they trust, the certificate they
 * show when the server asks for one, and a check of the server's name against its certificate.
 * For Jedis: {@code DefaultJedisClientConfig.builder().ssl(true).sslSocketFactory(socketFactory())
 * .sslParameters(parameters())}.
 */
public final class ClientTls {
    /**
     * How long {@link #served} listens after a TLS 1.3 handshake in which the server asked for a
     * certificate: in TLS 1.3 the client's handshake ends before the server has judged the client's
     * certificate, and a refusal arrives as an alert just after.
     */
    static final int REFUSAL_WAIT_MILLIS = 300;

    private final SSLContext context;
    private final ClientKeys keys;

    private ClientTls(SSLContext context, ClientKeys keys) {
        this.context = context;
        this.keys = keys;
    }

    /** Trusts exactly {@code trusted} (in memory: no trust store file); shows the client certificate when one is given. */
    public static ClientTls of(List<X509Certificate> trusted, Issued clientCertificateOrNull) {
        if (trusted == null || trusted.isEmpty()) {
            throw new TlsException("TLS needs at least one trusted CA certificate");
        }
        try {
            KeyStore trustStore = KeyStore.getInstance("PKCS12");
            trustStore.load(null, null);
            for (int i = 0; i < trusted.size(); i++) {
                trustStore.setCertificateEntry("trusted-" + i, Objects.requireNonNull(trusted.get(i), "trusted certificate"));
            }
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trustStore);

            ClientKeys keys = new ClientKeys(clientCertificateOrNull == null ? null : keyManager(clientCertificateOrNull));
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(new KeyManager[] {keys}, trust.getTrustManagers(), null);
            return new ClientTls(context, keys);
        } catch (GeneralSecurityException | IOException e) {
            throw new TlsException("cannot set up TLS: " + Pem.oneLine(e), e);
        }
    }

    public SSLSocketFactory socketFactory() {
        return context.getSocketFactory();
    }

    /** A fresh copy each call: the server's name or address is checked against its certificate (as HTTPS does). */
    public SSLParameters parameters() {
        SSLParameters parameters = context.getDefaultSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS");
        return parameters;
    }

    /**
     * The certificate the server at {@code host:port} serves, after a complete handshake with this
     * configuration (trust, name check, client certificate).
     *
     * @throws IOException  when no connection is made (refused, timed out)
     * @throws TlsException when the handshake fails or the server refuses this client
     */
    public X509Certificate served(String host, int port, int timeoutMillis) throws IOException {
        String address = host + ":" + port;
        try (Socket raw = new Socket()) {
            raw.connect(new InetSocketAddress(host, port), timeoutMillis);
            raw.setSoTimeout(timeoutMillis);
            try {
                return handshake(raw, host, port, timeoutMillis);
            } catch (SocketTimeoutException e) {
                throw new TlsException("TLS handshake with " + address + " failed: no answer within " + timeoutMillis + " ms", e);
            } catch (IOException e) {
                // a server that refuses a client may also just close the connection mid-handshake
                throw new TlsException("TLS handshake with " + address + " failed: " + reason(e), e);
            }
        }
    }

    private X509Certificate handshake(Socket raw, String host, int port, int timeoutMillis) throws IOException {
        AtomicBoolean askedForCertificate = new AtomicBoolean();
        try (SSLSocket socket = (SSLSocket) socketFactory().createSocket(raw, host, port, true)) {
            socket.setSSLParameters(parameters());
            keys.watch(socket, askedForCertificate);
            try {
                socket.startHandshake();
                Certificate[] chain = socket.getSession().getPeerCertificates();
                if ("TLSv1.3".equals(socket.getSession().getProtocol()) && askedForCertificate.get()) {
                    awaitRefusal(socket, host + ":" + port, timeoutMillis);
                }
                return (X509Certificate) chain[0];
            } finally {
                keys.unwatch(socket);
            }
        }
    }

    private static void awaitRefusal(SSLSocket socket, String address, int timeoutMillis) throws IOException {
        socket.setSoTimeout(Math.max(1, Math.min(timeoutMillis, REFUSAL_WAIT_MILLIS)));
        try {
            if (socket.getInputStream().read() < 0) {
                throw new TlsException("TLS handshake with " + address + " failed: the server closed the connection"
                        + " at once (it refused this client's certificate)");
            }
        } catch (SocketTimeoutException accepted) {
            // no alert: the server kept the connection, and so accepted this client
        }
    }

    /** Why a handshake failed, in a line: the JDK's messages repeat themselves down the chain of causes. */
    static String reason(Throwable e) {
        Throwable innermost = e;
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof CertificateExpiredException) {
                return "the certificate served has expired (" + Pem.oneLine(c) + ")";
            }
            if (c instanceof CertPathBuilderException) {
                return "the certificate served is not issued by a CA this client trusts";
            }
            if (c.getMessage() != null) {
                innermost = c;
            }
        }
        return Pem.oneLine(innermost);
    }

    private static X509KeyManager keyManager(Issued client) throws GeneralSecurityException, IOException {
        // an in-memory store needs a password of some kind; nobody ever sees this one
        char[] password = new char[24];
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < password.length; i++) {
            password[i] = (char) ('a' + random.nextInt(26));
        }
        KeyStore keyStore = KeyStore.getInstance("PKCS12");
        keyStore.load(null, null);
        keyStore.setKeyEntry("client", client.key(), password, new Certificate[] {client.certificate()});
        KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        factory.init(keyStore, password);
        for (KeyManager manager : factory.getKeyManagers()) {
            if (manager instanceof X509KeyManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 key manager");
    }

    /** The client's certificate, if any, and a note of the servers that asked for one. */
    private static final class ClientKeys extends X509ExtendedKeyManager {
        private final X509KeyManager delegate;
        private final Map<Socket, AtomicBoolean> watched = new ConcurrentHashMap<>();

        ClientKeys(X509KeyManager delegate) {
            this.delegate = delegate;
        }

        void watch(Socket socket, AtomicBoolean asked) {
            watched.put(socket, asked);
        }

        void unwatch(Socket socket) {
            watched.remove(socket);
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            // called only when the server sends a certificate request
            AtomicBoolean asked = socket == null ? null : watched.get(socket);
            if (asked != null) {
                asked.set(true);
            }
            return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, socket);
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return delegate == null ? null : delegate.chooseClientAlias(keyType, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return delegate == null ? null : delegate.getClientAliases(keyType, issuers);
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return delegate == null ? null : delegate.getCertificateChain(alias);
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return delegate == null ? null : delegate.getPrivateKey(alias);
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
