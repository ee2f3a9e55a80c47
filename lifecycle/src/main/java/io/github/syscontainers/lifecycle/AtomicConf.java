package io.github.syscontainers.lifecycle;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The top-level {@code key: value} settings of {@code /etc/atomic.conf} that system containers use
 * ({@code checkout_path}, {@code ostree_repository}, {@code runtime}). Keys are tried in lower case, then upper
 * case; empty values count as unset, as in atomic. A missing file is an empty configuration.
 */
public final class AtomicConf {
  private final Map<String, String> values;

  private AtomicConf(Map<String, String> values) {
    this.values = values;
  }

  /** An empty configuration. */
  public static AtomicConf empty() {
    return new AtomicConf(Map.of());
  }

  /** Reads the file; only unindented {@code key: value} lines are taken. */
  public static AtomicConf read(Path file) throws LifecycleException {
    Map<String, String> values = new LinkedHashMap<>();
    try {
      for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
        if (line.isEmpty() || Character.isWhitespace(line.charAt(0)) || line.startsWith("#")) {
          continue;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
          continue;
        }
        String value = line.substring(colon + 1).strip();
        int hash = value.indexOf(" #");
        if (hash >= 0) {
          value = value.substring(0, hash).strip();
        }
        if (value.length() >= 2 && (value.startsWith("\"") && value.endsWith("\"") || value.startsWith("'") && value.endsWith("'"))) {
          value = value.substring(1, value.length() - 1);
        }
        values.put(line.substring(0, colon).strip(), value);
      }
    } catch (NoSuchFileException e) {
      return empty();
    } catch (IOException e) {
      throw new LifecycleException("Tried to read " + file + " but failed: " + e.getMessage(), e);
    }
    return new AtomicConf(values);
  }

  /** Returns a setting, trying the lower-case then the upper-case key. */
  public Optional<String> get(String key) {
    String v = values.get(key.toLowerCase(java.util.Locale.ROOT));
    if (v == null || v.isEmpty() || v.equals("null") || v.equals("~")) {
      v = values.get(key.toUpperCase(java.util.Locale.ROOT));
    }
    return Optional.ofNullable(v).filter(s -> !s.isEmpty() && !s.equals("null") && !s.equals("~"));
  }
}
