package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.ImageReference;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.registry.RegistriesConf;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Finds the stored image a name typed by a user means, before anything goes to the network, as podman does. In
 * order: the name exactly as stored (atomic's refs), with {@code :latest} implied; for a fully qualified name its
 * normalised form ({@code docker.io/busybox} is {@code docker.io/library/busybox:latest}); for a short name its
 * registries.conf alias, {@code localhost/NAME}, {@code docker.io/library/NAME} and {@code NAME} under each
 * unqualified-search registry; last, as atomic did, an image ID or a prefix of one. An exact name wins outright;
 * when the other forms match two stored images, the lookup is refused and names both, rather than guess.
 *
 * <p>Not thread-safe: one per lookup.
 */
public final class LocalImages {
  private static final Pattern ID_PREFIX = Pattern.compile("[0-9a-f]{3,64}");

  private final ImageStore store;
  private final RegistriesConf conf;

  public LocalImages(ImageStore store, RegistriesConf conf) {
    this.store = store;
    this.conf = conf;
  }

  /**
   * What a lookup found.
   *
   * @param image the stored image, if one matched
   * @param lookedFor the names tried, as a message shows them
   */
  public record Lookup(Optional<StoredImage> image, List<String> lookedFor) {
    public Lookup {
      lookedFor = List.copyOf(lookedFor);
    }

    /** The names tried, joined for a message. */
    public String describe() {
      return String.join(", ", lookedFor);
    }
  }

  /**
   * Looks {@code text} up in the store.
   *
   * @throws LifecycleException when the name could mean two stored images, naming them
   */
  public Lookup find(String text) throws LifecycleException {
    try {
      Split s = Split.of(text);
      List<String> exact = s.suffix.isEmpty() ? List.of(text, text + ":latest") : List.of(text);
      for (String n : exact) {
        Optional<StoredImage> found = store.findImage(n);
        if (found.isPresent()) {
          return new Lookup(found, List.of(n));
        }
      }
      List<String> expanded = expansions(s);
      Map<String, StoredImage> matches = new LinkedHashMap<>();
      for (String n : expanded) {
        store.findImage(n).ifPresent(i -> matches.putIfAbsent(i.name(), i));
      }
      List<String> lookedFor = new ArrayList<>();
      lookedFor.add(exact.get(exact.size() - 1));
      lookedFor.addAll(expanded);
      if (matches.size() > 1) {
        throw new LifecycleException(
            "The name " + text + " could mean any of the stored images " + String.join(", ", matches.keySet())
                + "; give the full name of the one you mean");
      }
      if (matches.size() == 1) {
        return new Lookup(Optional.of(matches.values().iterator().next()), lookedFor);
      }
      if (ID_PREFIX.matcher(text).matches()) {
        lookedFor.add("an image ID starting with " + text);
        return new Lookup(byId(text), lookedFor);
      }
      return new Lookup(Optional.empty(), lookedFor);
    } catch (ObjectStoreException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private Optional<StoredImage> byId(String prefix) throws ObjectStoreException, LifecycleException {
    List<StoredImage> found = new ArrayList<>();
    for (StoredImage i : store.listImages(false)) {
      if (i.imageId().startsWith(prefix)) {
        found.add(i);
      }
    }
    if (found.size() > 1) {
      throw new LifecycleException(
          "more images matching prefix `" + prefix + "`: "
              + String.join(", ", found.stream().map(StoredImage::name).toList()) + "; give a longer ID or a name");
    }
    return found.stream().findFirst();
  }

  /** The names a short or fully qualified name may be stored under, besides itself. */
  private List<String> expansions(Split s) {
    Set<String> out = new LinkedHashSet<>();
    String suffix = s.suffix.isEmpty() ? ":latest" : s.suffix;
    if (s.qualified()) {
      try {
        out.add(ImageReference.parse(s.name + suffix).toString());
      } catch (IllegalArgumentException e) {
        // not a registry reference at all: only the exact name can match
      }
    } else {
      conf.alias(s.name).ifPresent(a -> out.add(a + suffix));
      out.add("localhost/" + s.name + suffix);
      for (String registry : withDockerHub(conf.searchRegistries())) {
        boolean hub = registry.equals(ImageReference.DOCKER_HUB);
        out.add(registry + "/" + (hub && !s.name.contains("/") ? "library/" : "") + s.name + suffix);
      }
    }
    out.remove(s.name + s.suffix);
    out.remove(s.name + suffix);
    return new ArrayList<>(out);
  }

  private static List<String> withDockerHub(List<String> search) {
    List<String> out = new ArrayList<>(List.of(ImageReference.DOCKER_HUB));
    search.stream().filter(r -> !r.equals(ImageReference.DOCKER_HUB)).forEach(out::add);
    return out;
  }

  /** A name split into its repository part and its {@code :tag} or {@code @digest} suffix. */
  private record Split(String name, String suffix) {
    static Split of(String text) {
      int at = text.indexOf('@');
      if (at >= 0) {
        return new Split(text.substring(0, at), text.substring(at));
      }
      int colon = text.lastIndexOf(':');
      return colon > text.lastIndexOf('/') ? new Split(text.substring(0, colon), text.substring(colon))
          : new Split(text, "");
    }

    boolean qualified() {
      int slash = name.indexOf('/');
      return slash > 0 && ImageReference.isRegistryHost(name.substring(0, slash));
    }
  }
}
