package io.github.syscontainers.checkout;

/** What a checkout did: files hard-linked from the store, files copied, directories made, entries whited out. */
public record CheckoutStats(long linked, long copied, long directories, long whiteouts) {}
