package io.github.syscontainers.lifecycle;

import io.github.syscontainers.model.Digest;
import io.github.syscontainers.model.ImagePath;
import io.github.syscontainers.objectstore.DirTree;
import io.github.syscontainers.objectstore.ImageStore;
import io.github.syscontainers.objectstore.ObjectId;
import io.github.syscontainers.objectstore.ObjectStoreException;
import io.github.syscontainers.objectstore.StoredImage;
import io.github.syscontainers.objectstore.Trees;
import io.github.syscontainers.registry.ImageConfig;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.unitgen.ExportsManifest;
import io.github.syscontainers.unitgen.TemplateSubstitutor;
import io.github.syscontainers.unitgen.TemplateValues;
import io.github.syscontainers.unitgen.UnitGenException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What {@code images info} reports (§7.9): the image's labels and the variables its templates take, with their
 * defaults or marked as needing {@code --set}. Templates and manifest.json are read from the layers' {@code /exports}
 * in layer order, so a later layer's file (or whiteout) wins. Fixed from atomic: a manifest without
 * {@code defaultValues} is fine, {@code RUNTIME} and {@code ATOMIC} are set by the tool, and {@code $$} is no
 * variable.
 */
public final class ImageInfo {
  private static final long MAX = 4L << 20;

  /**
   * The report.
   *
   * @param pulled when the image commit was made (the pull that verified it)
   * @param provenance where it came from and what accepted it
   * @param signatures how many signatures are stored with it
   */
  public record Report(
      String name, Map<String, String> labels, SortedMap<String, String> defaults, SortedSet<String> mustSet,
      java.time.Instant pulled, ImageProvenance provenance, int signatures) {}

  private ImageInfo() {}

  public static Report of(ImageStore store, StoredImage image) throws LifecycleException {
    try {
      Map<String, String> labels = new TreeMap<>();
      if (image.config().isPresent()) {
        Optional<byte[]> config = store.readConfig(image.config().get());
        if (config.isPresent()) {
          labels.putAll(ImageConfig.parse(config.get()).labels());
        }
      }
      Map<String, String> templates = new LinkedHashMap<>();
      ExportsManifest manifest = ExportsManifest.DEFAULT;
      for (Digest layer : image.layers()) {
        ObjectId root = store.repository().readCommit(store.layerCommit(layer)).rootTree();
        Optional<ObjectId> exports = Trees.lookupDir(store.repository(), root, ImagePath.of("/exports"));
        if (exports.isEmpty()) {
          continue;
        }
        for (DirTree.FileEntry f : store.repository().readDirTree(exports.get()).files()) {
          String n = f.name();
          if (n.startsWith(".wh.")) {
            templates.remove(n.substring(4));
          } else if (n.equals("manifest.json")) {
            manifest = ExportsManifest.parse(read(store, root, "/exports/" + n), image.name());
          } else if (n.endsWith(".template")) {
            templates.put(n, read(store, root, "/exports/" + n));
          }
        }
      }
      SortedSet<String> used = new TreeSet<>();
      templates.values().forEach(t -> used.addAll(TemplateSubstitutor.placeholders(t)));
      used.removeAll(TemplateValues.FORCED);
      SortedMap<String, String> defaults = new TreeMap<>();
      SortedSet<String> mustSet = new TreeSet<>();
      for (String v : used) {
        if (manifest.defaultValues().containsKey(v)) {
          defaults.put(v, manifest.defaultValues().get(v));
        } else if (TemplateValues.OVERRIDABLE.contains(v) || v.equals("RUNTIME") || v.equals("ATOMIC")) {
          defaults.put(v, "{SET_BY_OS}");
        } else {
          mustSet.add(v);
        }
      }
      return new Report(image.name(), labels, defaults, mustSet, image.created(), ImageProvenance.read(store, image),
          store.signatures(image).size());
    } catch (ObjectStoreException | RegistryException | UnitGenException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  private static String read(ImageStore store, ObjectId root, String path) throws ObjectStoreException {
    return new String(
        Trees.readFile(store.repository(), root, ImagePath.of(path), MAX).orElse(new byte[0]), StandardCharsets.UTF_8);
  }
}
