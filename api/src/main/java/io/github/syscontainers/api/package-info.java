/**
 * The syscontainers API: what the CLI does, for JVM programs and tests.
 *
 * <p>Open a {@link io.github.syscontainers.api.SystemContainers} on a root, then call its commands. The five common
 * calls:
 *
 * <pre>{@code
 * SystemContainers sc = SystemContainers.open(root);
 * Pulled image = sc.pull().setImage("docker://registry.example.com/app:1").call();          // 1. pull
 * Installed app = sc.install().setImage(image.name()).setName("app").setValue("PORT", "80").call(); // 2. install
 * Updated moved = sc.update().setName("app").setRebase("oci-archive:/media/app-2.tar").call();  // 3. update
 * RolledBack back = sc.rollback().setName("app").call();                                       // 4. roll back
 * sc.uninstall().setName("app").call();                                                          // 5. uninstall
 * }</pre>
 *
 * <p>Every call returns a record ({@link io.github.syscontainers.api.Pulled}, {@link
 * io.github.syscontainers.api.Installed}, …) and fails with a checked {@link
 * io.github.syscontainers.api.SystemContainersException} naming the verb, the subject and what to do. The public
 * signatures of this package use only its own types, {@code model}'s and the JDK's.
 */
package io.github.syscontainers.api;
