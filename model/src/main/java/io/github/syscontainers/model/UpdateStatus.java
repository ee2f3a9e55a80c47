package io.github.syscontainers.model;

/** How one container's update of {@code containers update --all} ended, as atomic's summary words it. */
public enum UpdateStatus {
  FAILED("Failed"),
  UNKNOWN("Unknown"),
  UPDATED_NOW("Updated now"),
  UPDATED("Updated"),
  NOT_UPDATED("Not updated");

  private final String text;

  UpdateStatus(String text) {
    this.text = text;
  }

  /** atomic's word for it. */
  public String text() {
    return text;
  }
}
