package io.confext.agent.verify;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

/**
 * The 512-byte dm-verity superblock at the start of a hash area, as {@code veritysetup format}
 * writes it (cryptsetup {@code lib/verity/verity.c}, all fields little-endian).
 */
public record VeritySuperblock(
        int version,
        int hashType,
        String algorithm,
        int dataBlockSize,
        int hashBlockSize,
        long dataBlocks,
        byte[] salt) {
    public static final int SIZE = 512;
    private static final byte[] MAGIC = {'v', 'e', 'r', 'i', 't', 'y', 0, 0};

    public static VeritySuperblock parse(byte[] sb) throws ImageFormatException {
        if (sb.length < SIZE || !Arrays.equals(Arrays.copyOf(sb, 8), MAGIC)) {
            throw invalid("no dm-verity superblock (magic \"verity\") at the start of the hash area");
        }
        ByteBuffer b = ByteBuffer.wrap(sb).order(ByteOrder.LITTLE_ENDIAN);
        int version = b.getInt(8);
        int hashType = b.getInt(12);
        String alg = new String(sb, 32, 32, StandardCharsets.US_ASCII);
        int nul = alg.indexOf('\0');
        alg = (nul >= 0 ? alg.substring(0, nul) : alg).toLowerCase(Locale.ROOT);
        int dbs = b.getInt(64);
        int hbs = b.getInt(68);
        long blocks = b.getLong(72);
        int saltSize = b.getShort(80) & 0xffff;
        if (version != 1) {
            throw invalid("dm-verity superblock version " + version + " is not supported (only 1)");
        }
        if (hashType != 1) {
            throw invalid("dm-verity hash type " + hashType
                    + " is not supported (only 1, the normal format; 0 is Chrome OS)");
        }
        if (!validBlockSize(dbs) || !validBlockSize(hbs)) {
            throw invalid(
                    "dm-verity block sizes data=" + dbs + " hash=" + hbs + " are not powers of two in 512..1048576");
        }
        if (blocks <= 0) {
            throw invalid("dm-verity superblock covers " + blocks + " data blocks");
        }
        if (blocks > Long.MAX_VALUE / dbs) {
            // coveredBytes() would overflow into a negative size and slip past the data-area check.
            throw invalid("dm-verity superblock covers " + blocks + " blocks of " + dbs
                    + " bytes, more bytes than any image can hold");
        }
        if (saltSize > 256) {
            throw invalid("dm-verity salt size " + saltSize + " exceeds 256 bytes");
        }
        if (javaDigestName(alg) == null) {
            throw invalid("dm-verity hash algorithm '" + alg + "' is not supported (sha256, sha512, sha1)");
        }
        return new VeritySuperblock(
                version, hashType, alg, dbs, hbs, blocks, Arrays.copyOfRange(sb, 88, 88 + saltSize));
    }

    static String javaDigestName(String alg) {
        return switch (alg) {
            case "sha256" -> "SHA-256";
            case "sha512" -> "SHA-512";
            case "sha1" -> "SHA-1";
            default -> null;
        };
    }

    public String javaDigestName() {
        return javaDigestName(algorithm);
    }

    /** Bytes of the data device that the tree covers; the only bytes a host will ever mount. */
    public long coveredBytes() {
        return dataBlocks * dataBlockSize;
    }

    public String saltHex() {
        return HexFormat.of().formatHex(salt);
    }

    private static boolean validBlockSize(int s) {
        return s >= 512 && s <= (1 << 20) && Integer.bitCount(s) == 1;
    }

    private static ImageFormatException invalid(String m) {
        return new ImageFormatException(ReasonCode.VERITY_SUPERBLOCK_INVALID, m);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof VeritySuperblock s
                && s.version == version
                && s.hashType == hashType
                && s.algorithm.equals(algorithm)
                && s.dataBlockSize == dataBlockSize
                && s.hashBlockSize == hashBlockSize
                && s.dataBlocks == dataBlocks
                && Arrays.equals(s.salt, salt);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(dataBlocks) * 31 + Arrays.hashCode(salt);
    }

    @Override
    public String toString() {
        return "VeritySuperblock[" + algorithm + ", data " + dataBlocks + " x " + dataBlockSize + ", hash blocks "
                + hashBlockSize + ", salt " + saltHex() + "]";
    }
}
