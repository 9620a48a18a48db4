package dev.storymagic.store;

import static java.util.Objects.requireNonNull;

/**
 * A database user name and password. {@link #toString()} never shows the password.
 *
 * @param username the role to connect as
 * @param password its password
 */
public record DatabaseCredentials(String username, String password) {
  public DatabaseCredentials {
    requireNonNull(username, "username");
    requireNonNull(password, "password");
    if (username.isBlank()) {
      throw new IllegalArgumentException("username must not be blank");
    }
  }

  @Override
  public String toString() {
    return "DatabaseCredentials[username=" + username + ", password=****]";
  }
}
