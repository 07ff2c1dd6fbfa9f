package io.confext.agent.verify;

import io.airlift.compress.MalformedInputException;
import io.airlift.compress.lz4.Lz4Decompressor;
import io.airlift.compress.lzo.LzoDecompressor;
import io.airlift.compress.zstd.ZstdDecompressor;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.tukaani.xz.XZInputStream;

/**
 * The compressors of squashfs 4.0 (the superblock's compression id), each inflating one block into at most a known
 * number of bytes: a block that would inflate past it is damage (a decompression bomb), never a bigger buffer. gzip
 * (mksquashfs' default) is the JDK's zlib; xz is XZ for Java; lzo, lz4 and zstd are aircompressor's pure-Java
 * decoders, so the agent loads no native code for them. The legacy lzma (id 2, which mksquashfs 4 no longer writes) is
 * refused as uninspectable.
 */
enum SquashfsCompression {
    GZIP(1, "gzip") {
        @Override
        byte[] inflate(byte[] in, int max) throws ImageFormatException {
            Inflater inflater = new Inflater();
            try {
                inflater.setInput(in);
                byte[] out = new byte[max];
                int n = 0;
                while (!inflater.finished()) {
                    if (n == max) {
                        throw expands(max);
                    }
                    int got = inflater.inflate(out, n, max - n);
                    if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                        throw SquashfsReader.corrupt("squashfs gzip block ends before its stream does");
                    }
                    n += got;
                }
                return Arrays.copyOf(out, n);
            } catch (DataFormatException e) {
                throw SquashfsReader.corrupt("squashfs gzip block is damaged: " + e.getMessage());
            } finally {
                inflater.end();
            }
        }
    },
    LZMA(2, "lzma"),
    LZO(3, "lzo") {
        @Override
        byte[] inflate(byte[] in, int max) throws ImageFormatException {
            return airlift(
                    in, max, (src, dst) -> new LzoDecompressor().decompress(src, 0, src.length, dst, 0, dst.length));
        }
    },
    XZ(4, "xz") {
        @Override
        byte[] inflate(byte[] in, int max) throws ImageFormatException {
            try (InputStream xz = new XZInputStream(new ByteArrayInputStream(in))) {
                byte[] out = xz.readNBytes(max);
                if (xz.read() >= 0) {
                    throw expands(max);
                }
                return out;
            } catch (IOException e) {
                throw SquashfsReader.corrupt("squashfs xz block is damaged: " + e.getMessage());
            }
        }
    },
    LZ4(5, "lz4") {
        @Override
        byte[] inflate(byte[] in, int max) throws ImageFormatException {
            return airlift(
                    in, max, (src, dst) -> new Lz4Decompressor().decompress(src, 0, src.length, dst, 0, dst.length));
        }
    },
    ZSTD(6, "zstd") {
        @Override
        byte[] inflate(byte[] in, int max) throws ImageFormatException {
            return airlift(
                    in, max, (src, dst) -> new ZstdDecompressor().decompress(src, 0, src.length, dst, 0, dst.length));
        }
    };

    private final int id;
    private final String label;

    SquashfsCompression(int id, String label) {
        this.id = id;
        this.label = label;
    }

    static SquashfsCompression of(int id) throws ImageFormatException {
        for (SquashfsCompression c : values()) {
            if (c.id == id) {
                return c;
            }
        }
        throw SquashfsReader.corrupt("squashfs compression id " + id + " is none that squashfs 4.0 defines");
    }

    /** The block's bytes, at most {@code max} of them. */
    final byte[] decompress(byte[] in, int max) throws ImageFormatException {
        return inflate(in, max);
    }

    byte[] inflate(byte[] in, int max) throws ImageFormatException {
        throw new ImageFormatException(
                ReasonCode.CONTENT_UNINSPECTABLE,
                "the squashfs is compressed with " + label
                        + ", which this verifier cannot read; build it with mksquashfs -comp gzip (the default), xz, lzo, lz4 or zstd");
    }

    private interface Decoder {
        int decode(byte[] src, byte[] dst);
    }

    private static byte[] airlift(byte[] in, int max, Decoder d) throws ImageFormatException {
        // One byte of headroom tells "exactly max" from "would need more": the decoders stop at the buffer's end.
        byte[] out = new byte[max + 1];
        int n;
        try {
            n = d.decode(in, out);
        } catch (MalformedInputException | IndexOutOfBoundsException | IllegalArgumentException e) {
            throw SquashfsReader.corrupt(
                    "squashfs block is damaged or inflates past " + max + " bytes: " + e.getMessage());
        }
        if (n > max) {
            throw expands(max);
        }
        return Arrays.copyOf(out, n);
    }

    private static ImageFormatException expands(int max) {
        return SquashfsReader.corrupt("squashfs block inflates past " + max + " bytes");
    }
}
