package io.github.syscontainers.platform;

import com.sun.jna.Memory;
import com.sun.jna.Pointer;
import java.nio.ByteBuffer;
import java.security.AlgorithmParameters;
import java.security.InvalidAlgorithmParameterException;
import java.security.InvalidKeyException;
import java.security.Key;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.security.spec.AlgorithmParameterSpec;
import java.security.spec.InvalidParameterSpecException;
import java.util.Arrays;
import java.util.concurrent.atomic.LongAdder;
import javax.crypto.AEADBadTagException;
import javax.crypto.BadPaddingException;
import javax.crypto.Cipher;
import javax.crypto.CipherSpi;
import javax.crypto.IllegalBlockSizeException;
import javax.crypto.NoSuchPaddingException;
import javax.crypto.ShortBufferException;
import javax.crypto.spec.GCMParameterSpec;

/**
 * {@code AES/GCM/NoPadding} from OpenSSL's libcrypto, with the JDK's semantics: AAD before data, decryption releases
 * nothing before the tag is checked ({@link AEADBadTagException} otherwise), an encryption needs a new key or IV
 * after each {@code doFinal}, a decryption can be repeated. TLS decrypts every record with it: the JDK's AES-GCM is
 * fast only once C2 has compiled its intrinsics (C1 alone: 30 MB/s), OpenSSL's from the first record.
 *
 * <p>Encrypt and decrypt modes only (no wrap). Not thread-safe, as no {@code Cipher} is.
 */
public final class LibcryptoAesGcm extends CipherSpi {
  static final boolean LOADED = Libcrypto.register(LibcryptoAesGcm.class);
  private static final int CHUNK = 64 << 10;
  /** Native room for one chunk in and out, per thread. */
  private static final ThreadLocal<Memory> SCRATCH = ThreadLocal.withInitial(() -> new Memory(2L * CHUNK));
  private static final int EVP_CTRL_GCM_SET_IVLEN = 0x9;
  private static final int EVP_CTRL_GCM_GET_TAG = 0x10;
  private static final int EVP_CTRL_GCM_SET_TAG = 0x11;
  private static final int DEFAULT_IV = 12;
  private static final int DEFAULT_TAG = 16;
  /** How many messages were encrypted or decrypted to the end, in the whole JVM (tests read it). */
  static final LongAdder MESSAGES = new LongAdder();
  /** Key schedules made, for tests: an init with the key the cipher holds makes none. */
  static final LongAdder SCHEDULES = new LongAdder();

  private final Pointer ctx;
  private final int[] outLength = new int[1];
  private int mode; // 0 until initialised
  private byte[] key;
  private byte[] iv;
  private int tagLength;
  private boolean started; // data seen: no more AAD
  private boolean spent; // an encryption ended: a new IV is needed
  private byte[] pending = new byte[0]; // decryption: the input so far, released at doFinal once the tag checks
  private int pendingLength;
  private byte[] opened = new byte[0]; // decryption: the plaintext until the tag checks

  public LibcryptoAesGcm() {
    Pointer c = EVP_CIPHER_CTX_new();
    if (c == null) {
      throw new OutOfMemoryError("EVP_CIPHER_CTX_new failed");
    }
    ctx = c;
    Libcrypto.CLEANER.register(this, new Free(c));
  }

  @Override
  protected void engineSetMode(String m) throws NoSuchAlgorithmException {
    if (!"GCM".equalsIgnoreCase(m)) {
      throw new NoSuchAlgorithmException("only GCM mode, not " + m);
    }
  }

  @Override
  protected void engineSetPadding(String padding) throws NoSuchPaddingException {
    if (!"NoPadding".equalsIgnoreCase(padding)) {
      throw new NoSuchPaddingException("only NoPadding, not " + padding);
    }
  }

  @Override
  protected int engineGetBlockSize() {
    return 16;
  }

  @Override
  protected int engineGetOutputSize(int inputLen) {
    if (mode == Cipher.DECRYPT_MODE) {
      return Math.max(0, pendingLength + inputLen - tagLength);
    }
    return inputLen + (mode == 0 ? DEFAULT_TAG : tagLength);
  }

  @Override
  protected byte[] engineGetIV() {
    return iv == null ? null : iv.clone();
  }

