package io.github.syscontainers.trust;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.registry.SourceReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Who an image is to the policy: the transport it comes through, its scope identity and the namespaces that contain
 * it (most specific first), and its Docker reference when the transport gives one.
 *
 * @param transport {@code docker}, {@code oci}, {@code oci-archive}, {@code docker-archive}
 * @param scope the most specific scope that names it: {@code docker.io/library/busybox:latest}, an absolute path
 * @param namespaces the wider scopes containing it, narrowest first; for {@code docker} ending with {@code *.domain}
 *     wildcards
 * @param dockerReference what the identity rules compare signatures with
 * @param display the image as messages name it
 */
public record ImageIdentity(
    String transport, String scope, List<String> namespaces, Optional<DockerName> dockerReference, String display) {

  public ImageIdentity {
    namespaces = List.copyOf(namespaces);
  }

  /** A registry image, as the policy sees it under the {@code docker} transport. */
  static ImageIdentity docker(io.github.syscontainers.model.ImageReference ref) {
    DockerName name = new DockerName(ref, false);
    String scope = ref.digest().isPresent() && ref.tag().isEmpty()
        ? name.name() + "@" + ref.digest().get() : name.name() + ":" + ref.tag().orElse("latest");
    return new ImageIdentity("docker", scope, dockerNamespaces(name.name()), Optional.of(name), "docker://" + scope);
  }

  /**
   * The identity of the image a source reference names. Local archives and layouts are scoped by their absolute
   * path (and its parent directories); a docker-archive named with its reference (FILE:NAME:TAG) has that
   * reference as its identity, as containers/image gives it.
   */
  public static ImageIdentity of(SourceReference ref) {
    if (ref instanceof SourceReference.Registry) {
      return docker(((SourceReference.Registry) ref).reference());
    }
    if (ref instanceof SourceReference.OciLayout) {
      Path dir = absolute(((SourceReference.OciLayout) ref).directory());
      return new ImageIdentity("oci", dir.toString(), parents(dir), Optional.empty(), "oci:" + dir);
    }
    if (ref instanceof SourceReference.OciArchive) {
      Path file = absolute(((SourceReference.OciArchive) ref).file());
      return new ImageIdentity("oci-archive", file.toString(), parents(file), Optional.empty(), "oci-archive:" + file);
    }
    if (ref instanceof SourceReference.Dir) {
      Path dir = absolute(((SourceReference.Dir) ref).directory());
      return new ImageIdentity("dir", dir.toString(), parents(dir), Optional.empty(), "dir:" + dir);
    }
    SourceReference.DockerArchive a = (SourceReference.DockerArchive) ref;
    Path file = absolute(a.file());
    Optional<DockerName> named =
        a.ref().filter(r -> !r.startsWith("@")).flatMap(DockerName::parse).filter(n -> !n.nameOnly());
    return new ImageIdentity("docker-archive", "", List.of(), named, "docker-archive:" + file);
  }

  /** This identity, with a digest the image turned out to have (for messages of images pulled by tag). */
  ImageIdentity describedWith(Digest digest) {
    return new ImageIdentity(transport, scope, namespaces, dockerReference, display + " (" + digest + ")");
  }

  /** containers/image's namespaces of a Docker name: each parent path, then {@code *.domain} wildcards. */
  static List<String> dockerNamespaces(String name) {
    List<String> out = new ArrayList<>();
    String n = name;
    while (true) {
      out.add(n);
      int slash = n.lastIndexOf('/');
      if (slash < 0) {
        break;
      }
      n = n.substring(0, slash);
    }
    int colon = n.indexOf(':');
    if (colon >= 0) {
      n = n.substring(0, colon);
    }
    int dot;
    while ((dot = n.indexOf('.')) >= 0) {
      n = n.substring(dot + 1);
      out.add("*." + n);
    }
    return out;
  }

  private static Path absolute(Path p) {
    Path abs = p.toAbsolutePath().normalize();
    try {
      return abs.toRealPath();
    } catch (java.io.IOException e) {
      return abs; // not there: the source itself will say so
    }
  }

  /** The parent directories of a path, narrowest first, {@code /} excluded (it is no valid scope). */
  private static List<String> parents(Path p) {
    List<String> out = new ArrayList<>();
    for (Path q = p.getParent(); q != null && q.getParent() != null; q = q.getParent()) {
      out.add(q.toString());
    }
    return out;
  }
}
