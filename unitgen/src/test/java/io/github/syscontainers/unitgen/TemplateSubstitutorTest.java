package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Python's string.Template.substitute, case by case (checked against CPython 3.11). */
class TemplateSubstitutorTest {
  static final Map<String, Object> VALUES = Map.of("NAME", "etcd", "a_1", "x", "N", 7, "EMPTY", "");

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$NAME|etcd",
        "${NAME}|etcd",
        "$NAME.service|etcd.service",
        "${NAME}x|etcdx",
        "$$NAME|$NAME",
        "$$|$",
        "a$$$NAME|a$etcd",
        "$a_1-$N|x-7",
        "[$EMPTY]|[]",
        "no placeholders|no placeholders"
      })
  void substitutes(String template, String expected) throws UnitGenException {
    assertThat(TemplateSubstitutor.substitute(template, VALUES, "f")).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$MISSING|MISSING",
        "${MISSING}|MISSING",
        "$NAMEX|NAMEX",
        "ok $NAME $VAR_WITH_NO_DEFAULT|VAR_WITH_NO_DEFAULT"
      })
  void missingValueUsesAtomicsMessage(String template, String var) {
    assertThatThrownBy(() -> TemplateSubstitutor.substitute(template, VALUES, "/exports/service.template"))
        .isInstanceOf(UnitGenException.class)
        .hasMessage(
            "The template file '/exports/service.template' still contains an unreplaced value for: ''" + var + "''");
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "$(cmd)|1|1",
        "ab $1|1|4",
        "x\\ny ${1}|2|3",
        "$|1|1",
        "a\\n\\n  $ |3|3",
        "${NAME|1|1"
      })
  void invalidPlaceholderReportsLineAndColumn(String template, int line, int col) {
    String t = template.replace("\\n", "\n");
    assertThatThrownBy(() -> TemplateSubstitutor.substitute(t, VALUES, "f"))
        .hasMessage("Invalid placeholder in string: line " + line + ", col " + col);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"$A ${B} $$C $A|[A, B]", "${X}y $_z|[X, _z]"})
  void listsPlaceholders(String template, String names) {
    assertThat(TemplateSubstitutor.placeholders(template).toString()).isEqualTo(names);
  }
}
