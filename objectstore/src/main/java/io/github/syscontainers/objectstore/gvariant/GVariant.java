package io.github.syscontainers.objectstore.gvariant;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Serialises and deserialises GVariant values in normal form, as GLib's {@code gvariant-serialiser.c} does: minimal
 * little-endian framing offsets chosen per container, zero padding, no trailing padding on variable-size tuples.
 *
 * <p>Java shapes: {@code y n q i u h} as {@link Integer} (raw bits), {@code b} as {@link Boolean}, {@code x t} as
 * {@link Long}, {@code d} as {@link Double}, {@code s o g} as {@link String}, {@code ay} as {@code byte[]}, other
 * arrays and tuples as {@link List}, {@code m} as {@link Optional}, {@code v} as {@link Variant}. Numbers are written
 * in host (little-endian) order; OSTree's big-endian fields are byte-swapped by the caller.
 *
 * <p>Stateless and thread-safe.
 *
 * @see <a href="https://people.gnome.org/~desrt/gvariant-serialisation.pdf">GVariant serialisation</a>
 */
public final class GVariant {
  private GVariant() {}

  /** Serialises {@code value} as {@code type}. */
  public static byte[] serialize(GVariantType type, Object value) {
    ByteBuf out = new ByteBuf(64);
    write(type, value, out);
    return out.toByteArray();
  }

  /** Serialises {@code value} as the type with the given signature. */
  public static byte[] serialize(String signature, Object value) {
    return serialize(GVariantType.of(signature), value);
  }

  /**
   * Deserialises {@code data} as {@code type}.
   *
   * @throws IllegalArgumentException when the data is not a well-formed serialisation of the type
   */
  public static Object deserialize(GVariantType type, byte[] data) {
    return read(type, data, 0, data.length);
  }

  /** Deserialises {@code data} as the type with the given signature. */
  public static Object deserialize(String signature, byte[] data) {
    return deserialize(GVariantType.of(signature), data);
  }

  /** Returns true when {@code data} deserialises as {@code type} and re-serialises to the same bytes. */
  public static boolean isNormalForm(GVariantType type, byte[] data) {
    try {
      return Arrays.equals(serialize(type, deserialize(type, data)), data);
    } catch (IllegalArgumentException | ClassCastException e) {
      return false;
    }
  }

  // ---- writing ----

  private static void write(GVariantType t, Object v, ByteBuf out) {
    switch (t.kind()) {
      case 'y':
        out.put((byte) toInt(v));
        return;
      case 'b':
        out.put((byte) (((Boolean) v) ? 1 : 0));
        return;
      case 'n':
      case 'q':
        out.putShortLe((short) toInt(v));
        return;
      case 'i':
      case 'u':
      case 'h':
        out.putIntLe(toInt(v));
        return;
      case 'x':
      case 't':
        out.putLongLe(((Number) v).longValue());
        return;
      case 'd':
        out.putLongLe(Double.doubleToRawLongBits(((Number) v).doubleValue()));
        return;
      case 's':
      case 'o':
      case 'g':
        out.put(((String) v).getBytes(StandardCharsets.UTF_8));
        out.put((byte) 0);
        return;
      case 'v':
        {
          Variant var = (Variant) v;
          int start = out.size();
          write(GVariantType.of(var.type()), var.value(), out);
          // the child starts at this container's start; nothing to align
          assert out.size() >= start;
          out.put((byte) 0);
          out.put(var.type().getBytes(StandardCharsets.US_ASCII));
          return;
        }
      case 'm':
        {
          Optional<?> opt = (Optional<?>) v;
          if (opt.isPresent()) {
            GVariantType el = t.children().get(0);
            out.put(serialize(el, opt.get()));
            if (el.fixedSize() == 0) {
              out.put((byte) 0);
            }
          }
          return;
        }
      case 'a':
        writeArray(t, v, out);
        return;
      default:
        writeTuple(t, (List<?>) v, out);
    }
  }

  private static int toInt(Object v) {
    if (v instanceof Boolean) {
      return ((Boolean) v) ? 1 : 0;
    }
    return ((Number) v).intValue();
  }

  private static void writeArray(GVariantType t, Object v, ByteBuf out) {
    GVariantType el = t.children().get(0);
    if (t.isByteArray()) {
      out.put((byte[]) v);
      return;
    }
    List<?> items = (List<?>) v;
    if (el.fixedSize() != 0) {
      for (Object item : items) {
        write(el, item, out);
      }
      return;
    }
    ByteBuf body = new ByteBuf(64);
    long[] ends = new long[items.size()];
    int i = 0;
    for (Object item : items) {
      body.padTo(el.alignment());
      body.put(serialize(el, item));
      ends[i++] = body.size();
    }
    int w = offsetSize(body.size(), ends.length);
    out.put(body.toByteArray());
    for (long e : ends) {
      out.putUintLe(e, w);
    }
  }

