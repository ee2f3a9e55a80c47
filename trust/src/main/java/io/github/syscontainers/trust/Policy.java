package io.github.syscontainers.trust;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A signature verification policy (containers-policy.json(5)): a global default list of requirements, and per
 * transport, lists per scope. For an image, only the most specific list applies: its exact identity, then each of
 * its namespaces from the narrowest, then the transport's {@code ""} scope, then the global default.
 *
 * <p>Immutable and thread-safe.
 *
 * @param source where the policy was read from, for messages
 */
public record Policy(String source, List<Requirement> defaults, Map<String, Map<String, List<Requirement>>> transports) {

  public Policy {
    defaults = List.copyOf(defaults);
    Map<String, Map<String, List<Requirement>>> copy = new LinkedHashMap<>();
    transports.forEach((t, scopes) -> copy.put(t, Map.copyOf(scopes)));
    transports = java.util.Collections.unmodifiableMap(copy);
  }

  /** The policy of a host with no policy file: every image is accepted, as containers-common's default file says. */
  public static Policy acceptAnything(String why) {
    return new Policy(why, List.of(new Requirement.InsecureAcceptAnything()), Map.of());
  }

  /** The requirements that apply to {@code image}, and the scope they came from. */
  Scoped requirementsFor(ImageIdentity image) {
    Map<String, List<Requirement>> scopes = transports.get(image.transport());
    if (scopes != null) {
      Optional<String> hit = Optional.empty();
      if (scopes.containsKey(image.scope())) {
        hit = Optional.of(image.scope());
      } else {
        for (String ns : image.namespaces()) {
          if (scopes.containsKey(ns)) {
            hit = Optional.of(ns);
            break;
          }
        }
      }
      if (hit.isEmpty() && scopes.containsKey("")) {
        hit = Optional.of("");
      }
      if (hit.isPresent()) {
        String where = hit.get().isEmpty() ? "the default of transport " + image.transport()
            : "scope " + image.transport() + ":" + hit.get();
        return new Scoped(where, scopes.get(hit.get()));
      }
    }
    return new Scoped("the global default", defaults);
  }

  /** The requirements of one scope, and which scope it was, for messages. */
  record Scoped(String scope, List<Requirement> requirements) {}
}
