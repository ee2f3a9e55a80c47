package io.github.syscontainers.unitgen;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

/** Output byte-identical to Python's json.dumps(obj, indent=4) for the shapes atomic wrote. */
class PythonJsonTest {
  @Test
  void matchesPython() throws Exception {
    var node = new ObjectMapper().readTree("{\"a\": [1, \"x\"], \"b\": {}, \"c\": [], \"d\": null, \"e\": \"\u00e9\\n\\\"\", \"f\": true}");
    // python3 -c 'import json; print(json.dumps({"a":[1,"x"],"b":{},"c":[],"d":None,"e":"é\n\"","f":True}, indent=4))'
    assertThat(PythonJson.dumps(node))
        .isEqualTo(
            "{\n    \"a\": [\n        1,\n        \"x\"\n    ],\n    \"b\": {},\n    \"c\": [],\n    \"d\": null,\n"
                + "    \"e\": \"\\u00e9\\n\\\"\",\n    \"f\": true\n}");
  }
}