  @Override
  protected AlgorithmParameters engineGetParameters() {
    if (iv == null) {
      return null;
    }
    try {
      AlgorithmParameters p = AlgorithmParameters.getInstance("GCM");
      p.init(new GCMParameterSpec(tagLength * 8, iv));
      return p;
    } catch (NoSuchAlgorithmException | InvalidParameterSpecException e) {
      throw new IllegalStateException("the JDK has no GCM parameters", e);
    }
  }

  @Override
  protected int engineGetKeySize(Key k) throws InvalidKeyException {
    return aesKey(k).length * 8;
  }

  @Override
  protected void engineInit(int opmode, Key k, SecureRandom random) throws InvalidKeyException {
    try {
      engineInit(opmode, k, (AlgorithmParameterSpec) null, random);
    } catch (InvalidAlgorithmParameterException e) {
      throw new InvalidKeyException(e.getMessage(), e);
    }
  }

  @Override
  protected void engineInit(int opmode, Key k, AlgorithmParameters params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    GCMParameterSpec spec = null;
    if (params != null) {
      try {
        spec = params.getParameterSpec(GCMParameterSpec.class);
      } catch (InvalidParameterSpecException e) {
        throw new InvalidAlgorithmParameterException("GCM needs GCM parameters, not " + params.getAlgorithm(), e);
      }
    }
    engineInit(opmode, k, spec, random);
  }

  @Override
  protected void engineInit(int opmode, Key k, AlgorithmParameterSpec params, SecureRandom random)
      throws InvalidKeyException, InvalidAlgorithmParameterException {
    if (opmode != Cipher.ENCRYPT_MODE && opmode != Cipher.DECRYPT_MODE) {
      throw new UnsupportedOperationException("AES/GCM from libcrypto encrypts and decrypts; it does not wrap");
    }
    byte[] newKey = aesKey(k);
    byte[] newIv;
    int newTag;
    if (params == null) {
      if (opmode == Cipher.DECRYPT_MODE) {
        throw new InvalidAlgorithmParameterException("decrypting with GCM needs a GCMParameterSpec");
      }
      newIv = new byte[DEFAULT_IV];
      (random == null ? new SecureRandom() : random).nextBytes(newIv);
      newTag = DEFAULT_TAG;
    } else if (params instanceof GCMParameterSpec) {
      GCMParameterSpec gcm = (GCMParameterSpec) params;
      newIv = gcm.getIV();
      newTag = gcm.getTLen() / 8;
      if (gcm.getTLen() < 96 || gcm.getTLen() > 128 || gcm.getTLen() % 8 != 0) {
        throw new InvalidAlgorithmParameterException("unsupported GCM tag length " + gcm.getTLen() + " bits");
      }
      if (newIv.length == 0) {
        throw new InvalidAlgorithmParameterException("GCM needs an IV of at least one byte");
      }
    } else {
      throw new InvalidAlgorithmParameterException("GCM needs a GCMParameterSpec, not " + params.getClass().getName());
    }
    if (opmode == Cipher.ENCRYPT_MODE && mode == Cipher.ENCRYPT_MODE && Arrays.equals(newKey, key)
        && Arrays.equals(newIv, iv)) {
      throw new InvalidAlgorithmParameterException("Cannot reuse iv for GCM encryption");
    }
    // the same key, direction and IV length: only the IV is new (TLS inits its cipher for every record)
    boolean rekey = key == null || mode != opmode || iv.length != newIv.length || !MessageDigest.isEqual(key, newKey);
    if (key != null) {
      Arrays.fill(key, (byte) 0);
    }
    mode = opmode;
    key = newKey;
    iv = newIv;
    tagLength = newTag;
    if (rekey) {
      start();
    } else {
      restart();
    }
  }

  private static byte[] aesKey(Key k) throws InvalidKeyException {
    byte[] encoded = k == null ? null : k.getEncoded();
    if (encoded == null || (encoded.length != 16 && encoded.length != 24 && encoded.length != 32)) {
      throw new InvalidKeyException(
          "an AES key has 16, 24 or 32 bytes, this one has " + (encoded == null ? "none" : encoded.length));
    }
    return encoded;
  }

