package io.github.syscontainers.api;

import java.util.List;
import java.util.Optional;

/**
 * One scope of the signature policy, as {@code trust show} lists it.
 *
 * @param scope the registry or repository ({@code * (default)} for the default)
 * @param transport the policy's transport ({@code docker}, {@code atomic}, {@code oci}, …)
 * @param type {@code signedBy}, {@code sigstoreSigned}, {@code insecureAcceptAnything} or {@code reject}
 * @param keys the key files of its requirements; empty when a requirement embeds its key
 * @param signers who the keys belong to (the user IDs of GPG keys), for display
 * @param lookaside where its signatures are read from (registries.d), empty when nowhere
 */
public record TrustEntry(
    String scope, String transport, String type, Optional<List<String>> keys, List<String> signers,
    String lookaside) {}
