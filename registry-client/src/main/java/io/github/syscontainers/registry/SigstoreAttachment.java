package io.github.syscontainers.registry;

import java.util.Map;

/**
 * One signature to attach to a manifest as cosign attaches it: a layer of the manifest tagged {@code sha256-HEX.sig}
 * whose blob is the signed payload and whose annotations carry the signature.
 *
 * @param mediaType the layer's media type ({@code application/vnd.dev.cosign.simplesigning.v1+json})
 * @param payload the blob
 * @param annotations the layer's annotations
 */
public record SigstoreAttachment(String mediaType, byte[] payload, Map<String, String> annotations) {
  public SigstoreAttachment {
    annotations = Map.copyOf(annotations);
  }
}
