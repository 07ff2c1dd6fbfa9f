package io.confext.agent.verify;

import java.nio.charset.StandardCharsets;
import java.security.Provider;
import java.util.Optional;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cms.CMSException;
import org.bouncycastle.cms.CMSProcessableByteArray;
import org.bouncycastle.cms.CMSSignedData;
import org.bouncycastle.cms.SignerInformation;
import org.bouncycastle.cms.jcajce.JcaSimpleSignerInfoVerifierBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.OperatorCreationException;

/**
 * Checks a detached PKCS#7 (CMS) signature over the ASCII lowercase hex root hash against a set of
 * trusted certificates, as systemd does in user space: the signer must be one of the trusted
 * certificates themselves (no chain validation). Works for signatures with or without embedded
 * certificates ({@code openssl smime -nocerts}): signers are matched by issuer and serial number or
 * subject key identifier against the trusted set only, never against certificates the signature brings.
 */
public final class RootHashSignatureVerifier {
    /**
     * BouncyCastle's JCA provider, made on first use only: its set-up alone costs ~0.7 s of CPU in a fresh JVM
     * (BENCHMARKS.md, issue #18), most of the offline command's run. The JDK's own providers check the usual
     * algorithms (RSA, ECDSA, EdDSA); this provider has the last word whenever they do not accept a signature.
     */
    private static final class BouncyCastle {
        static final Provider PROVIDER = new BouncyCastleProvider();
    }

    /** @param signerFingerprint lowercase hex SHA-256 of the trusted certificate that signed */
    public record Result(Optional<String> signerFingerprint, Optional<Reason> problem) {
        static Result ok(String fp) {
            return new Result(Optional.of(fp), Optional.empty());
        }

        static Result refused(ReasonCode code, String message) {
            return new Result(Optional.empty(), Optional.of(new Reason(code, message)));
        }
    }

    public Result verify(String rootHashHex, byte[] der, TrustedCertificates trusted) {
        try {
            return check(rootHashHex, der, trusted);
        } catch (RuntimeException e) {
            // BouncyCastle parses lazily: a DER that passed the constructor can still fail while its
            // signer infos or attributes are read. Whatever it throws, the signature is not usable.
            return Result.refused(ReasonCode.SIGNATURE_MALFORMED, "the PKCS#7 root hash signature is damaged: " + e);
        }
    }

    private Result check(String rootHashHex, byte[] der, TrustedCertificates trusted) {
        CMSSignedData cms;
        try {
            cms = new CMSSignedData(new CMSProcessableByteArray(rootHashHex.getBytes(StandardCharsets.US_ASCII)), der);
        } catch (CMSException | RuntimeException e) {
            return Result.refused(
                    ReasonCode.SIGNATURE_MALFORMED,
                    "the root hash signature is not a DER PKCS#7 structure: " + e.getMessage());
        }
        if (cms.getSignerInfos().size() == 0) {
            return Result.refused(ReasonCode.SIGNATURE_MALFORMED, "the PKCS#7 root hash signature has no signer");
        }
        boolean signerTrusted = false;
        String failure = null;
        for (SignerInformation si : cms.getSignerInfos().getSigners()) {
            for (X509CertificateHolder cert : trusted.certificates()) {
                if (!si.getSID().match(cert)) {
                    continue;
                }
                signerTrusted = true;
                if (verifiesWithTheJdk(si, cert)) {
                    return Result.ok(TrustedCertificates.fingerprint(cert));
                }
                try {
                    if (si.verify(new JcaSimpleSignerInfoVerifierBuilder()
                            .setProvider(BouncyCastle.PROVIDER)
                            .build(cert))) {
                        return Result.ok(TrustedCertificates.fingerprint(cert));
                    }
                    failure = "the signature by trusted certificate " + cert.getSubject()
                            + " does not verify over root hash " + rootHashHex;
                } catch (CMSException
                        | OperatorCreationException
                        | java.security.cert.CertificateException
                        | RuntimeException e) {
                    failure = "the signature by trusted certificate " + cert.getSubject()
                            + " does not verify over root hash " + rootHashHex + ": " + e.getMessage();
                }
            }
        }
        if (signerTrusted) {
            return Result.refused(
                    ReasonCode.SIGNATURE_INVALID, failure + "; the root hash or the signature was altered");
        }
        SignerInformation first = cms.getSignerInfos().getSigners().iterator().next();
        String who = first.getSID().getIssuer() != null
                ? "issuer " + first.getSID().getIssuer() + ", serial "
                        + first.getSID().getSerialNumber()
                : first.getSID().getSubjectKeyIdentifier() != null
                        ? "subject key id "
                                + java.util.HexFormat.of()
                                        .formatHex(first.getSID().getSubjectKeyIdentifier())
                        : "no signer identifier";
        return Result.refused(
                ReasonCode.SIGNATURE_UNTRUSTED,
                "the root hash is signed by a certificate that is not trusted (" + who + "); "
                        + (trusted.isEmpty()
                                ? "no trusted certificates are configured"
                                : "trusted are " + trusted.certificates().size()
                                        + " certificate(s): add the signer's certificate to the trust (verity.d or the bundle's trust Secret) or re-sign the image"));
    }

    /**
     * The fast path: the signature checked with the JDK's providers. Only a yes counts; a no or an algorithm the JDK
     * lacks leaves the verdict (and its message) to BouncyCastle's provider, so what is accepted and what is refused,
     * and why, stay as they were with BouncyCastle alone.
     */
    private static boolean verifiesWithTheJdk(SignerInformation si, X509CertificateHolder cert) {
        try {
            return si.verify(new JcaSimpleSignerInfoVerifierBuilder().build(cert));
        } catch (CMSException
                | OperatorCreationException
                | java.security.cert.CertificateException
                | RuntimeException e) {
            return false;
        }
    }
}
