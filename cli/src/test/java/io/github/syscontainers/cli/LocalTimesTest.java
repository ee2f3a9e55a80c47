package io.github.syscontainers.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** The CLI's local times are java.time's in the host's zone, across the year's offset changes. */
class LocalTimesTest {
  @Test
  void areWhatJavaTimeGivesInTheHostsZone() {
    TimeZone before = TimeZone.getDefault();
    try {
      for (String zone : new String[] {"UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"}) {
        TimeZone.setDefault(TimeZone.getTimeZone(zone));
        DateTimeFormatter javaTime = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());
        LocalTimes ours = new LocalTimes("yyyy-MM-dd HH:mm:ss");
        // every 7 hours through 2026, and around Berlin's and New York's spring and autumn changes
        for (long t = Instant.parse("2026-01-01T00:00:00Z").getEpochSecond();
            t < Instant.parse("2027-01-01T00:00:00Z").getEpochSecond(); t += 7 * 3600 + 61) {
          Instant i = Instant.ofEpochSecond(t);
          assertThat(ours.format(i)).as(zone + " " + i).isEqualTo(javaTime.format(i));
        }
        for (String edge : new String[] {"2026-03-29T00:59:59Z", "2026-03-29T01:00:00Z", "2026-10-25T00:59:59Z",
            "2026-10-25T01:00:00Z", "2026-03-08T06:59:59Z", "2026-03-08T07:00:00Z", "2026-11-01T05:59:59Z",
            "2026-11-01T06:00:00Z"}) {
          Instant i = Instant.parse(edge);
          assertThat(ours.format(i)).as(zone + " " + i).isEqualTo(javaTime.format(i));
        }
      }
    } finally {
      TimeZone.setDefault(before);
    }
  }
}
