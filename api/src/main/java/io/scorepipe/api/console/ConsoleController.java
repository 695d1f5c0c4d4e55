package io.scorepipe.api.console;

import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.server.ResponseStatusException;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The console's pages and data. The pages are static and hold no data; everything they show comes
 * through {@code /console/api/}, which needs the admin token for every call (see
 * {@code ConsoleConfiguration}): audit rows, and so drift, batches and traffic, show what callers
 * sent. The reads are the JSON API's own, passed through unchanged, so the console shows exactly
 * what a client of the API would get.
 */
@Controller
@Hidden
class ConsoleController {

    /** The API reads the console passes through: models, their versions, promotions and drift, and batches. */
    private static final Pattern READS = Pattern.compile("/models(/[a-z][a-z0-9-]*(/versions(/v[0-9]+)?|/promotions"
            + "|/drift|/retrain)?)?|/batches(/[0-9a-f-]{36}(/results|/rejects)?)?");
    private static final String DATA = "/console/api/data";

    private final LiveMetrics live;

    ConsoleController(LiveMetrics live) {
        this.live = live;
    }

    @GetMapping("/")
    String root() {
        return "redirect:/console/";
    }

    @GetMapping({ "/console", "/console/" })
    String console() {
        return "forward:/console/index.html";
    }

    /** Whether the token is right: the sign-in box asks this before it shows anything. */
    @GetMapping("/console/api/session")
    ResponseEntity<Void> session() {
        return ResponseEntity.noContent().build();
    }

    /** The last 15 minutes of this api's traffic and of the workers' consumer lag, a point every 10 s. */
    @GetMapping("/console/api/live")
    @ResponseBody
    LiveMetrics.Series liveSeries() {
        return live.series();
    }

    @GetMapping(DATA + "/**")
    String read(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length() + DATA.length());
        if (!READS.matcher(path).matches()) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "the console reads models and batches only, not "
                    + path);
        }
        return "forward:" + path;
    }
}
