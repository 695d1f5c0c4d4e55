package io.scorepipe.api.predict;

import java.io.IOException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.MediaType;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.http.server.ServletServerHttpRequest;
import io.scorepipe.api.predict.PredictApi.PredictRequest;
import io.scorepipe.api.predict.PredictApi.PredictResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.ObjectReader;
import tools.jackson.databind.ObjectWriter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a single-row prediction request and writes its answer with readers and writers made once
 * from the application's {@link JsonMapper}, bytes in and bytes out, instead of Spring MVC's message
 * converters. On the cache-hit path the converters' content negotiation, header parsing and
 * body-advice chain cost a fifth of the api's CPU per request (JFR); the JSON is the same, and so
 * are the errors: an unreadable body raises the {@link HttpMessageNotReadableException} that the
 * converters would, with the same Jackson cause, and a body over the size limit the same 413.
 */
final class PredictBodies {

    private final ObjectReader requests;
    private final ObjectWriter responses;

    PredictBodies(JsonMapper json) {
        this.requests = json.readerFor(PredictRequest.class);
        this.responses = json.writerFor(PredictResponse.class);
    }

    /**
     * The request's body as a {@link PredictRequest}.
     *
     * @throws HttpMessageNotReadableException when the body is missing or not JSON of that shape
     * @throws io.scorepipe.api.system.PayloadTooLargeException when it is over the size limit
     */
    PredictRequest read(HttpServletRequest request) throws IOException {
        // the declared length when there is one (the size filter has checked it): one array, no copies
        int length = request.getContentLength();
        byte[] body = length >= 0 ? request.getInputStream().readNBytes(length) : request.getInputStream().readAllBytes();
        if (body.length == 0) {
            throw new HttpMessageNotReadableException("Required request body is missing",
                    new ServletServerHttpRequest(request));
        }
        try {
            return requests.readValue(body);
        }
        catch (JacksonException ex) {
            throw new HttpMessageNotReadableException("JSON parse error: " + ex.getOriginalMessage(), ex,
                    new ServletServerHttpRequest(request));
        }
    }

    /** Writes {@code answer} as the response's JSON body. */
    void write(HttpServletResponse response, PredictResponse answer) throws IOException {
        byte[] body = responses.writeValueAsBytes(answer);
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
