package io.github.syscontainers.objectstore;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Encodes image names into OSTree ref components the way skopeo's {@code ostree:} transport (and so atomic) did:
 * every byte outside {@code [A-Za-z0-9.-]} becomes {@code _%02X}, so {@code busybox:latest} is
 * {@code busybox_3Alatest}.
 */
public final class RefNames {
  private RefNames() {}

  /** Encodes a name; the result is a valid ref component. */
  public static String encode(String name) {
    StringBuilder out = new StringBuilder(name.length() + 16);
    for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xFF;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-') {
        out.append((char) c);
      } else {
        out.append('_').append(String.format("%02X", c));
      }
    }
    return out.toString();
  }

  /** Decodes {@code _XX} escapes; returns the input unchanged when it is not a valid encoding. */
  public static String decode(String encoded) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (int i = 0; i < encoded.length(); i++) {
      char c = encoded.charAt(i);
      if (c == '_') {
        if (i + 2 >= encoded.length()) {
          return encoded;
        }
        try {
          out.write(Integer.parseInt(encoded.substring(i + 1, i + 3), 16));
        } catch (NumberFormatException e) {
          return encoded;
        }
        i += 2;
      } else {
        out.write(c);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
