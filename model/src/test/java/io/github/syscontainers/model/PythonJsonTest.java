package io.github.syscontainers.model;

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

  /** Python itself, given a document with every kind of value and string escape, writes the same text. */
  @Test
  void matchesPythonItself() throws Exception {
    String doc = "{\"default\":[{\"type\":\"reject\"}],\"transports\":{\"docker\":{\"q\\u00e9\\\"uay.io\\\\x\\ty\\u007f\":"
        + "[{\"type\":\"signedBy\",\"keyPaths\":[],\"n\":12,\"f\":1.5,\"b\":true,\"z\":null,\"o\":{}}]},"
        + "\"docker-daemon\":{\"\":[{\"type\":\"insecureAcceptAnything\"}]}}}";
    Process p = new ProcessBuilder("python3", "-c", "import json,sys\njson.dump(json.load(sys.stdin), sys.stdout, indent=4)")
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    try (var in = p.getOutputStream()) {
      in.write(doc.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    String python = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("python3 (run-tests installs it)").isZero();
    assertThat(PythonJson.dumps(new ObjectMapper().readTree(doc))).isEqualTo(python);
  }
}
