package io.scorepipe.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The scorepipe worker: audit sink, stream scoring, CSV batch jobs and retraining. It has no
 * public HTTP port; its actuator (health, metrics) listens on 8081.
 */
@SpringBootApplication
public class WorkerApplication {

    public static void main(String[] args) {
        SpringApplication.run(WorkerApplication.class, args);
    }
}
