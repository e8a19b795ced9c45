package io.redisha.tls;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;

/**
 * PEM files of certificates and keys: reading the formats OpenSSL writes, writing certificates
 * and PKCS#8 keys, and files that are private from the moment they exist.
 */
public final class Pem {
    /** A PEM file of certificates or a key is a few kilobytes; a larger file is something else. */
    private static final long MAX_BYTES = 1 << 20;
    private static final Set<PosixFilePermission> PRIVATE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> PUBLIC = PosixFilePermissions.fromString("rw-r--r--");

    private Pem() {
    }

    /** Every certificate in the file, in its order (a leaf first, then its chain). */
    public static List<X509Certificate> readCertificates(Path file) {
        JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
        List<X509Certificate> certificates = new ArrayList<>();
        for (Object o : objects(file)) {
            if (o instanceof X509CertificateHolder holder) {
                try {
                    certificates.add(converter.getCertificate(holder));
                } catch (CertificateException e) {
                    throw new TlsException("a certificate in " + file + " cannot be read: " + e.getMessage(), e);
                }
            }
        }
        if (certificates.isEmpty()) {
            throw new TlsException("no certificate in " + file);
        }
        return List.copyOf(certificates);
    }

    /** The private key in the file: PKCS#8, PKCS#1 RSA or SEC1 EC, unencrypted. */
    public static PrivateKey readPrivateKey(Path file) {
        PrivateKeyInfo info = null;
        for (Object o : objects(file)) {
            PrivateKeyInfo found = null;
            if (o instanceof PrivateKeyInfo k) {
                found = k;
            } else if (o instanceof PEMKeyPair pair) {
                found = pair.getPrivateKeyInfo();
            } else if (o instanceof PKCS8EncryptedPrivateKeyInfo || o instanceof PEMEncryptedKeyPair) {
                throw new TlsException("the private key in " + file + " is encrypted; give it unencrypted (chmod 600)");
            }
            if (found != null) {
                if (info != null) {
                    throw new TlsException(file + " holds more than one private key; give one");
                }
                info = found;
            }
        }
        if (info == null) {
            throw new TlsException("no private key in " + file);
        }
        try {
            return new JcaPEMKeyConverter().getPrivateKey(info);
        } catch (PEMException | RuntimeException e) {
            throw new TlsException("the private key in " + file + " cannot be read: " + oneLine(e), e);
        }
    }

    /** A user's own certificate (the first in the file) and its key, checked to belong together. */
    public static Issued load(Path certFile, Path keyFile) {
        X509Certificate certificate = readCertificates(certFile).get(0);
        PrivateKey key = readPrivateKey(keyFile);
        checkMatch(certificate, certFile, key, keyFile);
        return new Issued(certificate, key);
    }

    public static String certificate(X509Certificate certificate) {
        try {
            return block("CERTIFICATE", certificate.getEncoded());
        } catch (GeneralSecurityException e) {
            throw new TlsException("the certificate " + certificate.getSubjectX500Principal() + " cannot be encoded", e);
        }
    }

    /** The key as PKCS#8 ({@code -----BEGIN PRIVATE KEY-----}), which OpenSSL, Redis and Valkey read. */
    public static String privateKey(PrivateKey key) {
        if (!"PKCS#8".equals(key.getFormat()) || key.getEncoded() == null) {
            throw new TlsException("a " + key.getAlgorithm() + " key in the format " + key.getFormat()
                    + " cannot be written as PKCS#8");
        }
        return block("PRIVATE KEY", key.getEncoded());
    }

    /** Writes the file readable by its owner only (0600) from its creation, and replaces it in one step. */
    public static void writePrivate(Path file, String content) {
        write(file, content, PRIVATE);
    }

    /** Writes the file readable by all (0644), and replaces it in one step. */
    public static void writePublic(Path file, String content) {
        write(file, content, PUBLIC);
    }

    /** Whether the key is the certificate's, by a signature made with one and checked with the other. */
    static void checkMatch(X509Certificate certificate, Path certFile, PrivateKey key, Path keyFile) {
        PublicKey publicKey = certificate.getPublicKey();
        String mismatch = "the key in " + keyFile + " does not match the certificate in " + certFile;
        if (!sameFamily(key.getAlgorithm(), publicKey.getAlgorithm())) {
            throw new TlsException(mismatch);
        }
        String algorithm = signatureAlgorithm(key, keyFile);
        try {
            byte[] challenge = new byte[32];
            new SecureRandom().nextBytes(challenge);
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(challenge);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(publicKey);
            verifier.update(challenge);
            if (!verifier.verify(signature)) {
                throw new TlsException(mismatch);
            }
        } catch (GeneralSecurityException e) {
            // a key of another curve or size fails here rather than verifying false
            throw new TlsException(mismatch, e);
        }
    }

    /** The signature algorithm redisha uses with a key of this kind; only RSA and EC keys are taken. */
    static String signatureAlgorithm(PrivateKey key, Path keyFile) {
        return switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC", "ECDSA" -> "SHA256withECDSA";
            default -> throw new TlsException("the private key in " + keyFile + " is a " + key.getAlgorithm()
                    + " key; give an RSA or EC key");
        };
    }

    private static boolean sameFamily(String a, String b) {
        return normalized(a).equals(normalized(b));
    }

    private static String normalized(String algorithm) {
        return "ECDSA".equals(algorithm) ? "EC" : algorithm;
    }

    private static List<Object> objects(Path file) {
        String text = new String(bytes(file), StandardCharsets.ISO_8859_1);
        if (!text.contains("-----BEGIN ")) {
            throw new TlsException(file + " is not a PEM file");
        }
        List<Object> objects = new ArrayList<>();
        try (PEMParser parser = new PEMParser(new StringReader(text))) {
            for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
                objects.add(o);
            }
        } catch (IOException | RuntimeException e) {
            // PEMParser signals a damaged block or one of an unknown type with an exception
            throw new TlsException(file + " is not a PEM file redisha can read: " + oneLine(e), e);
        }
        return objects;
    }

    private static byte[] bytes(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new TlsException(file + " is a directory, not a PEM file");
            }
            if (Files.size(file) > MAX_BYTES) {
                throw new TlsException(file + " is not a PEM file (larger than 1 MiB)");
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new TlsException(file + " does not exist", e);
        } catch (AccessDeniedException e) {
            throw new TlsException("cannot read " + file + ": permission denied", e);
        } catch (IOException e) {
            throw new TlsException("cannot read " + file + ": " + oneLine(e), e);
        }
    }

    private static String block(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    private static void write(Path file, String content, Set<PosixFilePermission> permissions) {
        Path dir = file.toAbsolutePath().getParent();
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temp = null;
        try {
            // created 0600 whatever is written, so that no other user ever opens a private file
            FileAttribute<?>[] attributes = posix
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PRIVATE)}
                    : new FileAttribute<?>[0];
            temp = Files.createTempFile(dir, "." + file.getFileName() + ".", ".tmp", attributes);
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            if (posix) {
                // explicit, so that the umask decides nothing
                Files.setPosixFilePermissions(temp, permissions);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            temp = null;
        } catch (IOException e) {
            throw new TlsException("cannot write " + file + ": " + oneLine(e), e);
        } finally {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the write already failed, and that is what is reported
                }
            }
        }
    }

    static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
