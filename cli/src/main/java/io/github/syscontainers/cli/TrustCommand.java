package io.github.syscontainers.cli;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.syscontainers.api.AddTrustCommand;
import io.github.syscontainers.api.SystemContainersException;
import io.github.syscontainers.api.TrustCommands;
import io.github.syscontainers.api.TrustEntry;
import io.github.syscontainers.lifecycle.LifecycleException;
import io.github.syscontainers.model.PythonJson;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code syscontainers trust show|add|delete|default|reset}: the host's signature policy, as {@code atomic trust}
 * managed it (policy.json and registries.d), with the same flags, prompts, messages and files.
 */
@Command(
    name = "trust",
    description = "Manage system container trust policy.",
    footer = "Manages the trust policy of the host system. Trust policy describes a registry scope that must be signed"
        + " by public keys.",
    subcommands = {
      TrustCommand.Show.class,
      TrustCommand.Add.class,
      TrustCommand.Delete.class,
      TrustCommand.Default.class,
      TrustCommand.Reset.class
    })
final class TrustCommand {
  private static final String REGISTRY_HELP = "Registry to manage trust policy for, REGISTRY[/REPOSITORY]. Trust"
      + " policy allows for nested scope. Example: registry.example.com defines trust for entire registry. Example:"
      + " registry.example.com/acme defines trust for specific repository.";
  private static final String SIGSTORE_TYPE_HELP = "Signature server type (default: web): local: local file, web:"
      + " remote web server, atomic: openshift-based atomic registry; or a transport: oci, oci-archive,"
      + " docker-archive.";

  /** The options every trust verb has: where the files are. */
  static final class Files {
    @Mixin CommonOptions common;

    @Mixin TrustPaths paths;

    @Spec(Spec.Target.MIXEE) CommandSpec spec;

    TrustCommands trust() throws LifecycleException, SystemContainersException {
      TrustCommands t = Facade.open(common, spec).trust();
      if (paths.signaturePolicy != null) {
        t.setSignaturePolicy(paths.signaturePolicy);
      }
      if (paths.registriesD != null) {
        t.setRegistriesD(paths.registriesD);
      }
      return t;
    }
  }

  @Command(name = "show", description = "Display trust policy for the system.")
  static final class Show implements Callable<Integer> {
    @Mixin Files files;

    @Option(names = "--raw", description = "Output raw policy file.")
    boolean raw;

    @Option(names = {"-j", "--json"}, description = "Output as json.")
    boolean json;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      TrustCommands trust = files.trust();
      PrintWriter out = spec.commandLine().getOut();
      if (raw) {
        out.println(trust.showRaw());
        out.flush();
        return 0;
      }
      List<TrustEntry> entries = trust.show();
      if (json) {
        ObjectNode table = JsonNodeFactory.instance.objectNode();
        for (TrustEntry e : entries) {
          ObjectNode row = table.putObject(e.scope());
          row.put("type", e.type());
          if (e.keys().isPresent()) {
            e.keys().get().forEach(row.putArray("keys")::add);
          } else {
            row.putNull("keys");
          }
          row.put("sigstore", e.lookaside());
        }
        out.println(PythonJson.dumps(table));
        out.flush();
        return 0;
      }
      for (TrustEntry e : entries) {
        out.println(String.format("%-35s %-6s %-29s %s", e.scope(), shortType(e.type()), String.join(",", e.signers()),
            e.lookaside()));
      }
      return 0;
    }

