package io.confext.agent.verify;

/**
 * One entry of an image's file tree. {@code path} is relative to the image root without a leading
 * slash ({@code etc/chrony/chrony.conf}); {@code mode} holds the file type and permission bits as
 * in {@code st_mode}; {@code symlinkTarget} is set for symlinks only.
 */
public record TreeEntry(String path, int mode, long size, String symlinkTarget, long nid) {
    public static final int S_IFMT = 0170000;
    public static final int S_IFSOCK = 0140000;
    public static final int S_IFLNK = 0120000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFIFO = 0010000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;

    public int type() {
        return mode & S_IFMT;
    }

    public boolean isDirectory() {
        return type() == S_IFDIR;
    }

    public boolean isRegular() {
        return type() == S_IFREG;
    }

    public boolean isSymlink() {
        return type() == S_IFLNK;
    }

    public String name() {
        int slash = path.lastIndexOf('/');
        return slash < 0 ? path : path.substring(slash + 1);
    }
}