  private static void writeTuple(GVariantType t, List<?> values, ByteBuf out) {
    List<GVariantType> members = t.children();
    if (members.isEmpty()) {
      out.put((byte) 0);
      return;
    }
    if (values.size() != members.size()) {
      throw new IllegalArgumentException(
          "Tuple " + t + " needs " + members.size() + " values, got " + values.size());
    }
    ByteBuf body = new ByteBuf(64);
    List<Long> ends = new ArrayList<>();
    for (int i = 0; i < members.size(); i++) {
      GVariantType m = members.get(i);
      body.padTo(m.alignment());
      body.put(serialize(m, values.get(i)));
      if (m.fixedSize() == 0 && i != members.size() - 1) {
        ends.add((long) body.size());
      }
    }
    if (t.fixedSize() != 0) {
      while (body.size() < t.fixedSize()) {
        body.put((byte) 0);
      }
      out.put(body.toByteArray());
      return;
    }
    int w = offsetSize(body.size(), ends.size());
    out.put(body.toByteArray());
    for (int i = ends.size() - 1; i >= 0; i--) {
      out.putUintLe(ends.get(i), w);
    }
  }

  /** Returns the smallest framing-offset width W such that body + W * n fits in W bytes (gvs_calculate_total_size). */
  static int offsetSize(long body, int n) {
    if (n == 0) {
      return 0;
    }
    if (body + n <= 0xFFL) {
      return 1;
    }
    if (body + 2L * n <= 0xFFFFL) {
      return 2;
    }
    if (body + 4L * n <= 0xFFFFFFFFL) {
      return 4;
    }
    return 8;
  }

  /** Returns the framing-offset width a reader derives from a container's total size (gvs_get_offset_size). */
  static int offsetSizeForTotal(long total) {
    if (total == 0) {
      return 0;
    }
    if (total <= 0xFFL) {
      return 1;
    }
    if (total <= 0xFFFFL) {
      return 2;
    }
    if (total <= 0xFFFFFFFFL) {
      return 4;
    }
    return 8;
  }

  // ---- reading ----

  private static Object read(GVariantType t, byte[] b, int off, int len) {
    int fs = t.fixedSize();
    if (fs != 0 && len != fs) {
      throw new IllegalArgumentException("Value of type " + t + " has " + len + " bytes, expected " + fs);
    }
    ByteBuffer bb = ByteBuffer.wrap(b, off, len).order(ByteOrder.LITTLE_ENDIAN);
    switch (t.kind()) {
      case 'y':
        return b[off] & 0xFF;
      case 'b':
        if ((b[off] & 0xFE) != 0) {
          throw new IllegalArgumentException("Boolean byte " + b[off] + " is neither 0 nor 1");
        }
        return b[off] == 1;
      case 'n':
        return (int) bb.getShort(off);
      case 'q':
        return bb.getShort(off) & 0xFFFF;
      case 'i':
      case 'u':
      case 'h':
        return bb.getInt(off);
      case 'x':
      case 't':
        return bb.getLong(off);
      case 'd':
        return Double.longBitsToDouble(bb.getLong(off));
      case 's':
      case 'o':
      case 'g':
        return readString(b, off, len);
      case 'v':
        return readVariant(b, off, len);
      case 'm':
        return readMaybe(t, b, off, len);
      case 'a':
        return readArray(t, b, off, len);
      default:
        return readTuple(t, b, off, len);
    }
  }

