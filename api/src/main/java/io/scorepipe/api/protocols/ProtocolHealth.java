package io.scorepipe.api.protocols;

import javax.sql.DataSource;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;

import io.scorepipe.registry.ServingModels;

/**
 * Readiness as the inference protocols ask for it: the server is ready when every model's champion
 * is decoded (decoding it now if need be) and the audit trail takes records; a model is ready when
 * its champion, or the version asked for, can score.
 *
 * @param serving the served models
 * @param database where audit records go when Kafka does not take them
 */
record ProtocolHealth(ServingModels serving, JdbcTemplate database) {

    ProtocolHealth(ServingModels serving, DataSource dataSource) {
        this(serving, new JdbcTemplate(dataSource));
    }

    boolean ready() {
        for (String model : serving.champions().keySet()) {
            if (!modelReady(model, null)) {
                return false;
            }
        }
        return auditAvailable();
    }

    /** @param version the version asked for; null for the champion */
    boolean modelReady(String model, @Nullable String version) {
        try (ServingModels.Lease lease = version == null ? serving.champion(model) : serving.version(model, version)) {
            return lease.scorer() != null;
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    /** PostgreSQL answers: every audit record can be written there when Kafka does not acknowledge it. */
    private boolean auditAvailable() {
        try {
            return Integer.valueOf(1).equals(database.queryForObject("SELECT 1", Integer.class));
        }
        catch (RuntimeException ex) {
            return false;
        }
    }
}