    private static String shortType(String type) {
      switch (type) {
        case "insecureAcceptAnything":
          return "accept";
        case "signedBy":
          return "signed";
        case "sigstoreSigned":
          return "sigstore";
        default:
          return type;
      }
    }
  }

  @Command(name = "add", description = "Add a new trust policy for a registry.")
  static final class Add implements Callable<Integer> {
    @Mixin Files files;

    @Option(
        names = {"-k", "--pubkeys"},
        paramLabel = "KEY",
        description = "Local path, URL of public key(s) or local user GPG keyring ID to trust for TARGET. Keys are"
            + " parsed and encoded into policy.json. May be used multiple times to define multiple public keys.")
    List<String> pubkeys = new ArrayList<>();

    @Option(
        names = {"-f", "--pubkeysfile"},
        paramLabel = "FILE",
        description = "Path of installed public key(s) to trust for TARGET. Absolute path to keys is added to"
            + " policy.json. May be used multiple times. File(s) must exist before using this command.")
    List<String> pubkeysFiles = new ArrayList<>();

    @Option(names = "--sigstoretype", paramLabel = "TYPE", description = SIGSTORE_TYPE_HELP)
    String sigstoreType = "web";

    @Option(
        names = {"-t", "--type"},
        paramLabel = "TYPE",
        description = "Trust type (default: signedBy): signedBy, sigstoreSigned, insecureAcceptAnything, reject.")
    String type = "signedBy";

    @Option(names = "--keytype", paramLabel = "TYPE", description = "Public key type (default: GPGKeys).")
    String keyType = "GPGKeys";

    @Option(
        names = {"-s", "--sigstore"},
        paramLabel = "URL",
        description = "URL and path of remote signature server, https://sigstore.example.com/signatures. Ignored with"
            + " 'atomic' sigstoretype.")
    String sigstore;

    @Option(names = {"-y", "--assumeyes"}, description = "Do not ask for confirmation (as the global -y).")
    boolean yes;

    @Option(
        names = "--fulcio-ca",
        paramLabel = "FILE",
        description = "Keyless (-t sigstoreSigned): trust certificates from this Fulcio CA (PEM certificates),"
            + " encoded into policy.json. May be used multiple times.")
    List<Path> fulcioCas = new ArrayList<>();

    @Option(
        names = "--rekor-key",
        paramLabel = "FILE",
        description = "Keyless: the Rekor public key (PEM) whose signed entry timestamps date signatures. May be used"
            + " multiple times.")
    List<Path> rekorKeys = new ArrayList<>();

    @Option(
        names = "--trusted-root",
        paramLabel = "FILE",
        description = "Keyless: take the Fulcio CAs and Rekor keys from a Sigstore trusted_root.json.")
    Path trustedRoot;

    @Option(
        names = "--oidc-issuer",
        paramLabel = "URL",
        description = "Keyless: the OIDC issuer a certificate must name, e.g. https://accounts.google.com.")
    String oidcIssuer;

    @Option(
        names = "--subject-email",
        paramLabel = "ADDRESS",
        description = "Keyless: the e-mail address a certificate must be issued for.")
    String subjectEmail;

    @Parameters(paramLabel = "REGISTRY", description = REGISTRY_HELP)
    String registry;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      AddTrustCommand add = files.trust().add().setRegistry(registry).setSigstoreType(sigstoreType).setType(type)
          .setKeyType(keyType);
      boolean assumeYes = yes || Main.assumeYes(spec);
      if (add.exists() && !assumeYes
          && !Prompt.yes(spec, "Trust policy already defined for " + sigstoreType + ":" + registry
              + "\nDo you want to overwrite? (y/N) ")) {
        return 0;
      }
      for (String k : pubkeys) {
        if (k.regionMatches(true, 0, "http://", 0, 7) && !assumeYes
            && !Prompt.yes(spec, "Are you sure you want to download this public key using insecure 'http' transport?"
                + " (y/N) ")) {
          throw new LifecycleException("Aborting 'trust add' due to insecure download of public key from " + k + ".");
        }
        add.addPubkeys(k);
      }
      pubkeysFiles.forEach(add::addPubkeysFile);
      if (sigstore != null) {
        add.setSigstore(sigstore);
      }
      fulcioCas.forEach(add::addFulcioCa);
      rekorKeys.forEach(add::addRekorKey);
      if (trustedRoot != null) {
        add.setTrustedRoot(trustedRoot);
      }
      if (oidcIssuer != null) {
        add.setOidcIssuer(oidcIssuer);
      }
      if (subjectEmail != null) {
        add.setSubjectEmail(subjectEmail);
      }
      add.call();
      if (pubkeys.size() + pubkeysFiles.size() > 1) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("Note: each key is a requirement of its own, as atomic wrote them: an image of " + registry
            + " needs a signature by every one of these keys. To accept a signature by any one, put the keys in one"
            + " keyring file and give it once.");
        err.flush();
      }
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a trust policy for a registry.")
  static final class Delete implements Callable<Integer> {
    @Mixin Files files;

    @Option(names = "--sigstoretype", paramLabel = "TYPE", description = SIGSTORE_TYPE_HELP)
    String sigstoreType = "web";

    @Option(names = "--save-sigstore", description = "Do not remove the registry sigstore configuration.")
    boolean saveSigstore;

    @Parameters(paramLabel = "REGISTRY", description = REGISTRY_HELP)
    String registry;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      files.trust().delete(registry, sigstoreType, saveSigstore);
      return 0;
    }
  }

  @Command(name = "default", description = "Modify default trust policy.")
  static final class Default implements Callable<Integer> {
    @Mixin Files files;

    @Parameters(paramLabel = "{reject,accept}", description = "Default policy action: accept or reject.")
    String policy;

    @Override
    public Integer call() throws LifecycleException, SystemContainersException {
      if (!policy.equals("accept") && !policy.equals("reject")) {
        throw new LifecycleException("argument default_policy: invalid choice: '" + policy
            + "' (choose from 'reject', 'accept')");
      }
      files.trust().setDefault(policy.equals("accept"));
      return 0;
    }
  }

  @Command(name = "reset", description = "Reset trust policy.")
  static final class Reset implements Callable<Integer> {
    @Mixin Files files;

    @Option(names = {"-y", "--assumeyes"}, description = "Do not ask for confirmation (as the global -y).")
    boolean yes;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      if (!(yes || Main.assumeYes(spec)) && !Prompt.yes(spec, "Are you sure you want to destroy trust policy for this"
          + " system? This cannot be undone! (y/N) ")) {
        return 0;
      }
      files.trust().reset();
      return 0;
    }
  }

  private TrustCommand() {}
}
