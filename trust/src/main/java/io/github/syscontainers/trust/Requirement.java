package io.github.syscontainers.trust;

import java.util.List;
import java.util.Optional;

/**
 * One policy requirement of containers-policy.json(5). An image is accepted only when every requirement of the
 * list that applies to it is satisfied.
 *
 * <p>Immutable and thread-safe.
 */
sealed interface Requirement
    permits Requirement.InsecureAcceptAnything, Requirement.Reject, Requirement.SignedBy, Requirement.SigstoreSigned,
        Requirement.SignedBaseLayer {

  /** The requirement as a person reads it in a message: {@code signedBy (GPGKeys, /etc/pki/key.gpg)}. */
  String describe();

  /** {@code insecureAcceptAnything}: satisfied by any image. */
  record InsecureAcceptAnything() implements Requirement {
    @Override
    public String describe() {
      return "insecureAcceptAnything";
    }
  }

  /** {@code reject}: satisfied by no image. */
  record Reject() implements Requirement {
    @Override
    public String describe() {
      return "reject";
    }
  }

  /**
   * Where a requirement's keys are: files (host paths, under the root being worked on), or inline data.
   *
   * @param paths key files, in the order given
   * @param data keys given inline ({@code keyData}, base64 decoded)
   */
  record Keys(List<String> paths, Optional<byte[]> data) {
    public Keys {
      paths = List.copyOf(paths);
    }

    String describe() {
      return data.isPresent() ? "keyData" : String.join(", ", paths);
    }
  }

  /**
   * {@code signedBy}: a "simple signing" signature by one of {@code keys}, for the image's manifest, claiming an
   * identity {@code identity} accepts.
   *
   * @param keyType {@code GPGKeys}; the other names containers/image knows are refused as it refuses them
   */
  record SignedBy(String keyType, Keys keys, SignedIdentity identity) implements Requirement {
    @Override
    public String describe() {
      return "signedBy (" + keyType + ", " + keys.describe() + ", " + identity.describe() + ")";
    }
  }

  /**
   * {@code sigstoreSigned}: a sigstore signature by one of {@code keys} (public keys), or keyless (Fulcio, PKI),
   * claiming an identity {@code identity} accepts.
   *
   * @param keys the public keys, when the requirement names keys
   * @param keyless the name of the keyless form ({@code fulcio} or {@code pki}) when it uses one
   * @param fulcio the Fulcio trust root, for {@code fulcio}
   * @param rekorKeys the Rekor public keys: signatures must then carry a Rekor SET they made
   */
  record SigstoreSigned(Optional<Keys> keys, Optional<String> keyless, Optional<Fulcio> fulcio,
      Optional<Keys> rekorKeys, SignedIdentity identity) implements Requirement {
    @Override
    public String describe() {
      return "sigstoreSigned (" + keys.map(Keys::describe).orElseGet(() -> fulcio.map(Fulcio::describe)
          .orElseGet(() -> keyless.orElse(""))) + ", " + identity.describe() + ")";
    }
  }

  /**
   * A {@code fulcio} trust root: certificates from {@code ca} for {@code subjectEmail}, as {@code oidcIssuer} vouched.
   *
   * @param ca the CA certificates ({@code caPath} or {@code caData})
   */
  record Fulcio(Keys ca, String oidcIssuer, String subjectEmail) {
    String describe() {
      return "Fulcio " + (ca.data().isPresent() ? "caData" : ca.describe()) + ", " + subjectEmail + " from "
          + oidcIssuer;
    }
  }

  /** {@code signedBaseLayer}: parsed as containers/image parses it, and, as there, never satisfied. */
  record SignedBaseLayer() implements Requirement {
    @Override
    public String describe() {
      return "signedBaseLayer";
    }
  }
}
