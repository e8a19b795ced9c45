package io.redisha.tls;

import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;

/** Certificates and key encodings made by the tests themselves, as another tool (openssl) would write them. */
final class TestCertificates {
    private TestCertificates() {
    }

    /** A self-signed RSA 2048 CA, as a user might bring. */
    static Issued rsaCa(String name) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair pair = generator.generateKeyPair();
        X500Name subject = new X500Name("CN=" + name);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject, BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofMinutes(1))), Date.from(now.plus(Duration.ofDays(30))), subject,
                pair.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(pair.getPrivate())));
        return new Issued(certificate, pair.getPrivate());
    }

    /** A leaf for 127.0.0.1 signed by {@code ca}, whose validity ended yesterday. */
    static Issued expiredLeaf(Issued ca) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair pair = generator.generateKeyPair();
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(ca.certificate(), BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofDays(30))), Date.from(now.minus(Duration.ofDays(1))), new X500Name("CN=expired"),
                pair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.iPAddress, "127.0.0.1")));
        X509Certificate certificate = new JcaX509CertificateConverter()
                .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(ca.key())));
        return new Issued(certificate, pair.getPrivate());
    }

    /** PKCS#1, as {@code openssl genrsa -traditional} writes it. */
    static String rsaPkcs1Pem(PrivateKey key) throws Exception {
        ASN1Primitive pkcs1 = PrivateKeyInfo.getInstance(key.getEncoded()).parsePrivateKey().toASN1Primitive();
        return pem("RSA PRIVATE KEY", pkcs1.getEncoded());
    }

    /** SEC1 with the curve named, after an EC PARAMETERS block, as {@code openssl ecparam -genkey} writes it. */
    static String ecSec1Pem(PrivateKey key, PublicKey publicKey) throws Exception {
        var sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, ((ECPrivateKey) key).getS(),
                SubjectPublicKeyInfo.getInstance(publicKey.getEncoded()).getPublicKeyData(), SECObjectIdentifiers.secp256r1);
        return pem("EC PARAMETERS", SECObjectIdentifiers.secp256r1.getEncoded()) + pem("EC PRIVATE KEY", sec1.getEncoded());
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
