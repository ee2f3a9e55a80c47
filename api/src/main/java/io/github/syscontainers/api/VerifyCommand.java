package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.Edge;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.lifecycle.StoredSignatures;
import io.github.syscontainers.lifecycle.Verifier;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * {@code syscontainers verify [--repair] NAME}: a container's hard-linked rootfs files checked against the repository,
 * and its image's stored signatures against today's signature policy, offline; with {@code --repair}, the image
 * fetched again and the changed files re-linked.
 */
public final class VerifyCommand {
  private final Session session;
  private final SourceSettings source = new SourceSettings();
  private String name;
  private boolean repair;
  private String from;

  VerifyCommand(Session session) {
    this.session = session;
  }

  /** The container (required). */
  public VerifyCommand setName(String name) {
    this.name = name;
    return this;
  }

  /** {@code --repair}: fetch the image again and re-link the changed files. */
  public VerifyCommand setRepair(boolean repair) {
    this.repair = repair;
    return this;
  }

  /** {@code --source IMAGE}: where a repair fetches the image (default: its recorded name). */
  public VerifyCommand setSource(String image) {
    this.from = image;
    return this;
  }

  /** The signature policy and, for a repair, where the image comes from. */
  public VerifyCommand setSources(Sources sources) {
    source.sources = java.util.Objects.requireNonNull(sources, "sources");
    return this;
  }

  public VerifyCommand setProgress(Progress progress) {
    source.progress = java.util.Objects.requireNonNull(progress, "progress");
    return this;
  }

  public Verified call() throws SystemContainersException {
    Session.required(name, "verify", "container");
    try {
      Verifier verifier = new Verifier(session.layout(), Edge.real(session.layout()), Clock.systemUTC());
      if (repair) {
        List<ModifiedFile> restored = files(verifier.repair(name, Optional.ofNullable(from), source.options(session),
            source.sources.platform()));
        return new Verified(name, session.installed("verify", name).image(), List.of(), restored, 0, true, "", "");
      }
      List<ModifiedFile> modified = files(verifier.verify(name));
      StoredSignatures.Report trust =
          verifier.signatures(name, TrustCheck.load(source.settings(session, false), Clock.systemUTC()));
      return new Verified(name, trust.image(), modified, List.of(), trust.signatures(), trust.accepted(),
          trust.detail(), trust.recorded());
    } catch (TrustException e) {
      throw new SystemContainersException("verify", name, e.getMessage(), 1, e);
    } catch (LifecycleException e) {
      throw Session.failure("verify", name, e);
    }
  }

  private static List<ModifiedFile> files(List<Verifier.Modified> modified) {
    return modified.stream().map(m -> new ModifiedFile(m.path(), m.object().hex(), m.detail())).toList();
  }
}
