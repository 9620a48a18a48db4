package dev.storymagic.store.internal;

import dev.storymagic.StoryMagicException;
import dev.storymagic.store.CredentialsProvider;
import dev.storymagic.store.DatabaseCredentials;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Properties;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Opens each PostgreSQL connection with the credentials a {@link CredentialsProvider} holds now;
 * when the server refuses them (SQLState 28P01 wrong password, 28000 no such role or not
 * permitted), asks the provider to look again and retries once — the password was probably just
 * rotated. Connections already open keep working, as PostgreSQL checks the password only at login.
 * Not API.
 */
final class RotatingCredentialsDataSource implements DataSource {
  private final String url;
  private final Properties properties;
  private final CredentialsProvider credentials;
  private final Driver driver = new org.postgresql.Driver();
  private volatile int loginTimeoutSeconds;

  RotatingCredentialsDataSource(
      String url, Properties properties, CredentialsProvider credentials) {
    this.url = url;
    this.properties = (Properties) properties.clone();
    this.credentials = credentials;
  }

  @Override
  public Connection getConnection() throws SQLException {
    DatabaseCredentials current;
    try {
      current = credentials.current();
    } catch (StoryMagicException.StorageFailure e) {
      throw new SQLException(e.getMessage(), "08001", e);
    }
    try {
      return connect(current);
    } catch (SQLException e) {
      if (!isAuthenticationFailure(e)) {
        throw e;
      }
      DatabaseCredentials fresh;
      try {
        fresh = credentials.refresh(current);
      } catch (StoryMagicException.StorageFailure lookup) {
        e.addSuppressed(lookup);
        throw e;
      }
      if (fresh.equals(current)) {
        throw e;
      }
      return connect(fresh);
    }
  }

  static boolean isAuthenticationFailure(SQLException e) {
    String state = e.getSQLState();
    return "28P01".equals(state) || "28000".equals(state);
  }

  private Connection connect(DatabaseCredentials c) throws SQLException {
    Properties p = (Properties) properties.clone();
    p.setProperty("user", c.username());
    p.setProperty("password", c.password());
    Connection connection = driver.connect(url, p);
    if (connection == null) {
      throw new SQLException("not a PostgreSQL JDBC URL", "08001");
    }
    return connection;
  }

  @Override
  public Connection getConnection(String username, String password) throws SQLException {
    throw new SQLFeatureNotSupportedException("credentials come from the configured provider");
  }

  @Override
  public PrintWriter getLogWriter() {
    return null;
  }

  @Override
  public void setLogWriter(PrintWriter out) {
    // not used
  }

  @Override
  public void setLoginTimeout(int seconds) {
    this.loginTimeoutSeconds = seconds;
  }

  @Override
  public int getLoginTimeout() {
    return loginTimeoutSeconds;
  }

  @Override
  public Logger getParentLogger() throws SQLFeatureNotSupportedException {
    throw new SQLFeatureNotSupportedException();
  }

  @Override
  public <T> T unwrap(Class<T> iface) throws SQLException {
    if (iface.isInstance(this)) {
      return iface.cast(this);
    }
    throw new SQLException("not a wrapper of " + iface.getName());
  }

  @Override
  public boolean isWrapperFor(Class<?> iface) {
    return iface.isInstance(this);
  }
}
