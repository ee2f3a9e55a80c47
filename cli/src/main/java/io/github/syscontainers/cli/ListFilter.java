package io.github.syscontainers.cli;

import io.github.syscontainers.lifecycle.LifecycleException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * The {@code -f/--filter KEY=VALUE} terms of atomic's list verbs: each keeps the rows whose field for KEY contains
 * VALUE, ignoring case; every term must hold. A term without {@code =}, or with a key the verb does not know, is
 * refused with atomic's message before anything is listed.
 *
 * <p>Immutable and thread-safe.
 */
final class ListFilter {
  private record Term(String key, String value) {}

  private final List<Term> terms;

  private ListFilter(List<Term> terms) {
    this.terms = List.copyOf(terms);
  }

  /**
   * Parses {@code specs}.
   *
   * @param keywords the keys the verb knows, in the order atomic's message lists them
   * @param lowerKeys whether keys are taken in any case ({@code images list}) or as written ({@code containers list})
   */
  static ListFilter parse(List<String> specs, List<String> keywords, boolean lowerKeys) throws LifecycleException {
    List<Term> terms = new ArrayList<>();
    for (String spec : specs) {
      int eq = spec.indexOf('=');
      if (eq < 0) {
        throw new LifecycleException(
            "The filter " + spec + " is not formatted correctly.  It should be VAR=VALUE");
      }
      String key = lowerKeys ? spec.substring(0, eq).toLowerCase(Locale.ROOT) : spec.substring(0, eq);
      if (!keywords.contains(key)) {
        throw new LifecycleException(
            "The filter " + key + " is not valid.  Please choose from " + PythonRepr.list(keywords));
      }
      terms.add(new Term(key, spec.substring(eq + 1)));
    }
    return new ListFilter(terms);
  }

  /** Whether a row passes: {@code fields} gives the row's text for a key (aliases resolved by the caller). */
  boolean matches(Function<String, String> fields) {
    for (Term t : terms) {
      String field = fields.apply(t.key());
      if (field == null || !field.toLowerCase(Locale.ROOT).contains(t.value().toLowerCase(Locale.ROOT))) {
        return false;
      }
    }
    return true;
  }
}
