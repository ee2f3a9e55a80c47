package io.github.syscontainers.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keeps the module graph of DESIGN.md true: dependencies point one way, from {@code model} up to {@code cli}, with
 * no cycles, and OkHttp stays inside the registry client.
 */
class ArchitectureTest {
  private static final String ROOT = "io.github.syscontainers.";
  private static JavaClasses classes;

  @BeforeAll
  static void importClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.github.syscontainers");
  }

  private static String pkg(String module) {
    return ROOT + module + "..";
  }

  @Test
  void modelDependsOnNoOtherModule() {
    noClasses()
        .that().resideInAPackage(pkg("model"))
        .should().dependOnClassesThat()
        .resideInAnyPackage(pkg("registry"), pkg("objectstore"), pkg("checkout"), pkg("unitgen"), pkg("lifecycle"), pkg("cli"))
        .check(classes);
  }

  /** The foreign code's room depends on no module: every other may stand on it. */
  @Test
  void platformDependsOnNoOtherModule() {
    noClasses()
        .that().resideInAPackage(pkg("platform"))
        .should().dependOnClassesThat()
        .resideInAnyPackage(pkg("model"), pkg("registry"), pkg("objectstore"), pkg("checkout"), pkg("unitgen"),
            pkg("trust"), pkg("lifecycle"), pkg("cli"))
        .check(classes);
  }

  /** Every foreign call lives in platform: JNA's types appear nowhere else. */
  @Test
  void jnaStaysInPlatform() {
    noClasses()
        .that().resideOutsideOfPackage(pkg("platform"))
        .should().dependOnClassesThat().resideInAPackage("com.sun.jna..")
        .check(classes);
  }

  /** The native crypto provider is chosen, loaded and self-tested in platform: its types appear nowhere else. */
  @Test
  void correttoStaysInPlatform() {
    noClasses()
        .that().resideOutsideOfPackage(pkg("platform"))
        .should().dependOnClassesThat().resideInAPackage("com.amazon.corretto..")
        .check(classes);
  }

  @Test
  void librariesDependOnlyOnWhatDesignAllows() {
    noClasses()
        .that().resideInAnyPackage(pkg("registry"), pkg("objectstore"), pkg("unitgen"))
        .should().dependOnClassesThat()
        .resideInAnyPackage(pkg("checkout"), pkg("lifecycle"), pkg("cli"))
        .check(classes);
    noClasses().that().resideInAPackage(pkg("registry")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("objectstore"), pkg("unitgen")).check(classes);
    noClasses().that().resideInAPackage(pkg("objectstore")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("registry"), pkg("unitgen")).check(classes);
    noClasses().that().resideInAPackage(pkg("unitgen")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("registry"), pkg("objectstore")).check(classes);
    noClasses().that().resideInAPackage(pkg("checkout")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("registry"), pkg("unitgen"), pkg("lifecycle"), pkg("cli")).check(classes);
    noClasses().that().resideInAPackage(pkg("lifecycle")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("api"), pkg("junit"), pkg("cli")).check(classes);
    // the facade stands on lifecycle and below; the JUnit extension on the facade alone; the CLI on top
    noClasses().that().resideInAnyPackage(pkg("model"), pkg("platform"), pkg("registry"), pkg("objectstore"),
            pkg("checkout"), pkg("unitgen"), pkg("trust"))
        .should().dependOnClassesThat().resideInAnyPackage(pkg("api"), pkg("junit")).check(classes);
    noClasses().that().resideInAPackage(pkg("api")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("junit"), pkg("cli")).check(classes);
    noClasses().that().resideInAPackage(pkg("junit")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("model"), pkg("platform"), pkg("registry"), pkg("objectstore"), pkg("checkout"),
            pkg("unitgen"), pkg("trust"), pkg("lifecycle"), pkg("cli"))
        .check(classes);
    noClasses().that().resideInAPackage(pkg("trust")).should().dependOnClassesThat()
        .resideInAnyPackage(pkg("objectstore"), pkg("checkout"), pkg("unitgen"), pkg("lifecycle"), pkg("cli"))
        .check(classes);
  }

  /**
   * Issue 34: the CLI has no path of its own around the facade. Beneath it, it names only what parses its flags or
   * reports their errors: the lifecycle's exception and environment, a byte size, a health check, a reference.
   */
  @Test
  void theCliGoesThroughTheFacade() {
    noClasses().that().resideInAPackage(pkg("cli"))
        .should().dependOnClassesThat(
            com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage(pkg("lifecycle"),
                    pkg("objectstore"), pkg("registry"), pkg("checkout"), pkg("unitgen"), pkg("trust"))
                .and(com.tngtech.archunit.base.DescribedPredicate.not(
                    com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf(
                        io.github.syscontainers.lifecycle.LifecycleException.class,
                        io.github.syscontainers.lifecycle.Environment.class,
                        io.github.syscontainers.objectstore.ByteSize.class,
                        io.github.syscontainers.unitgen.HealthCheck.class,
                        io.github.syscontainers.registry.SourceReference.class))))
        .check(classes);
  }

  @Test
  void noCyclesBetweenModules() {
    slices().matching("io.github.syscontainers.(*)..").should().beFreeOfCycles().check(classes);
  }

  /** The test fixtures' fake registry (MockWebServer) is test code and may speak OkHttp's types. */
  @Test
  void okHttpStaysInTheRegistryClient() {
    noClasses()
        .that().resideOutsideOfPackages(pkg("registry"), pkg("fixtures"))
        .should().dependOnClassesThat().resideInAPackage("okhttp3..")
        .check(classes);
  }

  @Test
  void bouncyCastleStaysInTrust() {
    // test-fixtures makes test CAs and certificates with it (issue 29); it ships in no module
    noClasses()
        .that().resideOutsideOfPackages(pkg("trust"), ROOT + "fixtures..")
        .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
        .check(classes);
  }

  @Test
  void onlyTheCliPrints() {
    noClasses()
        .that().resideInAnyPackage(
            pkg("model"), pkg("registry"), pkg("objectstore"), pkg("checkout"), pkg("unitgen"), pkg("trust"),
            pkg("lifecycle"), pkg("api"), pkg("junit"))
        .should().accessField(System.class, "out")
        .orShould().accessField(System.class, "err")
        .check(classes);
  }
}
