package io.github.syscontainers.api;

import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.RequestWaiting;
import io.github.syscontainers.model.TransferEvent;
import io.github.syscontainers.registry.HostConfig;
import io.github.syscontainers.registry.RegistryException;
import io.github.syscontainers.registry.SourceOptions;
import io.github.syscontainers.registry.SourceReference;
import io.github.syscontainers.registry.TransferListener;
import io.github.syscontainers.trust.TrustCheck;
import io.github.syscontainers.trust.TrustException;
import java.time.Clock;

/** A command's {@link Sources} and {@link Progress}, made into the registry client's options as the CLI makes them. */
final class SourceSettings {
  Sources sources = Sources.defaults();
  Progress progress = Progress.NONE;

  SourceOptions options(Session s) throws LifecycleException {
    try {
      TrustCheck trust = TrustCheck.load(settings(s, sources.insecurePolicy()), Clock.systemUTC());
      return destinationOptions(s)
          .withImageCheck(trust)
          .withMaxUncompressed(sources.maxLayerSize(), sources.maxImageSize());
    } catch (TrustException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** The options of a destination: the registry flags (TLS, credentials, certificates, timeout) and the progress. */
  SourceOptions destinationOptions(Session s) throws LifecycleException {
    try {
      HostConfig host = HostConfig.load(s.hostRoot(), s.env().variables());
      SourceOptions base = SourceOptions.DEFAULT;
      if (sources.requestTimeout().isPresent()) {
        base = base.withRetry(base.retry().withDeadline(sources.requestTimeout().get()));
      }
      return base
          .withListener(listener(progress))
          .withHost(sources.certDir().isPresent() ? host.withCertDir(sources.certDir().get()) : host)
          .withTlsVerify(sources.tlsVerify())
          .withCredentials(sources.credentials().filter(c -> !c.isEmpty()))
          .withAuthFile(sources.authFile());
    } catch (RegistryException e) {
      throw new LifecycleException(e.getMessage(), e);
    }
  }

  /** The root's signature policy as the flags change it; {@code insecure} as given (not the flag's). */
  TrustCheck.Settings settings(Session s, boolean insecure) {
    return new TrustCheck.Settings(s.hostRoot(), sources.signaturePolicy(), insecure, sources.registriesD(),
        sources.signatureDir(), !s.env().isRoot(), s.env().home());
  }

  static TransferListener listener(Progress p) {
    return new TransferListener() {
      @Override
      public void on(TransferEvent event) {
        p.on(event);
      }

      @Override
      public void opening(SourceReference ref) {
        p.opening(ref.text());
      }

      @Override
      public void securing(String host) {
        p.securing(host);
      }

      @Override
      public void fetching(long bytes) {
        p.fetching(bytes);
      }

      @Override
      public void waiting(RequestWaiting waiting) {
        p.waiting(waiting);
      }
    };
  }
}
