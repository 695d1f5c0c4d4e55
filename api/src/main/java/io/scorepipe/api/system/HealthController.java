package io.scorepipe.api.system;

import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.health.actuate.endpoint.HealthDescriptor;
import org.springframework.boot.health.actuate.endpoint.HealthEndpoint;
import org.springframework.boot.health.contributor.Status;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;

/**
 * Health on the public port, where load balancers and the seed's clients look for it: the seed's
 * {@code /health}, and {@code /actuator/health} with its {@code liveness} and {@code readiness}
 * groups. A stranger sees only the status; the admin token shows every component's details. The
 * rest of the actuator (metrics, Prometheus) is served on the management port only.
 */
@RestController
@Tag(name = "system", description = "Health")
class HealthController {

    private static final Map<String, String> HEALTHY = Map.of("status", "healthy");

    private final HealthEndpoint health;
    private final AdminToken token;

    HealthController(HealthEndpoint health, AdminToken token) {
        this.health = health;
        this.token = token;
    }

    @Operation(summary = "Liveness, in the seed's shape")
    @GetMapping("/health")
    Map<String, String> seedHealth() {
        return HEALTHY;
    }

    @Operation(summary = "Health: UP or DOWN",
            description = "The status only; with the admin token, every component's details too.")
    @ApiResponse(responseCode = "200", description = "UP")
    @ProblemResponse(status = 503, when = "DOWN or OUT_OF_SERVICE (the body is the status, not a problem)")
    @GetMapping("/actuator/health")
    ResponseEntity<?> health(@Parameter(hidden = true) @RequestHeader(value = HttpHeaders.AUTHORIZATION,
            required = false) @Nullable String authorization) {
        return answer(health.health(), authorization);
    }

    @Operation(summary = "A health group: liveness (the process works) or readiness (it can serve predictions)",
            description = "The status only; with the admin token, the group's components too.")
    @ApiResponse(responseCode = "200", description = "UP")
    @ProblemResponse(status = 404, when = "no such group")
    @ProblemResponse(status = 503, when = "DOWN or OUT_OF_SERVICE (the body is the status, not a problem)")
    @GetMapping("/actuator/health/{group}")
    ResponseEntity<?> group(@Parameter(example = "readiness") @PathVariable String group,
            @Parameter(hidden = true) @RequestHeader(value = HttpHeaders.AUTHORIZATION, required = false)
            @Nullable String authorization) {
        HealthDescriptor descriptor = health.healthForPath(group);
        if (descriptor == null) {
            throw ApiProblemException.notFound("Unknown health group", "no health group '" + group
                    + "'; the groups are liveness and readiness");
        }
        return answer(descriptor, authorization);
    }

    private ResponseEntity<?> answer(HealthDescriptor descriptor, @Nullable String authorization) {
        Status status = descriptor.getStatus();
        HttpStatus code = Status.UP.equals(status) || Status.UNKNOWN.equals(status) ? HttpStatus.OK
                : HttpStatus.SERVICE_UNAVAILABLE;
        Object body = token.authorizes(authorization) ? descriptor : Map.of("status", status.getCode());
        return ResponseEntity.status(code).body(body);
    }
}