  /** Sets the context to the start of a message with the current key and IV. */
  private void start() {
    int enc = mode == Cipher.ENCRYPT_MODE ? 1 : 0;
    Pointer cipher = key.length == 16 ? EVP_aes_128_gcm() : key.length == 24 ? EVP_aes_192_gcm() : EVP_aes_256_gcm();
    check(EVP_CipherInit_ex(ctx, cipher, null, null, null, enc), "EVP_CipherInit_ex");
    check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, iv.length, null), "EVP_CTRL_GCM_SET_IVLEN");
    check(EVP_CipherInit_ex(ctx, null, null, key, iv, enc), "EVP_CipherInit_ex");
    SCHEDULES.increment();
    reset();
  }

  /**
   * Sets the context to the start of a message with a new IV and the key it holds: no new key schedule. A download
   * over TLS inits the cipher once per 16 KiB record, and {@link #start} fetched the cipher and expanded the key each
   * time.
   */
  private void restart() {
    check(EVP_CipherInit_ex(ctx, null, null, null, iv, mode == Cipher.ENCRYPT_MODE ? 1 : 0), "EVP_CipherInit_ex");
    reset();
  }

  private void reset() {
    started = false;
    spent = false;
    pendingLength = 0;
  }

  private void ready() {
    if (mode == 0) {
      throw new IllegalStateException("the cipher is not initialised");
    }
    if (spent) {
      throw new IllegalStateException("GCM encryption needs a new key or IV after doFinal; init the cipher again");
    }
  }

  @Override
  protected void engineUpdateAAD(byte[] src, int offset, int len) {
    ready();
    if (started) {
      throw new IllegalStateException("AAD must be supplied before encryption/decryption starts");
    }
    Memory scratch = SCRATCH.get();
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      scratch.write(0, src, offset, n);
      check(EVP_CipherUpdate(ctx, null, outLength, scratch, n), "EVP_CipherUpdate(AAD)");
      offset += n;
      len -= n;
    }
  }

  @Override
  protected void engineUpdateAAD(ByteBuffer src) {
    byte[] aad = new byte[src.remaining()];
    src.get(aad);
    engineUpdateAAD(aad, 0, aad.length);
  }

  @Override
  protected byte[] engineUpdate(byte[] input, int offset, int len) {
    ready();
    if (mode == Cipher.DECRYPT_MODE) {
      hold(input, offset, len);
      return new byte[0];
    }
    byte[] out = new byte[len];
    crypt(input, offset, len, out, 0);
    return out;
  }

  @Override
  protected int engineUpdate(byte[] input, int offset, int len, byte[] output, int outputOffset)
      throws ShortBufferException {
    ready();
    if (mode == Cipher.DECRYPT_MODE) {
      hold(input, offset, len);
      return 0;
    }
    room(output, outputOffset, len);
    crypt(input, offset, len, output, outputOffset);
    return len;
  }

  @Override
  protected byte[] engineDoFinal(byte[] input, int offset, int len)
      throws IllegalBlockSizeException, BadPaddingException {
    ready();
    byte[] out = new byte[engineGetOutputSize(len)];
    try {
      int n = doFinal(input, offset, len, out, 0);
      return n == out.length ? out : Arrays.copyOf(out, n);
    } catch (ShortBufferException e) {
      throw new IllegalStateException("the output was sized by getOutputSize", e);
    }
  }

  @Override
  protected int engineDoFinal(byte[] input, int offset, int len, byte[] output, int outputOffset)
      throws ShortBufferException, IllegalBlockSizeException, BadPaddingException {
    ready();
    return doFinal(input, offset, len, output, outputOffset);
  }

  private int doFinal(byte[] input, int offset, int len, byte[] output, int outputOffset)
      throws ShortBufferException, AEADBadTagException {
    room(output, outputOffset, engineGetOutputSize(len));
    if (input == null) {
      len = 0;
    }
    if (mode == Cipher.ENCRYPT_MODE) {
      crypt(input, offset, len, output, outputOffset);
      check(EVP_CipherFinal_ex(ctx, SCRATCH.get(), outLength), "EVP_CipherFinal_ex");
      byte[] tag = new byte[tagLength];
      check(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, tagLength, tag), "EVP_CTRL_GCM_GET_TAG");
      System.arraycopy(tag, 0, output, outputOffset + len, tagLength);
      spent = true;
      MESSAGES.increment();
      return len + tagLength;
    }
    byte[] all;
    int total;
    if (pendingLength == 0) {
      all = input;
      total = len;
    } else {
      hold(input, offset, len);
      all = pending;
      offset = 0;
      total = pendingLength;
    }
    if (total < tagLength) {
      restart();
      throw new AEADBadTagException("Input data too short to contain an expected tag length of " + tagLength + "bytes");
    }
    int body = total - tagLength;
    byte[] tag = Arrays.copyOfRange(all, offset + body, offset + total);
    if (opened.length < body) {
      opened = new byte[body];
    }
    // into a buffer of its own first: the caller's output sees the plaintext only once the tag has checked
    crypt(all, offset, body, opened, 0);
    boolean ok =
        EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, tagLength, tag) == 1
            && EVP_CipherFinal_ex(ctx, SCRATCH.get(), outLength) == 1;
    restart(); // a decryption may be repeated with the same key and IV
    MESSAGES.increment();
    if (!ok) {
      Arrays.fill(opened, 0, body, (byte) 0);
      throw new AEADBadTagException("Tag mismatch");
    }
    System.arraycopy(opened, 0, output, outputOffset, body);
    return body;
  }

  private void hold(byte[] input, int offset, int len) {
    if (input == null || len == 0) {
      return;
    }
    started = true;
    if (pendingLength + len > pending.length) {
      pending = Arrays.copyOf(pending, Math.max(pendingLength + len, pending.length * 2));
    }
    System.arraycopy(input, offset, pending, pendingLength, len);
    pendingLength += len;
  }

  private static void room(byte[] output, int outputOffset, int needed) throws ShortBufferException {
    if (needed > 0 && (output == null || output.length - outputOffset < needed)) {
      throw new ShortBufferException("the output needs " + needed + " bytes");
    }
  }

  /** Runs the bytes through the cipher, chunk by chunk; GCM gives out as many bytes as it takes in. */
  private void crypt(byte[] input, int offset, int len, byte[] output, int outputOffset) {
    if (len == 0) {
      return;
    }
    started = true;
    if (input == output && outputOffset > offset && outputOffset < offset + len) {
      // the output starts inside the input, ahead of it: a chunk written would overwrite input not yet read
      input = Arrays.copyOfRange(input, offset, offset + len);
      offset = 0;
    }
    Memory scratch = SCRATCH.get();
    Pointer out = scratch.share(CHUNK);
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      scratch.write(0, input, offset, n);
      check(EVP_CipherUpdate(ctx, out, outLength, scratch, n), "EVP_CipherUpdate");
      if (outLength[0] != n) {
        throw new IllegalStateException("EVP_CipherUpdate gave " + outLength[0] + " bytes for " + n);
      }
      out.read(0, output, outputOffset, n);
      offset += n;
      outputOffset += n;
      len -= n;
    }
  }

  private static void check(int result, String call) {
    if (result != 1) {
      throw new IllegalStateException(call + " failed in libcrypto");
    }
  }

  /** Frees the context when its cipher is unreachable (holds no reference to it). */
  private record Free(Pointer ctx) implements Runnable {
    @Override
    public void run() {
      EVP_CIPHER_CTX_free(ctx);
    }
  }

  static native Pointer EVP_CIPHER_CTX_new();

  static native void EVP_CIPHER_CTX_free(Pointer ctx);

  static native int EVP_CIPHER_CTX_ctrl(Pointer ctx, int type, int arg, byte[] ptr);

  static native Pointer EVP_aes_128_gcm();

  static native Pointer EVP_aes_192_gcm();

  static native Pointer EVP_aes_256_gcm();

  static native int EVP_CipherInit_ex(Pointer ctx, Pointer cipher, Pointer engine, byte[] key, byte[] iv, int enc);

  static native int EVP_CipherUpdate(Pointer ctx, Pointer out, int[] outl, Pointer in, int inl);

  static native int EVP_CipherFinal_ex(Pointer ctx, Pointer out, int[] outl);
}
