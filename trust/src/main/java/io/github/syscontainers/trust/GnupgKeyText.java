package io.github.syscontainers.trust;

import java.io.ByteArrayOutputStream;
import java.util.HexFormat;

/**
 * Rewrites the quoted strings of a GnuPG key file's {@code Key:} S-expression as hex strings ({@code #…#}), the same
 * data in the form Bouncy Castle's parser takes: gpg-agent writes binary values it finds printable (a salt, an IV)
 * as quoted strings with C escapes, which Bouncy Castle 1.87 fails to read (it expects bytes there). Only the
 * {@code Key:} item is touched; headers and everything else are kept byte for byte.
 */
final class GnupgKeyText {
  private GnupgKeyText() {}

  static byte[] hexQuotedStrings(byte[] file) {
    int start = keyItem(file);
    if (start < 0) {
      return file;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(file.length + 64);
    out.write(file, 0, start);
    int i = start;
    while (i < file.length) {
      byte b = file[i];
      if (b == '\n' && i + 1 < file.length && file[i + 1] != ' ' && file[i + 1] != '\t') {
        // the Key: item ends where a line starts without white space: the rest is other items, kept as is
        out.write(file, i, file.length - i);
        break;
      }
      if (b == '#') {
        int end = indexOf(file, (byte) '#', i + 1);
        if (end < 0) {
          out.write(file, i, file.length - i);
          break;
        }
        out.write(file, i, end + 1 - i);
        i = end + 1;
        continue;
      }
      if (b != '"') {
        out.write(b);
        i++;
        continue;
      }
      ByteArrayOutputStream value = new ByteArrayOutputStream();
      i++;
      while (i < file.length && file[i] != '"') {
        if (file[i] != '\\' || i + 1 >= file.length) {
          value.write(file[i++]);
          continue;
        }
        byte e = file[i + 1];
        i += 2;
        switch (e) {
          case 'b': value.write('\b'); break;
          case 't': value.write('\t'); break;
          case 'v': value.write(0x0b); break;
          case 'n': value.write('\n'); break;
          case 'f': value.write('\f'); break;
          case 'r': value.write('\r'); break;
          case '\n': break;
          case 'x':
            value.write(Integer.parseInt(new String(file, i, 2, java.nio.charset.StandardCharsets.US_ASCII), 16));
            i += 2;
            break;
          default:
            if (e >= '0' && e <= '7') {
              value.write(Integer.parseInt(new String(file, i - 1, 3, java.nio.charset.StandardCharsets.US_ASCII), 8));
              i += 2;
            } else {
              value.write(e); // \" \' \\ and the rest: the character itself
            }
        }
      }
      i++; // the closing quote
      out.writeBytes(("#" + HexFormat.of().withUpperCase().formatHex(value.toByteArray()) + "#")
          .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
    }
    return out.toByteArray();
  }

  /** Where the value of the {@code Key:} item starts, or -1 when the file is not in the extended format. */
  private static int keyItem(byte[] file) {
    byte[] tag = "Key:".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    for (int i = 0; i + tag.length <= file.length; i++) {
      if ((i == 0 || file[i - 1] == '\n') && java.util.Arrays.equals(file, i, i + tag.length, tag, 0, tag.length)) {
        return i + tag.length;
      }
    }
    return -1;
  }

  private static int indexOf(byte[] a, byte b, int from) {
    for (int i = from; i < a.length; i++) {
      if (a[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
