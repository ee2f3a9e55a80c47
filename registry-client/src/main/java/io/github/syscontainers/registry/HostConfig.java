package io.github.syscontainers.registry;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What the host says about reaching registries: its registries.conf, its certs.d directories, and the environment
 * (proxies, auth file locations, {@code CONTAINERS_REGISTRIES_CONF}).
 *
 * @param registries mirrors, rewrites, insecure and blocked registries, short names
 * @param certDirs certs.d directories, searched in order for a {@code HOST[:PORT]} directory
 * @param env the environment: {@code HTTPS_PROXY}, {@code HTTP_PROXY}, {@code NO_PROXY}, {@code HOME}, …
 */
public record HostConfig(
    RegistriesConf registries, List<Path> certDirs, Map<String, String> env, Optional<Path> certDir) {
  /** No registries.conf, the default certs.d directories, this process's environment. */
  public static final HostConfig DEFAULT = new HostConfig(RegistriesConf.EMPTY, CertsDir.DEFAULT_DIRS, System.getenv());

  public HostConfig {
    Objects.requireNonNull(registries, "registries");
    certDirs = List.copyOf(certDirs);
    env = Map.copyOf(env);
    Objects.requireNonNull(certDir, "certDir");
  }

  /** A configuration whose TLS material for a registry is found per host in {@code certDirs}. */
  public HostConfig(RegistriesConf registries, List<Path> certDirs, Map<String, String> env) {
    this(registries, certDirs, env, Optional.empty());
  }

  /** Reads the configuration of the host at {@code root} ({@code /}, or an alternate root). */
  public static HostConfig load(Path root, Map<String, String> env) throws RegistryException {
    return new HostConfig(
        RegistriesConf.load(root, env),
        List.of(root.resolve("etc/containers/certs.d"), root.resolve("etc/docker/certs.d")),
        env);
  }

  /** Returns this configuration with another registries.conf. */
  public HostConfig withRegistries(RegistriesConf conf) {
    return new HostConfig(conf, certDirs, env, certDir);
  }

  /** Returns this configuration with another environment. */
  public HostConfig withEnv(Map<String, String> environment) {
    return new HostConfig(registries, certDirs, environment, certDir);
  }

  /** Returns this configuration with other certs.d directories. */
  public HostConfig withCertDirs(List<Path> dirs) {
    return new HostConfig(registries, dirs, env, certDir);
  }

  /**
   * Returns this configuration with the TLS material of every registry taken from {@code dir} itself (its
   * {@code *.crt} authorities, {@code *.cert}/{@code *.key} client pairs), as skopeo's {@code --cert-dir}, instead of
   * the per-host directories of certs.d.
   */
  public HostConfig withCertDir(Path dir) {
    return new HostConfig(registries, certDirs, env, Optional.of(dir));
  }
}
