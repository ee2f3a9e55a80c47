package io.github.syscontainers.trust;

import java.util.Optional;

/**
 * What image identity a signature must claim ({@code signedIdentity} of containers-policy.json(5)), against the
 * identity of the image being pulled. Rules that compare with the pulled image's own reference need the transport
 * to give one (a registry, or a docker-archive named by its reference); without it they match nothing.
 *
 * <p>Immutable and thread-safe.
 */
sealed interface SignedIdentity
    permits SignedIdentity.MatchExact, SignedIdentity.MatchRepoDigestOrExact, SignedIdentity.MatchRepository,
        SignedIdentity.ExactReference, SignedIdentity.ExactRepository, SignedIdentity.RemapIdentity {

  /** The default when a requirement names none. */
  SignedIdentity DEFAULT = new MatchRepoDigestOrExact();

  /**
   * Whether a signature claiming {@code signed} is accepted for an image whose identity is {@code intended}.
   */
  boolean matches(Optional<DockerName> intended, String signed);

  /** A short description, for messages. */
  String describe();

  /** The signature names exactly the image's reference, which must carry a tag or digest. */
  record MatchExact() implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      return exact(intended, DockerName.parse(signed));
    }

    @Override
    public String describe() {
      return "matchExact";
    }
  }

  /** A tagged image needs its exact reference signed; an image by digest, any reference of its repository. */
  record MatchRepoDigestOrExact() implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      Optional<DockerName> s = DockerName.parse(signed);
      return intended.isPresent() && s.isPresent() && repoDigestOrExact(intended.get(), s.get());
    }

    @Override
    public String describe() {
      return "matchRepoDigestOrExact";
    }
  }

  /** The signature names any reference of the image's repository. */
  record MatchRepository() implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      Optional<DockerName> s = DockerName.parse(signed);
      return intended.isPresent() && s.isPresent() && s.get().name().equals(intended.get().name());
    }

    @Override
    public String describe() {
      return "matchRepository";
    }
  }

  /** The signature names exactly {@code dockerReference}, whatever the image was pulled as. */
  record ExactReference(String dockerReference) implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      return exact(DockerName.parse(dockerReference), DockerName.parse(signed));
    }

    @Override
    public String describe() {
      return "exactReference " + dockerReference;
    }
  }

  /** The signature names any reference of the repository {@code dockerRepository}. */
  record ExactRepository(String dockerRepository) implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      Optional<DockerName> want = DockerName.parse(dockerRepository);
      Optional<DockerName> s = DockerName.parse(signed);
      return want.isPresent() && s.isPresent() && s.get().name().equals(want.get().name());
    }

    @Override
    public String describe() {
      return "exactRepository " + dockerRepository;
    }
  }

  /**
   * The image's reference, its {@code prefix} replaced by {@code signedPrefix} when it starts with it, matched as
   * {@link MatchRepoDigestOrExact}: a mirror's images signed with their public names.
   */
  record RemapIdentity(String prefix, String signedPrefix) implements SignedIdentity {
    @Override
    public boolean matches(Optional<DockerName> intended, String signed) {
      Optional<DockerName> s = DockerName.parse(signed);
      if (intended.isEmpty() || s.isEmpty()) {
        return false;
      }
      Optional<DockerName> remapped = remap(intended.get());
      return remapped.isPresent() && repoDigestOrExact(remapped.get(), s.get());
    }

    private Optional<DockerName> remap(DockerName ref) {
      String name = ref.name();
      boolean under = name.equals(prefix) || (name.startsWith(prefix) && name.charAt(prefix.length()) == '/');
      if (!under) {
        return Optional.of(ref);
      }
      String text = ref.toString().replaceFirst(java.util.regex.Pattern.quote(prefix),
          java.util.regex.Matcher.quoteReplacement(signedPrefix));
      return DockerName.parse(text).filter(r -> r.nameOnly() == ref.nameOnly());
    }

    @Override
    public String describe() {
      return "remapIdentity " + prefix + " -> " + signedPrefix;
    }
  }

  /** Both are references with a tag or digest, and the same one. */
  private static boolean exact(Optional<DockerName> want, Optional<DockerName> signed) {
    return want.isPresent() && signed.isPresent() && !want.get().nameOnly() && !signed.get().nameOnly()
        && signed.get().toString().equals(want.get().toString());
  }

  private static boolean repoDigestOrExact(DockerName intended, DockerName signed) {
    if (signed.nameOnly()) {
      return false;
    }
    if (intended.tagged()) {
      return signed.toString().equals(intended.toString());
    }
    if (intended.digestOnly()) {
      // the digest itself is checked against the manifest with the signature's own claim
      return signed.name().equals(intended.name());
    }
    return false;
  }
}
