package io.scorepipe.api.system;

import java.io.IOException;

/** A request body grew past its limit while being read. An IOException, so readers stop at once. */
public class PayloadTooLargeException extends IOException {

    public PayloadTooLargeException(long limit) {
        super("the request body is larger than the limit of " + limit + " bytes");
    }
}
