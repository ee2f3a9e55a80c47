package io.github.syscontainers.objectstore;

/**
 * A layer whose bytes could not be read as a compressed tar stream: truncated, or corrupt (a bad deflate block, a
 * CRC that does not match). The blob itself may be at fault, which only its digest can tell: a caller that reads
 * the rest of the blob through its verifier learns whether the source sent other bytes than the manifest names.
 */
public final class BrokenLayerStreamException extends ObjectStoreException {
  private static final long serialVersionUID = 1L;

  BrokenLayerStreamException(String message, Throwable cause) {
    super(message, cause);
  }
}
