package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

/**
 * Credentials that never change: {@link #current()} is the record's one component, and a refusal
 * has nothing newer to offer.
 */
record FixedCredentials(DatabaseCredentials current) implements CredentialsProvider {
  FixedCredentials {
    requireNonNull(current, "current");
  }

  @Override
  public DatabaseCredentials refresh(DatabaseCredentials rejected) {
    requireNonNull(rejected, "rejected");
    return current;
  }

  @Override
  public String toString() {
    return "fixed credentials for " + current.username();
  }
}
