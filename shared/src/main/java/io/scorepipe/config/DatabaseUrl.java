package io.scorepipe.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import org.jspecify.annotations.Nullable;

/**
 * A PostgreSQL address in the seed's form, {@code postgresql://user[:password]@host[:port]/database[?params]}
 * ({@code postgres://} works too), turned into what JDBC needs. A {@code jdbc:postgresql:} URL is
 * taken as it is.
 *
 * @param jdbcUrl the JDBC URL, without credentials
 * @param username the role, if the URL names one
 * @param password the password, if the URL carries one (prefer {@code DB_PASSWORD_FILE})
 */
public record DatabaseUrl(String jdbcUrl, @Nullable String username, @Nullable String password) {

    @Override
    public String toString() {
        // never print the password
        return "DatabaseUrl[jdbcUrl=" + jdbcUrl + ", username=" + username + ", password=" + (password == null ? "none" : "***") + "]";
    }

    /**
     * @throws IllegalArgumentException naming {@code DATABASE_URL} and the form it expects
     */
    public static DatabaseUrl parse(String url) {
        String text = url.strip();
        if (text.startsWith("jdbc:postgresql:")) {
            return new DatabaseUrl(text, null, null);
        }
        URI uri;
        try {
            uri = new URI(text);
        }
        catch (URISyntaxException ex) {
            throw invalid(url, ex.getMessage());
        }
        if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
            throw invalid(url, "the scheme must be postgresql://");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw invalid(url, "it names no host");
        }
        String path = uri.getRawPath();
        if (path == null || path.length() < 2 || path.indexOf('/', 1) >= 0) {
            throw invalid(url, "it names no database (…/database)");
        }
        String host = uri.getHost().contains(":") && !uri.getHost().startsWith("[") ? "[" + uri.getHost() + "]" : uri.getHost();
        int port = uri.getPort() == -1 ? 5432 : uri.getPort();
        StringBuilder jdbc = new StringBuilder("jdbc:postgresql://").append(host).append(':').append(port).append(path);
        if (uri.getRawQuery() != null) {
            jdbc.append('?').append(uri.getRawQuery());
        }
        String username = null;
        String password = null;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null && !userInfo.isEmpty()) {
            int colon = userInfo.indexOf(':');
            username = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
        }
        return new DatabaseUrl(jdbc.toString(), username, password);
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }

    private static IllegalArgumentException invalid(String url, String why) {
        return new IllegalArgumentException("DATABASE_URL '" + redact(url) + "' is not a PostgreSQL URL of the form "
                + "postgresql://user@host:port/database: " + why);
    }

    private static String redact(String url) {
        return url.replaceAll("(//[^:/@]+):[^@/]*@", "$1:***@");
    }
}
