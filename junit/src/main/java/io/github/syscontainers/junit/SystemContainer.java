package io.github.syscontainers.junit;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the image of a {@link ContainerUnderTest}: on a field (static: one container for the class; instance: one
 * per test) or a test method's parameter, in a class extended with {@link SystemContainersExtension} (or annotated
 * {@link WithSystemContainers}). The container is installed into a fresh root with its own store, under a temporary
 * directory, before the test, and removed after it.
 *
 * <pre>{@code
 * @WithSystemContainers
 * class MyServiceTest {
 *   @SystemContainer(image = "oci-archive:target/my-service.tar", set = {"PORT=8080"})
 *   ContainerUnderTest service;
 *
 *   @Test
 *   void listensWhereItIsTold() throws Exception {
 *     assertThat(service.installed().configJson()).contains("PORT=8080");
 *   }
 * }
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.FIELD, ElementType.PARAMETER})
public @interface SystemContainer {
  /**
   * The image, in any transport the CLI takes ({@code oci-archive:FILE}, {@code oci:DIR:REF},
   * {@code docker-archive:FILE}, {@code docker://REF}); {@code ${name}} is replaced by the system property
   * {@code name}, so a build can say where it wrote the archive.
   */
  String image();

  /** The container's name (default: atomic's, from the image's name). */
  String name() default "";

  /** {@code --set NAME=VALUE} values. */
  String[] set() default {};

  /** {@code --tls-verify}: false to pull from a registry over plain HTTP. */
  boolean tlsVerify() default true;

  /** Keeps the root when the test (or, for a static field, any test of the class) failed, to look at it. */
  boolean keepOnFailure() default false;
}
