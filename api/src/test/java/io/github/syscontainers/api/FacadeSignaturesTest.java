package io.github.syscontainers.api;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.codeUnits;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 34: the facade's public signatures use only its own types, {@code model}'s and the JDK's, so no OkHttp,
 * Jackson, JNA, Bouncy Castle (or another module's internals) reach a program that uses it.
 */
class FacadeSignaturesTest {
  static boolean allowed(JavaClass c) {
    JavaClass t = c.isArray() ? c.getBaseComponentType() : c;
    String name = t.getName();
    return t.isPrimitive() || name.startsWith("java.") || name.startsWith("io.github.syscontainers.api.")
        || name.startsWith("io.github.syscontainers.model.");
  }

  @Test
  void publicSignaturesExposeOnlyTheFacadeModelAndTheJdk() {
    var classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("io.github.syscontainers.api");
    codeUnits().that().arePublic().and().areDeclaredInClassesThat().arePublic()
        .should(new ArchCondition<JavaCodeUnit>("take and return only the facade's, model's and the JDK's types") {
          @Override
          public void check(JavaCodeUnit unit, ConditionEvents events) {
            List<JavaClass> types = new ArrayList<>(unit.getRawParameterTypes());
            types.add(unit.getRawReturnType());
            types.addAll(unit.getReturnType().getAllInvolvedRawTypes());
            unit.getParameterTypes().forEach(p -> types.addAll(p.getAllInvolvedRawTypes()));
            types.addAll(unit.getExceptionTypes());
            for (JavaClass t : types) {
              if (!allowed(t)) {
                events.add(SimpleConditionEvent.violated(unit, unit.getFullName() + " exposes " + t.getName()));
              }
            }
          }
        })
        .check(classes);
    codeUnits().that().areDeclaredInClassesThat().arePublic().and().arePublic()
        .should().notBeAnnotatedWith(Deprecated.class).check(classes);
    // nothing of the facade is final-less by accident: its public classes are final, records or the exception
    for (JavaClass c : classes) {
      if (c.getModifiers().contains(JavaModifier.PUBLIC) && !c.isRecord() && !c.isInterface()
          && !c.getModifiers().contains(JavaModifier.FINAL) && !c.isAnnotation()) {
        throw new AssertionError(c.getName() + " is public and open to subclassing");
      }
    }
  }
}
