package io.scorepipe.api.system;

import java.util.Map;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The seed's liveness endpoint; /actuator/health/readiness tells whether the api can serve. */
@RestController
@Tag(name = "system")
class HealthController {

    private static final Map<String, String> HEALTHY = Map.of("status", "healthy");

    @Operation(summary = "Liveness, in the seed's shape")
    @GetMapping("/health")
    Map<String, String> health() {
        return HEALTHY;
    }
}
