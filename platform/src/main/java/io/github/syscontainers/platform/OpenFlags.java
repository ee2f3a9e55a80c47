package io.github.syscontainers.platform;

import java.util.Locale;
import java.util.Optional;

/**
 * The {@code open(2)} flag values of the running Linux architecture, from the kernel's uapi headers: most of them are
 * the same everywhere ({@code asm-generic/fcntl.h}), but arm64 and powerpc move {@code O_DIRECTORY},
 * {@code O_NOFOLLOW} and {@code O_DIRECT} (on arm64, x86-64's {@code O_NOFOLLOW} bit is {@code O_LARGEFILE}: a
 * hard-coded x86-64 value made the checkout's chown, chmod and xattr calls follow symlinks there). An architecture
 * not listed has no table, and the native file calls are not used on it.
 *
 * @param directory {@code O_DIRECTORY}
 * @param noFollow {@code O_NOFOLLOW}
 * @param direct {@code O_DIRECT}
 */
public record OpenFlags(int directory, int noFollow, int direct) {
  public static final int O_RDONLY = 0;
  static final int O_WRONLY = 01;
  static final int O_CLOEXEC = 02000000;
  /** {@code __O_TMPFILE}, without the {@code O_DIRECTORY} that {@code O_TMPFILE} includes. */
  static final int TMPFILE_BIT = 020000000;

  /** asm-generic/fcntl.h: x86-64, riscv64, s390x, loongarch64. */
  static final OpenFlags GENERIC = new OpenFlags(0200000, 0400000, 040000);
  /** arch/arm64/include/uapi/asm/fcntl.h. */
  static final OpenFlags ARM64 = new OpenFlags(040000, 0100000, 0200000);
  /** arch/powerpc/include/uapi/asm/fcntl.h. */
  static final OpenFlags POWERPC = new OpenFlags(040000, 0100000, 0400000);

  /** The table of the running architecture ({@code os.arch}), if it has one. */
  static Optional<OpenFlags> current() {
    return of(System.getProperty("os.arch", ""));
  }

  static Optional<OpenFlags> of(String osArch) {
    switch (osArch.toLowerCase(Locale.ROOT)) {
      case "amd64":
      case "x86_64":
      case "riscv64":
      case "s390x":
      case "loongarch64":
        return Optional.of(GENERIC);
      case "aarch64":
      case "arm64":
        return Optional.of(ARM64);
      case "ppc64":
      case "ppc64le":
        return Optional.of(POWERPC);
      default:
        return Optional.empty();
    }
  }

  /** {@code O_TMPFILE}: an anonymous file in a directory. */
  int tmpFile() {
    return TMPFILE_BIT | directory;
  }
}