  private static String readString(byte[] b, int off, int len) {
    if (len == 0 || b[off + len - 1] != 0) {
      throw new IllegalArgumentException("String is not NUL-terminated");
    }
    for (int i = off; i < off + len - 1; i++) {
      if (b[i] == 0) {
        throw new IllegalArgumentException("String has an interior NUL byte");
      }
    }
    try {
      return StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(b, off, len - 1))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("String is not valid UTF-8", e);
    }
  }

  private static Variant readVariant(byte[] b, int off, int len) {
    int z = -1;
    for (int i = off + len - 1; i >= off; i--) {
      if (b[i] == 0) {
        z = i;
        break;
      }
    }
    if (z < 0) {
      throw new IllegalArgumentException("Variant has no type separator");
    }
    String type = new String(b, z + 1, off + len - z - 1, StandardCharsets.US_ASCII);
    return new Variant(type, read(GVariantType.of(type), b, off, z - off));
  }

  private static Optional<?> readMaybe(GVariantType t, byte[] b, int off, int len) {
    if (len == 0) {
      return Optional.empty();
    }
    GVariantType el = t.children().get(0);
    if (el.fixedSize() != 0) {
      return Optional.of(read(el, b, off, len));
    }
    if (b[off + len - 1] != 0) {
      throw new IllegalArgumentException("Maybe of a variable type lacks its trailing NUL");
    }
    return Optional.of(read(el, b, off, len - 1));
  }

  private static Object readArray(GVariantType t, byte[] b, int off, int len) {
    GVariantType el = t.children().get(0);
    if (t.isByteArray()) {
      return Arrays.copyOfRange(b, off, off + len);
    }
    List<Object> out = new ArrayList<>();
    int fs = el.fixedSize();
    if (fs != 0) {
      if (len % fs != 0) {
        throw new IllegalArgumentException("Array of " + el + " has a size that is not a multiple of " + fs);
      }
      for (int i = 0; i < len; i += fs) {
        out.add(read(el, b, off + i, fs));
      }
      return out;
    }
    if (len == 0) {
      return out;
    }
    int w = offsetSizeForTotal(len);
    long lastEnd = readUintLe(b, off + len - w, w);
    if (lastEnd > len || (len - lastEnd) % w != 0) {
      throw new IllegalArgumentException("Array of " + el + " has an invalid offset table");
    }
    int n = (int) ((len - lastEnd) / w);
    int start = 0;
    for (int i = 0; i < n; i++) {
      long end = readUintLe(b, off + (int) lastEnd + i * w, w);
      start = GVariantType.align(start, el.alignment());
      if (end < start || end > lastEnd) {
        throw new IllegalArgumentException("Array of " + el + " has an element outside its bounds");
      }
      out.add(read(el, b, off + start, (int) end - start));
      start = (int) end;
    }
    return out;
  }

  private static List<Object> readTuple(GVariantType t, byte[] b, int off, int len) {
    List<GVariantType> members = t.children();
    List<Object> out = new ArrayList<>(members.size());
    if (members.isEmpty()) {
      return out;
    }
    int w = t.fixedSize() != 0 ? 0 : offsetSizeForTotal(len);
    int offsetPtr = len;
    int pos = 0;
    for (int i = 0; i < members.size(); i++) {
      GVariantType m = members.get(i);
      pos = GVariantType.align(pos, m.alignment());
      int end;
      if (m.fixedSize() != 0) {
        end = pos + m.fixedSize();
      } else if (i == members.size() - 1) {
        end = offsetPtr;
      } else {
        offsetPtr -= w;
        if (offsetPtr < 0) {
          throw new IllegalArgumentException("Tuple " + t + " is too short for its offsets");
        }
        end = (int) readUintLe(b, off + offsetPtr, w);
      }
      if (pos > end || end > offsetPtr) {
        throw new IllegalArgumentException("Tuple " + t + " member " + i + " is outside its bounds");
      }
      out.add(read(m, b, off + pos, end - pos));
      pos = end;
    }
    return out;
  }

  private static long readUintLe(byte[] b, int off, int w) {
    long v = 0;
    for (int i = w - 1; i >= 0; i--) {
      v = (v << 8) | (b[off + i] & 0xFF);
    }
    return v;
  }

  /** A minimal growable byte buffer. */
  private static final class ByteBuf {
    private byte[] data;
    private int size;

    ByteBuf(int capacity) {
      data = new byte[capacity];
    }

    void ensure(int extra) {
      if (size + extra > data.length) {
        data = Arrays.copyOf(data, Math.max(data.length * 2, size + extra));
      }
    }

    void put(byte v) {
      ensure(1);
      data[size++] = v;
    }

    void put(byte[] v) {
      ensure(v.length);
      System.arraycopy(v, 0, data, size, v.length);
      size += v.length;
    }

    void putShortLe(short v) {
      putUintLe(v & 0xFFFF, 2);
    }

    void putIntLe(int v) {
      putUintLe(v & 0xFFFFFFFFL, 4);
    }

    void putLongLe(long v) {
      putUintLe(v, 8);
    }

    void putUintLe(long v, int w) {
      ensure(w);
      for (int i = 0; i < w; i++) {
        data[size++] = (byte) (v >>> (8 * i));
      }
    }

    void padTo(int alignment) {
      while (size % alignment != 0) {
        put((byte) 0);
      }
    }

    int size() {
      return size;
    }

    byte[] toByteArray() {
      return Arrays.copyOf(data, size);
    }
  }
}
